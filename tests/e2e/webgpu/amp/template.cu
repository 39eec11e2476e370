#include <wb.h>
#include <amp.h>
int main(int argc, char **argv) { return 0; }
