"""The fixed settings of Project 9's checks, shared by probes and judges."""

from __future__ import annotations

OBS_DIM, N_ACTIONS = 4, 2
# buffer: ids 0..ADDS-1 go through a buffer of CAPACITY, then DRAWS batches of BATCH
CAPACITY, ADDS, DRAWS, BATCH = 50, 130, 200, 32
PARTIAL = 40  # transitions in a second, partly filled buffer (at least one batch)
# the stand-in linear networks for the loss and target checks, and their batch
LOSS_BATCH, GAMMA = 16, 0.9
# epsilon schedule
EPS_START, EPS_END, EPS_DECAY = 1.0, 0.05, 1_000
EPS_STEPS = (0, 250, 500, 999, 1_000, 1_500, 5_000)
ACTION_DRAWS = 2_000
# short training on CartPole: enough for a working agent to clearly beat random play
IMPROVE = {"total_steps": 3_000, "learning_starts": 200, "eps_decay_steps": 1_000,
           "target_every": 100, "hidden": 64, "lr": 2e-3, "log_every": 250,
           "train_every": 2, "batch_size": 32}
IMPROVE_FLOOR = 50  # greedy return needed (random play: about 22), and twice the start
EVAL_EPISODES, EVAL_SEEDS_FROM = 5, 1_000
# the terminal-flag probe: a time limit short enough that many episodes are cut
SHORT_LIMIT, FLAG_STEPS = 10, 300
FLAG_RUN = {"learning_starts": 50, "train_every": 2, "eps_decay_steps": 200,
            "target_every": 25, "hidden": 32, "batch_size": 16, "log_every": 50}
# reproducibility: two runs with seed 3, one with seed 4
REPRO = {"total_steps": 400, "train_every": 2, "learning_starts": 100, "eps_decay_steps": 300,
         "target_every": 50, "hidden": 32, "batch_size": 16, "log_every": 100}
