#!/bin/sh
# Compiles a libwb test program the way a student or the grader would, then
# runs it in a fresh temporary directory (removed afterwards) with that
# directory as its only argument.
#   run_program.sh COMPILER MODE LIBWB_DIR SOURCE OUTDIR
# MODE: header (wb.h alone) or prebuilt (libwb.cpp compiled once into
# libwb.o, the program with -DWB_PREBUILT). A COMPILER named nvcc compiles
# SOURCE as CUDA, copied to a .cu (nvcc's -x cu would also take libwb.o
# for CUDA source). Warnings are errors in every compile. Exits 77
# (CTest's SKIP_RETURN_CODE) when COMPILER is not installed, so a machine
# without CUDA reports the nvcc tests skipped, not passed.
set -eu
compiler=$1 mode=$2 libwb=$3 source=$4 out=$5
if [ ! -x "$compiler" ]; then
    echo "SKIPPED: $compiler is not installed on this machine" >&2
    exit 77
fi
case $(basename "$compiler") in
nvcc) warn="-Werror all-warnings -Xcompiler=-Wall,-Wextra,-Werror" cuda=1 ;;
*) warn="-std=c++17 -Wall -Wextra -Wshadow -Werror" cuda= ;;
esac
mkdir -p "$out"
if [ -n "$cuda" ]; then
    cp "$source" "$out/program.cu"
    source=$out/program.cu
fi
case $mode in
header) "$compiler" $warn -I"$libwb" "$source" -o "$out/program" ;;
prebuilt)
    "$compiler" $warn -c -I"$libwb" "$libwb/libwb.cpp" -o "$out/libwb.o"
    "$compiler" $warn -DWB_PREBUILT -I"$libwb" "$source" "$out/libwb.o" -o "$out/program"
    ;;
*) echo "run_program.sh: unknown mode '$mode'" >&2; exit 2 ;;
esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
"$out/program" "$(pwd -P)"
