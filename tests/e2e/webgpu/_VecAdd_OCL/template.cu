#include <wb.h> //@@ wb includes the OpenCL header for you

int main(int argc, char **argv) {
  wbArg_t args = wbArg_read(argc, argv);
  int inputLength;
  float *hostInput1 = (float *)wbImport(wbArg_getInputFile(args, 0), &inputLength);
  float *hostInput2 = (float *)wbImport(wbArg_getInputFile(args, 1), &inputLength);
  float *hostOutput = (float *)malloc(inputLength * sizeof(float));

  //@@ Set up OpenCL, copy the inputs, run the kernel, copy the output back

  wbSolution(args, hostOutput, inputLength);
  return 0;
}
