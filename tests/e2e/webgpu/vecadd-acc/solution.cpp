#include <wb.h>

int main(int argc, char **argv) {
  wbArg_t args = wbArg_read(argc, argv);
  int inputLength;
  float *hostInput1 = (float *)wbImport(wbArg_getInputFile(args, 0), &inputLength);
  float *hostInput2 = (float *)wbImport(wbArg_getInputFile(args, 1), &inputLength);
  float *hostOutput = (float *)malloc(inputLength * sizeof(float));

#pragma acc parallel loop copyin(hostInput1[0:inputLength], hostInput2[0:inputLength]) copyout(hostOutput[0:inputLength])
  for (int i = 0; i < inputLength; ++i)
    hostOutput[i] = hostInput1[i] + hostInput2[i];

  wbSolution(args, hostOutput, inputLength);
  free(hostInput1);
  free(hostInput2);
  free(hostOutput);
  return 0;
}
