// Vector addition: write out[i] = in0[i] + in1[i].
#include <wb.h>

int main(int argc, char** argv) {
    wbArg_t args = wbArg_read(argc, argv);
    int length = 0;
    float* in0 = (float*)wbImport(wbArg_getInputFile(args, 0), &length);
    //@@ Import the second input, add, and call wbSolution
    free(in0);
    return 0;
}
