"""Figure for Module 2, lesson 4: how big the error signal is at each layer.

Why: backpropagation multiplies the error signal by W^T and by the activation's slope
at every layer on its way down. With sigmoid units the slope is at most 0.25, so in a
deep stack the early layers receive almost nothing; ReLU with He initialisation keeps the
signal roughly constant. The script builds 20-layer networks of 64 units, runs one
forward and backward pass on a batch of random inputs with a cross-entropy loss, and
plots the size of each layer's weight gradient.

Usage: python m2_gradient_flow.py OUTPUT_PATH
"""

import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import torch  # noqa: E402

DEPTH, WIDTH = 20, 64


def layer_gradient_norms(activation: str, seed: int = 0) -> list[float]:
    torch.manual_seed(seed)
    layers = [torch.nn.Linear(WIDTH, WIDTH) for _ in range(DEPTH)]
    head = torch.nn.Linear(WIDTH, 10)
    if activation == "relu":
        for layer in layers:  # He initialisation for ReLU
            torch.nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
            torch.nn.init.zeros_(layer.bias)
    act = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu}[activation]
    h = torch.randn(256, WIDTH)  # (256, 64) a batch of inputs
    for layer in layers:
        h = act(layer(h))  # (256, 64)
    loss = torch.nn.functional.cross_entropy(head(h), torch.arange(256) % 10)
    loss.backward()
    return [layer.weight.grad.norm().item() for layer in layers]


def main(out_path: str) -> None:
    torch.set_num_threads(1)
    fig, ax = plt.subplots(figsize=(7, 4))
    for activation, colour, name in (("sigmoid", "tab:red", "sigmoid, default init"),
                                     ("tanh", "tab:orange", "tanh, default init"),
                                     ("relu", "tab:blue", "ReLU, He init")):
        norms = layer_gradient_norms(activation)
        ax.semilogy(range(1, DEPTH + 1), norms, "o-", ms=3, color=colour,
                    label=f"{name}: layer 1 / layer {DEPTH} = {norms[0] / norms[-1]:.1e}")
    ax.set_xticks([1, 5, 10, 15, 20])
    ax.set_xlabel("layer (1 = next to the input)")
    ax.set_ylabel("size of the weight gradient (log scale)")
    ax.set_title("One backward pass through 20 layers")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out_path)


if __name__ == "__main__":
    main(sys.argv[1])
