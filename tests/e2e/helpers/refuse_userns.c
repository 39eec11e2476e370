/* refuse_userns PROGRAM [ARGS...]: runs PROGRAM with clone, clone3 and
 * unshare refused (EPERM) when they ask for a new user namespace, as a
 * container runtime's filter would. clone3 passes its flags in memory that
 * seccomp cannot read, so it is refused outright (ENOSYS: callers fall back
 * to clone). Sets no_new_privs, which an unprivileged filter needs. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: refuse_userns PROGRAM [ARGS...]\n");
        return 2;
    }
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    int rc = ctx ? 0 : -1;
    for (int i = 0; rc == 0 && i < 2; ++i)
        rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), i ? SCMP_SYS(unshare) : SCMP_SYS(clone),
                              1, SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER));
    if (rc == 0) rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
    if (rc == 0 && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) rc = -errno;
    if (rc == 0) rc = seccomp_load(ctx);
    if (rc != 0) {
        fprintf(stderr, "refuse_userns: cannot load the filter (%d)\n", rc);
        return 1;
    }
    execvp(argv[1], argv + 1);
    perror(argv[1]);
    return 127;
}
