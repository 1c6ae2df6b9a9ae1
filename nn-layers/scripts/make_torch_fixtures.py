#!/usr/bin/env python3
"""Writes the PyTorch-layout fixtures of TorchFixturesTest: files that safetensors.torch.save_file wrote, and what
PyTorch itself reads from them.

The tests never run this script; it documents how nn-layers/src/test/resources/torch/ was made and makes it
again. It needs PyTorch (1.13 or newer; on Debian: apt-get install python3-torch) and the safetensors package
(pip install safetensors), and reads the first MNIST test images from the repository's data/mnist.

    python3 nn-layers/scripts/make_torch_fixtures.py [--out DIR]

Files (all written by safetensors.torch.save_file, with metadata {"format": "pt"} as PyTorch users write it):
  lenet5-f32.safetensors               model.state_dict() of a LeNet5 under torch.manual_seed(5)
  lenet5-bf16-dataparallel.safetensors nn.DataParallel(model.bfloat16()).state_dict(): "module." names, BF16
  lenet5-f16.safetensors               model.half().state_dict()
  dtypes.safetensors                   conversion cases: every F16 bit pattern, BF16 and F64 bit patterns drawn
                                       at random plus edge cases, F32 specials, a 0-d and an empty tensor
  logits.safetensors                   the first 4 MNIST test images and each model's logits (computed in float64
                                       from the float32 values PyTorch converts each file's tensors to)
  SafeTensorsFuzzTestInputs/fileBytes/torch-f16-bf16-f64
                                       a few bytes of each converted type, a seed for the safetensors fuzz harness
  expected.json                        per file and tensor: dtype, shape, the SHA-256 of the float32 values
                                       PyTorch's Tensor.float() gives (little-endian, NaNs as 0x7fc00000) and a
                                       few of those values as bit patterns; the versions that wrote them
"""

import argparse
import copy
import hashlib
import json
import pathlib
import sys

import numpy as np
import safetensors
import torch
from safetensors.torch import load_file, save_file

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from lenet5_torch import LeNet5, mnist_test_images  # noqa: E402

RESOURCES = pathlib.Path(__file__).resolve().parents[1] / "src" / "test" / "resources"
OUT = RESOURCES / "torch"
FUZZ_SEEDS = RESOURCES / "dev" / "lenet5" / "nn" / "io" / "SafeTensorsFuzzTestInputs" / "fileBytes"
META = {"format": "pt"}
CANONICAL_NAN = np.uint32(0x7FC00000)


def float32_bits(t):
    """What PyTorch reads: the tensor converted by Tensor.float(), as uint32 bit patterns (NaNs canonical)."""
    f = t.float().contiguous().numpy()
    bits = f.view(np.uint32).copy()
    bits[np.isnan(f)] = CANONICAL_NAN
    return bits.reshape(-1)


def describe(path, dtype_of):
    """The expectations for one file, from PyTorch's own reading of it (load_file, then .float())."""
    tensors = load_file(str(path))
    out = {}
    for name, t in tensors.items():
        bits = float32_bits(t)
        n = bits.size
        # First, last and a spread of indices between, so a failure shows values and not only a hash.
        picks = sorted({0, n - 1, *range(0, n, max(1, n // 61))}) if n else []
        out[name] = {
            "dtype": dtype_of[t.dtype],
            "shape": list(t.shape),
            "sha256": hashlib.sha256(bits.astype("<u4").tobytes()).hexdigest(),
            "samples": {str(i): int(bits[i]) for i in picks},
        }
    return out


def conversion_cases():
    g = torch.Generator().manual_seed(16)
    every_half = torch.arange(-32768, 32768, dtype=torch.int32).to(torch.int16).view(torch.float16)
    bf16_edges = torch.tensor([0x0000, 0x8000, 0x0001, 0x8001, 0x007F, 0x0080, 0x7F7F, 0xFF7F, 0x7F80, 0xFF80,
                               0x7FC0, 0x7F81, 0xFFFF, 0x3F80, 0xBF80], dtype=torch.int32).to(torch.int16)
    bf16_random = torch.randint(-32768, 32768, (2048,), generator=g, dtype=torch.int32).to(torch.int16)
    bf16 = torch.cat([bf16_edges, bf16_random]).view(torch.bfloat16)

    # float64: bit patterns at random (all exponents, NaNs and infinities included), values drawn around float32's
    # range and precision limits, exact ties between two floats (round half to even) and their neighbours.
    f64_random = torch.randint(-2**63, 2**63 - 1, (2048,), generator=g, dtype=torch.int64).view(torch.float64)
    f32_max, f32_tiny, f32_sub = 3.4028234663852886e38, 1.1754943508222875e-38, 1.401298464324817e-45
    edges = [0.0, -0.0, 1.0, -1.0, 0.1, 1 / 3, float("inf"), float("-inf"), float("nan"),
             f32_max, f32_max * (1 + 2**-25), f32_max * (1 + 2**-24), -f32_max * (1 + 2**-24), 1e39, -1e300,
             f32_tiny, f32_tiny * (1 - 2**-30), f32_sub, f32_sub / 2, f32_sub / 2 * (1 + 2**-40), f32_sub / 3,
             1e-50, -1e-320, 5e-324, 2.2250738585072014e-308]
    ties = []
    for k in range(64):
        base = float(torch.rand(1, generator=g, dtype=torch.float64) * 2 ** (k - 32))
        f = np.float32(base)
        half_ulp = float(np.spacing(f)) / 2
        ties += [float(f) + half_ulp, float(f) + half_ulp * (1 + 2**-30), float(f) + half_ulp * (1 - 2**-30)]
    f64 = torch.cat([torch.tensor(edges + ties, dtype=torch.float64), f64_random,
                     torch.randn(512, generator=g, dtype=torch.float64) * 1e3])
    f32 = torch.tensor([0.0, -0.0, float("inf"), float("-inf"), float("nan"), 1.401298464324817e-45,
                        3.4028234663852886e38, -1.5, 1e-40], dtype=torch.float32)
    return {
        "f16.every_bit_pattern": every_half,
        "bf16.edges_and_random": bf16,
        "f64.edges_ties_and_random": f64,
        "f32.specials": f32,
        "f32.scalar": torch.tensor(2.5),
        "f16.empty": torch.zeros(0, 3, dtype=torch.float16),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=str(OUT), help="directory to write into (default: the test resources)")
    parser.add_argument("--fuzz-seeds", default=str(FUZZ_SEEDS), help="where the fuzz seed goes")
    args = parser.parse_args()
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    torch.manual_seed(5)
    model = LeNet5().eval()
    files = {
        "lenet5-f32.safetensors": model.state_dict(),
        "lenet5-bf16-dataparallel.safetensors": torch.nn.DataParallel(copy.deepcopy(model).bfloat16()).state_dict(),
        "lenet5-f16.safetensors": copy.deepcopy(model).half().state_dict(),
        "dtypes.safetensors": conversion_cases(),
    }
    dtype_of = {torch.float32: "F32", torch.float64: "F64", torch.float16: "F16", torch.bfloat16: "BF16"}
    expected = {"torch": torch.__version__, "safetensors": safetensors.__version__, "files": {}}
    for name, tensors in files.items():
        save_file({k: v.contiguous() for k, v in tensors.items()}, str(out / name), metadata=META)
        expected["files"][name] = {"metadata": META, "tensors": describe(out / name, dtype_of)}

    # Logits of each model as PyTorch computes them from what it reads back: float64 arithmetic on the float32
    # values, so the reference carries no float32 summation order of its own.
    images, labels = mnist_test_images(4)
    logits = {"images": images, "labels": labels.to(torch.float32)}
    for name, key in [("lenet5-f32.safetensors", "f32"), ("lenet5-bf16-dataparallel.safetensors", "bf16_dataparallel"),
                      ("lenet5-f16.safetensors", "f16")]:
        state = {k.removeprefix("module."): v.float() for k, v in load_file(str(out / name)).items()}
        reference = LeNet5().double()
        reference.load_state_dict({k: v.double() for k, v in state.items()}, strict=True)
        with torch.no_grad():
            logits[f"logits.{key}"] = reference(images.double()).float()
    save_file(logits, str(out / "logits.safetensors"), metadata=META)
    (out / "expected.json").write_text(json.dumps(expected, indent=1, sort_keys=True) + "\n")

    seed = pathlib.Path(args.fuzz_seeds) / "torch-f16-bf16-f64"
    seed.parent.mkdir(parents=True, exist_ok=True)
    save_file({"h": torch.tensor([1.0, -0.0, 6.1e-5], dtype=torch.float16),
               "b": torch.tensor([3.0, float("inf")], dtype=torch.bfloat16),
               "d": torch.tensor([0.1, 1e-46], dtype=torch.float64)}, str(seed), metadata=META)
    for f in sorted(out.iterdir()):
        print(f"{f.name}: {f.stat().st_size} bytes")


if __name__ == "__main__":
    main()
