// tenantryd: the composition root (wired in a later commit).
int main() { return 0; }
