"""Goal-seeking with a separable piecewise-linear model: one curve per indicator, one LP.

Outlier treatment (winsorisation, the log fallback) bends each indicator's effect on the scores: a
log-transformed indicator gains most in its first steps, a winsorised one stops gaining at the next
value down. A gradient at the start then promises far more (or less) than the indicator delivers, and
sequential linear programming zig-zags. Here each indicator's effect on every unit's score is sampled
along its whole room (``BREAKS`` points, one full rebuild each, the others at the start) and the
model is the sum of these curves, interpolated linearly:

    s(z) ~ s(0) + sum_j sum_k slope_jk y_jk,   z_j = sum_k y_jk,   0 <= y_jk <= length of segment k

The least-cost plan under this model is one linear programme (HiGHS). Where every curve is concave
(diminishing returns, the usual case with treatment) the segments fill in order and the model is
exact for each indicator alone; interactions between indicators (a change in one moving a min or a
treatment decision of another) are what it ignores, which is why the candidate is judged by a full
rebuild and, if it misses, moved towards the bounds until a rebuild reaches the target, then shrunk.
"""

from __future__ import annotations

import numpy as np

from creativecity.index.goal.linear import between, least_cost, polish, shrink
from creativecity.index.goal.problem import ZERO, Attempt, Evaluation, Problem

#: Sample points along each indicator's room, as shares of it.
BREAKS = (0.125, 0.25, 0.5, 0.75, 1.0)
TOL = 1e-9


def model(p: Problem, ev: Evaluation) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Segments of every indicator's curve from ``ev`` to its bound: owner, length, score slopes.

    Returns ``owner`` (segments,), ``length`` (segments,) in spread units and ``slope`` (segments x
    units) in score points per spread unit.
    """
    owner, length, slope = [], [], []
    for j in range(len(p.codes)):
        prev_z, prev_s = ev.z[j], ev.scores
        left = p.room[j] - ev.z[j]
        for f in BREAKS:
            zj = ev.z[j] + f * left
            if zj - prev_z <= ZERO:
                continue
            z = ev.z.copy()
            z[j] = zj
            e = p.evaluate(z)
            owner.append(j)
            length.append(zj - prev_z)
            with np.errstate(invalid="ignore"):
                slope.append(np.nan_to_num((e.scores - prev_s) / (zj - prev_z)))
            prev_z, prev_s = zj, e.scores
    return np.array(owner, dtype=np.intp), np.array(length), np.array(slope).reshape(len(owner), -1)


def solve_model(
    p: Problem, ev: Evaluation, owner: np.ndarray, length: np.ndarray, slope: np.ndarray
) -> np.ndarray | None:
    """The least-cost ``z`` under the separable model; None when it says the target is unreachable."""
    i = p.position
    margin = TOL * max(1.0, float(np.nanmax(np.abs(ev.scores))))
    if p.kind == "score":
        a = -slope[:, i][None, :]
        b = np.array([ev.scores[i] - p.target])
    else:
        riv = p.rivals(ev.scores)
        if len(riv) == 0:
            return ev.z.copy()
        a = -(slope[:, i][None, :] - slope[:, riv].T)
        b = ev.scores[i] - ev.scores[riv]
    y = least_cost(p.cost[owner], a, b, length, margin)
    if y is None:
        return None
    z = ev.z + np.bincount(owner, weights=y, minlength=len(p.codes))
    return np.clip(z, 0.0, p.room)


def solve(p: Problem, base: Evaluation, full: Evaluation) -> Attempt | None:
    """One separable model at the start (and, if its plan misses, one more at that plan), verified."""
    ev, it = base, 0
    found: Evaluation | None = None
    cand: Evaluation | None = None
    for _ in range(2):
        it += 1
        z = solve_model(p, ev, *model(p, ev))
        if z is None:
            break
        cand = p.evaluate(z)
        if cand.reached:
            found = cand
            break
        ev = cand
    if found is None and full.reached and cand is not None:
        found = between(p, cand.z, full)
    if found is None:
        return None
    found, more = polish(p, shrink(p, found))
    return Attempt(found, "separable piecewise-linear model (HiGHS) + bisection, verified", False, it + more)
