// OpenCL programs: the original wb.h included the OpenCL header for them
// when compiled with WB_USE_OPENCL (course templates say "wb include
// opencl.h for you"), so they call clGetPlatformIDs with no include of
// their own. wbtool's opencl toolchain defines WB_USE_OPENCL and links the
// ICD loader (-lOpenCL).
#pragma once

#if defined(WB_USE_OPENCL)
#ifndef CL_TARGET_OPENCL_VERSION
#define CL_TARGET_OPENCL_VERSION 120
#endif
#if defined(__APPLE__)
#include <OpenCL/opencl.h>
#else
#include <CL/cl.h>
#endif
#endif
