/* Untrusted test program (run only through the sandbox): sleeps forever. */
#include <unistd.h>

int main(void) {
    for (;;)
        pause();
}
