"""A deep Q-learning agent for CartPole-v1: replay buffer, target network, epsilon-greedy
exploration, Huber loss and the Double DQN target."""

from .agent import QNetwork, dqn_loss, epsilon_at, select_action, td_target
from .buffer import ReplayBuffer
from .plots import plot_learning_curves
from .train import DQNConfig, TrainResult, sync_target, train_dqn

__all__ = [
    "DQNConfig",
    "QNetwork",
    "ReplayBuffer",
    "TrainResult",
    "dqn_loss",
    "epsilon_at",
    "plot_learning_curves",
    "select_action",
    "sync_target",
    "td_target",
    "train_dqn",
]
