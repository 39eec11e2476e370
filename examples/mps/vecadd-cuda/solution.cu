// Vector addition on the GPU: out[i] = in0[i] + in1[i] (reference solution).
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
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < len) {
    out[i] = in1[i] + in2[i];
  }
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
  if (inputLength != inputLength2) {
    wbLog(ERROR, "The inputs differ in length: ", inputLength, " and ",
          inputLength2);
    return 1;
  }
  size_t bytes = (size_t)(inputLength > 0 ? inputLength : 1) * sizeof(float);

  wbTime_start(GPU, "Allocating GPU memory.");
  wbCheck(cudaMalloc((void **)&deviceInput1, bytes));
  wbCheck(cudaMalloc((void **)&deviceInput2, bytes));
  wbCheck(cudaMalloc((void **)&deviceOutput, bytes));
  wbTime_stop(GPU, "Allocating GPU memory.");

  wbTime_start(GPU, "Copying input memory to the GPU.");
  wbCheck(cudaMemcpy(deviceInput1, hostInput1, bytes, cudaMemcpyHostToDevice));
  wbCheck(cudaMemcpy(deviceInput2, hostInput2, bytes, cudaMemcpyHostToDevice));
  wbTime_stop(GPU, "Copying input memory to the GPU.");

  const int blockSize = 256;
  dim3 dimBlock(blockSize, 1, 1);
  dim3 dimGrid((inputLength + blockSize - 1) / blockSize, 1, 1);
  wbLog(TRACE, "Launching ", dimGrid.x, " blocks of ", dimBlock.x, " threads");

  wbTime_start(Compute, "Performing CUDA computation");
  if (inputLength > 0) {
    vecAdd<<<dimGrid, dimBlock>>>(deviceInput1, deviceInput2, deviceOutput,
                                  inputLength);
    wbCheck(cudaGetLastError());
  }
  wbCheck(cudaDeviceSynchronize());
  wbTime_stop(Compute, "Performing CUDA computation");

  wbTime_start(Copy, "Copying output memory to the CPU");
  wbCheck(cudaMemcpy(hostOutput, deviceOutput, bytes, cudaMemcpyDeviceToHost));
  wbTime_stop(Copy, "Copying output memory to the CPU");

  wbTime_start(GPU, "Freeing GPU Memory");
  wbCheck(cudaFree(deviceInput1));
  wbCheck(cudaFree(deviceInput2));
  wbCheck(cudaFree(deviceOutput));
  wbTime_stop(GPU, "Freeing GPU Memory");

  wbSolution(args, hostOutput, inputLength);

  free(hostInput1);
  free(hostInput2);
  free(hostOutput);
  return 0;
}
