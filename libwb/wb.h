// wb.h: the library MP programs include (`#include <wb.h>`).
//
// It reimplements the API of the UIUC WebGPU / GPU Teaching Kit "libwb"
// that existing course MPs are written against: argument parsing
// (wbArg_read), dataset import and export (wbImport, wbExport), the answer
// handed to the grader (wbSolution), logs (wbLog), timers (wbTime_start /
// wbTime_stop), images (wbImage_t), the dataset generators' calls
// (wbPath_join, wbDirectory_create, wbDataset_generate) and, under nvcc,
// the cudaThread* calls CUDA 13 removed. It defines no wbCheck: programs
// define their own, as they did with the classic libwb.
// libwb/README.md lists the API and the file formats.
//
// It is header-only: wbtool embeds these files in its own binary and a
// student compiles a program with just `g++ -I<dir> prog.cpp` or
// `nvcc -I<dir> prog.cu`, so there is nothing to build, install or link,
// and every machine uses the same copy. The grader itself compiles
// libwb.cpp once into an object and programs with -DWB_PREBUILT, which
// leaves them only the declarations (wb_base.h says why and how). Each
// wb_*.h holds one concern and can be read on its own; this file only
// gathers them. The parsers (wb_parse.h, wb_format.h, wb_header.h) are
// included by the bodies that use them.
#pragma once

#include "wb_arg.h"
#include "wb_base.h"
#include "wb_cuda.h"
#include "wb_dataset.h"
#include "wb_export.h"
#include "wb_image.h"
#include "wb_import.h"
#include "wb_log.h"
#include "wb_opencl.h"
#include "wb_path.h"
#include "wb_solution.h"
#include "wb_timer.h"
#include "wb_types.h"
