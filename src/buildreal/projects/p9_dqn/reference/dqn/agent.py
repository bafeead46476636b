"""The Q-network, exploration and the TD target: the parts of DQN that are pure math."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F


class QNetwork(nn.Module):
    """An MLP from an observation to one Q-value per action."""

    def __init__(self, obs_dim: int, n_actions: int, hidden: int = 128) -> None:
        super().__init__()
        self.net = nn.Sequential(nn.Linear(obs_dim, hidden), nn.ReLU(),
                                 nn.Linear(hidden, hidden), nn.ReLU(),
                                 nn.Linear(hidden, n_actions))

    def forward(self, obs: torch.Tensor) -> torch.Tensor:
        return self.net(obs)  # (B, obs_dim) -> (B, n_actions)


def epsilon_at(step: int, start: float, end: float, decay_steps: int) -> float:
    """Linear decay from ``start`` to ``end`` over ``decay_steps`` steps, then flat."""
    fraction = min(step / max(decay_steps, 1), 1.0)
    return start + fraction * (end - start)


def select_action(q_net: nn.Module, obs: np.ndarray, epsilon: float,
                  rng: np.random.Generator) -> int:
    """Epsilon-greedy: a uniformly random action with probability epsilon, else argmax Q."""
    if rng.random() < epsilon:
        return int(rng.integers(q_net_actions(q_net, obs)))
    with torch.no_grad():
        q = q_net(torch.as_tensor(obs, dtype=torch.float32)[None])  # (1, n_actions)
    return int(q.argmax(dim=1).item())


def q_net_actions(q_net: nn.Module, obs: np.ndarray) -> int:
    """The number of actions, read from the network's output width."""
    with torch.no_grad():
        return int(q_net(torch.as_tensor(obs, dtype=torch.float32)[None]).shape[1])


def td_target(rewards: torch.Tensor, next_obs: torch.Tensor, terminated: torch.Tensor,
              target_net: nn.Module, gamma: float,
              online_net: nn.Module | None = None) -> torch.Tensor:
    """r + gamma * (1 - terminated) * Q_target(s', a*), with a* = argmax of the target
    network, or of ``online_net`` when given (Double DQN). No gradient flows into it."""
    with torch.no_grad():
        next_q = target_net(next_obs)  # (B, n_actions)
        if online_net is None:
            best = next_q.max(dim=1).values  # (B,)
        else:
            choice = online_net(next_obs).argmax(dim=1, keepdim=True)  # (B, 1)
            best = next_q.gather(1, choice).squeeze(1)  # (B,)
        return rewards + gamma * (1.0 - terminated) * best


def dqn_loss(q_net: nn.Module, target_net: nn.Module, batch: dict[str, torch.Tensor],
             gamma: float, double: bool = False) -> torch.Tensor:
    """Huber loss between Q(s, a) for the actions taken and the TD target."""
    q = q_net(batch["obs"])  # (B, n_actions)
    q_taken = q.gather(1, batch["actions"].long()[:, None]).squeeze(1)  # (B,)
    target = td_target(batch["rewards"], batch["next_obs"], batch["terminated"], target_net,
                       gamma, online_net=q_net if double else None)
    return F.smooth_l1_loss(q_taken, target)
