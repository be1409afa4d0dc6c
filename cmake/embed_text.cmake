# Writes OUT: a C++ file defining `std::string_view FUNCTION()` in namespace NS that returns
# the contents of IN.
file(READ ${IN} text)
set(body "// Generated from ${IN}. Do not edit.\n#include <string_view>\nnamespace ${NS} {\nstd::string_view ${FUNCTION}() {\n  static constexpr char text[] = R\"__text__(${text})__text__\";\n  return {text, sizeof(text) - 1};\n}\n}  // namespace ${NS}\n")
file(WRITE ${OUT}.tmp "${body}")
configure_file(${OUT}.tmp ${OUT} COPYONLY)
