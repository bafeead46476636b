"""Project 9 benchmark: steps to solve CartPole-v1, this reference DQN against
Stable-Baselines3's DQN with the rl-zoo CartPole hyperparameters.

Solved: a greedy average return of at least 475 over 100 evaluation episodes. Every
``--check-every`` environment steps the greedy policy plays 10 screening episodes; when
they average 475 or more, 100 episodes decide. Goal: solved within 100,000 environment
steps on at least 4 of 5 seeds (CleanRL's reference DQN needs about 210,000-270,000).
Wall time is the training time up to that point (evaluation excluded), one torch thread.

    nice -n 10 .venv/bin/python benchmarks/dqn.py --agent ours --seeds 0 1 2 3 4
    nice -n 10 .venv/bin/python benchmarks/dqn.py --agent sb3 --seeds 0 1 2 3 4
    .venv/bin/python benchmarks/dqn.py --report      # the table from runs/p9-dqn/bench.jsonl

Each run appends one JSON line to ``--results``, so agents and seeds can run as separate
(parallel) processes and be reported together.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch

from buildreal.projects.p9_dqn import pipeline
from buildreal.projects.p9_dqn.reference.dqn import DQNConfig, train_dqn

THRESHOLD, BUDGET, SCREEN, FULL = 475.0, 100_000, 10, 100
CLEANRL_STEPS = "210,000-270,000"


class _Clock:
    """Training seconds, with evaluation time taken out."""

    def __init__(self) -> None:
        self.start, self.paused = time.perf_counter(), 0.0

    def pause(self) -> float:
        return time.perf_counter()

    def resume(self, since: float) -> None:
        self.paused += time.perf_counter() - since

    def seconds(self) -> float:
        return time.perf_counter() - self.start - self.paused


def _solved(evaluate: Any, clock: _Clock) -> float | None:
    """The 100-episode mean if the 10-episode screen passes, else None."""
    t = clock.pause()
    try:
        if np.mean(evaluate(SCREEN)) < THRESHOLD:
            return None
        full = float(np.mean(evaluate(FULL)))
        return full if full >= THRESHOLD else None
    finally:
        clock.resume(t)


def run_ours(seed: int, check_every: int) -> dict[str, Any]:
    config = dataclasses.replace(DQNConfig(), total_steps=BUDGET, seed=seed,
                                 log_every=check_every)
    clock, found = _Clock(), {}

    def on_log(step: int, q_net: torch.nn.Module) -> bool:
        score = _solved(lambda n: pipeline.evaluate(q_net, n), clock)
        if score is not None:
            found.update(steps=step, seconds=clock.seconds(), eval_mean=score)
        return score is not None

    train_dqn(config, on_log=on_log)
    return found or {"steps": None, "seconds": clock.seconds(), "eval_mean": None}


def run_sb3(seed: int, check_every: int) -> dict[str, Any]:
    import gymnasium as gym
    from stable_baselines3 import DQN
    from stable_baselines3.common.callbacks import BaseCallback

    clock, found = _Clock(), {}

    class Check(BaseCallback):
        def _on_step(self) -> bool:
            if self.num_timesteps % check_every:
                return True
            score = _solved(lambda n: pipeline.evaluate_sb3(self.model, n), clock)
            if score is not None:
                found.update(steps=self.num_timesteps, seconds=clock.seconds(),
                             eval_mean=score)
            return score is None

    model = DQN("MlpPolicy", gym.make("CartPole-v1"), seed=seed, verbose=0, device="cpu",
                **pipeline.SB3_ZOO_CARTPOLE)
    clock = _Clock()
    model.learn(total_timesteps=BUDGET, callback=Check())
    return found or {"steps": None, "seconds": clock.seconds(), "eval_mean": None}


def report(path: Path) -> None:
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    print(f"Goal: greedy mean >= {THRESHOLD:.0f} over {FULL} episodes within {BUDGET:,} steps "
          f"on >= 4 of 5 seeds (CleanRL's DQN: about {CLEANRL_STEPS} steps)")
    print(f"{'agent':6} {'seed':>4} {'solved at step':>15} {'train s':>8} {'eval mean':>10}")
    by_agent: dict[str, list[dict[str, Any]]] = {}
    for r in sorted(rows, key=lambda r: (r["agent"], r["seed"])):
        by_agent.setdefault(r["agent"], []).append(r)
        steps = f"{r['steps']:,}" if r["steps"] else "not solved"
        score = f"{r['eval_mean']:.1f}" if r["eval_mean"] else "-"
        print(f"{r['agent']:6} {r['seed']:>4} {steps:>15} {r['seconds']:>8.0f} {score:>10}")
    medians = {}
    for agent, runs in by_agent.items():
        solved = [r for r in runs if r["steps"]]
        med_steps = np.median([r["steps"] for r in solved]) if solved else float("nan")
        med_s = np.median([r["seconds"] for r in solved]) if solved else float("nan")
        medians[agent] = med_s
        print(f"{agent}: solved {len(solved)} of {len(runs)} seeds within {BUDGET:,} steps; "
              f"median steps {med_steps:,.0f}, median training seconds {med_s:.0f}")
    if "ours" in medians and "sb3" in medians:
        print(f"wall-time ratio to solve (median, ours / SB3): "
              f"{medians['ours'] / medians['sb3']:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agent", choices=("ours", "sb3"), default="ours")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--check-every", type=int, default=5_000)
    parser.add_argument("--results", type=Path, default=Path("runs/p9-dqn/bench.jsonl"))
    parser.add_argument("--report", action="store_true", help="print the table and stop")
    args = parser.parse_args()
    if args.report:
        report(args.results)
        return
    torch.set_num_threads(1)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    run = run_ours if args.agent == "ours" else run_sb3
    for seed in args.seeds:
        result = {"agent": args.agent, "seed": seed, **run(seed, args.check_every),
                  "load": round(os.getloadavg()[0], 1)}
        print(json.dumps(result), flush=True)
        with args.results.open("a") as f:
            f.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
