#!/usr/bin/env bash
# Sets up a fresh machine, builds wbtool, and grades every example MP's
# reference solution locally, printing the verdicts.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)" >/dev/null
wbtool=build/cmd/wbtool
demo_cache=$(mktemp -d)
trap 'rm -rf "$demo_cache"' EXIT

status=0
for mp in examples/mps/*/; do
  mp=${mp%/}
  solution=$(ls "$mp"/solution.* 2>/dev/null | head -n 1)
  [[ -n "$solution" ]] || continue
  echo "== $mp ($(basename "$solution"))"
  if [[ "$solution" == *.cu ]] && [[ ! -e /dev/nvidia0 ]]; then
    # Without a GPU a CUDA MP can be compiled but not run.
    nvcc=$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)
    if [[ -x "$nvcc" ]]; then
      "$nvcc" -std=c++17 $("$wbtool" --cache "$demo_cache" libwb --cflags) -c "$solution" -o "$demo_cache/cuda.o"
      echo "compiles with $nvcc; running it needs a GPU, and this machine has none"
    else
      echo "skipped: the CUDA toolkit (nvcc) is not installed"
    fi
    echo
    continue
  fi
  "$wbtool" --cache "$demo_cache" -q grade --local "$mp" "$solution" || status=1
  echo
done
exit $status
