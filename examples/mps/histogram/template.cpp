// Histogram: count how many times each value 0..NUM_BINS-1 occurs in the
// input. Every input value is in [0, NUM_BINS - 1]; counts are plain,
// unsaturated integers.
// Fill in the places marked //@@.
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
  //@@ Insert code here: for every element v of hostInput, add one to
  //@@ hostBins[v].
  wbTime_stop(Compute, "Computing the histogram");

  wbSolution(args, hostBins, NUM_BINS);

  free(hostInput);
  free(hostBins);
  return 0;
}
