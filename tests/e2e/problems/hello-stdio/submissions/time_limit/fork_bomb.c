// Forks until the process limit says no, forever: the limit holds, the
// CPU limit ends it.
#include <unistd.h>

int main(void) {
    for (;;) fork();
}
