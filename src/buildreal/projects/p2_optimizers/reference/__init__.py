"""The reference solution of Project 2, laid out exactly as the learner's ``playground/``
package (same files, same names), so the checks can judge it like any submission."""

from .optimizers import OPTIMIZERS, SGD, Adam, AdamW, Momentum, Nesterov, Optimizer, RMSprop
from .plots import plot_paths
from .runs import DEFAULT_LR, Run, compare, comparison_rows, comparison_table, run
from .schedules import clip_grad_norm, cosine, linear_warmup, step_decay
from .surfaces import SURFACES, Surface

__all__ = [
    "DEFAULT_LR", "OPTIMIZERS", "SGD", "SURFACES", "Adam", "AdamW", "Momentum", "Nesterov",
    "Optimizer", "RMSprop", "Run", "Surface", "clip_grad_norm", "compare", "comparison_rows",
    "comparison_table", "cosine", "linear_warmup", "plot_paths", "run", "step_decay",
]
