"""Goal-seeking by greedy search over marginal gains, for pipelines with no usable linear model.

Rank normalisations, Copeland aggregation or outlier treatment that flips as the unit moves make the
score a step function or bend it, and a linearised model can then point nowhere. The greedy search
needs only full rebuilds:

1. From the start, try one step on each movable indicator (``STEP`` spread units, or what is left of
   its room), each judged by a full rebuild; take the step with the largest gain in the gap to the
   target per unit of cost. When no step gains, double the step (to jump over plateaus of a step
   function) until a step covers the whole room.
2. When the target is reached, shrink: for each moved indicator, most costly first, find by
   bisection the smallest move that still reaches the target with the others fixed.

It finds a plan whenever moving everything to its bound does, but gives no guarantee of least change.
"""

from __future__ import annotations

import numpy as np

from creativecity.index.goal.problem import ZERO, Attempt, Evaluation, Problem

STEP = 0.05
MAX_ROUNDS = 400


def solve(p: Problem, base: Evaluation, full: Evaluation) -> Attempt | None:
    """Greedy steps, then a bisection per indicator; None when the bounds do not reach the target."""
    if not full.reached:
        return None
    ev, step, rounds = base, STEP, 0
    while not ev.reached and rounds < MAX_ROUNDS:
        rounds += 1
        trials: list[tuple[float, Evaluation]] = []
        for j in range(len(p.codes)):
            left = p.room[j] - ev.z[j]
            if left <= ZERO:
                continue
            z = ev.z.copy()
            z[j] += min(step, left)
            e = p.evaluate(z)
            trials.append(((e.gap - ev.gap) / (p.cost[j] * (z[j] - ev.z[j])), e))
        done = [e for _, e in trials if e.reached]
        gains = [t for t in trials if t[0] > 0]
        best: Evaluation | None = None
        if done:  # reaching beats any ratio: the cheapest step that reaches
            best = min(done, key=lambda e: p.norm(e.z))
        elif gains:
            best = max(gains, key=lambda t: t[0])[1]
        if best is None:
            if np.all(step >= p.room - ev.z):
                ev = full
                break
            step *= 2
            continue
        ev = best
    if not ev.reached:
        ev = full
    order = np.argsort(-(p.cost * ev.z))
    for j in order:
        if ev.z[j] <= ZERO:
            continue
        lo, hi = 0.0, ev.z[j]
        for _ in range(30):
            if hi - lo < 1e-9 * max(1.0, p.room[j]):
                break
            mid = 0.5 * (lo + hi)
            z = ev.z.copy()
            z[j] = mid
            e = p.evaluate(z)
            if e.reached:
                hi, ev = mid, e
            else:
                lo = mid
    return Attempt(ev, "greedy over marginal gains + bisection per indicator, verified", False, rounds)
