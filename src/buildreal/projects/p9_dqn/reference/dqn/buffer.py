"""A fixed-size replay buffer: a ring of preallocated arrays, uniform sampling."""

from __future__ import annotations

import numpy as np
import torch


class ReplayBuffer:
    """Holds the last ``capacity`` transitions; once full, each new one overwrites the
    oldest. ``sample`` draws indices uniformly (with replacement) from what is stored."""

    def __init__(self, capacity: int, obs_dim: int, seed: int = 0) -> None:
        self.capacity = capacity
        self.obs = np.zeros((capacity, obs_dim), dtype=np.float32)
        self.next_obs = np.zeros((capacity, obs_dim), dtype=np.float32)
        self.actions = np.zeros(capacity, dtype=np.int64)
        self.rewards = np.zeros(capacity, dtype=np.float32)
        self.terminated = np.zeros(capacity, dtype=np.float32)
        self.pos = 0  # where the next transition goes: the oldest slot once full
        self.size = 0
        self.rng = np.random.default_rng(seed)

    def __len__(self) -> int:
        return self.size

    def add(self, obs: np.ndarray, action: int, reward: float, next_obs: np.ndarray,
            terminated: bool) -> None:
        i = self.pos
        self.obs[i], self.next_obs[i] = obs, next_obs
        self.actions[i], self.rewards[i], self.terminated[i] = action, reward, float(terminated)
        self.pos = (self.pos + 1) % self.capacity
        self.size = min(self.size + 1, self.capacity)

    def sample(self, batch_size: int) -> dict[str, torch.Tensor]:
        idx = self.rng.integers(0, self.size, size=batch_size)
        return {
            "obs": torch.from_numpy(self.obs[idx]),  # (B, obs_dim)
            "actions": torch.from_numpy(self.actions[idx]),  # (B,)
            "rewards": torch.from_numpy(self.rewards[idx]),  # (B,)
            "next_obs": torch.from_numpy(self.next_obs[idx]),  # (B, obs_dim)
            "terminated": torch.from_numpy(self.terminated[idx]),  # (B,) 1.0 = ended
        }
