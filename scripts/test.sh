#!/usr/bin/env bash
# Sets up a fresh machine (Debian packages), builds wbtool and runs the whole
# test suite with CTest. `--sanitize` builds and tests under ASan+UBSan in a
# separate build directory (the CI's sanitizer row).
set -euo pipefail
cd "$(dirname "$0")/.."

build=build
cmake_args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
for arg in "$@"; do
  case "$arg" in
    --sanitize) build=build-asan; cmake_args+=(-DWBTOOL_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug) ;;
    -h|--help) echo "usage: scripts/test.sh [--sanitize]"; exit 0 ;;
    *) echo "scripts/test.sh: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

bash scripts/setup-deps.sh
cmake -S . -B "$build" "${cmake_args[@]}"
cmake --build "$build" -j "$(nproc)"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
cd "$build"
ctest --output-on-failure -j "$(nproc)" --timeout 300
