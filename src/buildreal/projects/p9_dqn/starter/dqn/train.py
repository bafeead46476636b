"""The DQN training loop on a gymnasium environment (CartPole-v1 by default)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import gymnasium as gym
import numpy as np  # noqa: F401  (you will need both)
import torch  # noqa: F401
from torch import nn

from .agent import QNetwork, dqn_loss, epsilon_at, select_action  # noqa: F401
from .buffer import ReplayBuffer  # noqa: F401


@dataclass(frozen=True)
class DQNConfig:
    total_steps: int = 100_000  # environment steps
    seed: int = 0
    gamma: float = 0.99
    lr: float = 1e-3
    hidden: int = 128
    buffer_size: int = 50_000
    batch_size: int = 64
    learning_starts: int = 1_000  # random-ish steps before the first update
    train_every: int = 1
    target_every: int = 500  # steps between target updates
    tau: float = 1.0  # 1.0: hard copy; below 1: Polyak averaging at each target update
    eps_start: float = 1.0
    eps_end: float = 0.05
    eps_decay_steps: int = 10_000
    double: bool = True
    grad_clip: float = 10.0
    log_every: int = 250  # steps between epsilon / Q-value records


@dataclass
class TrainResult:
    q_net: nn.Module
    target_net: nn.Module
    history: dict[str, list[float]] = field(default_factory=dict)


def sync_target(target_net: nn.Module, q_net: nn.Module, tau: float) -> None:
    """target <- tau * online + (1 - tau) * target (tau = 1: an exact copy)."""
    raise NotImplementedError("sync_target")


def _cartpole() -> gym.Env:
    return gym.make("CartPole-v1")


def train_dqn(config: DQNConfig, make_env: Callable[[], gym.Env] | None = None,
              on_episode: Callable[[int, float, int], None] | None = None) -> TrainResult:
    """Train for ``config.total_steps`` environment steps; ``history`` holds each
    episode's return and final step, and epsilon and the mean Q(s, a) over time."""
    # TODO 9: seed torch, a NumPy generator and the environment (env.reset(seed=...) on
    #         the first reset); build the env with make_env() when given.
    # TODO 10: an online QNetwork, a target copy of it, Adam over the online network only,
    #          and a ReplayBuffer.
    # TODO 11: each step: epsilon-greedy action, env.step, store (s, a, r, s', terminated)
    #          (terminated only: a time-limit truncation is not an end), reset on either;
    #          after learning_starts, sample a batch, dqn_loss, backward, clip, step.
    # TODO 12: every target_every steps, sync_target(target_net, q_net, config.tau); log
    #          epsilon and the mean Q-value every log_every steps into history.
    raise NotImplementedError("train_dqn")
