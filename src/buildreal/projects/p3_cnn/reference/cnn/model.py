"""A small convolutional network for 28x28 images (2-D) or length-40 signals (1-D).

Weight sharing is the point: the first 3x3 convolution has 9 weights per output
channel whatever the image size, where a dense layer on 784 pixels would need 784.
"""

from __future__ import annotations

import torch
from torch import nn


def _layers(dims: int) -> tuple[type[nn.Module], type[nn.Module], type[nn.Module]]:
    if dims == 2:
        return nn.Conv2d, nn.BatchNorm2d, nn.MaxPool2d
    if dims == 1:
        return nn.Conv1d, nn.BatchNorm1d, nn.MaxPool1d
    raise ValueError(f"dims must be 1 or 2, not {dims}")


class SmallCNN(nn.Module):
    """conv, pool, conv x2, pool, conv, then dropout and a linear classifier.

    Every convolution is 3x3 (3 for signals) followed by batch norm and ReLU. The one
    full-resolution layer is kept thin because it costs the most on a CPU. The receptive
    field grows 3, (pool) 4, 8, 12, (pool) 14, 22 pixels: the last layer sees most of a
    28-pixel image.
    """

    def __init__(
        self,
        num_classes: int = 10,
        in_channels: int = 1,
        width: int = 16,
        dims: int = 2,
        input_size: int = 28,
        dropout: float = 0.2,
    ) -> None:
        super().__init__()
        conv, norm, pool = _layers(dims)

        def cbr(c_in: int, c_out: int) -> list[nn.Module]:
            # bias=False: batch norm's shift makes a convolution bias redundant
            return [conv(c_in, c_out, 3, padding=1, bias=False), norm(c_out),
                    nn.ReLU(inplace=True)]

        w = width
        self.features = nn.Sequential(
            *cbr(in_channels, w), pool(2),  # (N, w, 14, 14)
            *cbr(w, 2 * w), *cbr(2 * w, 2 * w), pool(2),  # (N, 2w, 7, 7)
            *cbr(2 * w, 4 * w),  # (N, 4w, 7, 7)
        )
        spatial = (input_size // 4) ** dims  # two 2x poolings
        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(dropout),
                                  nn.Linear(4 * w * spatial, num_classes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # x: (N, C, 28, 28) or (N, C, 40) -> logits (N, num_classes)
        return self.head(self.features(x))


def build_model(
    num_classes: int = 10, *, seed: int = 0, dims: int = 2, input_size: int = 28,
    width: int = 16,
) -> SmallCNN:
    """A freshly initialised model; the same seed gives the same initial weights."""
    torch.manual_seed(seed)
    return SmallCNN(num_classes=num_classes, width=width, dims=dims, input_size=input_size)


@torch.no_grad()
def predict_proba(model: nn.Module, x: torch.Tensor, batch_size: int = 1000) -> torch.Tensor:
    """Class probabilities (N, num_classes), each row summing to one, in evaluation mode."""
    model.eval()  # batch norm uses running statistics; dropout is off
    chunks = [torch.softmax(model(x[i : i + batch_size]), dim=1)  # softmax over classes
              for i in range(0, len(x), batch_size)]
    return torch.cat(chunks)
