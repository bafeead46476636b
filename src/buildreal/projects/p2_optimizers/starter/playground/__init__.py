"""Your optimizer playground. `buildreal project check p2-optimizers` imports this package."""

from .optimizers import OPTIMIZERS, SGD, Adam, AdamW, Momentum, Nesterov, RMSprop
from .plots import plot_paths
from .runs import compare, comparison_table, run
from .schedules import clip_grad_norm, cosine, linear_warmup, step_decay
from .surfaces import SURFACES

__all__ = [
    "OPTIMIZERS", "SGD", "SURFACES", "Adam", "AdamW", "Momentum", "Nesterov", "RMSprop",
    "clip_grad_norm", "compare", "comparison_table", "cosine", "linear_warmup", "plot_paths",
    "run", "step_decay",
]
