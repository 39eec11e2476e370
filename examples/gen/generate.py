#!/usr/bin/env python3
"""Generate the datasets of the example MPs in examples/mps/.

Deterministic: every dataset draws from its own random.Random(seed), so

    python3 examples/gen/generate.py

rewrites every datasets/ directory byte for byte the same. Only the Python
standard library is used.

    --check      write nothing; exit 1 if a file on disk differs from what
                 would be generated (or is missing, or is extra)
    --out DIR    write the bundles' datasets under DIR instead of examples/mps
    --only ID    only this MP (may be repeated)

File formats are libwb's: a vector is "N\\n" then one value per line; a matrix
is "R C\\n" then one row per line, values separated by one space. Floats are
float32 values written with '%.9g', which reads back to the same float32.
Expected outputs are computed so that a correct float32 program matches them
to within the tolerance in the bundle's mp.toml:

- vecadd / vecadd-cuda: a and b are float32, so a + b in a Python double is
  exact and rounding it to float32 gives exactly what a float32 addition gives.
- matmul: each product of two float32 values is exact in a double; the sum is
  taken in doubles and rounded to float32 once. A program that accumulates in
  float32 differs by rounding only, which the tolerance covers.
- histogram: integers, exact.
- grayscale: binary PPM in (P6), PGM out (P5); each grey byte is
  round(255 * (0.21 r + 0.72 g + 0.07 b)) with r, g, b = byte / 255, as
  libwb writes a float value v (the byte round(v * 255)). A float32 program
  may land one level away near a half level, which the tolerance covers.
"""

import argparse
import os
import random
import shutil
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MPS_DIR = os.path.normpath(os.path.join(HERE, "..", "mps"))


def f32(x):
    """Round a Python float to the nearest float32 (returned as a float)."""
    return struct.unpack("<f", struct.pack("<f", x))[0]


def fmt_float(x):
    return "%.9g" % x


def vector_text(values, fmt):
    lines = ["%d" % len(values)]
    lines.extend(fmt(v) for v in values)
    return ("\n".join(lines) + "\n").encode("ascii")


def matrix_text(rows, cols, values):
    assert len(values) == rows * cols
    lines = ["%d %d" % (rows, cols)]
    for r in range(rows):
        lines.append(" ".join(fmt_float(v) for v in values[r * cols:(r + 1) * cols]))
    return ("\n".join(lines) + "\n").encode("ascii")


def float_vector(rng, n, lo, hi):
    return [f32(lo + (hi - lo) * rng.random()) for _ in range(n)]


# --------------------------------------------------------------------------
# vector addition (C++ and CUDA): out[i] = in0[i] + in1[i]

def vecadd_dataset(seed, n, lo, hi):
    rng = random.Random(seed)
    a = float_vector(rng, n, lo, hi)
    b = float_vector(rng, n, lo, hi)
    out = [f32(x + y) for x, y in zip(a, b)]
    return {
        "input0.raw": vector_text(a, fmt_float),
        "input1.raw": vector_text(b, fmt_float),
        "output.raw": vector_text(out, fmt_float),
    }


VECADD = [  # (n, lo, hi)
    (1, -10.0, 10.0),          # a single element
    (16, -1.0, 1.0),
    (1000, -100.0, 100.0),
    (10007, -1000.0, 1000.0),  # prime length
    (100000, -100.0, 100.0),
]

VECADD_CUDA = [  # lengths around block sizes: 1, 255, 1024, 4097, large
    (1, -10.0, 10.0),
    (255, -1.0, 1.0),
    (1024, -100.0, 100.0),
    (4097, -100.0, 100.0),
    (131071, -100.0, 100.0),
]


# --------------------------------------------------------------------------
# dense matrix multiply: C (R x C) = A (R x K) * B (K x C)

def matmul_dataset(seed, r, k, c):
    rng = random.Random(seed)
    a = float_vector(rng, r * k, -1.0, 1.0)
    b = float_vector(rng, k * c, -1.0, 1.0)
    out = []
    for i in range(r):
        row = a[i * k:(i + 1) * k]
        for j in range(c):
            s = 0.0
            for t in range(k):
                s += row[t] * b[t * c + j]
            out.append(f32(s))
    return {
        "input0.raw": matrix_text(r, k, a),
        "input1.raw": matrix_text(k, c, b),
        "output.raw": matrix_text(r, c, out),
    }


MATMUL = [  # (R, K, C)
    (1, 1, 1),
    (2, 3, 4),
    (16, 16, 16),
    (64, 33, 17),     # odd, non-square, not a multiple of a tile
    (100, 130, 90),
    (256, 256, 256),
]


# --------------------------------------------------------------------------
# histogram: 256 bins, values in [0, 255], counts not saturated

NUM_BINS = 256


def histogram_dataset(seed, n, kind):
    rng = random.Random(seed)
    if kind == "uniform":
        values = [rng.randrange(NUM_BINS) for _ in range(n)]
    elif kind == "constant":
        v = rng.randrange(NUM_BINS)
        values = [v] * n
    elif kind == "skewed":
        # mostly a bell around 100, some bins empty, some very full
        values = []
        for _ in range(n):
            x = int(round(rng.gauss(100.0, 20.0)))
            values.append(min(NUM_BINS - 1, max(0, x)))
    elif kind == "edges":
        # only the first and last bins and their neighbours
        choices = [0, 1, NUM_BINS - 2, NUM_BINS - 1]
        values = [choices[rng.randrange(len(choices))] for _ in range(n)]
    else:
        raise ValueError(kind)
    bins = [0] * NUM_BINS
    for v in values:
        bins[v] += 1
    return {
        "input0.raw": vector_text(values, str),
        "output.raw": vector_text(bins, str),
    }


HISTOGRAM = [  # (n, kind)
    (1, "uniform"),
    (100, "constant"),
    (1000, "edges"),
    (50000, "skewed"),
    (200000, "uniform"),
]


# --------------------------------------------------------------------------
# grayscale: colour image in, grey image out, grey = 0.21 r + 0.72 g + 0.07 b

def ppm_bytes(magic, width, height, samples):
    header = ("%s\n%d %d\n255\n" % (magic, width, height)).encode("ascii")
    return header + bytes(samples)


def colour_pixels(rng, width, height, kind):
    """width * height (r, g, b) byte triples, row by row."""
    pixels = []
    for y in range(height):
        for x in range(width):
            if kind == "noise":
                pixels.append((rng.randrange(256), rng.randrange(256), rng.randrange(256)))
            elif kind == "gradient":
                r = (255 * x) // max(1, width - 1)
                g = (255 * y) // max(1, height - 1)
                pixels.append((r, g, (r + g + rng.randrange(16)) % 256))
            elif kind == "primaries":
                # bands of pure and mixed primaries, black and white
                bands = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 0),
                         (0, 255, 255), (255, 0, 255), (0, 0, 0), (255, 255, 255)]
                pixels.append(bands[(x * len(bands)) // width])
            else:
                raise ValueError(kind)
    return pixels


def grey_byte(r, g, b):
    v = 0.21 * (r / 255.0) + 0.72 * (g / 255.0) + 0.07 * (b / 255.0)
    return min(255, int(v * 255.0 + 0.5))


def grayscale_dataset(seed, width, height, kind):
    rng = random.Random(seed)
    pixels = colour_pixels(rng, width, height, kind)
    rgb = [c for p in pixels for c in p]
    grey = [grey_byte(*p) for p in pixels]
    return {
        "input0.ppm": ppm_bytes("P6", width, height, rgb),
        "output.pgm": ppm_bytes("P5", width, height, grey),
    }


GRAYSCALE = [  # (width, height, kind)
    (1, 1, "noise"),        # a single pixel
    (16, 8, "primaries"),
    (37, 23, "noise"),      # odd sizes
    (64, 48, "gradient"),
]


# --------------------------------------------------------------------------

def all_mps():
    """{mp id: [dataset files dict, ...]} for every example MP."""
    return {
        "vecadd": lambda: [vecadd_dataset(1000 + i, *p) for i, p in enumerate(VECADD)],
        "vecadd-cuda": lambda: [vecadd_dataset(2000 + i, *p) for i, p in enumerate(VECADD_CUDA)],
        "matmul": lambda: [matmul_dataset(3000 + i, *p) for i, p in enumerate(MATMUL)],
        "histogram": lambda: [histogram_dataset(4000 + i, *p) for i, p in enumerate(HISTOGRAM)],
        "grayscale": lambda: [grayscale_dataset(5000 + i, *p) for i, p in enumerate(GRAYSCALE)],
    }


def existing_files(root):
    found = set()
    if not os.path.isdir(root):
        return found
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            found.add(os.path.relpath(os.path.join(dirpath, name), root))
    return found


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--out", default=MPS_DIR)
    ap.add_argument("--only", action="append", default=[])
    opts = ap.parse_args(argv)

    mps = all_mps()
    for mp_id in opts.only:
        if mp_id not in mps:
            ap.error("unknown MP %r (known: %s)" % (mp_id, ", ".join(sorted(mps))))
    ids = opts.only or sorted(mps)

    problems = 0
    for mp_id in ids:
        datasets = mps[mp_id]()
        root = os.path.join(opts.out, mp_id, "datasets")
        wanted = {}
        for k, files in enumerate(datasets):
            for name, data in files.items():
                wanted[os.path.join(str(k), name)] = data
        total = sum(len(d) for d in wanted.values())

        if opts.check:
            on_disk = existing_files(root)
            for rel in sorted(on_disk - set(wanted)):
                print("extra:   %s" % os.path.join(root, rel))
                problems += 1
            for rel, data in sorted(wanted.items()):
                path = os.path.join(root, rel)
                if rel not in on_disk:
                    print("missing: %s" % path)
                    problems += 1
                else:
                    with open(path, "rb") as fh:
                        if fh.read() != data:
                            print("differs: %s" % path)
                            problems += 1
            continue

        # The datasets/ directory is entirely generated: start it afresh so no
        # stale dataset survives a change of the table above.
        if os.path.isdir(root):
            shutil.rmtree(root)
        for rel, data in sorted(wanted.items()):
            path = os.path.join(root, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as fh:
                fh.write(data)
        print("%-12s %d datasets, %d bytes" % (mp_id, len(datasets), total))

    if opts.check:
        if problems:
            print("%d file(s) differ from the generator" % problems)
            return 1
        print("all datasets match the generator")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
