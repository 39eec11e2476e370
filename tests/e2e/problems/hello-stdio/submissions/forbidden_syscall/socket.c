// The sandbox gives a program no network: socket() ends it.
#include <stdio.h>
#include <sys/socket.h>

int main(void) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    printf("socket %d\n", s);
    return 0;
}
