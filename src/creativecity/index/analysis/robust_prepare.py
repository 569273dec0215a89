"""Preparing replications: the shared upstream data sets and each replication's aggregation inputs.

Replications that make the same choices before aggregation share one normalised matrix. The distinct
choice tuples are found with ``np.unique``; for each, only the steps from the first one a choice
changes are rerun, starting from the nominal build's data set before it, through the engine's own step
registry (``REGISTRY[kind].resolve`` to validate and fill defaults, ``REGISTRY[kind].run`` to compute),
so the numbers are the engine's by construction. States before normalisation are cached by their own
choice tuple, so 5 winsorisation choices x 2 normalisations cost 5 treat runs and 10 normalisations.

Aggregation choices (method, min_data, p, weight sets) become a small table of :class:`AggConfig` and a
(replications x codes) weight array, on which weight noise multiplies in place.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from creativecity.errors import InputError
from creativecity.index.analysis.assumptions import INTEGER_PARAMETERS, Assumption, AssumptionSet, thaw
from creativecity.index.analysis.robust_sampling import Replications
from creativecity.index.analysis.robust_vectorised import AggConfig, ChunkArg, Shared, Tree, chunk_size


@dataclass
class Prepared:
    """Everything decided before the chunks run: shared data, per-replication indices and weights."""

    shared: Shared
    group: np.ndarray
    config: np.ndarray
    weights: np.ndarray
    nominal_results: Any
    n_upstream: int
    warnings: list[str] = field(default_factory=list)

    def chunks(self, want_y: bool = False) -> list[ChunkArg]:
        """Chunk arguments; boundaries depend only on the problem size (never on the workers)."""
        size = chunk_size(self.shared.tree, len(self.shared.units), len(self.group))
        return [
            ChunkArg(
                s, self.group[s : s + size], self.config[s : s + size], self.weights[s : s + size], want_y
            )
            for s in range(0, len(self.group), size)
        ]


def _setting_codes(reps: Replications, assumptions: list[Assumption]) -> np.ndarray:
    """(replications x assumptions) numeric codes: choice index, drawn integer or drawn number."""
    cols = [
        reps.choice[a.name].astype(float) if a.name in reps.choice else reps.value[a.name]
        for a in assumptions
    ]
    return np.column_stack(cols) if cols else np.zeros((reps.n, 0))


def setting(a: Assumption, code: float) -> Any:
    """The spec value an assumption sets for a numeric code from :func:`_setting_codes`."""
    if a.kind == "values":
        return thaw(a.values[int(code)])
    if a.parameter in INTEGER_PARAMETERS:
        return int(code)
    return float(code)


def _unique_rows(codes: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    if codes.shape[1] == 0:
        return np.zeros((1, 0)), np.zeros(n, dtype=np.int64)
    uniq, inv = np.unique(codes, axis=0, return_inverse=True)
    return uniq, np.asarray(inv).reshape(-1).astype(np.int64)


def _describe(assumptions: list[Assumption], key: tuple[float, ...]) -> str:
    return ", ".join(f"{a.name} = {setting(a, c)!r}" for a, c in zip(assumptions, key, strict=True))


def _guard(
    func: Any,
    assumptions: list[Assumption],
    key: tuple[float, ...],
    where: tuple[Any, AssumptionSet] | None = None,
) -> Any:
    """Run ``func``; an InputError it raises is re-raised naming the choices that led to it.

    ``where`` = (nominal spec, assumption set). When the error is about a field of the spec's step
    ``k`` (a dist2ref unit, a group column, a forced unit that these data do not have) and exactly
    one of ``assumptions`` varies that step, the nominal spec is not at fault: the error is
    re-pointed at the assumptions file, the assumption and the choice, as the checks made when the
    file is read do.
    """
    try:
        return func()
    except InputError as exc:
        if where is not None:
            blamed = _blame(exc, assumptions, key, *where)
            if blamed is not None:
                raise blamed from None
        choices = _describe(assumptions, key)
        raise InputError(
            f"with {choices}: {exc.message}" if choices else exc.message,
            file=exc.file,
            row=exc.row,
            column=exc.column,
            rule=exc.rule,
        ) from None


def _blame(
    exc: InputError, assumptions: list[Assumption], key: tuple[float, ...], spec: Any, aset: AssumptionSet
) -> InputError | None:
    """The error ``exc`` re-pointed at the one assumption whose choice caused it, or None."""
    column = str(exc.column or "")
    if exc.file != getattr(spec, "source", None) or not column.startswith("steps["):
        return None
    try:
        kind = spec.steps[int(column[len("steps[") : column.index("]")])].kind
    except (ValueError, IndexError, AttributeError):
        return None
    hits = [(a, c) for a, c in zip(assumptions, key, strict=True) if a.step == kind]
    if len(hits) != 1:
        return None
    a, code = hits[0]
    fld = f"values[{int(code)}]" if a.kind == "values" else "range"
    return aset.error(
        a,
        fld,
        f"the choice {setting(a, code)!r} cannot be used with these data ({column} of the spec as changed): "
        f"{exc.message}",
        exc.rule or "valid choice",
    )


class _Steps:
    """The nominal spec's steps as (kind, written params, resolved params), changed by assumptions."""

    def __init__(self, framework: Any, data: Any, spec: Any, nominal: Any) -> None:
        from creativecity.index.steps.registry import REGISTRY

        self.registry = REGISTRY
        self.framework, self.data, self.spec, self.nominal = framework, data, spec, nominal
        self.kinds = list(spec.kinds)
        self._states: dict[object, Any] = {}  # by data-set name, or (id(state), "info")

    def resolved_with(self, changes: list[tuple[Assumption, float]]) -> dict[int, dict[str, Any]]:
        """Step index -> resolved parameters after applying the assumptions' settings.

        Raises
        ------
        InputError
            When a setting is not valid for the step (naming the assumption).
        """
        given: dict[int, dict[str, Any]] = {}
        for a, code in changes:
            i = self.kinds.index(a.step)
            value = setting(a, code)
            if a.parameter is None:
                given[i] = {k: v for k, v in dict(value).items() if k != "step"}
            else:
                params = given.setdefault(i, thaw(dict(self.spec.steps[i].params)))
                params[a.parameter] = value
        out: dict[int, dict[str, Any]] = {}
        for i, params in given.items():
            try:
                out[i] = self.registry[self.kinds[i]].resolve(params, self.spec.source, f"steps[{i}]")
            except InputError as exc:
                names = ", ".join(a.label for a, _ in changes if self.kinds.index(a.step) == i)
                raise InputError(
                    f"{names}: a choice is not valid for step {self.kinds[i]!r}: {exc.message}",
                    file=exc.file,
                    column=exc.column,
                    rule=exc.rule,
                ) from None
        return out

    def first_changed(self, resolved: dict[int, dict[str, Any]]) -> int:
        """Index of the first step whose parameters differ from the nominal ones (len(steps) if none)."""
        for i in sorted(resolved):
            if thaw(dict(resolved[i])) != thaw(dict(self.spec.steps[i].resolved)):
                return i
        return len(self.kinds)

    def state_before(self, i: int) -> Any:
        """The nominal data set entering step ``i`` (Raw for the first step), cached."""
        from creativecity.index.steps.base import State

        name = self.spec.steps[i - 1].dataset if i else "Raw"
        if name not in self._states:
            df = self.nominal.datasets[name]
            self._states[name] = State(df.index, tuple(df.columns), df.to_numpy(dtype=np.float64))
        return self._states[name]

    def normalise(self, state: Any, i: int, resolved: dict[int, dict[str, Any]]) -> Any:
        """Normalise ``state`` as step ``i`` would, calling the engine's method function directly.

        ``normalise.run`` rebuilds its column information (directions, targets) with pandas on every
        call, which costs more than the normalisation itself on small data; here it is built once per
        upstream state. Any refusal is handed to the engine's own ``run`` so the error is the engine's.
        """
        from creativecity.index.steps.base import State
        from creativecity.index.steps.normalise import ColumnInfo, directed

        params = dict(resolved.get(i, dict(self.spec.steps[i].resolved)))
        kind = self.registry["normalise"]
        key = (id(state), "info")
        if key not in self._states:
            fw = self.framework
            cols = list(state.columns)
            direction = fw.direction.reindex(cols).to_numpy(dtype=np.float64)
            info = ColumnInfo(
                direction=direction,
                target=fw.targets.reindex(cols).to_numpy(dtype=np.float64),
                units=np.asarray(state.units, dtype=object),
                codes=state.columns,
            )
            self._states[key] = (state, directed(state.x, direction), info)
        _, x_directed, info = self._states[key]
        method = params.pop("method")
        try:
            out = kind.methods[method].func(x_directed, info, **params)
        except Exception:
            return self.run(state, i, i + 1, resolved)
        return State(state.units, state.columns, np.asarray(out, dtype=np.float64))

    def run(self, state: Any, start: int, stop: int, resolved: dict[int, dict[str, Any]]) -> Any:
        """Run steps ``start .. stop - 1`` from ``state`` with changed or nominal parameters."""
        from creativecity.index.steps.base import BuildContext

        for i in range(start, stop):
            params = resolved.get(i, dict(self.spec.steps[i].resolved))
            ctx = BuildContext(self.framework, self.data, self.spec.source, f"steps[{i}]")
            state = self.registry[self.kinds[i]].run(state, dict(params), ctx).state
        return state


def prepare(
    framework: Any,
    data: Any,
    spec: Any,
    aset: AssumptionSet,
    reps: Replications,
    nominal: Any | None = None,
    progress: Any | None = None,
) -> Prepared:
    """Compute the shared upstream data sets and the per-replication aggregation inputs.

    ``progress(done, total)`` is called after each distinct upstream data set (many of them when a
    continuous range acts before aggregation, since then every replication has its own).

    Raises
    ------
    InputError
        When a choice makes a step fail (e.g. a normalisation of a constant column) or is not valid,
        naming the assumption choices that caused it.
    """
    from creativecity.index.pipeline import build
    from creativecity.index.ranking import rank_scores

    if nominal is None:
        nominal = build(framework, data, spec)
    tree = Tree.from_framework(framework, aset.target)
    units = tuple(str(u) for u in data.units)
    unit_pos = {u: i for i, u in enumerate(units)}
    steps = _Steps(framework, data, spec, nominal)
    norm_idx = steps.kinds.index("normalise")
    agg_idx = steps.kinds.index("aggregate")

    upstream = [a for a in aset.assumptions if a.step != "aggregate"]
    pre = [a for a in upstream if steps.kinds.index(a.step) < norm_idx]
    agg = [a for a in aset.assumptions if a.step == "aggregate" and a.kind != "noise"]

    # 1. upstream groups: one normalised matrix per distinct tuple of upstream choices
    uniq, group = _unique_rows(_setting_codes(reps, upstream), reps.n)
    pre_cols = [upstream.index(a) for a in pre]
    pre_cache: dict[tuple[float, ...], tuple[dict[int, dict[str, Any]], Any]] = {}
    matrices: list[np.ndarray] = []
    for row in uniq:
        key = tuple(row[pre_cols])
        if key not in pre_cache:
            resolved = steps.resolved_with(list(zip(pre, key, strict=True)))
            first = min(steps.first_changed(resolved), norm_idx)
            state = steps.state_before(first)
            if first < norm_idx:
                state = _guard(
                    lambda st=state, f=first, r=resolved: steps.run(st, f, norm_idx, r),
                    pre,
                    key,
                    (spec, aset),
                )
            pre_cache[key] = (resolved, state)
        resolved, state = pre_cache[key]
        all_resolved = dict(resolved)
        all_resolved.update(steps.resolved_with(list(zip(upstream, row, strict=True))))
        normalised = _guard(
            lambda st=state, r=all_resolved: steps.normalise(st, norm_idx, r),
            upstream,
            tuple(row),
            (spec, aset),
        )
        col_pos = {c: i for i, c in enumerate(normalised.columns)}
        x = np.full((len(units), len(tree.level_codes[0])), np.nan)
        x[[unit_pos[str(u)] for u in normalised.units]] = np.asarray(normalised.x)[
            :, [col_pos[c] for c in tree.level_codes[0]]
        ]
        matrices.append(x)
        if progress:
            progress(len(matrices), len(uniq))

    # 2. aggregation configs and base weights, one per distinct tuple of aggregation choices
    uniq_a, agg_inv = _unique_rows(_setting_codes(reps, agg), reps.n)
    configs: list[AggConfig] = []
    config_index: dict[AggConfig, int] = {}
    base_weights: list[np.ndarray] = []
    row_config = np.empty(len(uniq_a), dtype=np.int64)
    for i, row in enumerate(uniq_a):
        changes = list(zip(agg, row, strict=True))
        agg_params = steps.resolved_with(changes).get(agg_idx, dict(spec.steps[agg_idx].resolved))
        cfg, wvec = _guard(
            lambda r=agg_params: _config_from(framework, tree, r, spec.source, agg_idx),
            agg,
            tuple(row),
            (spec, aset),
        )
        if cfg not in config_index:
            config_index[cfg] = len(configs)
            configs.append(cfg)
        row_config[i] = config_index[cfg]
        base_weights.append(wvec)
    config = row_config[agg_inv]
    weights = np.array(np.stack(base_weights)[agg_inv], dtype=float)

    # 3. weight noise multiplies the weights it covers
    wpos = {c: i for i, c in enumerate(tree.weight_codes)}
    warnings: list[str] = []
    for a in aset.assumptions:
        if a.kind == "noise":
            codes, mult = reps.noise[a.name]
            outside = [c for c in codes if c not in wpos]
            if outside and len(outside) == len(codes):
                warnings.append(
                    f"{a.label}: none of its weights is under {aset.target!r}; it changes nothing"
                )
            for j, c in enumerate(codes):
                if c in wpos:
                    weights[:, wpos[c]] *= mult[:, j]

    # nominal ranks: the engine's ranking of the engine's nominal scores
    agg_df = nominal.datasets["Aggregated"]
    nominal_rank = rank_scores(agg_df[[aset.target]].to_numpy(dtype=float))[:, 0]
    nominal_arr = np.zeros(len(units))
    nominal_arr[[unit_pos[str(u)] for u in agg_df.index]] = np.nan_to_num(nominal_rank, nan=0.0)
    shared = Shared(tree, units, matrices, configs, nominal_arr)
    return Prepared(shared, group, config, weights, nominal, len(matrices), warnings)


def _config_from(
    framework: Any, tree: Tree, resolved: dict[str, Any], source: str, i: int
) -> tuple[AggConfig, np.ndarray]:
    """Method per aggregate of the subtree, min_data, and the base weight vector, as the engine reads them."""
    from creativecity.index.steps.aggregate import check_against_framework, method_for

    path = f"steps[{i}]"
    # The same plan/weight checks the engine's build makes (one place for the rules).
    plan, weights = check_against_framework(framework, resolved, source, path)
    methods = []
    for j in range(1, len(tree.level_codes)):
        lev = tree.levels[j]
        row = []
        for code in tree.level_codes[j]:
            m = method_for(plan, code, lev, resolved.get("p"))
            row.append((str(m["method"]), float(m.get("p", 1.0))))
        methods.append(tuple(row))
    wvec = np.array([weights.get(c, math.nan) for c in tree.weight_codes], dtype=float)
    md = resolved.get("min_data")
    return AggConfig(tuple(methods), None if md is None else float(md)), wvec


def replication_spec(spec: Any, framework: Any, aset: AssumptionSet, reps: Replications, i: int) -> Any:
    """The full pipeline spec of replication ``i``, for ``build`` (checks and provenance).

    Weight noise becomes ``aggregate.weights: {code: weight}`` with every code's weight written out.
    """
    from creativecity.index.steps.aggregate import resolve_weights

    s = spec
    for a in aset.assumptions:
        if a.kind != "noise":
            s = s.set(a.at, thaw(reps.setting(a, i)))
    for a in aset.assumptions:
        if a.kind == "noise":
            step = s.step("aggregate")
            base = resolve_weights(framework, step.resolved.get("weights"), s.source, "aggregate")
            codes, mult = reps.noise[a.name]
            new = {c: w for c, w in base.items() if math.isfinite(w)}
            for j, c in enumerate(codes):
                if c in new:
                    new[c] = new[c] * float(mult[i, j])
            s = s.set("aggregate.weights", new)
    return s
