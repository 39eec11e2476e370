// Add the two input vectors and pass the sum to wbSolution.
#include <wb.h>

int main(int argc, char** argv) {
    wbArg_t args = wbArg_read(argc, argv);
    //@@ Your code here
    return 0;
}
