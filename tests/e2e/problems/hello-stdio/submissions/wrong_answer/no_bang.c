#include <stdio.h>
#include <string.h>

static char name[256];

static void read_name(void) {
    if (!fgets(name, sizeof name, stdin)) name[0] = 0;
    name[strcspn(name, "\r\n")] = 0;
}

int main(void) {
    read_name();
    printf("Hello, %s\n", name);
    return 0;
}
