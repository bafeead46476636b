"""Project 9's probes: run in the sandbox, they drive the learner's ``dqn`` package
(buffer, schedule, action choice, loss, training loop) on inputs the parent chose and
return what came back as plain data. Verdicts are in ``judges``."""

from __future__ import annotations

import dataclasses
import sys
from typing import Any

import gymnasium as gym
import numpy as np
import torch
from torch import nn
from torch.optim.optimizer import (
    register_optimizer_step_post_hook,
    register_optimizer_step_pre_hook,
)

from buildreal.projects.p9_dqn import plan
from buildreal.projects.probe_child import ProbeContext
from buildreal.projects.sandbox import Failed


def _linear(ctx: ProbeContext, key: str) -> nn.Module:
    """A stand-in Q-network whose weights the parent chose (so the judge can redo the
    arithmetic): Q(s) = s @ W.T + b."""
    w = torch.from_numpy(np.array(ctx.inputs[key]))  # (A, obs_dim + 1)
    layer = nn.Linear(plan.OBS_DIM, plan.N_ACTIONS)
    with torch.no_grad():
        layer.weight.copy_(w[:, :-1])
        layer.bias.copy_(w[:, -1])
    return layer


def _config(ctx: ProbeContext, **fields: object) -> object:
    config_cls = ctx.require("DQNConfig")
    config = config_cls()
    unknown = [k for k in fields if not hasattr(config, k)]
    if unknown:
        raise Failed(f"DQNConfig has no field {', '.join(unknown)}")
    return dataclasses.replace(config, **fields)


def buffer(ctx: ProbeContext) -> dict[str, Any]:
    """Transition i carries i in every field; after ADDS adds, which ids are drawn?"""
    buffer_cls = ctx.require("ReplayBuffer")
    buf = buffer_cls(plan.CAPACITY, plan.OBS_DIM, seed=0)
    for i in range(plan.ADDS):
        obs = np.full(plan.OBS_DIM, i, dtype=np.float32)
        buf.add(obs, i % plan.N_ACTIONS, float(i), obs + 0.5, i % 7 == 0)
    draws = {"obs": [], "actions": [], "rewards": [], "next_obs": [], "terminated": []}
    for _ in range(plan.DRAWS):
        batch = buf.sample(plan.BATCH)
        for key in draws:
            if key not in batch:
                raise Failed(f"sample() returned no {key!r}; it returned {sorted(batch)}")
            draws[key].append(torch.as_tensor(batch[key]).detach().float().reshape(
                plan.BATCH, -1))
    # a buffer holding only PARTIAL transitions of its capacity (ids from 1000): what is
    # drawn must be among them, never an empty slot
    out: dict[str, Any] = {"length": len(buf), **{k: torch.cat(v) for k, v in draws.items()}}
    try:  # judged by its own check only
        part = buffer_cls(plan.CAPACITY, plan.OBS_DIM, seed=1)
        for i in range(plan.PARTIAL):
            obs = np.full(plan.OBS_DIM, 1000 + i, dtype=np.float32)
            part.add(obs, i % plan.N_ACTIONS, float(i), obs + 0.5, False)
        out["partial"] = torch.cat([torch.as_tensor(part.sample(plan.BATCH)["obs"]).detach()
                                    .float().reshape(plan.BATCH, -1)[:, 0] for _ in range(20)])
    except Exception as exc:
        out["partial_error"] = ctx.crash(exc)
    return out


def exploration(ctx: ProbeContext) -> dict[str, Any]:
    """The schedule at fixed steps, and the actions chosen at epsilon 0, 0.5 and 1."""
    epsilon_at, select_action = ctx.require("epsilon_at", "select_action")
    schedule = [float(epsilon_at(s, plan.EPS_START, plan.EPS_END, plan.EPS_DECAY))
                for s in plan.EPS_STEPS]
    net = _linear(ctx, "online_w")
    states = np.array(ctx.inputs["states"], dtype=np.float32)  # (N, obs_dim)
    rng = np.random.default_rng(0)
    greedy = [int(select_action(net, s, 0.0, rng)) for s in states]
    half = [int(select_action(net, states[0], 0.5, rng)) for _ in range(plan.ACTION_DRAWS)]
    random = [int(select_action(net, states[0], 1.0, rng)) for _ in range(plan.ACTION_DRAWS)]
    return {"schedule": schedule, "greedy": greedy, "half": half, "random": random}


def _loss_batch(ctx: ProbeContext) -> dict[str, torch.Tensor]:
    b = ctx.inputs
    return {"obs": torch.from_numpy(np.array(b["obs"])),
            "actions": torch.from_numpy(np.array(b["actions"])),
            "rewards": torch.from_numpy(np.array(b["rewards"])),
            "next_obs": torch.from_numpy(np.array(b["next_obs"])),
            "terminated": torch.from_numpy(np.array(b["terminated"]))}


def targets(ctx: ProbeContext) -> dict[str, Any]:
    """td_target and dqn_loss on the parent's batch and stand-in networks."""
    td_target, dqn_loss = ctx.require("td_target", "dqn_loss")
    online, target = _linear(ctx, "online_w"), _linear(ctx, "target_w")
    batch = _loss_batch(ctx)
    plain = td_target(batch["rewards"], batch["next_obs"], batch["terminated"], target,
                      plan.GAMMA)
    double = td_target(batch["rewards"], batch["next_obs"], batch["terminated"], target,
                       plan.GAMMA, online_net=online)
    with torch.no_grad():
        loss_double = float(dqn_loss(online, target, batch, plan.GAMMA, double=True))
    loss = dqn_loss(online, target, batch, plan.GAMMA, double=False)
    target.zero_grad()
    loss.backward()
    target_grad = sum(float(p.grad.abs().sum()) for p in target.parameters()
                      if p.grad is not None)
    return {"plain": plain.detach().reshape(-1), "double": double.detach().reshape(-1),
            "loss": float(loss.detach()), "loss_double": loss_double,
            "target_requires_grad": bool(plain.requires_grad),
            "target_grad": target_grad}


class _Recorder(gym.Wrapper):
    """Records what the environment really returned at each step."""

    def __init__(self, env: gym.Env) -> None:
        super().__init__(env)
        self.ends: list[list[int]] = []  # [terminated, truncated] per step
        self.reset_seeds: list[int] = []

    def reset(self, **kwargs: Any) -> Any:
        seed = kwargs.get("seed")
        self.reset_seeds.append(-1 if seed is None else int(seed))
        return self.env.reset(**kwargs)

    def step(self, action: Any) -> Any:
        out = self.env.step(action)
        self.ends.append([int(bool(out[2])), int(bool(out[3]))])
        return out


def flags(ctx: ProbeContext) -> dict[str, Any]:
    """A short run with an 8-step time limit: the terminated flag the loop stored for each
    step, beside what the environment said; and the optimizer's parameters and the
    target network's weights around every optimizer step."""
    train_dqn, buffer_cls, qnet_cls = ctx.require("train_dqn", "ReplayBuffer", "QNetwork")
    stored: list[float] = []
    chain: list[list[np.ndarray]] = []  # [obs, next_obs] of each stored transition
    original_add = buffer_cls.add

    def add(self: Any, obs: Any, action: Any, reward: Any, next_obs: Any,
            terminated: Any) -> Any:
        stored.append(float(bool(terminated)))
        chain.append([np.asarray(obs, dtype=np.float64).reshape(-1).copy(),
                      np.asarray(next_obs, dtype=np.float64).reshape(-1).copy()])
        return original_add(self, obs, action, reward, next_obs, terminated)

    # the epsilon the loop hands select_action at each step, wherever the package's
    # modules imported it from
    epsilons: list[float] = []
    original_select = ctx.require("select_action")

    def select(q_net: Any, obs: Any, epsilon: Any, *args: Any, **kwargs: Any) -> Any:
        epsilons.append(float(epsilon))
        return original_select(q_net, obs, epsilon, *args, **kwargs)

    prefix = ctx.package.__name__
    patched = [m for name, m in list(sys.modules.items())
               if (name == prefix or name.startswith(prefix + "."))
               and getattr(m, "select_action", None) is original_select]

    # networks are found when built and when first called: a target made with
    # copy.deepcopy(q_net) never runs __init__, but it does run forward
    nets: list[nn.Module] = []
    original_init, original_forward = qnet_cls.__init__, qnet_cls.forward

    def seen(net: nn.Module) -> None:
        if not any(n is net for n in nets):
            nets.append(net)

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        seen(self)

    def forward(self: Any, *args: Any, **kwargs: Any) -> Any:
        seen(self)
        return original_forward(self, *args, **kwargs)

    steps: list[dict[str, Any]] = []
    # the gradient already on the optimizer's parameters when each backward pass starts
    # (after the first step): anything but zero means gradients pile up across steps
    stale: list[float] = []
    stepped: list[list[torch.Tensor]] = []
    real_backward = torch.autograd.backward

    def backward(*args: Any, **kwargs: Any) -> Any:
        if stepped:
            stale.append(float(sum(float(p.grad.detach().abs().sum()) for p in stepped[0]
                                   if p.grad is not None)))
        return real_backward(*args, **kwargs)

    def digest(net: nn.Module) -> float:
        return float(sum(p.detach().double().sum() for p in net.parameters()))

    def pre(optimizer: torch.optim.Optimizer, args: object, kwargs: object) -> None:
        ids = {id(p) for g in optimizer.param_groups for p in g["params"]}
        if not stepped:
            stepped.append([p for g in optimizer.param_groups for p in g["params"]])
        steps.append({"in_optimizer": [sum(id(p) in ids for p in n.parameters())
                                       for n in nets],
                      "before": [digest(n) for n in nets]})

    def post(optimizer: torch.optim.Optimizer, args: object, kwargs: object) -> None:
        steps[-1]["after"] = [digest(n) for n in nets]

    recorders: list[_Recorder] = []

    def make_env() -> gym.Env:
        env = _Recorder(gym.make("CartPole-v1", max_episode_steps=plan.SHORT_LIMIT))
        recorders.append(env)
        return env

    buffer_cls.add, qnet_cls.__init__, qnet_cls.forward = add, init, forward
    for module in patched:
        module.select_action = select
    torch.autograd.backward = backward
    handles = [register_optimizer_step_pre_hook(pre), register_optimizer_step_post_hook(post)]
    config = _config(ctx, total_steps=plan.FLAG_STEPS, seed=0, **plan.FLAG_RUN)
    try:
        result = train_dqn(config, make_env=make_env)
    finally:
        buffer_cls.add, qnet_cls.__init__ = original_add, original_init
        qnet_cls.forward = original_forward
        for module in patched:
            module.select_action = original_select
        torch.autograd.backward = real_backward
        for h in handles:
            h.remove()
    if not recorders:
        raise Failed("train_dqn never called make_env(): build the environment with it")
    for net in (result.q_net, result.target_net):
        seen(net)
    role = {id(result.q_net): "online", id(result.target_net): "target"}
    return {"stored": stored, "ends": [e for r in recorders for e in r.ends],
            "roles": [role.get(id(n), "other") for n in nets],
            "in_optimizer": [s["in_optimizer"] for s in steps],
            "before": [s["before"] for s in steps],
            "after": [s.get("after", s["before"]) for s in steps],
            "final": [digest(n) for n in nets],
            "chain": np.array(chain, dtype=np.float64).reshape(len(chain), 2, -1),
            "epsilons": epsilons, "stale_grad": stale,
            "eps_start": float(getattr(config, "eps_start", plan.EPS_START)),
            "eps_end": float(getattr(config, "eps_end", plan.EPS_END)),
            "same_object": id(result.q_net) == id(result.target_net)}


@torch.no_grad()
def _greedy_returns(q_net: nn.Module, seeds: list[int]) -> list[float]:
    """The checker's own rollout of the greedy policy of a trained network."""
    returns = []
    env = gym.make("CartPole-v1")
    for seed in seeds:
        obs, _ = env.reset(seed=seed)
        total, done = 0.0, False
        while not done:
            q = q_net(torch.as_tensor(obs, dtype=torch.float32)[None])  # (1, 2)
            obs, reward, terminated, truncated, _ = env.step(int(q.argmax(dim=1).item()))
            total += float(reward)
            done = terminated or truncated
        returns.append(total)
    env.close()
    return returns


def improve(ctx: ProbeContext) -> dict[str, Any]:
    """3,000 steps of training on CartPole; the episode returns, the logged epsilon and
    Q-values, and the checker's greedy evaluation of the trained network."""
    torch.set_num_threads(1)
    train_dqn = ctx.require("train_dqn")
    result = train_dqn(_config(ctx, seed=0, **plan.IMPROVE))
    history = result.history
    seeds = list(range(plan.EVAL_SEEDS_FROM, plan.EVAL_SEEDS_FROM + plan.EVAL_EPISODES))
    return {"returns": [float(r) for r in history["episode_return"]],
            "epsilon": [float(e) for e in history["epsilon"]],
            "greedy": _greedy_returns(result.q_net, seeds)}


def plot(ctx: ProbeContext) -> dict[str, Any]:
    """plot_learning_curves on two made-up seeds' histories; the PNG it wrote, as bytes."""
    plot_learning_curves = ctx.require("plot_learning_curves")
    histories = []
    for seed in range(2):
        returns = [float(10 + 2 * i + 5 * np.sin(i + seed)) for i in range(60)]
        histories.append({"episode_return": returns,
                          "episode_end_step": list(np.cumsum(returns).tolist())})
    path = ctx.scratch / "curve.png"
    plot_learning_curves(histories, path)
    if not path.exists():
        raise Failed("plot_learning_curves(histories, path) wrote no file at path")
    data = path.read_bytes()
    if len(data) > 5_000_000:
        raise Failed("the learning-curve PNG is over 5 MB: lower its dpi")
    return {"png": np.frombuffer(data, dtype=np.uint8).copy()}


def reproducible(ctx: ProbeContext) -> dict[str, Any]:
    """Two short runs with seed 3 and one with seed 4: returns, Q-values, final weights."""
    torch.set_num_threads(1)
    train_dqn = ctx.require("train_dqn")
    out: dict[str, Any] = {}
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        result = train_dqn(_config(ctx, seed=seed, **plan.REPRO))
        out[f"{name}_returns"] = [float(r) for r in result.history["episode_return"]]
        weights = torch.cat([p.detach().flatten() for p in result.q_net.parameters()])
        out[f"{name}_weights"] = weights
    return out
