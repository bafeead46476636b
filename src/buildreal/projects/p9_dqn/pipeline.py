"""The reference experiment's pieces: greedy evaluation, the frame strip of a trained
agent, and Stable-Baselines3's DQN with the rl-zoo CartPole-v1 hyperparameters."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import gymnasium as gym
import numpy as np
import torch
from torch import nn

# rl-baselines3-zoo, hyperparams/dqn.yml, CartPole-v1 (tuned for 50,000 steps there)
SB3_ZOO_CARTPOLE: dict[str, Any] = {
    "learning_rate": 2.3e-3, "batch_size": 64, "buffer_size": 100_000,
    "learning_starts": 1_000, "gamma": 0.99, "target_update_interval": 10,
    "train_freq": 256, "gradient_steps": 128, "exploration_fraction": 0.16,
    "exploration_final_eps": 0.04, "policy_kwargs": {"net_arch": [256, 256]},
}


@torch.no_grad()
def evaluate(q_net: nn.Module, episodes: int, seed: int = 10_000) -> list[float]:
    """Greedy returns over ``episodes`` CartPole-v1 episodes (seeds seed, seed+1, ...)."""
    env = gym.make("CartPole-v1")
    returns = []
    for k in range(episodes):
        obs, _ = env.reset(seed=seed + k)
        total, done = 0.0, False
        while not done:
            q = q_net(torch.as_tensor(obs, dtype=torch.float32)[None])  # (1, 2)
            obs, reward, terminated, truncated, _ = env.step(int(q.argmax(dim=1).item()))
            total += float(reward)
            done = terminated or truncated
        returns.append(total)
    env.close()
    return returns


@torch.no_grad()
def frame_strip(q_net: nn.Module, path: Path, frames: int = 8, seed: int = 0) -> int:
    """One greedy episode rendered off-screen (``rgb_array``: pygame, no display); every
    few steps a frame goes into one PNG strip. Returns the episode's length."""
    import matplotlib.pyplot as plt

    env = gym.make("CartPole-v1", render_mode="rgb_array")
    obs, _ = env.reset(seed=seed)
    shots, t, done = [env.render()], 0, False
    while not done:
        q = q_net(torch.as_tensor(obs, dtype=torch.float32)[None])
        obs, _, terminated, truncated, _ = env.step(int(q.argmax(dim=1).item()))
        t += 1
        done = terminated or truncated
        shots.append(env.render())  # (400, 600, 3) uint8
    env.close()
    pick = np.linspace(0, len(shots) - 1, frames).astype(int)
    fig, axes = plt.subplots(1, frames, figsize=(2 * frames, 1.7))
    for ax, i in zip(axes, pick, strict=True):
        ax.imshow(shots[i])
        ax.set_title(f"step {i}", fontsize=8)
        ax.axis("off")
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)
    return t


def train_sb3(steps: int, seed: int) -> tuple[Any, float, list[float], list[int]]:
    """SB3's DQN at the zoo's CartPole settings: the model, seconds, episode returns and
    the environment step at which each ended."""
    from stable_baselines3 import DQN
    from stable_baselines3.common.monitor import Monitor

    env = Monitor(gym.make("CartPole-v1"))
    model = DQN("MlpPolicy", env, seed=seed, verbose=0, device="cpu", **SB3_ZOO_CARTPOLE)
    start = time.perf_counter()
    model.learn(total_timesteps=steps)
    seconds = time.perf_counter() - start
    returns = [float(r) for r in env.get_episode_rewards()]
    ends = np.cumsum(env.get_episode_lengths()).tolist()
    return model, seconds, returns, ends


def evaluate_sb3(model: Any, episodes: int, seed: int = 10_000) -> list[float]:
    """Greedy returns of an SB3 model, on the same episode seeds as ``evaluate``."""
    env = gym.make("CartPole-v1")
    returns = []
    for k in range(episodes):
        obs, _ = env.reset(seed=seed + k)
        total, done = 0.0, False
        while not done:
            action, _ = model.predict(obs, deterministic=True)
            obs, reward, terminated, truncated, _ = env.step(int(action))
            total += float(reward)
            done = terminated or truncated
        returns.append(total)
    env.close()
    return returns
