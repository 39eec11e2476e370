// libwb's bodies, compiled once: the source of libwb.o (see wb_base.h).
//
// The grader compiles this file once per compiler and flags into its
// cache, then compiles each program with -DWB_PREBUILT, so that the program
// sees only libwb's declarations, and links the object. By hand:
//   g++ -O2 -c -I DIR DIR/libwb.cpp -o libwb.o
//   g++ -O2 -DWB_PREBUILT -I DIR prog.cpp libwb.o
// (nvcc likewise). Without WB_PREBUILT a program needs no object at all.
#define WB_IMPLEMENTATION
#include "wb.h"
