/* The abuse suite's attacks, one per mode (argv[1]); argv[2] is a path some
 * modes need. An attack that the sandbox refuses with an error code exits 3
 * ("denied") after printing what it got, so the test can tell a denial from
 * a success (exit 0 where success would be an escape is exit 4). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static int denied(const char *what) {
    printf("denied: %s: %s\n", what, strerror(errno));
    fflush(stdout);
    return 3;
}

static void *spin(void *arg) {
    (void)arg;
    for (;;) pause();
    return NULL;
}

static int recurse(int n) {
    volatile char pad[4096];
    pad[0] = (char)n;
    return recurse(n + 1) + pad[0];
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "";
    const char *path = argc > 2 ? argv[2] : "";
    if (!strcmp(mode, "fork_bomb")) {
        for (;;) fork();
    } else if (!strcmp(mode, "thread_bomb")) {
        for (int i = 0; i < 100000; ++i) {
            pthread_t t;
            if (pthread_create(&t, NULL, spin, NULL) != 0) {
                printf("denied after %d threads\n", i);
                return 3;
            }
        }
        return 4;
    } else if (!strcmp(mode, "memory_hog")) {
        for (;;) {
            char *p = malloc(1 << 20);
            if (!p) return denied("malloc");
            memset(p, 1, 1 << 20);
        }
    } else if (!strcmp(mode, "stack_overflow")) {
        return recurse(0);
    } else if (!strcmp(mode, "busy_loop")) {
        for (volatile unsigned long i = 0;; ++i) {}
    } else if (!strcmp(mode, "sleep_forever")) {
        for (;;) pause();
    } else if (!strcmp(mode, "flood_stdout") || !strcmp(mode, "flood_stderr")) {
        static char buf[65536];
        memset(buf, 'x', sizeof buf);
        int fd = mode[6] == 'o' ? 1 : 2;
        for (;;)
            if (write(fd, buf, sizeof buf) < 0) return denied("write");
    } else if (!strcmp(mode, "huge_file")) {
        static char buf[1 << 20];
        int fd = open("huge", O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0) return denied("open");
        signal(SIGXFSZ, SIG_DFL);
        for (;;)
            if (write(fd, buf, sizeof buf) < 0) return denied("write");
    } else if (!strcmp(mode, "fill_tmp")) {
        static char buf[1 << 20];
        int fd = open("/tmp/fill", O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0) return denied("open");
        for (;;)
            if (write(fd, buf, sizeof buf) < 0) return denied("write /tmp");
    } else if (!strcmp(mode, "read")) {
        int fd = open(path, O_RDONLY);
        if (fd < 0) return denied(path);
        char c;
        if (read(fd, &c, 1) < 0) return denied(path);
        return 4;
    } else if (!strcmp(mode, "write")) {
        int fd = open(path, O_WRONLY | O_APPEND);
        if (fd < 0) return denied(path);
        return write(fd, "x", 1) < 0 ? denied(path) : 4;
    } else if (!strcmp(mode, "tcp_connect") || !strcmp(mode, "udp_send")) {
        int tcp = mode[0] == 't';
        int s = socket(AF_INET, tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
        if (s < 0) return denied("socket");
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(path)),
                                .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        if (tcp) return connect(s, (struct sockaddr *)&a, sizeof a) < 0 ? denied("connect") : 4;
        return sendto(s, "x", 1, 0, (struct sockaddr *)&a, sizeof a) < 0 ? denied("sendto") : 4;
    } else if (!strcmp(mode, "signal_all")) {
        /* kill(-1) with signal 0: refused where it must be, harmless where not. */
        return kill(-1, 0) < 0 ? denied("kill") : 0;
    } else if (!strcmp(mode, "signal_all_wide")) {
        /* The same, with the pid as a 64-bit -1: the kernel reads an int. */
        return syscall(SYS_kill, -1L, 0) < 0 ? denied("kill") : 0;
    } else if (!strcmp(mode, "kill_all")) {
        kill(-1, SIGKILL);
        return 0;
    } else if (!strcmp(mode, "ptrace_parent")) {
        return ptrace(PTRACE_ATTACH, getppid(), 0, 0) < 0 ? denied("ptrace") : 4;
    } else if (!strcmp(mode, "mount")) {
        return mount("none", "/tmp", "tmpfs", 0, NULL) < 0 ? denied("mount") : 4;
    } else if (!strcmp(mode, "unshare")) {
        return unshare(CLONE_NEWUSER) < 0 ? denied("unshare") : 4;
    } else if (!strcmp(mode, "prlimit_keeper")) {
        /* The keeper is pid 1 here; in a user namespace it has our uid. */
        struct rlimit none = {0, 0};
        return prlimit(1, RLIMIT_NOFILE, &none, NULL) < 0 ? denied("prlimit") : 4;
    } else if (!strcmp(mode, "setns")) {
        int fd = open("/proc/self/ns/net", O_RDONLY);
        return setns(fd, 0) < 0 ? denied("setns") : 4;
    } else if (!strcmp(mode, "chroot_escape")) {
        if (mkdir("jail", 0755) < 0 && errno != EEXIST) return denied("mkdir");
        if (chroot("jail") < 0) return denied("chroot");
        for (int i = 0; i < 64; ++i) chdir("..");
        return chroot(".") < 0 ? denied("chroot ..") : 4;
    } else if (!strcmp(mode, "setuid_root")) {
        return setuid(0) < 0 ? denied("setuid") : 4;
    } else if (!strcmp(mode, "exec")) {
        char *args[] = {(char *)path, NULL};
        execv(path, args);
        return denied("execv");
    } else if (!strcmp(mode, "daemon")) {
        if (fork() == 0) {
            setsid();
            if (fork() == 0) for (;;) pause();
            _exit(0);
        }
        return 0;
    } else if (!strcmp(mode, "close_stdout_loop")) {
        close(1);
        close(2);
        for (volatile unsigned long i = 0;; ++i) {}
    } else if (!strcmp(mode, "probe_fds")) {
        int open_fds = 0;
        for (int fd = 3; fd < 1024; ++fd)
            if (fcntl(fd, F_GETFD) >= 0) {
                printf("fd %d is open\n", fd);
                ++open_fds;
            }
        return open_fds ? 4 : 0;
    } else if (!strcmp(mode, "tiocsti")) {
        /* Push a command into whatever terminal it can find: its own
         * streams, then its controlling terminal. */
        char c = '!';
        int tty = open("/dev/tty", O_RDWR);
        if (tty < 0) printf("no /dev/tty: %s\n", strerror(errno));
        for (int fd = 0; fd <= 2; ++fd)
            if (ioctl(fd, TIOCSTI, &c) == 0) return 4;
        if (tty >= 0 && ioctl(tty, TIOCSTI, &c) == 0) return 4;
        return denied("TIOCSTI");
    } else if (!strcmp(mode, "tiocsti_wide")) {
        /* The same request with bits above 32 set: the kernel reads an
         * unsigned int, so this is TIOCSTI to it. */
        char c = '!';
        for (int fd = 0; fd <= 2; ++fd)
            if (syscall(SYS_ioctl, fd, 0x100000000UL | TIOCSTI, &c) == 0) return 4;
        return denied("TIOCSTI");
    } else if (!strcmp(mode, "x32_syscall")) {
        long ret;
        __asm__ volatile("syscall" : "=a"(ret) : "a"(0x40000000L | 39) : "rcx", "r11", "memory");
        printf("x32 getpid returned %ld\n", ret);
        return 4;
    } else if (!strcmp(mode, "i386_syscall")) {
        long ret;
        __asm__ volatile("int $0x80" : "=a"(ret) : "a"(20) : "memory"); /* getpid */
        return 4;
    }
    fprintf(stderr, "unknown mode '%s'\n", mode);
    return 2;
}
