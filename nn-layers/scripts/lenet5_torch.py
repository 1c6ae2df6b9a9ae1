"""LeNet-5 as lenet5-java defines it (dev.lenet5.nn.LeNet5), as a PyTorch module, and MNIST in its input convention.

The module's attribute names give the state_dict names our model.safetensors uses, so
`model.load_state_dict(load_file("model.safetensors"), strict=True)` loads it as it is.
"""

import gzip
import pathlib
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F

REPO = pathlib.Path(__file__).resolve().parents[2]


class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)         # (N,1,32,32) -> (N,6,28,28)
        self.conv2 = nn.Conv2d(6, 16, 5)        # (N,6,14,14) -> (N,16,10,10)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):                       # x: (N,1,32,32), pixels in [0,1]
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)                 # (C,H,W) order
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)                      # logits; softmax gives the ten probabilities


def mnist_test_images(count, data_dir=REPO / "data" / "mnist"):
    """The first `count` MNIST test images in the network's input convention: 28x28 zero-padded to 32x32,
    pixel / 255 in [0,1], no mean/std normalisation; and their labels."""
    with gzip.open(pathlib.Path(data_dir) / "t10k-images-idx3-ubyte.gz", "rb") as f:
        magic, n, rows, cols = struct.unpack(">IIII", f.read(16))
        if magic != 0x803 or (rows, cols) != (28, 28) or n < count:
            raise SystemExit(f"{data_dir}: not MNIST's test images, or fewer than {count}")
        pixels = f.read(count * 28 * 28)
    with gzip.open(pathlib.Path(data_dir) / "t10k-labels-idx1-ubyte.gz", "rb") as f:
        f.read(8)
        labels = list(f.read(count))
    images = torch.tensor(list(pixels), dtype=torch.float32).reshape(count, 1, 28, 28) / 255
    return F.pad(images, (2, 2, 2, 2)), torch.tensor(labels)
