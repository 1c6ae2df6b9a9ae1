#!/usr/bin/env python3
"""Writes a LeNet-5 golden file for GoldenTest: PyTorch's logits, loss, gradients and one Adam step.

The tests never run this script; it documents how lenet5-golden.safetensors is made and makes files for other
batches and weights. It needs PyTorch (1.13 or newer; on Debian: apt-get install python3-torch) and nothing else:
it reads MNIST from the repository's data/mnist and writes the safetensors format itself.

    # the first 32 training images, weights drawn with torch.manual_seed(7):
    python3 nn-layers/src/test/resources/golden/make_golden.py --images 32 --seed 7 --out /tmp/golden-32.safetensors
    # the committed file again (its weights, the first 8 images), to check this script against it:
    python3 nn-layers/src/test/resources/golden/make_golden.py --images 8 \
        --weights-from nn-layers/src/test/resources/golden/lenet5-golden.safetensors --out /tmp/golden-8.safetensors
    # then the Java checks on it:
    ./mvnw -B -pl nn-layers -am test -Dlenet5.golden=/tmp/golden-32.safetensors

Everything is computed in float64 from the float32 inputs and weights and rounded to float32 once, so the file
holds the exact result of the network's arithmetic to float32 precision, not one float32 summation order.
"""

import argparse
import gzip
import json
import pathlib
import struct

import torch
import torch.nn.functional as F

REPO = pathlib.Path(__file__).resolve().parents[5]
PARAMS = [("conv1.weight", (6, 1, 5, 5)), ("conv1.bias", (6,)), ("conv2.weight", (16, 6, 5, 5)),
          ("conv2.bias", (16,)), ("fc1.weight", (120, 400)), ("fc1.bias", (120,)), ("fc2.weight", (84, 120)),
          ("fc2.bias", (84,)), ("fc3.weight", (10, 84)), ("fc3.bias", (10,))]
LR, BETAS, EPS = 1e-3, (0.9, 0.999), 1e-8


def read_idx(path, magic, count):
    with gzip.open(path, "rb") as f:
        header = f.read(8 if magic == 0x801 else 16)
        if struct.unpack(">I", header[:4])[0] != magic:
            raise SystemExit(f"{path}: not an IDX file of the expected kind")
        item = 1 if magic == 0x801 else 28 * 28
        data = f.read(count * item)
        if len(data) != count * item:
            raise SystemExit(f"{path} holds fewer than {count} items")
        return data


def mnist_batch(data_dir, count):
    """The first `count` training images as LeNet5.INPUT: [0,1] in float32, zero-padded 28x28 -> 32x32."""
    pixels = read_idx(data_dir / "train-images-idx3-ubyte.gz", 0x803, count)
    labels = read_idx(data_dir / "train-labels-idx1-ubyte.gz", 0x801, count)
    images = torch.tensor(list(pixels), dtype=torch.float32).reshape(count, 1, 28, 28) / 255
    return F.pad(images, (2, 2, 2, 2)), torch.tensor(list(labels), dtype=torch.int64)


def read_safetensors(path):
    raw = pathlib.Path(path).read_bytes()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        if entry["dtype"] != "F32":
            raise SystemExit(f"{path}: {name} is {entry['dtype']}, expected F32")
        start, end = entry["data_offsets"]
        values = struct.unpack(f"<{(end - start) // 4}f", raw[8 + n + start:8 + n + end])
        out[name] = torch.tensor(values, dtype=torch.float32).reshape(entry["shape"])
    return out


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        data = t.detach().to(torch.float32).contiguous().flatten().tolist()
        blob = struct.pack(f"<{len(data)}f", *data)
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)   # keeps the data 8-byte aligned, as the safetensors library does
    pathlib.Path(path).write_bytes(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def initial_weights(seed):
    """PyTorch's default initialisation of the same layers, as float32 (what the file stores)."""
    torch.manual_seed(seed)
    layers = {"conv1": torch.nn.Conv2d(1, 6, 5), "conv2": torch.nn.Conv2d(6, 16, 5), "fc1": torch.nn.Linear(400, 120),
              "fc2": torch.nn.Linear(120, 84), "fc3": torch.nn.Linear(84, 10)}
    return {f"{layer}.{kind}": getattr(module, kind).detach().to(torch.float32).clone()
            for layer, module in layers.items() for kind in ("weight", "bias")}


def lenet5(x, p):
    # Max-pool ties: PyTorch's kernel keeps the first maximum of each window in row-major order.
    x = F.max_pool2d(F.relu(F.conv2d(x, p["conv1.weight"], p["conv1.bias"])), 2)
    x = F.max_pool2d(F.relu(F.conv2d(x, p["conv2.weight"], p["conv2.bias"])), 2)
    x = x.flatten(1)   # (C, H, W) order
    x = F.relu(F.linear(x, p["fc1.weight"], p["fc1.bias"]))
    x = F.relu(F.linear(x, p["fc2.weight"], p["fc2.bias"]))
    return F.linear(x, p["fc3.weight"], p["fc3.bias"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--images", type=int, default=8, help="the first N MNIST training images (default 8)")
    parser.add_argument("--seed", type=int, default=0, help="torch.manual_seed for the weights (default 0)")
    parser.add_argument("--weights-from", help="take the weights from this golden file instead")
    parser.add_argument("--data", default=str(REPO / "data" / "mnist"), help="MNIST directory (default: the repo's)")
    parser.add_argument("--out", required=True, help="the safetensors file to write")
    args = parser.parse_args()

    images, labels = mnist_batch(pathlib.Path(args.data), args.images)
    if args.weights_from:
        stored = read_safetensors(args.weights_from)
        weights = {name: stored[name] for name, _ in PARAMS}
    else:
        weights = initial_weights(args.seed)
    for name, shape in PARAMS:
        if tuple(weights[name].shape) != shape:
            raise SystemExit(f"{name} has shape {tuple(weights[name].shape)}, expected {shape}")

    x = images.to(torch.float64).requires_grad_()
    p = {name: w.to(torch.float64).requires_grad_() for name, w in weights.items()}
    logits = lenet5(x, p)
    loss = F.cross_entropy(logits, labels)
    loss.backward()

    # One Adam step from zero moments with PyTorch's own optimiser, on the float64 gradients.
    stepped = {name: t.detach().clone().requires_grad_() for name, t in p.items()}
    for name, t in stepped.items():
        t.grad = p[name].grad.clone()
    adam = torch.optim.Adam(list(stepped.values()), lr=LR, betas=BETAS, eps=EPS)
    adam.step()

    out = {"input": images, "labels": labels.to(torch.float32)}
    out.update({name: weights[name] for name, _ in PARAMS})
    out["logits"] = logits
    out["loss"] = loss.reshape(1)
    out.update({f"grad.{name}": p[name].grad for name, _ in PARAMS})
    out["grad.input"] = x.grad
    out.update({f"adam1.{name}": stepped[name] for name, _ in PARAMS})
    write_safetensors(args.out, out)
    print(f"{args.out}: {args.images} images, loss {loss.item():.6f}")


if __name__ == "__main__":
    main()
