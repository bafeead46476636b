"""The Q-network, exploration and the TD target."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn


class QNetwork(nn.Module):
    """An MLP from an observation (B, obs_dim) to one Q-value per action (B, n_actions)."""

    def __init__(self, obs_dim: int, n_actions: int, hidden: int = 128) -> None:
        super().__init__()
        # TODO 4: two hidden layers of `hidden` units with ReLU.
        raise NotImplementedError("QNetwork.__init__")

    def forward(self, obs: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("QNetwork.forward")


def epsilon_at(step: int, start: float, end: float, decay_steps: int) -> float:
    """Exploration rate at ``step``: from ``start`` down to ``end`` over ``decay_steps``."""
    # TODO 5: a linear schedule, flat at `end` afterwards.
    raise NotImplementedError("epsilon_at")


def select_action(q_net: nn.Module, obs: np.ndarray, epsilon: float,
                  rng: np.random.Generator) -> int:
    """Epsilon-greedy action for one observation (obs_dim,)."""
    # TODO 6: with probability epsilon a uniform random action (use rng), otherwise the
    #         argmax of Q over the actions, computed without gradient.
    raise NotImplementedError("select_action")


def td_target(rewards: torch.Tensor, next_obs: torch.Tensor, terminated: torch.Tensor,
              target_net: nn.Module, gamma: float,
              online_net: nn.Module | None = None) -> torch.Tensor:
    """The TD target (B,); with ``online_net`` given, the Double DQN target."""
    # TODO 7: r + gamma * (1 - terminated) * Q_target(s', a*), where a* is the target
    #         network's argmax (or the online network's, for Double DQN). No gradient.
    raise NotImplementedError("td_target")


def dqn_loss(q_net: nn.Module, target_net: nn.Module, batch: dict[str, torch.Tensor],
             gamma: float, double: bool = False) -> torch.Tensor:
    """Huber loss between Q(s, a) of the actions taken and the TD target."""
    # TODO 8: gather Q at batch["actions"], compare with td_target, smooth L1 loss.
    raise NotImplementedError("dqn_loss")
