"""Goal-seeking by linear programming: exact where the pipeline is linear, sequential otherwise.

Where every step is piecewise linear in the unit's values (denominate, screening by missing data, no
outlier treatment, min-max or goalposts normalisation, arithmetic means at every level), the unit's
score is a weighted sum of per-indicator linear functions for as long as no min, max or goalpost is
crossed and no other unit's score moves. Then the least change is the linear programme

    minimise   sum_j cost_j z_j                      (z_j: change of indicator j in spread units)
    subject to s_u(z) >= target                      (score target), or
               s_u(z) >= s_k(z) for every rival k    (rank target N: every other unit except the
                                                       N - 1 best, which may stay ahead)
               0 <= z_j <= room_j                    (bounds, right direction only)

with s(z) = s(0) + G z, G from one full rebuild per movable indicator (a finite difference, which is
exact on a linear piece). HiGHS solves it (``scipy.optimize.linprog``). The plan is *certified* exact
when the checks in :func:`_certify` pass; otherwise the same programme is re-linearised at each
candidate (sequential linear programming) until a full rebuild reaches the target, and the plan is
then shrunk along its own direction by bisection, each step judged by a full rebuild.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from creativecity.index.goal.problem import ZERO, Attempt, Evaluation, Problem

#: Finite-difference step in spread units (exact on a linear piece; coarse enough not to be fooled
#: by rounding in the rebuild).
STEP = 0.05
#: Linear programmes at most before giving up (the caller then tries the greedy search).
MAX_ITER = 12
#: Relative tolerance for "the model matches the rebuild" and "nobody else's score moved".
TOL = 1e-9


def piecewise_linear(spec: Any) -> bool:
    """True when every step of ``spec`` is piecewise linear in one unit's raw values."""
    for step in spec.steps:
        r = step.resolved
        if step.kind == "treat" and r.get("method") != "none":
            return False
        if step.kind == "screen" and r.get("by") != "missing":
            return False
        if step.kind == "normalise" and r.get("method") not in ("minmax", "goalposts"):
            return False
        if step.kind == "aggregate":
            m = r.get("method")
            methods = m.values() if hasattr(m, "values") else [m]
            for v in methods:
                name = v.get("method") if hasattr(v, "get") else v
                if name != "arithmetic":
                    return False
    return True


def _margin(p: Problem, scores: np.ndarray) -> float:
    return TOL * max(1.0, float(np.nanmax(np.abs(scores))))


def jacobian(p: Problem, ev: Evaluation) -> tuple[np.ndarray, list[Evaluation], np.ndarray]:
    """d(scores)/dz by one full rebuild per movable indicator (forward inside the room, else backward).

    Returns the (units x movable) matrix, the rebuilds and the steps taken.
    """
    m = len(p.codes)
    g = np.zeros((len(ev.scores), m))
    builds: list[Evaluation] = []
    steps = np.zeros(m)
    for j in range(m):
        h = min(STEP, p.room[j] - ev.z[j])
        if h <= ZERO:
            h = -min(STEP, ev.z[j])
        z = ev.z.copy()
        z[j] += h
        e = p.evaluate(z)
        builds.append(e)
        steps[j] = h
        with np.errstate(invalid="ignore"):
            g[:, j] = (e.scores - ev.scores) / h
    return np.nan_to_num(g), builds, steps


def least_cost(
    cost: np.ndarray, a: np.ndarray, b: np.ndarray, upper: np.ndarray, margin: float
) -> np.ndarray | None:
    """argmin cost @ x subject to a @ x <= b - margin, 0 <= x <= upper (HiGHS); None when infeasible.

    The margin keeps a plan clear of rounding; when only an exact tie is possible (e.g. matching the
    column maximum at the bound) the programme is solved again without it: the engine's rank rule
    counts scores within 1e-12 of each other as ties, and the rebuild has the last word anyway.
    """
    from scipy.optimize import linprog

    bounds = list(zip(np.zeros(len(upper)), upper, strict=True))
    for m in (margin, 0.0):
        res = linprog(cost, A_ub=a, b_ub=b - m, bounds=bounds, method="highs")
        if res.status == 0:
            return np.clip(np.asarray(res.x, dtype=np.float64), 0.0, upper)
    return None


def solve_lp(p: Problem, ev: Evaluation, g: np.ndarray, margin: float) -> np.ndarray | None:
    """The linear programme at ``ev`` (model s = s(ev) + g (z - ev.z)); None when infeasible."""
    i = p.position
    z0 = ev.z
    if p.kind == "score":
        a = -g[i][None, :]
        b = np.array([ev.scores[i] - g[i] @ z0 - p.target])
    else:
        riv = p.rivals(ev.scores)
        if len(riv) == 0:
            return z0.copy()
        d = g[i][None, :] - g[riv]
        a = -d
        b = (ev.scores[i] - ev.scores[riv]) - d @ z0
    return least_cost(p.cost, a, b, p.room, margin)


def _certify(
    p: Problem, base: Evaluation, full: Evaluation, builds: list[Evaluation], steps: np.ndarray
) -> bool:
    """Is the unit's score linear over the whole box, with every other score fixed?

    In a piecewise-linear pipeline each indicator's normalised value is a piecewise-linear function
    of its raw value with kinks only where a min, max or goalpost is crossed. Crossing a min or max
    moves every other unit's score; a goalpost bends the unit's own function. So the score is linear
    on the box when (a) no other unit's score moves at any finite-difference step nor at the bounds,
    and (b) each indicator's normalised value for the unit changes at the same rate over its step
    as over its whole room (a piecewise-linear function with one of these kinks in between cannot).
    """
    i = p.position
    others = np.ones(len(base.scores), dtype=bool)
    others[i] = False
    scale = TOL * max(1.0, float(np.nanmax(np.abs(base.scores))))
    for e in [*builds, full]:
        if np.nanmax(np.abs(e.scores[others] - base.scores[others]), initial=0.0) > scale:
            return False
    n0 = _normalised(base, p.unit)
    n_full = _normalised(full, p.unit)
    for j, code in enumerate(p.codes):
        n_step = _normalised(builds[j], p.unit)[code]
        start, end = n0[code], n_full[code]
        slope = (n_step - start) / steps[j]
        predicted = start + slope * p.room[j]
        if abs(end - predicted) > TOL * max(1.0, abs(end)) * 10:
            return False
    return True


def shrink(p: Problem, ev: Evaluation, rounds: int = 40) -> Evaluation:
    """Smallest share of a verified plan (along its own direction) that still reaches the target."""
    return between(p, np.zeros_like(ev.z), ev, rounds)


def between(p: Problem, z_from: np.ndarray, ok: Evaluation, rounds: int = 40) -> Evaluation:
    """The point of the segment ``z_from`` -> ``ok.z`` closest to ``z_from`` that still reaches the
    target (bisection; ``ok`` reaches it), each point judged by a full rebuild."""
    lo, hi, best = 0.0, 1.0, ok
    for _ in range(rounds):
        if hi - lo < 1e-9:
            break
        mid = 0.5 * (lo + hi)
        e = p.evaluate(ok.z + (1.0 - mid) * (z_from - ok.z))
        if e.reached:
            hi, best = mid, e
        else:
            lo = mid
    return best


def polish(p: Problem, found: Evaluation, rounds: int = 3) -> tuple[Evaluation, int]:
    """Re-solve the programme linearised at a verified plan; keep a result only if a rebuild confirms
    it and it is cheaper (then shrink it too). Returns the plan and the programmes solved."""
    done = 0
    for _ in range(rounds):
        g, _, _ = jacobian(p, found)
        z = solve_lp(p, found, g, _margin(p, found.scores))
        done += 1
        if z is None:
            break
        cand = p.evaluate(z)
        if not (cand.reached and p.norm(cand.z) < p.norm(found.z) - ZERO):
            break
        found = shrink(p, cand)
    return found, done


def solve(p: Problem, base: Evaluation, full: Evaluation) -> Attempt | None:
    """Least change by (sequential) linear programming, verified by full rebuilds.

    Returns None when no linear programme leads to a plan that a rebuild confirms.
    """
    linear = piecewise_linear(p.results.spec)
    ev, extra, it = base, 0.0, 0
    found: Evaluation | None = None
    feasible = full if full.reached else None  # a verified plan (moving everything to its bound)
    last: Evaluation | None = None
    exact = False
    while it < MAX_ITER:
        it += 1
        g, builds, steps = jacobian(p, ev)
        if it == 1 and linear:
            exact = _certify(p, base, full, builds, steps)
        z = solve_lp(p, ev, g, _margin(p, ev.scores) + extra)
        if z is None:  # the model at ev says unreachable; where it is not linear, look from the far side
            if exact or feasible is None or ev is feasible:
                break
            ev = feasible
            continue
        cand = p.evaluate(z)
        if cand.reached:
            found = cand
            break
        last = cand
        if it >= 3:  # re-linearising alone does not converge: ask for more than the model says
            extra += 0.5 * max(-cand.gap, 0.0)
        ev = cand
    if found is None and feasible is not None and last is not None:
        # no candidate reached: the verified point nearest the last one on the way to a known plan
        found = between(p, last.z, feasible)
    if found is None:
        return None
    notes: list[str] = []
    if exact and it == 1:
        return Attempt(found, "linear programme (HiGHS), exact", True, it)
    found, more = polish(p, shrink(p, found))
    it += more
    if linear and not exact:
        notes.append(
            "pipeline is piecewise linear but the unit crosses a min, max or goalpost, or moves others"
        )
    return Attempt(
        found, "sequential linear programming (HiGHS) + bisection, verified", False, it, tuple(notes)
    )


def _normalised(e: Evaluation, unit: str) -> dict[str, float]:
    """The unit's normalised values in a build, by indicator code."""
    frame = e.results.datasets["Normalised"]
    return {str(k): float(v) for k, v in frame.loc[unit].to_dict().items()}
