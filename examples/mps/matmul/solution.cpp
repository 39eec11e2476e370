// Dense matrix multiplication: C = A * B (reference solution).
#include <wb.h>

int main(int argc, char **argv) {
  wbArg_t args;
  float *hostA; // The A matrix
  float *hostB; // The B matrix
  float *hostC; // The output C matrix
  int numARows;    // number of rows in the matrix A
  int numAColumns; // number of columns in the matrix A
  int numBRows;    // number of rows in the matrix B
  int numBColumns; // number of columns in the matrix B
  int numCRows;    // number of rows in the matrix C
  int numCColumns; // number of columns in the matrix C

  args = wbArg_read(argc, argv);

  wbTime_start(Generic, "Importing data and creating memory on host");
  hostA = (float *)wbImport(wbArg_getInputFile(args, 0), &numARows,
                            &numAColumns);
  hostB = (float *)wbImport(wbArg_getInputFile(args, 1), &numBRows,
                            &numBColumns);
  numCRows = numARows;
  numCColumns = numBColumns;
  hostC = (float *)calloc(numCRows * numCColumns > 0 ? numCRows * numCColumns : 1,
                          sizeof(float));
  wbTime_stop(Generic, "Importing data and creating memory on host");

  wbLog(TRACE, "The dimensions of A are ", numARows, " x ", numAColumns);
  wbLog(TRACE, "The dimensions of B are ", numBRows, " x ", numBColumns);
  if (numAColumns != numBRows) {
    wbLog(ERROR, "A has ", numAColumns, " columns but B has ", numBRows,
          " rows");
    return 1;
  }

  wbTime_start(Compute, "Performing the matrix multiplication");
  for (int i = 0; i < numCRows; ++i) {
    for (int j = 0; j < numCColumns; ++j) {
      float sum = 0.0f;
      for (int k = 0; k < numAColumns; ++k) {
        sum += hostA[i * numAColumns + k] * hostB[k * numBColumns + j];
      }
      hostC[i * numCColumns + j] = sum;
    }
  }
  wbTime_stop(Compute, "Performing the matrix multiplication");

  wbSolution(args, hostC, numCRows, numCColumns);

  free(hostA);
  free(hostB);
  free(hostC);
  return 0;
}
