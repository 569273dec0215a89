"""Results of a build: every data set, scores, ranks, step details, warnings and provenance.

Results are immutable: every accessor returns a copy, so a report or an analysis can never change
the numbers another part of the program reads. They also know how they were made (spec, input hashes,
package version) so that a published rank can be traced back to its inputs.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from creativecity.errors import InputError
from creativecity.fileio import atomic_output_dir, to_json
from creativecity.index.ranking import rank_scores

if TYPE_CHECKING:
    from creativecity.index.data import UnitData
    from creativecity.index.framework import Framework
    from creativecity.index.spec import Spec
    from creativecity.index.steps.base import State, StepOutput


class _DatasetView(Mapping[str, pd.DataFrame]):
    """Read-only mapping name -> DataFrame; each access gives a fresh copy."""

    def __init__(self, states: Mapping[str, State]) -> None:
        self._states = states

    def __getitem__(self, key: str) -> pd.DataFrame:
        return self._states[key].frame().copy()

    def __iter__(self) -> Iterator[str]:
        return iter(self._states)

    def __len__(self) -> int:
        return len(self._states)

    def __repr__(self) -> str:
        return f"datasets({', '.join(self._states)})"


@dataclass(frozen=True, eq=False)
class Results:
    """What :func:`creativecity.index.build` returns.

    Attributes
    ----------
    framework, data, spec
        The inputs the results were built from.
    warnings
        Everything a person should know about the build (imputation gaps, dropped units...).
    provenance
        Package version, input names and hashes, build time.
    """

    framework: Framework
    data: UnitData
    spec: Spec
    _states: Mapping[str, State] = field(repr=False)
    _outputs: tuple[StepOutput, ...] = field(repr=False)
    warnings: tuple[str, ...] = ()
    provenance: Mapping[str, Any] = field(default_factory=dict)

    @property
    def datasets(self) -> Mapping[str, pd.DataFrame]:
        """Name -> data set (index uCode); ``Aggregated`` holds indicators and aggregates."""
        return _DatasetView(self._states)

    @property
    def units(self) -> list[str]:
        """Units that received scores (after screening), sorted."""
        return self._states["Aggregated"].units.tolist()

    @property
    def scores(self) -> pd.DataFrame:
        """uCode x framework.codes: normalised indicators and aggregate scores."""
        return self._states["Aggregated"].frame()[self.framework.codes].copy()

    @property
    def ranks(self) -> pd.DataFrame:
        """uCode x codes: rank of -score, ties take the minimum, missing stays missing (Int64)."""
        s = self._states["Aggregated"]
        r = rank_scores(s.x)
        df = pd.DataFrame(r, index=s.units, columns=list(s.columns))[self.framework.codes]
        df.index.name = "uCode"
        return df.astype("Int64")

    def ranks_within(self, group_column: str) -> pd.DataFrame:
        """Ranks computed separately inside each group of ``group_column`` (no label: missing).

        Raises
        ------
        InputError
            When the unit data has no such group column.
        """
        groups = self.data.groups
        if group_column not in groups.columns:
            raise InputError(
                f"no group column {group_column!r} in the unit data",
                file=self.data.source_name,
                column=group_column,
                rule="known group column",
            )
        scores = self.scores
        labels = groups[group_column].reindex(scores.index)
        out = pd.DataFrame(np.nan, index=scores.index, columns=scores.columns)
        for label in pd.unique(labels.dropna()):
            sel = (labels == label).to_numpy()
            out.loc[sel, :] = rank_scores(scores.to_numpy()[sel])
        return out.astype("Int64")

    @property
    def details(self) -> dict[str, Any]:
        """Step kind -> what the step recorded (treatment table, screening table, imputation counts...)."""
        out: dict[str, Any] = {}
        for step, o in zip(self.spec.steps, self._outputs, strict=True):
            d = o.details() if callable(o.details) else o.details  # tables are built on demand
            out[step.kind] = d.copy() if isinstance(d, (pd.DataFrame, dict)) else d
        return out

    def top(self, code: str | None = None, n: int = 10) -> pd.DataFrame:
        """The ``n`` best units on ``code`` (default: the first top-level code): name, score, rank."""
        code = code or self.framework.codes_at(self.framework.n_levels)[0]
        df = pd.DataFrame(
            {
                "uName": self.data.names.reindex(self.units),
                "score": self.scores[code],
                "rank": self.ranks[code],
            }
        )
        return df.sort_values(["rank", "score"], ascending=[True, False], na_position="last").head(n)

    # ------------------------------------------------------------------ rebuilding
    def rebuild(self, new_spec: Spec, *, from_step: int | str | None = None) -> Results:
        """Rebuild with ``new_spec``, recomputing only from the first step that differs.

        Parameters
        ----------
        new_spec
            The changed spec (same framework and data).
        from_step
            Force recomputation from this step (index in the spec or step kind) even if unchanged.
        """
        from creativecity.index.pipeline import run_pipeline

        return run_pipeline(self.framework, self.data, new_spec, reuse=self, from_step=from_step)

    # ------------------------------------------------------------------ output
    def to_dict(self) -> dict[str, Any]:
        """Machine summary (for ``--json`` and ``results.json``)."""
        details: dict[str, Any] = {}
        for kind, d in self.details.items():
            if isinstance(d, pd.DataFrame):
                recs = d.reset_index().to_dict(orient="records")
                details[kind] = [{k: _plain(v) for k, v in r.items()} for r in recs]
            else:
                details[kind] = d
        from creativecity.index.spec import _thaw

        return {
            "spec": self.spec.to_dict(),
            "steps_as_run": [{"step": st.kind, **_thaw(st.resolved)} for st in self.spec.steps],
            "units": len(self.units),
            "datasets": list(self._states),
            "warnings": list(self.warnings),
            "provenance": dict(self.provenance),
            "details": details,
        }

    def write(self, out: str | Path) -> Path:
        """Write scores.csv, ranks.csv, datasets/NAME.csv and results.json (CONTRACTS.md §3), atomically."""
        with atomic_output_dir(out) as stage:
            write_csv(self.scores, stage / "scores.csv")
            write_csv(self.ranks, stage / "ranks.csv")
            (stage / "datasets").mkdir()
            for name in self._states:
                write_csv(self._states[name].frame(), stage / "datasets" / f"{name}.csv")
            (stage / "results.json").write_text(to_json(self.to_dict()) + "\n", encoding="utf-8")
        return Path(out)

    def __repr__(self) -> str:
        return f"Results({len(self.units)} units, datasets: {', '.join(self._states)})"


def _plain(v: Any) -> Any:
    if isinstance(v, (np.generic,)):
        v = v.item()
    if isinstance(v, float) and np.isnan(v):
        return None
    if v is pd.NA:
        return None
    return v


def write_csv(df: pd.DataFrame, path: Path) -> None:
    """CSV with ``uCode`` first, floats written so they read back bit-identical, empty for missing."""
    out = df.copy()
    out.index.name = "uCode"
    out.to_csv(path, na_rep="", float_format="%.17g", lineterminator="\n")
