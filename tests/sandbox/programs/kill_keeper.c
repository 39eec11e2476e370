/* Untrusted test program (run ONLY through the sandbox: it SIGKILLs its
 * parent, which there is the sandbox's keeper process), then sleeps. */
#include <signal.h>
#include <unistd.h>

int main(void) {
    kill(getppid(), SIGKILL);
    for (;;)
        pause();
}
