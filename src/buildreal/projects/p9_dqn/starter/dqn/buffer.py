"""A fixed-size replay buffer with uniform sampling."""

from __future__ import annotations

import numpy as np
import torch


class ReplayBuffer:
    """Holds the last ``capacity`` transitions; once full, a new one replaces the oldest."""

    def __init__(self, capacity: int, obs_dim: int, seed: int = 0) -> None:
        # TODO 1: preallocate arrays for obs, next_obs (capacity, obs_dim), actions,
        #         rewards, terminated (capacity,); keep a write position, a size and
        #         np.random.default_rng(seed) for sampling.
        self.rng = np.random.default_rng(seed)

    def __len__(self) -> int:
        raise NotImplementedError("ReplayBuffer.__len__")

    def add(self, obs: np.ndarray, action: int, reward: float, next_obs: np.ndarray,
            terminated: bool) -> None:
        # TODO 2: write at the current position, then advance it modulo capacity (so a full
        #         buffer overwrites its oldest transition).
        raise NotImplementedError("ReplayBuffer.add")

    def sample(self, batch_size: int) -> dict[str, torch.Tensor]:
        """Returns {"obs", "actions", "rewards", "next_obs", "terminated"} as tensors."""
        # TODO 3: draw batch_size indices uniformly from everything stored; index every
        #         field with the same indices.
        raise NotImplementedError("ReplayBuffer.sample")
