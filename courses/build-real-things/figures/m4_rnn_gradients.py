"""Figure for Module 4, lesson 2: how far back a gradient reaches in an RNN and an LSTM.

Why: "vanishing gradients" is easiest to believe when measured. A seeded vanilla tanh RNN
and an LSTM of the same width read the same random sequence of 100 steps; the loss is a
function of the last hidden state only, and autograd gives the gradient of that loss
with respect to the input at every earlier step. Its size says how much step t can still
influence learning at the end. Both networks use PyTorch's default initialisation,
untrained.

Usage: python m4_rnn_gradients.py OUTPUT_PATH
"""

import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

STEPS, WIDTH = 100, 64


def input_gradient_norms(cell: nn.Module) -> list[float]:
    """Norm of d(loss)/d(input at step t) for t = 0..STEPS-1; loss = sum of last output."""
    torch.manual_seed(1)
    x = torch.randn(1, STEPS, WIDTH, requires_grad=True)   # (batch, time, features)
    out, _ = cell(x)                                        # (1, STEPS, WIDTH)
    out[:, -1].sum().backward()
    return x.grad[0].norm(dim=1).tolist()                   # (STEPS,)


def main(out_path: str) -> None:
    torch.manual_seed(0)
    rnn = nn.RNN(WIDTH, WIDTH, batch_first=True)
    torch.manual_seed(0)
    lstm = nn.LSTM(WIDTH, WIDTH, batch_first=True)
    lstm.bias_hh_l0.data[WIDTH:2 * WIDTH] = 1.0   # forget-gate bias 1, a common setting
    curves = {"vanilla RNN (tanh)": input_gradient_norms(rnn),
              "LSTM (forget bias 1)": input_gradient_norms(lstm)}
    fig, ax = plt.subplots(figsize=(8, 3.8))
    for label, norms in curves.items():
        steps_back = [STEPS - 1 - t for t in range(STEPS)]
        ax.semilogy(steps_back, norms, label=f"{label}: {norms[STEPS - 21]:.1e} at 20 back")
    ax.set_xlabel("steps before the end of the sequence")
    ax.set_ylabel("gradient norm w.r.t. that step's input")
    ax.set_title("Influence of earlier steps on the last output's gradient (untrained, seeded)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out_path)


if __name__ == "__main__":
    main(sys.argv[1])
