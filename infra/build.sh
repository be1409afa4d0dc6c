#!/usr/bin/env bash
# Configures and builds one flavour of tenantry into build/<flavour>:
#   release  optimized tenantryd for infra/run.sh
#   test     every target with -Werror, AddressSanitizer and UBSan, for infra/test.sh
#   bench    release with the test and benchmark targets, for infra/bench.sh
#   fuzz     only the libFuzzer targets of tests/fuzz (clang 16, ASan + UBSan), for infra/fuzz.sh
set -euo pipefail
source "$(dirname "$0")/env.sh"
flavour="${1:-release}"
shift || true
dir="$TENANTRY_ROOT/build/$flavour"
args=(-G Ninja -S "$TENANTRY_ROOT" -B "$dir")
if command -v ccache >/dev/null; then
  args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  # ccache may cache precompiled-header builds only when told these are fine.
  export CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
  # Relative paths in the cache key: a fresh clone elsewhere (CI) reuses earlier builds.
  export CCACHE_BASEDIR="$TENANTRY_ROOT"
fi
case "$flavour" in
  release) args+=(-DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF) ;;
  test) args+=(-DCMAKE_BUILD_TYPE=Debug -DTENANTRY_WERROR=ON -DTENANTRY_SANITIZE=ON) ;;
  bench) args+=(-DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=ON) ;;
  fuzz) args+=(-DCMAKE_CXX_COMPILER=clang++-16 -DCMAKE_BUILD_TYPE=RelWithDebInfo
               -DTENANTRY_FUZZ_ONLY=ON -DTENANTRY_WERROR=ON) ;;
  *) echo "infra/build.sh: unknown flavour $flavour" >&2; exit 2 ;;
esac
[ -f "$dir/build.ninja" ] || cmake "${args[@]}" >/dev/null
cmake --build "$dir" "$@"
