"""A short end-to-end run of your package: 5,000 steps on CartPole-v1, then a greedy episode.

    python example_run.py
"""

from __future__ import annotations

import gymnasium as gym
import torch
from dqn import DQNConfig, plot_learning_curves, train_dqn

torch.set_num_threads(1)
result = train_dqn(DQNConfig(total_steps=5_000, learning_starts=500, eps_decay_steps=2_000,
                             target_every=200, hidden=64))
returns = result.history["episode_return"]
print(f"{len(returns)} episodes; first ten average {sum(returns[:10]) / 10:.1f}, "
      f"last ten {sum(returns[-10:]) / 10:.1f}")
plot_learning_curves([result.history], "learning_curve.png")
env = gym.make("CartPole-v1")
obs, _ = env.reset(seed=0)
total, done = 0.0, False
with torch.no_grad():
    while not done:
        action = int(result.q_net(torch.as_tensor(obs)[None]).argmax(dim=1))
        obs, reward, terminated, truncated, _ = env.step(action)
        total, done = total + reward, terminated or truncated
print(f"greedy episode return: {total:.0f}")
