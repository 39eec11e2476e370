/* What the CUDA driver asks of the kernel beyond a plain program, for the
 * cuda profile's tests: the NUMA memory policy (get_mempolicy), and a unix
 * socket (its daemons), which that profile refuses with EACCES. Prints
 * "mempolicy <rc>" and "socket <errno name>". */
#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
    int mode = 0;
    long rc = syscall(SYS_get_mempolicy, &mode, NULL, 0, NULL, 0);
    printf("mempolicy %ld\n", rc < 0 ? -(long)errno : rc);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    printf("socket %s\n", fd >= 0 ? "opened" : errno == EACCES ? "EACCES" : "other");
    return 0;
}
