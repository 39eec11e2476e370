// Vector addition on the GPU: out[i] = in0[i] + in1[i] for every i.
// Fill in the places marked //@@.
#include <wb.h>

// wb.h defines no wbCheck: as in the course's templates, the program does.
#define wbCheck(stmt)                                                      \
  do {                                                                     \
    cudaError_t err = stmt;                                                \
    if (err != cudaSuccess) {                                              \
      wbLog(ERROR, "Failed to run stmt ", #stmt);                          \
      wbLog(ERROR, "Got CUDA error ", cudaGetErrorName(err), ": ",         \
            cudaGetErrorString(err));                                      \
      return -1;                                                           \
    }                                                                      \
  } while (0)

__global__ void vecAdd(float *in1, float *in2, float *out, int len) {
  //@@ Insert code here: each thread adds one element.
}

int main(int argc, char **argv) {
  wbArg_t args;
  int inputLength;
  int inputLength2;
  float *hostInput1;
  float *hostInput2;
  float *hostOutput;
  float *deviceInput1;
  float *deviceInput2;
  float *deviceOutput;

  args = wbArg_read(argc, argv);

  wbTime_start(Generic, "Importing data and creating memory on host");
  hostInput1 = (float *)wbImport(wbArg_getInputFile(args, 0), &inputLength);
  hostInput2 = (float *)wbImport(wbArg_getInputFile(args, 1), &inputLength2);
  hostOutput = (float *)calloc(inputLength > 0 ? inputLength : 1, sizeof(float));
  wbTime_stop(Generic, "Importing data and creating memory on host");

  wbLog(TRACE, "The input length is ", inputLength);

  wbTime_start(GPU, "Allocating GPU memory.");
  //@@ Allocate GPU memory here (deviceInput1, deviceInput2, deviceOutput)
  wbTime_stop(GPU, "Allocating GPU memory.");

  wbTime_start(GPU, "Copying input memory to the GPU.");
  //@@ Copy memory to the GPU here
  wbTime_stop(GPU, "Copying input memory to the GPU.");

  //@@ Initialize the grid and block dimensions here

  wbTime_start(Compute, "Performing CUDA computation");
  //@@ Launch the GPU Kernel here
  cudaDeviceSynchronize();
  wbTime_stop(Compute, "Performing CUDA computation");

  wbTime_start(Copy, "Copying output memory to the CPU");
  //@@ Copy the GPU memory back to the CPU here
  wbTime_stop(Copy, "Copying output memory to the CPU");

  wbTime_start(GPU, "Freeing GPU Memory");
  //@@ Free the GPU memory here
  wbTime_stop(GPU, "Freeing GPU Memory");

  wbSolution(args, hostOutput, inputLength);

  free(hostInput1);
  free(hostInput2);
  free(hostOutput);
  return 0;
}
