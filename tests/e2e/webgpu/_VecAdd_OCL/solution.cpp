#include <wb.h>

static const char *kernelSource =
    "__kernel void vadd(__global const float *a, __global const float *b,\n"
    "                   __global float *c, int n) {\n"
    "  int i = get_global_id(0);\n"
    "  if (i < n) c[i] = a[i] + b[i];\n"
    "}\n";

#define clCheck(stmt)                                                          \
  do {                                                                         \
    cl_int err_ = (stmt);                                                      \
    if (err_ != CL_SUCCESS) {                                                  \
      wbLog(ERROR, #stmt, " failed with ", err_);                              \
      return 1;                                                                \
    }                                                                          \
  } while (0)

int main(int argc, char **argv) {
  wbArg_t args = wbArg_read(argc, argv);
  int inputLength;
  float *hostInput1 = (float *)wbImport(wbArg_getInputFile(args, 0), &inputLength);
  float *hostInput2 = (float *)wbImport(wbArg_getInputFile(args, 1), &inputLength);
  float *hostOutput = (float *)malloc(inputLength * sizeof(float));

  cl_int err;
  cl_platform_id platform;
  cl_device_id device;
  clCheck(clGetPlatformIDs(1, &platform, NULL));
  clCheck(clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 1, &device, NULL));
  cl_context context = clCreateContext(NULL, 1, &device, NULL, NULL, &err);
  clCheck(err);
  cl_command_queue queue = clCreateCommandQueue(context, device, 0, &err);
  clCheck(err);
  cl_program program = clCreateProgramWithSource(context, 1, &kernelSource, NULL, &err);
  clCheck(err);
  clCheck(clBuildProgram(program, 1, &device, NULL, NULL, NULL));
  cl_kernel kernel = clCreateKernel(program, "vadd", &err);
  clCheck(err);

  size_t bytes = inputLength * sizeof(float);
  cl_mem a = clCreateBuffer(context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, bytes, hostInput1, &err);
  clCheck(err);
  cl_mem b = clCreateBuffer(context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, bytes, hostInput2, &err);
  clCheck(err);
  cl_mem c = clCreateBuffer(context, CL_MEM_WRITE_ONLY, bytes, NULL, &err);
  clCheck(err);
  clCheck(clSetKernelArg(kernel, 0, sizeof(cl_mem), &a));
  clCheck(clSetKernelArg(kernel, 1, sizeof(cl_mem), &b));
  clCheck(clSetKernelArg(kernel, 2, sizeof(cl_mem), &c));
  clCheck(clSetKernelArg(kernel, 3, sizeof(int), &inputLength));
  size_t global = inputLength;
  clCheck(clEnqueueNDRangeKernel(queue, kernel, 1, NULL, &global, NULL, 0, NULL, NULL));
  clCheck(clEnqueueReadBuffer(queue, c, CL_TRUE, 0, bytes, hostOutput, 0, NULL, NULL));

  wbSolution(args, hostOutput, inputLength);
  clReleaseMemObject(a);
  clReleaseMemObject(b);
  clReleaseMemObject(c);
  clReleaseKernel(kernel);
  clReleaseProgram(program);
  clReleaseCommandQueue(queue);
  clReleaseContext(context);
  free(hostInput1);
  free(hostInput2);
  free(hostOutput);
  return 0;
}
