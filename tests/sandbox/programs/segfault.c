/* Untrusted test program (run only through the sandbox): writes through a
 * null pointer. */
int main(void) {
    volatile int *volatile p = 0;
    *p = 1;
    return 0;
}
