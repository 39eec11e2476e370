#include <ctype.h>
#include <stdio.h>
#include <string.h>

static char name[256];

static void read_name(void) {
    if (!fgets(name, sizeof name, stdin)) name[0] = 0;
    name[strcspn(name, "\r\n")] = 0;
}

int main(void) {
    read_name();
    for (char* c = name; *c; ++c) *c = (char)toupper((unsigned char)*c);
    printf("HELLO, %s!\n", name);
    return 0;
}
