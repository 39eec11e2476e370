#!/usr/bin/env bash
# GPU acceptance on a machine with an NVIDIA GPU, through the real wbtool
# binary: gpu-check; the CUDA example graded end to end (cold, then with
# libwb.o cached) against a bare nvcc compile; a kernel that writes out of
# bounds (runtime_error with the CUDA error); an endless kernel (time_limit);
# gpu-check again afterwards; the system calls the CUDA runtime makes beyond
# the cuda profile (--audit-syscalls); and a server whose worker checks its
# GPU and grades a CUDA submission made with `wbtool submit --wait`.
#
# usage: WBTOOL=path/to/wbtool scripts/gpu-acceptance.sh [OUT_DIR]
# Prints everything; writes the JSON reports into OUT_DIR (default: a
# temporary directory). Exit status: 0 when every step gave what it should.
set -u
cd "$(dirname "$0")/.."
W=${WBTOOL:-build/cmd/wbtool}
OUTDIR=${1:-$(mktemp -d)}
mkdir -p "$OUTDIR"
MP=examples/mps/vecadd-cuda
PROGRAMS=tests/e2e/programs
T=$(mktemp -d "$PWD/.gpu-acceptance.XXXXXX") # not under /tmp: the sandbox has its own
trap 'rm -rf "$T"' EXIT
export PATH=/usr/local/cuda/bin:$PATH
failures=0
expect() { # expect WHAT ACTUAL WANTED
    if [ "$2" = "$3" ]; then echo "ok: $1 ($2)"; else echo "FAILED: $1: got '$2', wanted '$3'"; failures=$((failures + 1)); fi
}
field() { python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$@"; }

echo "== machine"
nvidia-smi -L; head -1 /proc/driver/nvidia/version; nvcc --version | tail -1; nproc
ls -l /dev/nvidia*; ldconfig -p | grep -E 'libcuda\.so\.1|ptxjit' || true

echo "== gpu-check"
$W gpu-check; expect "gpu-check exit" $? 0
$W gpu-check --json > "$OUTDIR/gpu-check.json"

echo "== the reference solution, cold cache, then a second program with libwb.o cached"
/usr/bin/time -f "grade wall %e s, user %U s" $W --cache "$T/cache" grade --local $MP $MP/solution.cu
expect "solution exit" $? 0
{ cat $MP/solution.cu; echo "// another program"; } > "$T/solution2.cu"
/usr/bin/time -f "grade wall %e s, user %U s" $W --cache "$T/cache" grade --local $MP "$T/solution2.cu" --json > "$OUTDIR/solution.json"
expect "second solution verdict" "$(field "$OUTDIR/solution.json" 'j["verdict"]')" correct
field "$OUTDIR/solution.json" '[(d["index"], d["cpu_s"], d["max_rss_kib"], d["timers_ms"]) for d in j["datasets"]]'
field "$OUTDIR/solution.json" '"program compile (libwb.o cached): %s s, isolation %s" % (j["compile"]["wall_s"], j["isolation"])'
$W libwb --export "$T/wb" > /dev/null
/usr/bin/time -f "bare nvcc header-only: wall %e s, user %U s" nvcc -std=c++17 -O2 -I"$T/wb" -o "$T/bare" $MP/solution.cu

echo "== a kernel that writes out of bounds"
$W --cache "$T/cache" grade --local $MP $PROGRAMS/cuda_out_of_bounds.cu --dataset 1 --json > "$OUTDIR/out_of_bounds.json"
expect "out of bounds verdict" "$(field "$OUTDIR/out_of_bounds.json" 'j["datasets"][0]["verdict"]')" runtime_error
field "$OUTDIR/out_of_bounds.json" 'j["datasets"][0]["message"]'

echo "== an endless kernel"
/usr/bin/time -f "grade wall %e s" $W --cache "$T/cache" grade --local $MP $PROGRAMS/cuda_endless.cu --dataset 0 --json > "$OUTDIR/endless.json"
expect "endless verdict" "$(field "$OUTDIR/endless.json" 'j["datasets"][0]["verdict"]')" time_limit
field "$OUTDIR/endless.json" 'j["datasets"][0]["message"]'

echo "== gpu-check after them"
$W gpu-check; expect "gpu-check after exit" $? 0

echo "== system calls beyond the cuda profile (audit)"
D=$PWD/$MP/datasets/1
mkdir -p "$T/audit"
$W sandbox --profile cuda --audit-syscalls --memory-limit 4096 --time-limit 20 --bind "$T/bare" --bind "$D" \
    --workdir "$T/audit" -- "$T/bare" -i "$D/input0.raw,$D/input1.raw" -e "$D/output.raw" -t vector

echo "== a server whose worker checks its GPU, and a CUDA submission"
export XDG_CONFIG_HOME=$T/config
$W --data "$T/data" mp import $MP > /dev/null
$W --data "$T/data" --cache "$T/scache" serve --listen 127.0.0.1:18471 --worker-min-isolation rlimits \
    > "$T/serve.log" 2>&1 &
serve=$!
for _ in $(seq 50); do curl -sf http://127.0.0.1:18471/healthz > /dev/null 2>&1 && break; sleep 0.2; done
echo "student-password-1" | $W signup --server http://127.0.0.1:18471 --user student1 --password-stdin
timeout 180 $W submit vecadd-cuda $MP/solution.cu --wait
expect "submit --wait exit" $? 0
kill -TERM $serve; wait $serve
grep -E "GPU|registered" "$T/serve.log" | head -5

if [ -x bench/libwb_compile ] && [ -n "${BENCH_BUILD:-}" ]; then
    echo "== bench/libwb_compile"
    timeout 240 bench/libwb_compile "$BENCH_BUILD" 3
fi

echo "== $failures failed"
[ "$failures" -eq 0 ]
