"""The DQN training loop on a gymnasium environment (CartPole-v1 by default)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import gymnasium as gym
import numpy as np
import torch
from torch import nn

from .agent import QNetwork, dqn_loss, epsilon_at, select_action
from .buffer import ReplayBuffer


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
    with torch.no_grad():
        for t, o in zip(target_net.parameters(), q_net.parameters(), strict=True):
            t.mul_(1.0 - tau).add_(o, alpha=tau)


def _cartpole() -> gym.Env:
    return gym.make("CartPole-v1")


def train_dqn(config: DQNConfig, make_env: Callable[[], gym.Env] | None = None,
              on_episode: Callable[[int, float, int], None] | None = None,
              on_log: Callable[[int, nn.Module], bool] | None = None) -> TrainResult:
    """Train for ``config.total_steps`` environment steps; ``history`` holds each
    episode's return and final step, and epsilon and the mean Q(s, a) over time.
    ``on_log(step, q_net)`` runs every ``log_every`` steps; returning True stops early."""
    torch.manual_seed(config.seed)
    rng = np.random.default_rng(config.seed)
    env = (make_env or _cartpole)()
    obs_dim = int(np.prod(env.observation_space.shape))
    n_actions = int(env.action_space.n)
    q_net = QNetwork(obs_dim, n_actions, config.hidden)
    target_net = QNetwork(obs_dim, n_actions, config.hidden)
    target_net.load_state_dict(q_net.state_dict())
    optimizer = torch.optim.Adam(q_net.parameters(), lr=config.lr)
    buffer = ReplayBuffer(config.buffer_size, obs_dim, seed=config.seed)
    history: dict[str, list[float]] = {"episode_return": [], "episode_end_step": [],
                                       "log_step": [], "epsilon": [], "q_mean": [],
                                       "loss": []}
    obs, _ = env.reset(seed=config.seed)
    episode_return, q_seen, loss_seen = 0.0, [], []
    for step in range(config.total_steps):
        eps = epsilon_at(step, config.eps_start, config.eps_end, config.eps_decay_steps)
        action = select_action(q_net, obs, eps, rng)
        next_obs, reward, terminated, truncated, _ = env.step(action)
        # only a real ending stops bootstrapping; a time-limit cut does not
        buffer.add(obs, action, float(reward), next_obs, terminated)
        episode_return += float(reward)
        obs = next_obs
        if terminated or truncated:
            history["episode_return"].append(episode_return)
            history["episode_end_step"].append(step + 1)
            if on_episode is not None:
                on_episode(len(history["episode_return"]), episode_return, step + 1)
            episode_return = 0.0
            obs, _ = env.reset()
        if step >= config.learning_starts and step % config.train_every == 0:
            batch = buffer.sample(config.batch_size)
            loss = dqn_loss(q_net, target_net, batch, config.gamma, config.double)
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(q_net.parameters(), config.grad_clip)
            optimizer.step()
            loss_seen.append(loss.item())
            with torch.no_grad():
                q_seen.append(q_net(batch["obs"]).max(dim=1).values.mean().item())
        if step >= config.learning_starts and step % config.target_every == 0:
            sync_target(target_net, q_net, config.tau)
        if (step + 1) % config.log_every == 0:
            history["log_step"].append(step + 1)
            history["epsilon"].append(eps)
            history["q_mean"].append(float(np.mean(q_seen)) if q_seen else 0.0)
            history["loss"].append(float(np.mean(loss_seen)) if loss_seen else 0.0)
            q_seen, loss_seen = [], []
            if on_log is not None and on_log(step + 1, q_net):
                break
    env.close()
    return TrainResult(q_net, target_net, history)
