// Sleeps past wall_time_s with almost no CPU time.
#include <unistd.h>

int main(void) {
    sleep(30);
    return 0;
}
