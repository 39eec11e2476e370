// Vector addition (the reference solution of a course fixture).
#include <wb.h>

int main(int argc, char** argv) {
    wbArg_t args;
    int inputLength;
    int inputLength2;
    float* hostInput1;
    float* hostInput2;
    float* hostOutput;

    args = wbArg_read(argc, argv);

    wbTime_start(Generic, "Importing data and creating memory on host");
    hostInput1 = (float*)wbImport(wbArg_getInputFile(args, 0), &inputLength);
    hostInput2 = (float*)wbImport(wbArg_getInputFile(args, 1), &inputLength2);
    hostOutput = (float*)calloc(inputLength > 0 ? inputLength : 1, sizeof(float));
    wbTime_stop(Generic, "Importing data and creating memory on host");

    wbLog(TRACE, "The input length is ", inputLength);
    if (inputLength != inputLength2) {
        wbLog(ERROR, "The inputs differ in length: ", inputLength, " and ", inputLength2);
        return 1;
    }

    wbTime_start(Compute, "Performing the vector addition");
    for (int i = 0; i < inputLength; ++i) {
        hostOutput[i] = hostInput1[i] + hostInput2[i];
    }
    wbTime_stop(Compute, "Performing the vector addition");

    wbSolution(args, hostOutput, inputLength);

    free(hostInput1);
    free(hostInput2);
    free(hostOutput);
    return 0;
}
