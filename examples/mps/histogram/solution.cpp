// Histogram of integers in [0, NUM_BINS - 1], unsaturated counts
// (reference solution).
#include <wb.h>

#define NUM_BINS 256

int main(int argc, char **argv) {
  wbArg_t args;
  int inputLength;
  int *hostInput;
  int *hostBins;

  args = wbArg_read(argc, argv);

  wbTime_start(Generic, "Importing data and creating memory on host");
  hostInput = (int *)wbImport(wbArg_getInputFile(args, 0), &inputLength,
                              "Integer");
  hostBins = (int *)calloc(NUM_BINS, sizeof(int));
  wbTime_stop(Generic, "Importing data and creating memory on host");

  wbLog(TRACE, "The input length is ", inputLength);
  wbLog(TRACE, "The number of bins is ", NUM_BINS);

  wbTime_start(Compute, "Computing the histogram");
  for (int i = 0; i < inputLength; ++i) {
    int v = hostInput[i];
    if (v < 0 || v >= NUM_BINS) {
      wbLog(ERROR, "Input value ", v, " at index ", i, " is out of range");
      return 1;
    }
    hostBins[v] += 1;
  }
  wbTime_stop(Compute, "Computing the histogram");

  wbSolution(args, hostBins, NUM_BINS);

  free(hostInput);
  free(hostBins);
  return 0;
}
