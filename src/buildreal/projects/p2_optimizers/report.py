"""Turn a set of runs into a written comparison: a table and what the numbers say.

The sentences are generated from the measured results (who got within tolerance first,
who never did, who blew up, what momentum or weight decay changed), so the report stays
true when a learner changes a learning rate or a surface.
"""

from __future__ import annotations

from collections.abc import Sequence

from buildreal.projects.p2_optimizers.reference.runs import Run, comparison_table
from buildreal.projects.p2_optimizers.reference.surfaces import Surface


def _by_name(runs: Sequence[Run]) -> dict[str, Run]:
    return {r.optimizer: r for r in runs}


def _speed(r: Run) -> str:
    return f"{r.steps_to_tol} steps" if r.steps_to_tol is not None else "never got there"


def explain(surface: Surface, runs: Sequence[Run]) -> list[str]:
    """Sentences about these runs on this surface, each backed by a number."""
    out = [f"This surface shows {surface.feature}."]
    tol = runs[0].tol if runs else 1e-3
    reached = sorted((r for r in runs if r.steps_to_tol is not None),
                     key=lambda r: r.steps_to_tol or 0)
    stuck = [r for r in runs if r.steps_to_tol is None and not r.diverged]
    blown = [r for r in runs if r.diverged]
    if reached:
        first = reached[0]
        text = (f"First within {tol:g} of the minimum: {first.optimizer} "
                f"({first.steps_to_tol} steps)")
        if len(reached) > 1:
            last = reached[-1]
            text += f"; last to get there: {last.optimizer} ({last.steps_to_tol})"
        out.append(text + ".")
    if stuck:
        listed = ", ".join(f"{r.optimizer} (loss {r.final_loss:.2g})" for r in stuck)
        out.append(f"Still short of the tolerance after {stuck[0].steps} steps: {listed}.")
    if blown:
        listed = ", ".join(f"{r.optimizer} at step {r.steps + 1}" for r in blown)
        out.append(f"Diverged: {listed}; the learning rate is too large for the curvature "
                   "there (clipping the gradient norm or lowering the rate tames it).")
    named = _by_name(runs)
    sgd, mom, nes = named.get("sgd"), named.get("momentum"), named.get("nesterov")
    adam, adamw, rms = named.get("adam"), named.get("adamw"), named.get("rmsprop")
    if sgd and mom and not (sgd.diverged or mom.diverged):
        if sgd.steps_to_tol is None and mom.steps_to_tol is None:
            out.append(f"Neither plain SGD (loss {sgd.final_loss:.2g}) nor momentum (loss "
                       f"{mom.final_loss:.2g}) got within {tol:g}: on a shallow floor the "
                       "gradient is tiny, and a step proportional to it crawls.")
        elif (mom.steps_to_tol or 10**9) < (sgd.steps_to_tol or 10**9):
            out.append(f"Momentum ({_speed(mom)}, lr {mom.lr:g}) beat plain SGD ({_speed(sgd)},"
                       f" lr {sgd.lr:g}) with a smaller rate: the velocity keeps adding up "
                       "along the direction the gradient keeps pointing, while components "
                       "that flip sign from step to step cancel out.")
        else:
            out.append(f"Momentum ({_speed(mom)}) did not beat plain SGD ({_speed(sgd)}) "
                       "here: the built-up velocity carries it past the minimum and it has to "
                       "swing back.")
    if mom and nes and not (mom.diverged or nes.diverged) and nes.steps_to_tol and \
            mom.steps_to_tol and nes.steps_to_tol < mom.steps_to_tol:
        out.append(f"Nesterov ({nes.steps_to_tol} steps) settled sooner than heavy-ball "
                   f"momentum ({mom.steps_to_tol}): evaluating the step a little ahead brakes "
                   "before an overshoot rather than after it.")
    if adam and sgd and not adam.diverged:
        out.append(f"Adam ({_speed(adam)}) against SGD ({_speed(sgd)}): Adam divides each "
                   "coordinate's step by a running size of its gradient, so a flat direction "
                   "and a steep one move at similar speeds; that is what it buys on plateaus "
                   "and in valleys whose axes line up with the coordinates.")
    if adam and adamw and not (adam.diverged or adamw.diverged) and \
            adamw.final_loss - surface.minimum > 10 * (adam.final_loss - surface.minimum) + 1e-9:
        out.append(f"AdamW ends at a loss of {adamw.final_loss:.2g} against Adam's "
                   f"{adam.final_loss:.2g}: its decoupled weight decay pulls the point toward "
                   "the origin every step, so it settles where that pull balances the "
                   "gradient, not exactly at the surface's minimum.")
    if rms and not rms.diverged and rms.final_loss - surface.minimum > tol / 10:
        out.append(f"RMSprop hovers at a loss of {rms.final_loss:.2g}: dividing the gradient by "
                   "its own running size makes every step about lr long, even right next to "
                   "the minimum. A decaying schedule (step or cosine) lets it settle.")
    if len(surface.minimizers) > 1:
        ends = [f"{r.optimizer} → {_nearest(surface, r)}" for r in runs if not r.diverged]
        out.append("Where each one ended: " + ", ".join(ends) + ".")
    return out


def _nearest(surface: Surface, r: Run) -> str:
    x, y = r.path[-1]
    mx, my = min(surface.minimizers, key=lambda m: (m[0] - x) ** 2 + (m[1] - y) ** 2)
    return f"({mx:.2f}, {my:.2f})"


def surface_section(surface: Surface, runs: Sequence[Run], image: str | None) -> str:
    parts = [f"## {surface.name}: {surface.formula}", "",
             f"Start: {surface.start}; every optimizer starts there with the same seed.", "",
             comparison_table(runs), ""]
    if image:
        parts += [f"![Paths on {surface.name}]({image})", ""]
    parts += [" ".join(explain(surface, runs)), ""]
    return "\n".join(parts)


def report(sections: Sequence[str], steps: int, seed: int, noise: float) -> str:
    intro = (f"# Optimizer playground report\n\n{steps} steps per run, seed {seed}, gradient "
             f"noise σ = {noise:g}. Steps to tolerance count from the start until the loss "
             "is within the tolerance of the surface's lowest value; a run that leaves the "
             "plot for good (a coordinate or the loss beyond 1e6, or not a number) is "
             "marked as diverged.\n")
    return intro + "\n" + "\n".join(sections)
