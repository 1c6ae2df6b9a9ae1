#!/usr/bin/env python3
"""Loads one of our model.safetensors files in PyTorch and checks that it computes our logits.

PyTorch's side is the README's three lines: safetensors.torch.load_file, then load_state_dict(strict=True) on the
LeNet5 module of lenet5_torch.py (the same one the README shows). Our side is OurLogits.java beside this script,
run from source with the built jar on the class path. Both get the first N MNIST test images of data/mnist in the
network's input convention (28x28 zero-padded to 32x32, pixels / 255, no normalisation).

Needs PyTorch (1.13 or newer; Debian: apt-get install python3-torch), the safetensors package
(pip install safetensors), java on the PATH (or JAVA_HOME) and the jar (./mvnw -B -q package -DskipTests):

    python3 nn-layers/scripts/check_in_torch.py runs/quick/model.safetensors [--images 16] [--jar PATH]

Exits 0 when every logit agrees within 1e-4 of the largest, 1 otherwise.
"""

import argparse
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

import torch
from safetensors.torch import load_file, save_file

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from lenet5_torch import REPO, LeNet5, mnist_test_images  # noqa: E402


def java():
    home = os.environ.get("JAVA_HOME")
    return str(pathlib.Path(home) / "bin" / "java") if home else shutil.which("java") or "java"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("model", help="a model.safetensors that our program wrote")
    parser.add_argument("--images", type=int, default=16, help="how many MNIST test images (default 16)")
    parser.add_argument("--jar", default=os.environ.get("LENET5_JAR", str(REPO / "lenet-app" / "target" / "lenet-app.jar")),
                        help="the built lenet-app.jar (default: $LENET5_JAR or lenet-app/target/lenet-app.jar)")
    args = parser.parse_args()

    # PyTorch's side, exactly as the README shows it.
    model = LeNet5()
    model.load_state_dict(load_file(args.model), strict=True)
    model.eval()

    images, labels = mnist_test_images(args.images)
    with torch.no_grad():
        theirs = model(images)

    with tempfile.TemporaryDirectory() as tmp:
        inputs, out = pathlib.Path(tmp) / "images.safetensors", pathlib.Path(tmp) / "logits.safetensors"
        save_file({"images": images.contiguous()}, str(inputs))
        subprocess.run([java(), "--add-modules", "jdk.incubator.vector", "-cp", args.jar, str(HERE / "OurLogits.java"),
                        args.model, str(inputs), str(out)], check=True)
        ours = load_file(str(out))["logits"]

    scale = theirs.abs().max().item()
    diff = (ours - theirs).abs().max().item()
    same_digit = (ours.argmax(1) == theirs.argmax(1)).sum().item()
    correct = (theirs.argmax(1) == labels).sum().item()
    print(f"PyTorch {torch.__version__} loaded {args.model} with load_state_dict(strict=True)")
    print(f"{args.images} test images: largest logit difference {diff:.3g} (largest logit {scale:.3g}); "
          f"same digit on {same_digit}/{args.images}; PyTorch's digits correct on {correct}/{args.images}")
    if diff > 1e-4 * scale or same_digit != args.images:
        print("MISMATCH: PyTorch does not compute our logits", file=sys.stderr)
        sys.exit(1)
    print("OK: PyTorch computes our logits")


if __name__ == "__main__":
    main()
