"""Project 9's judges: in the toolkit's process, they decide from what the learner's
``dqn`` package returned (see ``probes``): ids drawn from the buffer, the schedule and
chosen actions, TD targets and losses redone here with NumPy on the same stand-in
networks, flags stored beside the environment's own, weights around optimizer steps,
returns before and after training, and the bytes of the learning-curve PNG."""

from __future__ import annotations

import io
from typing import Any

import numpy as np

from buildreal.projects.checking import Evidence
from buildreal.projects.p9_dqn import plan
from buildreal.projects.sandbox import Failed


def make_inputs() -> dict[str, Any]:
    """Stand-in networks and a batch in which TD errors exceed 1 (so Huber differs from
    the squared error) and the taken action is often not the greedy one."""
    rng = np.random.default_rng(9)
    n = plan.LOSS_BATCH
    terminated = np.zeros(n, dtype=np.float32)
    terminated[::3] = 1.0
    return {"online_w": rng.normal(0, 1.5, (plan.N_ACTIONS, plan.OBS_DIM + 1)).astype(np.float32),
            "target_w": rng.normal(0, 1.5, (plan.N_ACTIONS, plan.OBS_DIM + 1)).astype(np.float32),
            "states": rng.normal(0, 1, (40, plan.OBS_DIM)).astype(np.float32),
            "obs": rng.normal(0, 1, (n, plan.OBS_DIM)).astype(np.float32),
            "actions": rng.integers(0, plan.N_ACTIONS, n).astype(np.int64),
            "rewards": rng.normal(1, 2, n).astype(np.float32),
            "next_obs": rng.normal(0, 1, (n, plan.OBS_DIM)).astype(np.float32),
            "terminated": terminated}


def _q(w: np.ndarray, s: np.ndarray) -> np.ndarray:
    return s.astype(np.float64) @ w[:, :-1].T.astype(np.float64) + w[:, -1]  # (N, A)


def _ids(ev: Evidence, key: str, cols: int) -> np.ndarray:
    return ev.array(key, shape=(plan.DRAWS * plan.BATCH, cols))


# --- Replay buffer works as intended -------------------------------------------------

def buffer_fifo(ev: Evidence) -> str:
    length = ev.integer("length")
    if length != plan.CAPACITY:
        raise Failed(f"after {plan.ADDS} adds to a buffer of capacity {plan.CAPACITY}, "
                     f"len(buffer) is {length}: it should stay at the capacity")
    ids = _ids(ev, "obs", plan.OBS_DIM)[:, 0]
    oldest_kept = plan.ADDS - plan.CAPACITY
    stale = ids[ids < oldest_kept]
    if stale.size:
        raise Failed(f"your buffer still returns transition {int(stale.min())} after "
                     f"{plan.ADDS} adds to a capacity of {plan.CAPACITY}: only "
                     f"{oldest_kept}..{plan.ADDS - 1} should remain. A full buffer must "
                     "overwrite the oldest transition, not the newest")
    for key, cols, expect in (("next_obs", plan.OBS_DIM, ids + 0.5),
                              ("actions", 1, ids % plan.N_ACTIONS),
                              ("rewards", 1, ids),
                              ("terminated", 1, (ids.astype(int) % 7 == 0))):
        got = _ids(ev, key, cols)[:, 0]
        if not np.allclose(got, expect):
            bad = int(np.argmax(~np.isclose(got, expect)))
            raise Failed(f"sample() returned a {key!r} that belongs to another transition "
                         f"(row {bad}: obs of transition {int(ids[bad])}, {key} {got[bad]:g}, "
                         f"expected {float(expect[bad]):g}): index every field with the same ids")
    return f"len {length}, only the newest {plan.CAPACITY} of {plan.ADDS} transitions sampled"


def buffer_uniform(ev: Evidence) -> str:
    ids = _ids(ev, "obs", plan.OBS_DIM)[:, 0].astype(int)
    oldest_kept = plan.ADDS - plan.CAPACITY
    counts = np.bincount(ids - oldest_kept, minlength=plan.CAPACITY)[: plan.CAPACITY]
    batches = ids.reshape(plan.DRAWS, plan.BATCH)
    runs = float(((np.diff(batches, axis=1) % plan.CAPACITY) == 1).mean())
    if runs > 0.5:  # uniform draws: about 1 pair in CAPACITY
        raise Failed(f"your batches are runs of consecutive transitions ({runs:.0%} of "
                     "neighbouring draws in a batch are one step apart): correlated samples "
                     "are what replay is meant to break up. Draw each index independently")
    expected = len(ids) / plan.CAPACITY
    chi2 = float(((counts - expected) ** 2 / expected).sum())
    # 49 degrees of freedom: the 99.99th percentile is about 100
    if counts.min() == 0 or chi2 > 100:
        never = int((counts == 0).sum())
        newest = counts[-plan.CAPACITY // 5:].sum() / len(ids)
        raise Failed(f"your buffer does not sample uniformly: over {len(ids)} draws, "
                     f"{never} of the {plan.CAPACITY} stored transitions never came up and the "
                     f"newest fifth made {newest:.0%} of the draws (uniform: 20%); "
                     f"chi-square {chi2:.0f} on {plan.CAPACITY - 1} degrees of freedom. Draw "
                     "indices uniformly from everything stored")
    return (f"{len(ids)} draws over {plan.CAPACITY} slots: counts {counts.min()}..{counts.max()},"
            f" chi-square {chi2:.0f} (49 d.o.f.)")


def buffer_partial(ev: Evidence) -> str:
    if ev.has("partial_error"):
        raise Failed(f"sampling a batch of {plan.BATCH} from a buffer holding "
                     f"{plan.PARTIAL} transitions raised {ev.text('partial_error')}")
    drawn = ev.array("partial", ndim=1)
    stored = np.arange(1000, 1000 + plan.PARTIAL)
    empty = drawn[~np.isin(drawn, stored)]
    if empty.size:
        raise Failed(f"a buffer of capacity {plan.CAPACITY} holding {plan.PARTIAL} transitions "
                     f"returned {empty.size} of {drawn.size} rows that were never added (such as "
                     f"obs {empty[0]:g}): sample indices below len(buffer), not below the "
                     "capacity, or early updates train on empty slots")
    return f"{drawn.size} draws from {plan.PARTIAL} stored transitions: all of them real"


# --- Agent improves reward over time --------------------------------------------------

def schedule(ev: Evidence) -> str:
    eps = np.array(ev.items("schedule"), dtype=float)
    steps = plan.EPS_STEPS
    if np.any(np.diff(eps) > 1e-9):
        raise Failed(f"your epsilon grows over training ({', '.join(f'{e:.2f}' for e in eps)} at "
                     f"steps {', '.join(map(str, steps))}): it should decay from start to end")
    if not np.isclose(eps[0], plan.EPS_START, atol=1e-6):
        raise Failed(f"epsilon_at(0, start={plan.EPS_START}, ...) is {eps[0]:g}: the schedule "
                     "should begin at start")
    after = eps[[i for i, s in enumerate(steps) if s >= plan.EPS_DECAY]]
    if not np.allclose(after, plan.EPS_END, atol=1e-3):
        raise Failed(f"epsilon never reaches end={plan.EPS_END} by decay_steps="
                     f"{plan.EPS_DECAY}: after it, epsilon_at gives "
                     f"{', '.join(f'{e:.3f}' for e in after)}. Does epsilon ever decay?")
    return f"epsilon {eps[0]:g} -> {eps[-1]:g}, non-increasing, flat after step {plan.EPS_DECAY}"


def actions(ev: Evidence) -> str:
    greedy = np.array(ev.items("greedy"), dtype=int)
    best = _q(ev.inputs["online_w"], ev.inputs["states"]).argmax(axis=1)
    wrong = int((greedy != best).sum())
    if wrong:
        raise Failed(f"with epsilon 0, select_action picked a non-greedy action in {wrong} of "
                     f"{len(best)} states. Take the argmax over the actions (the last "
                     "dimension of the (1, n_actions) Q-values), not over the batch")
    rand = np.array(ev.items("random"), dtype=int)
    share = float((rand == 1).mean())
    if not 0.44 < share < 0.56:
        raise Failed(f"with epsilon 1 the actions should be uniformly random, but action 1 came "
                     f"up {share:.0%} of {len(rand)} times")
    half = np.array(ev.items("half"), dtype=int)
    greedy0 = int(best[0])
    agree = float((half == greedy0).mean())  # expected 1 - 0.5/2 = 0.75
    if not 0.70 < agree < 0.80:
        raise Failed(f"with epsilon 0.5 the greedy action should come up about 75% of the time "
                     f"(half greedy, half a uniform pick), but it came up {agree:.0%}: is "
                     "epsilon the probability of exploring?")
    return f"greedy in {len(best)}/{len(best)} states; epsilon 1: {share:.0%} action 1; " \
           f"epsilon 0.5: {agree:.0%} greedy"


def _targets(ev: Evidence, double: bool, terminal_mask: bool = True) -> np.ndarray:
    i = ev.inputs
    next_q = _q(i["target_w"], i["next_obs"])
    if double:
        choice = _q(i["online_w"], i["next_obs"]).argmax(axis=1)
        best = next_q[np.arange(len(choice)), choice]
    else:
        best = next_q.max(axis=1)
    alive = 1.0 - i["terminated"] if terminal_mask else 1.0
    return i["rewards"] + plan.GAMMA * alive * best


def _huber(x: np.ndarray) -> float:
    a = np.abs(x)
    return float(np.where(a < 1, 0.5 * x * x, a - 0.5).mean())


def td_target(ev: Evidence) -> str:
    n = plan.LOSS_BATCH
    plain, double = ev.array("plain", shape=(n,)), ev.array("double", shape=(n,))
    want = _targets(ev, double=False)
    if not np.allclose(plain, want, atol=1e-4):
        ended = ev.inputs["terminated"] == 1
        if np.allclose(plain, _targets(ev, double=False, terminal_mask=False), atol=1e-4):
            raise Failed("your TD target bootstraps past termination: for transitions with "
                         "terminated = 1 it still adds gamma * max Q(s', a'). There is no next "
                         "state after a real ending, so the target is just the reward")
        if np.allclose(plain[ended], want[ended], atol=1e-4):
            raise Failed("the TD target is right at terminal transitions but wrong elsewhere: "
                         "it should be r + gamma * max over a' of Q_target(s', a')")
        raise Failed(f"td_target differs from r + gamma * (1 - terminated) * max Q_target by "
                     f"up to {np.abs(plain - want).max():.3f}")
    if not np.allclose(double, _targets(ev, double=True), atol=1e-4):
        raise Failed("with online_net given (Double DQN), the target should evaluate the "
                     "online network's argmax action with the target network; yours "
                     f"differs by up to {np.abs(double - _targets(ev, True)).max():.3f}")
    if ev.flag("target_requires_grad") or ev.number("target_grad") > 0:
        raise Failed("your TD target carries a gradient into the target network: compute it "
                     "under torch.no_grad() (or .detach() it), the target is a fixed label")
    return f"{n} targets match r + gamma(1 - terminated) max Q', plain and Double DQN, no grad"


def loss(ev: Evidence) -> str:
    i = ev.inputs
    q = _q(i["online_w"], i["obs"])
    rows = np.arange(len(q))
    target = _targets(ev, double=False)
    got = ev.number("loss")
    want = _huber(q[rows, i["actions"]] - target)
    if abs(got - want) <= 1e-4 * max(1.0, abs(want)):
        got_double = ev.number("loss_double")
        want_double = _huber(q[rows, i["actions"]] - _targets(ev, double=True))
        if abs(got_double - want_double) > 1e-4 * max(1.0, abs(want_double)):
            said = " (it equals the plain DQN loss: double is ignored)" \
                if abs(got_double - want) <= 1e-4 * max(1.0, abs(want)) else ""
            raise Failed(f"dqn_loss(..., double=True) returned {got_double:.4f}, expected "
                         f"{want_double:.4f}{said}: pass the online network to td_target so "
                         "the target network evaluates the online network's argmax")
        return f"Huber loss {got:.4f} on the actions taken, as computed here (Double DQN too)"
    guesses = {
        "Q(s, a) is read at the greedy action (a max over Q(s, .)), not at the action taken":
            _huber(q.max(axis=1) - target),
        "Q(s, a) is read at the other action, not the one taken (check the gather index)":
            _huber(q[rows, 1 - i["actions"]] - target),
        "Q(s, a) is gathered along the batch axis (dim 0), not along the actions (dim 1)":
            _huber(q[i["actions"], 0] - target),
        "the TD target is computed with the online network instead of the target network":
            _huber(q[rows, i["actions"]] - (i["rewards"] + plan.GAMMA * (1 - i["terminated"])
                                            * _q(i["online_w"], i["next_obs"]).max(axis=1))),
        "the loss is the squared error, not the Huber (smooth L1) loss":
            float(((q[rows, i["actions"]] - target) ** 2).mean()),
        "the loss is half the squared error, not the Huber (smooth L1) loss":
            float(0.5 * ((q[rows, i["actions"]] - target) ** 2).mean()),
    }
    for why, value in guesses.items():
        if abs(got - value) <= 1e-4 * max(1.0, abs(value)):
            raise Failed(f"dqn_loss returned {got:.4f}, expected {want:.4f}: {why}")
    raise Failed(f"dqn_loss returned {got:.4f}; the Huber loss between Q(s, a) of the taken "
                 f"actions and the TD target is {want:.4f}")


def _flags(ev: Evidence) -> tuple[np.ndarray, np.ndarray]:
    stored = np.array(ev.items("stored"), dtype=float)
    ends = np.array(ev.items("ends"), dtype=int).reshape(-1, 2)
    if len(stored) != len(ends):
        raise Failed(f"the loop stepped the environment {len(ends)} times but added "
                     f"{len(stored)} transitions to the ReplayBuffer: add one per step")
    return stored, ends


def terminal_flag(ev: Evidence) -> str:
    stored, ends = _flags(ev)
    terminated, truncated = ends[:, 0] == 1, ends[:, 1] == 1
    cut = truncated & ~terminated
    if np.any(stored[terminated] != 1):
        raise Failed(f"{int((stored[terminated] != 1).sum())} of {int(terminated.sum())} "
                     "transitions where the pole fell were stored with terminated = 0, so the "
                     "agent bootstraps past termination: store env.step's terminated flag")
    if np.any(stored[cut] != 0):
        raise Failed(f"you treat truncation as termination: {int((stored[cut] != 0).sum())} of "
                     f"{int(cut.sum())} transitions cut by the {plan.SHORT_LIMIT}-step time "
                     "limit were stored with terminated = 1. A time limit is not a real end: "
                     "store only `terminated` (reset the episode on either, but bootstrap "
                     "past truncation)")
    if np.any(stored[~terminated & ~truncated] != 0):
        raise Failed("transitions in the middle of an episode were stored with terminated = 1")
    return (f"{len(stored)} steps: {int(terminated.sum())} terminations stored as 1, "
            f"{int(cut.sum())} time-limit cuts stored as 0")


def _net_roles(ev: Evidence) -> tuple[int, int]:
    if ev.flag("same_object"):
        raise Failed("result.q_net and result.target_net are the same network: the target "
                     "network must be a separate copy")
    roles = ev.items("roles")
    if "online" not in roles or "target" not in roles:
        raise Failed("train_dqn's result.q_net and result.target_net were not built as "
                     "QNetwork(...) during training")
    return roles.index("online"), roles.index("target")


def target_frozen(ev: Evidence) -> str:
    online, target = _net_roles(ev)
    in_opt = ev.items("in_optimizer")
    if not in_opt:
        raise Failed(f"train_dqn never called optimizer.step() in {plan.FLAG_STEPS} steps "
                     f"with learning_starts={plan.FLAG_RUN['learning_starts']}")
    before, after = ev.items("before"), ev.items("after")
    for k, row in enumerate(in_opt):
        if target >= len(row) or target >= len(before[k]):
            continue  # the target network had not been built or called yet
        if int(row[target]):
            raise Failed(f"the optimizer holds {int(row[target])} parameter tensor(s) of the "
                         "target network: give it q_net.parameters() only; the target moves "
                         "only by copying (or averaging towards) the online network")
        if abs(float(after[k][target]) - float(before[k][target])) > 1e-9:
            raise Failed(f"the target network's weights changed during optimizer step {k + 1}")
    if not any(len(a) > online and abs(float(a[online]) - float(b[online])) > 0
               for a, b in zip(after, before, strict=True)):
        raise Failed("optimizer.step() never changed the online network's weights")
    return f"{len(in_opt)} optimizer steps: the target network is outside the optimizer"


def target_synced(ev: Evidence) -> str:
    online, target = _net_roles(ev)
    before = ev.items("before")
    if not before:
        raise Failed("train_dqn never called optimizer.step()")
    known = [row for row in before if len(row) > target]
    if not known:
        raise Failed("the target network was never used before an optimizer step")
    first, last = float(known[0][target]), float(ev.items("final")[target])
    rows = [row for row in before if len(row) > max(online, target)]
    equal = sum(abs(float(r[target]) - float(r[online])) < 1e-12 for r in rows)
    if len(rows) >= 10 and equal > 0.5 * len(rows):
        raise Failed(f"your target network equals the online network before {equal} of "
                     f"{len(rows)} optimizer steps: it is copied every step, so the TD target "
                     "chases the network it trains. Copy only every target_every "
                     f"({plan.FLAG_RUN['target_every']}) steps, or average slowly with tau")
    if abs(last - first) < 1e-9:
        raise Failed(f"your target network never changes: after {plan.FLAG_STEPS} steps "
                     f"(target_every={plan.FLAG_RUN['target_every']}) "
                     "its weights are those it started with. Copy the online network into it "
                     "every target_every steps (or average towards it with tau)")
    return "the target network's weights moved towards the online network during training"


def transitions_chain(ev: Evidence) -> str:
    stored, ends = _flags(ev)
    chain = ev.array("chain", ndim=3)
    if len(chain) != len(stored) or len(chain) < 2:
        raise Failed(f"expected one stored (obs, next_obs) per step, got {len(chain)}")
    going = (ends[:-1, 0] == 0) & (ends[:-1, 1] == 0)  # the episode went on after step t
    broken = ~np.isclose(chain[1:, 0], chain[:-1, 1], atol=1e-6).all(axis=1) & going
    if broken.any():
        t = int(np.argmax(broken))
        raise Failed(f"{int(broken.sum())} of {int(going.sum())} transitions inside an episode "
                     f"do not start where the previous one ended (step {t + 1}: obs is not "
                     "the previous next_obs): set obs = next_obs after each step")
    return f"{int(going.sum())} transitions inside episodes each start where the last ended"


def gradients_cleared(ev: Evidence) -> str:
    stale = np.array(ev.items("stale_grad"), dtype=float)
    if len(stale) == 0:
        return "no backward pass after the first optimizer step was seen"
    piled = int((stale > 0).sum())
    if piled > len(stale) // 2:
        raise Failed(f"{piled} of {len(stale)} backward passes started with last step's "
                     "gradients still on the online network: they pile up from step to "
                     "step. Call optimizer.zero_grad() before each loss.backward()")
    return f"{len(stale) - piled} of {len(stale)} backward passes started from cleared " \
           "gradients"


def epsilon_in_loop(ev: Evidence) -> str:
    used = np.array(ev.items("epsilons"), dtype=float)
    if len(used) == 0:
        return "train_dqn chooses actions without select_action: judged by epsilon_at alone"
    start, end = ev.number("eps_start"), ev.number("eps_end")
    decay = plan.FLAG_RUN["eps_decay_steps"]
    tail = plan.FLAG_STEPS - decay - 50  # the last steps, well past the decay
    late = used[-tail:]
    if len(used) < plan.FLAG_STEPS // 2:
        raise Failed(f"train_dqn called select_action {len(used)} times in "
                     f"{plan.FLAG_STEPS} environment steps: once per step expected")
    if used.max() < end + 0.5 * (start - end) or not np.allclose(late, end, atol=0.02):
        raise Failed(f"the loop hands select_action epsilon from {used.max():.2f} down to "
                     f"{late.min():.2f}..{late.max():.2f} in its last {tail} steps, with "
                     f"eps_start {start:g}, eps_end {end:g} and eps_decay_steps {decay} over "
                     f"{plan.FLAG_STEPS} steps: pass epsilon_at(step, ...) for the current "
                     "environment step (not the episode count, not a constant)")
    return f"epsilon used by the loop: up to {used.max():.2f}, then {late.mean():.3f} in " \
           f"the last {tail} steps"


def improves(ev: Evidence) -> str:
    returns = np.array(ev.items("returns"), dtype=float)
    greedy = np.array(ev.items("greedy"), dtype=float)
    if len(returns) < 10:
        raise Failed(f"only {len(returns)} episodes finished in {plan.IMPROVE['total_steps']} "
                     "steps; does train_dqn reset the environment when an episode ends?")
    early = float(returns[:10].mean())
    late = float(greedy.mean())
    if not (late >= plan.IMPROVE_FLOOR and late >= 2 * early):
        raise Failed(f"after {plan.IMPROVE['total_steps']} steps the greedy policy averages "
                     f"{late:.0f} over {len(greedy)} CartPole episodes, against {early:.0f} in "
                     f"the first 10 training episodes (needs at least {plan.IMPROVE_FLOOR} and "
                     "twice that). Check "
                     "the loss, the TD target and the exploration schedule")
    return (f"first 10 episodes average {early:.0f}; greedy policy after "
            f"{plan.IMPROVE['total_steps']} steps averages {late:.0f} over {len(greedy)} episodes")


# --- Learning curves are plotted ------------------------------------------------------

def plotted(ev: Evidence) -> str:
    data = ev.array("png", ndim=1).astype(np.uint8).tobytes()
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise Failed("plot_learning_curves did not write a PNG file at the given path")
    from PIL import Image

    try:
        image = np.asarray(Image.open(io.BytesIO(data)).convert("L"), dtype=float)
    except Exception as exc:  # a learner's broken file is reported, never a crash here
        raise Failed(f"the learning-curve PNG cannot be read: {exc}") from exc
    h, w = image.shape
    if h < 150 or w < 200:
        raise Failed(f"the learning-curve image is {w}x{h} pixels: too small to read")
    dark = float((image < 128).mean())
    if dark < 0.005:
        raise Failed("the learning-curve image is blank: was the figure saved before "
                     "anything was drawn on it?")
    return f"{w}x{h} PNG, {dark:.1%} of pixels drawn"


# --- Results are reproducible ---------------------------------------------------------

def reproducible(ev: Evidence) -> str:
    a, b, c = (ev.items(f"{k}_returns") for k in "abc")
    wa, wb, wc = (ev.array(f"{k}_weights", ndim=1) for k in "abc")
    if a != b:
        raise Failed(f"two runs with seed 3 gave different episode returns ({a[:4]} vs "
                     f"{b[:4]}...): seed torch, NumPy's generator, the buffer and the "
                     "environment (env.reset(seed=seed) on the first reset)")
    if wa.shape != wb.shape or not np.array_equal(wa, wb):
        raise Failed("two runs with seed 3 saw the same episodes but ended with different "
                     "weights: seed the network's initialisation and the buffer's sampling")
    if a == c and wa.shape == wc.shape and np.array_equal(wa, wc):
        raise Failed("runs with seeds 3 and 4 are identical: the seed is ignored somewhere")
    return f"seed 3 twice: identical {len(a)} returns and weights; seed 4 differs"
