#!/usr/bin/env python3
"""numpy's sgemm (OpenBLAS), one thread, on the GEMM shapes of `bench --suite gemm`.

Prints GFLOP/s per shape, the median of several timed runs, under the same shape names as the bench's
GEMM table (GemmShape), so the two tables can sit side by side:

    python3 bench/scripts/numpy_gemm.py                 # the GEMM suite's shapes
    python3 bench/scripts/numpy_gemm.py --shapes square512,conv2_fwd --repeats 9 --markdown

What runs: numpy.matmul on float32 arrays, which calls OpenBLAS's cblas_sgemm with the transpose flags
of the views (no copies). Shapes that the layers accumulate (beta = 1, the weight gradients) are timed as
C = A*B: numpy has no accumulating product, and the extra m*n additions are not counted in GFLOP/s
either way.

The environment is fixed here, before numpy loads OpenBLAS, because OpenBLAS reads it only then:
OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are removed (a forced core type or L2 size can halve its speed)
and one thread is asked for. The header says which OpenBLAS ran, its core and its thread count.
"""
import os

for _name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
    os.environ.pop(_name, None)
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"

import argparse  # noqa: E402  (numpy must load after the environment is set)
import ctypes  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

# name, transA, transB, m, n, k, beta: as bench/src/main/java/dev/lenet5/bench/GemmShape.java (a test compares them)
SHAPES = [
    ("square512", False, False, 512, 512, 512, 0.0),
    ("conv1_fwd", False, False, 6, 120 * 784, 25, 0.0),
    ("conv1_wgrad", False, True, 6, 25, 120 * 784, 1.0),
    ("conv1_igrad", True, False, 25, 120 * 784, 6, 0.0),
    ("conv2_fwd", False, False, 16, 120 * 100, 150, 0.0),
    ("conv2_wgrad", False, True, 16, 150, 120 * 100, 1.0),
    ("conv2_igrad", True, False, 150, 120 * 100, 16, 0.0),
    ("fc1_fwd", False, True, 120, 120, 400, 0.0),
    ("fc1_wgrad", True, False, 120, 400, 120, 1.0),
    ("fc1_igrad", False, False, 120, 400, 120, 0.0),
    ("fc2_fwd", False, True, 120, 84, 120, 0.0),
    ("fc2_wgrad", True, False, 84, 120, 120, 1.0),
    ("fc2_igrad", False, False, 120, 120, 84, 0.0),
    ("fc3_fwd", False, True, 120, 10, 84, 0.0),
    ("fc3_wgrad", True, False, 10, 84, 120, 1.0),
    ("fc3_igrad", False, False, 120, 84, 10, 0.0),
    ("conv1_fwd_b1", False, False, 6, 784, 25, 0.0),
    ("conv1_wgrad_b1", False, True, 6, 25, 784, 1.0),
    ("conv2_fwd_b1", False, False, 16, 100, 150, 0.0),
    ("conv2_wgrad_b1", False, True, 16, 150, 100, 1.0),
    ("conv2_igrad_b1", True, False, 150, 100, 16, 0.0),
    ("odd", False, False, 127, 257, 131, 0.0),
]

# GemmBenchmark's default shapes: what `bench --suite gemm` runs (a test compares them)
SUITE = ["square512",
         "conv1_fwd", "conv1_wgrad", "conv1_igrad",
         "conv2_fwd", "conv2_wgrad", "conv2_igrad",
         "fc1_fwd", "fc1_wgrad", "fc1_igrad",
         "fc2_fwd", "fc2_wgrad", "fc2_igrad",
         "fc3_fwd", "fc3_wgrad", "fc3_igrad",
         "odd"]


def describe(shape):
    """`16x12000x150 NN`, as GemmShape.describe() writes it."""
    name, trans_a, trans_b, m, n, k, beta = shape
    return f"{m}x{n}x{k} {'T' if trans_a else 'N'}{'T' if trans_b else 'N'}"


def operands(shape, rng):
    """A and B stored as the layers store them (transposed operands as their transpose), as views for matmul."""
    name, trans_a, trans_b, m, n, k, beta = shape
    a = rng.uniform(-1, 1, size=(k, m) if trans_a else (m, k)).astype(np.float32)
    b = rng.uniform(-1, 1, size=(n, k) if trans_b else (k, n)).astype(np.float32)
    return (a.T if trans_a else a), (b.T if trans_b else b), np.empty((m, n), dtype=np.float32)


def seconds_per_call(a, b, c, min_seconds):
    """Times batches of calls of at least min_seconds; returns seconds per call of one batch."""
    calls = 1
    while True:
        start = time.perf_counter()
        for _ in range(calls):
            np.matmul(a, b, out=c)
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds:
            return elapsed / calls
        calls = max(calls * 2, int(calls * min_seconds / max(elapsed, 1e-9)) + 1)


def measure(shape, repeats, min_seconds, rng):
    a, b, c = operands(shape, rng)
    reference = a.astype(np.float64) @ b.astype(np.float64)
    np.matmul(a, b, out=c)
    scale = float(np.abs(reference).max()) or 1.0
    if not np.allclose(c, reference, rtol=0, atol=1e-4 * scale * max(1, shape[5]) ** 0.5):
        sys.exit(f"error: numpy's product for {shape[0]} differs from the double-precision one")
    seconds_per_call(a, b, c, min_seconds)  # warm-up: page faults, OpenBLAS's buffers
    flops = 2.0 * shape[3] * shape[4] * shape[5]
    gflops = [flops / seconds_per_call(a, b, c, min_seconds) / 1e9 for _ in range(repeats)]
    return statistics.median(gflops), min(gflops), max(gflops)


def openblas_runtime():
    """OpenBLAS's own account of itself (config, core, threads), threadpoolctl-free: asks the loaded library."""
    paths = set()
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                path = line.split()[-1]
                if "openblas" in os.path.basename(path).lower() and ".so" in path:
                    paths.add(path)
    except OSError:
        return None
    for path in sorted(paths):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        found = {}
        for what, restype in (("get_config", ctypes.c_char_p), ("get_corename", ctypes.c_char_p),
                              ("get_num_threads", ctypes.c_int)):
            for prefix in ("", "scipy_"):
                for suffix in ("", "64_"):
                    fn = getattr(lib, f"{prefix}openblas_{what}{suffix}", None)
                    if fn is not None and what not in found:
                        fn.restype = restype
                        value = fn()
                        found[what] = value.decode() if isinstance(value, bytes) else value
        if found:
            return path, found
    return None


def header(args):
    lines = [f"numpy {np.__version__}, Python {platform.python_version()}, {platform.machine()}"]
    blas = getattr(np, "__config__", None)
    config = getattr(blas, "CONFIG", None) if blas is not None else None
    if config and "Build Dependencies" in config:
        b = config["Build Dependencies"].get("blas", {})
        lines.append(f"BLAS (build): {b.get('name')} {b.get('version')}; {b.get('openblas configuration', '')}".strip())
    runtime = openblas_runtime()
    if runtime:
        path, found = runtime
        lines.append(f"OpenBLAS (run): {found.get('get_config', '?')}; core {found.get('get_corename', '?')};"
                     f" {found.get('get_num_threads', '?')} thread(s); {os.path.basename(path)}")
    else:
        lines.append("OpenBLAS (run): not found among the loaded libraries (numpy.show_config() below says what it has)")
    lines.append("environment: OPENBLAS_NUM_THREADS=1, OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset")
    lines.append(f"GFLOP/s of numpy.matmul (sgemm), median of {args.repeats} runs of at least {args.time} s each"
                 " (min-max in brackets); beta=1 shapes timed as C = A*B")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shapes", default=",".join(SUITE),
                        help="comma-separated shape names (default: the GEMM suite's); 'all' for every GemmShape")
    parser.add_argument("--repeats", type=int, default=7, help="timed runs per shape (default: 7)")
    parser.add_argument("--time", type=float, default=0.3, help="least seconds per timed run (default: 0.3)")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--show-config", action="store_true", help="also print numpy.show_config()")
    args = parser.parse_args()
    by_name = {s[0]: s for s in SHAPES}
    names = list(by_name) if args.shapes == "all" else [n.strip() for n in args.shapes.split(",") if n.strip()]
    unknown = [n for n in names if n not in by_name]
    if unknown:
        parser.error(f"unknown shape {unknown[0]!r}; known: {', '.join(by_name)}")
    if args.repeats < 1 or args.time <= 0:
        parser.error("--repeats must be at least 1 and --time positive")

    for line in header(args):
        print(line + ("  " if args.markdown else ""))  # two spaces: a line break in Markdown
    if args.show_config:
        np.show_config()
        if hasattr(np, "show_runtime"):
            np.show_runtime()
    print()
    rng = np.random.default_rng(42)
    if args.markdown:
        print("| shape (M x N x K, op) | numpy sgemm GFLOP/s | min-max |")
        print("| --- | --- | --- |")
    else:
        print(f"{'shape':<16} {'m x n x k':<18} {'GFLOP/s':>9}  {'min-max':>15}")
    for name in names:
        shape = by_name[name]
        median, low, high = measure(shape, args.repeats, args.time, rng)
        if args.markdown:
            print(f"| {name} {describe(shape)} | {median:.2f} | {low:.2f}-{high:.2f} |")
        else:
            print(f"{name:<16} {describe(shape):<18} {median:9.2f}  {f'({low:.2f}-{high:.2f})':>15}", flush=True)


if __name__ == "__main__":
    main()
