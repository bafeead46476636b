"""``run_dqn_train``: train the reference DQN agent on CartPole-v1 over several seeds.

    run_dqn_train --seeds 5 --steps 100000

prints ``episode: N average_reward: R`` every ``--print-every`` episodes (R: the mean of
the last 100 returns) and writes to ``--out``: ``learning_curve.png`` (each seed's
returns, their moving average and a band across seeds), ``epsilon.png``,
``q_values.png``, ``frames.png`` (the trained agent, rendered off-screen) and
``summary.json``. ``--sb3`` also trains Stable-Baselines3's DQN (rl-zoo settings) at the
same step budget and plots both.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch

from buildreal.projects.p9_dqn import pipeline, report
from buildreal.projects.p9_dqn.reference.dqn import DQNConfig, plot_learning_curves, train_dqn


def build_parser() -> argparse.ArgumentParser:
    d = DQNConfig()
    p = argparse.ArgumentParser(prog="run_dqn_train", description=__doc__.split("\n\n")[0])
    p.add_argument("--seeds", type=int, default=5, help="seeds 0..N-1 (default 5)")
    p.add_argument("--steps", type=int, default=d.total_steps, help="environment steps per seed")
    p.add_argument("--eval-episodes", type=int, default=100)
    p.add_argument("--print-every", type=int, default=50, help="episodes between lines")
    p.add_argument("--no-double", action="store_true", help="plain DQN target")
    p.add_argument("--tau", type=float, default=d.tau, help="1: hard copy; <1: Polyak")
    p.add_argument("--sb3", action="store_true", help="also train SB3's DQN, same budget")
    p.add_argument("--out", type=Path, default=Path("runs/p9-dqn"))
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(1)  # one small MLP: more threads only spin
    histories, summary = [], {"seeds": []}
    first_net = None
    for seed in range(args.seeds):
        print(f"seed {seed}")
        config = dataclasses.replace(DQNConfig(), total_steps=args.steps, seed=seed,
                                     double=not args.no_double, tau=args.tau)
        returns: list[float] = []

        def on_episode(n: int, ret: float, step: int, returns: list[float] = returns) -> None:
            returns.append(ret)
            if n % args.print_every == 0:
                print(f"episode: {n} average_reward: {np.mean(returns[-100:]):.1f}", flush=True)

        start = time.perf_counter()
        result = train_dqn(config, on_episode=on_episode)
        seconds = time.perf_counter() - start
        evals = pipeline.evaluate(result.q_net, args.eval_episodes)
        histories.append(result.history)
        first_net = first_net or result.q_net
        summary["seeds"].append({"seed": seed, "seconds": round(seconds, 1),
                                 "episodes": len(returns),
                                 "eval_mean": float(np.mean(evals))})
        print(f"seed {seed}: greedy evaluation over {args.eval_episodes} episodes: "
              f"{np.mean(evals):.1f} ({seconds:.0f} s)")
    plot_learning_curves(histories, args.out / "learning_curve.png")
    report.plot_logged(histories, "epsilon", "epsilon (exploration rate)",
                       args.out / "epsilon.png")
    report.plot_logged(histories, "q_mean", "mean max Q(s, a) on replayed states",
                       args.out / "q_values.png")
    length = pipeline.frame_strip(first_net, args.out / "frames.png")
    summary["frame_strip_episode_length"] = length
    if args.sb3:
        summary["sb3"] = []
        sb3_histories = []
        for seed in range(args.seeds):
            model, seconds, rets, ends = pipeline.train_sb3(args.steps, seed)
            evals = pipeline.evaluate_sb3(model, args.eval_episodes)
            sb3_histories.append({"episode_return": rets, "episode_end_step": ends})
            summary["sb3"].append({"seed": seed, "seconds": round(seconds, 1),
                                   "eval_mean": float(np.mean(evals))})
            print(f"SB3 seed {seed}: greedy evaluation {np.mean(evals):.1f} ({seconds:.0f} s)")
        report.plot_comparison(histories, sb3_histories, args.out / "comparison.png")
    (args.out / "summary.json").write_text(json.dumps(summary, indent=2))
    print(f"wrote {args.out}/learning_curve.png, epsilon.png, q_values.png, frames.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
