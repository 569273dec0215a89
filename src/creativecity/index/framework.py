"""The indicator framework ("iMeta"): which indicators exist and how they roll up into an index.

Every later step trusts the framework blindly (an aggregate's children, a weight, a direction), so all
the structural rules of ENGINE.md §0 are checked here, once, with errors that point at the exact
spreadsheet cell a person has to fix.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from creativecity.errors import InputError
from creativecity.index._frozen import FrozenMap
from creativecity.index._tables import FIRST_ROW, RawTable, numeric_column, read_table, text_cells

#: Values of the iMeta ``Type`` column.
TYPES = ("Indicator", "Aggregate", "Group", "Denominator", "Other")
#: Columns that must be present in iMeta.
REQUIRED_COLUMNS = ("Level", "iCode", "Direction", "Weight", "Parent", "Type")
#: Columns read when present (ENGINE.md §0); any others are kept untouched.
OPTIONAL_COLUMNS = ("iName", "Unit", "Target", "Denominator")

_CODE_RE = re.compile(r"^[^\s\d][^\s]*$")


def check_code(code: str, *, file: str, row: int | str | None, column: str) -> None:
    """Refuse codes that would break formulas, file names or CSV headers downstream."""
    if not code:
        raise InputError("code is empty", file=file, row=row, column=column, rule="code required")
    if not _CODE_RE.match(code):
        raise InputError(
            f"code {code!r} must not contain spaces or start with a digit",
            file=file,
            row=row,
            column=column,
            rule="valid code",
        )


@dataclass(frozen=True, eq=False)
class Framework:
    """A validated indicator framework (iMeta).

    Build it with :meth:`Framework.read`. It is immutable; :meth:`with_weights` returns a new one.

    Attributes
    ----------
    table
        The validated iMeta rows in their original order, extra columns kept (a copy is returned).
    source_name
        The file (or name) it was read from, for messages.
    sha256
        Hash of the iMeta file bytes, ``None`` for a DataFrame.
    """

    _table: pd.DataFrame = field(repr=False)
    source_name: str = "iMeta"
    sha256: str | None = None

    # ------------------------------------------------------------------ reading
    @classmethod
    def read(cls, source: str | Path | pd.DataFrame, *, name: str | None = None) -> Framework:
        """Read and validate iMeta from a CSV/XLSX file or a DataFrame.

        Raises
        ------
        InputError
            Naming the file, spreadsheet row (header = row 1), column and rule for the first problem.
        """
        raw = read_table(source, name=name, what="iMeta")
        return cls(_validate(raw), raw.name, raw.sha256)

    # ------------------------------------------------------------------ structure
    @property
    def table(self) -> pd.DataFrame:
        """The validated iMeta table (a copy: the framework cannot be changed through it)."""
        return self._table.copy()

    @cached_property
    def _rows(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self._table["iCode"])}

    @cached_property
    def indicators(self) -> list[str]:
        """Level-1 indicator codes, in iMeta row order (the column order of every data set)."""
        t = self._table
        return t.loc[t["Type"] == "Indicator", "iCode"].tolist()

    @cached_property
    def aggregates(self) -> list[str]:
        """Aggregate codes in iMeta row order."""
        t = self._table
        return t.loc[t["Type"] == "Aggregate", "iCode"].tolist()

    @cached_property
    def codes(self) -> list[str]:
        """Indicators and aggregates in iMeta row order: the columns of ``scores.csv``."""
        t = self._table
        return t.loc[t["Type"].isin(["Indicator", "Aggregate"]), "iCode"].tolist()

    @cached_property
    def n_levels(self) -> int:
        """Number of levels L (indicators are level 1, the top aggregates level L)."""
        t = self._table
        return int(t.loc[t["Type"].isin(["Indicator", "Aggregate"]), "Level"].max())

    @cached_property
    def _level(self) -> dict[str, int]:
        t = self._table
        sel = t["Type"].isin(["Indicator", "Aggregate"])
        return dict(zip(t.loc[sel, "iCode"], t.loc[sel, "Level"].astype(int), strict=True))

    @cached_property
    def _parent(self) -> dict[str, str | None]:
        t = self._table
        sel = t["Type"].isin(["Indicator", "Aggregate"])
        return {c: (p or None) for c, p in zip(t.loc[sel, "iCode"], t.loc[sel, "Parent"], strict=True)}

    @cached_property
    def _children(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {a: [] for a in self.aggregates}
        for code in self.codes:
            p = self._parent[code]
            if p is not None:
                out[p].append(code)
        return out

    def _known(self, code: str) -> None:
        if code not in self._level:
            raise KeyError(f"{code!r} is not an indicator or aggregate of this framework")

    def level(self, code: str) -> int:
        """Level of an indicator (1) or aggregate (>= 2)."""
        self._known(code)
        return self._level[code]

    def parent(self, code: str) -> str | None:
        """Parent aggregate of ``code``; ``None`` at the top level."""
        self._known(code)
        return self._parent[code]

    def children(self, code: str) -> list[str]:
        """Children of an aggregate in iMeta row order (empty for an indicator)."""
        self._known(code)
        return list(self._children.get(code, []))

    def codes_at(self, level: int) -> list[str]:
        """Codes at one level, in iMeta row order."""
        return [c for c in self.codes if self._level[c] == level]

    @cached_property
    def names(self) -> pd.Series:
        """Code -> human name (``iName``, or the code where it is missing)."""
        t = self._table
        sel = t["Type"].isin(["Indicator", "Aggregate"])
        names = t.loc[sel, "iName"].where(t.loc[sel, "iName"] != "", t.loc[sel, "iCode"])
        return _ro(pd.Series(names.to_numpy(), index=t.loc[sel, "iCode"].to_numpy(), name="iName"))

    @cached_property
    def direction(self) -> pd.Series:
        """Indicator -> +1 / -1 (higher is better / lower is better)."""
        t = self._table.set_index("iCode")
        return _ro(t.loc[self.indicators, "Direction"].astype(np.float64).rename("Direction"))

    @cached_property
    def weights(self) -> pd.Series:
        """Code -> iMeta weight (NaN allowed only for top-level codes, where it is never used)."""
        t = self._table.set_index("iCode")
        return _ro(t.loc[self.codes, "Weight"].astype(np.float64).rename("Weight"))

    @cached_property
    def targets(self) -> pd.Series:
        """Indicator -> iMeta ``Target`` (NaN where none), used by ``dist2targ``."""
        t = self._table.set_index("iCode")
        return _ro(t.loc[self.indicators, "Target"].astype(np.float64).rename("Target"))

    @cached_property
    def denominator(self) -> Mapping[str, str]:
        """Indicator -> denominator column, for indicators that have one."""
        t = self._table
        sel = (t["Type"] == "Indicator") & (t["Denominator"] != "")
        return FrozenMap(dict(zip(t.loc[sel, "iCode"], t.loc[sel, "Denominator"], strict=True)))

    @cached_property
    def group_columns(self) -> list[str]:
        """Unit-data columns declared as ``Group`` (labels used by group imputation, group ranks)."""
        t = self._table
        return t.loc[t["Type"] == "Group", "iCode"].tolist()

    @cached_property
    def denominator_columns(self) -> list[str]:
        """Unit-data columns declared as ``Denominator``."""
        t = self._table
        return t.loc[t["Type"] == "Denominator", "iCode"].tolist()

    @cached_property
    def other_columns(self) -> list[str]:
        """Unit-data columns declared as ``Other`` (kept, not used in computations)."""
        t = self._table
        return t.loc[t["Type"] == "Other", "iCode"].tolist()

    # ------------------------------------------------------------------ weights
    def with_weights(self, mapping: Mapping[str, float]) -> Framework:
        """A new framework whose ``Weight`` is replaced for the codes in ``mapping``.

        Raises
        ------
        InputError
            For an unknown code or a weight that is not a finite number >= 0.
        """
        t = self._table.copy()
        for code, w in mapping.items():
            if code not in self._level:
                raise InputError(
                    f"unknown code {code!r} in weights", file="weights", column=str(code), rule="known code"
                )
            w = _weight_value(w, file="weights", row=None, column=str(code))
            t.loc[t["iCode"] == code, "Weight"] = w
        return Framework(t, self.source_name, self.sha256)

    def effective_weights(self, weights: Mapping[str, float] | pd.Series | None = None) -> pd.Series:
        """Each code's weight in the top-level code: the product of within-parent normalised weights.

        Parameters
        ----------
        weights
            Weights replacing the iMeta ones for the given codes (others keep iMeta).

        Returns
        -------
        pandas.Series
            Code -> effective weight; top-level codes have 1. (ASEM: each ConEcFin indicator 0.02.)
        """
        w = self.weights.copy()
        if weights is not None:
            for code, value in dict(weights).items():
                self._known(code)
                w[code] = float(value)
        share: dict[str, float] = {}
        for agg in self.aggregates:
            kids = self._children[agg]
            total = float(sum(w[k] for k in kids))
            for k in kids:
                share[k] = w[k] / total if total > 0 else math.nan
        out: dict[str, float] = {}
        for code in self.codes:
            value, cur = 1.0, code
            while self._parent[cur] is not None:
                value *= share[cur]
                cur = self._parent[cur]  # type: ignore[assignment]
            out[code] = value
        return pd.Series(out, name="effective_weight")

    def weight_set(self, name: str) -> pd.Series:
        """A named weight set: ``iMeta``/``original`` (Weight), ``equal``, or a numeric iMeta column.

        Raises
        ------
        InputError
            When no such set exists.
        """
        if name in ("iMeta", "original", "Weight"):
            return self.weights.copy()
        if name == "equal":
            return pd.Series(1.0, index=self.codes, name="equal")
        t = self._table
        if name in t.columns and name not in ("Level", "Direction", "Target"):
            sel = t["Type"].isin(["Indicator", "Aggregate"])
            vals = numeric_column(t.loc[sel, name], file=self.source_name, column=name, rule="numeric weight")
            return pd.Series(vals, index=t.loc[sel, "iCode"].to_numpy(), name=name)
        raise InputError(
            f"unknown weight set {name!r} "
            "(use iMeta, equal, a numeric iMeta column, or a mapping code: weight)",
            file="spec",
            column="weights",
            rule="known weight set",
        )

    def __repr__(self) -> str:
        return (
            f"Framework({self.source_name!r}: {len(self.indicators)} indicators, "
            f"{len(self.aggregates)} aggregates, {self.n_levels} levels)"
        )


def _ro(s: pd.Series) -> pd.Series:
    """Series whose data cannot be written through (callers get it from a frozen object)."""
    s = s.copy()
    arr = s.to_numpy()
    if isinstance(arr, np.ndarray):
        with contextlib.suppress(ValueError):
            arr.flags.writeable = False
    return s


def _weight_value(value: object, *, file: str, row: int | str | None, column: str) -> float:
    try:
        w = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError(
            f"weight {value!r} is not a number", file=file, row=row, column=column, rule="numeric Weight"
        ) from None
    if not math.isfinite(w) or w < 0:
        raise InputError(
            f"weight {value!r} must be a finite number >= 0",
            file=file,
            row=row,
            column=column,
            rule="Weight >= 0",
        )
    return w


def _validate(raw: RawTable) -> pd.DataFrame:
    """Check every rule of ENGINE.md §0 and return the typed table."""
    f = raw.frame
    file = raw.name
    for col in REQUIRED_COLUMNS:
        if col not in f.columns:
            raise InputError(
                f"required column {col!r} is missing (found: {', '.join(map(str, f.columns))})",
                file=file,
                column=col,
                rule="required column",
            )
    if len(f) == 0:
        raise InputError("iMeta has a header but no rows", file=file, rule="non-empty file")
    rows = np.arange(len(f)) + FIRST_ROW
    out = pd.DataFrame(index=range(len(f)))
    text = {c: text_cells(f[c]) for c in f.columns}
    for col in f.columns:  # keep every column, in order, as text first
        out[col] = text[col]
    out["iCode"] = text["iCode"]
    for col in OPTIONAL_COLUMNS:
        if col not in out.columns:
            out[col] = ""
    # Type
    for i, typ in enumerate(out["Type"]):
        if typ not in TYPES:
            raise InputError(
                f"unknown Type {typ!r} (one of {', '.join(TYPES)})",
                file=file,
                row=int(rows[i]),
                column="Type",
                rule="known Type",
            )
    # codes
    seen: dict[str, int] = {}
    for i, code in enumerate(out["iCode"]):
        check_code(code, file=file, row=int(rows[i]), column="iCode")
        if code in seen:
            raise InputError(
                f"duplicate iCode {code!r} (first on row {seen[code]})",
                file=file,
                row=int(rows[i]),
                column="iCode",
                rule="unique iCode",
            )
        seen[code] = int(rows[i])
    is_ind = (out["Type"] == "Indicator").to_numpy()
    is_agg = (out["Type"] == "Aggregate").to_numpy()
    is_code = is_ind | is_agg
    if not is_ind.any():
        raise InputError(
            "iMeta has no row of Type Indicator", file=file, column="Type", rule="at least one indicator"
        )
    # Level
    level = numeric_column(f["Level"], file=file, column="Level", rule="integer Level")
    for i in np.flatnonzero(is_code).tolist():
        lv = level[i]
        if np.isnan(lv) or lv != int(lv) or lv < 1:
            raise InputError(
                f"Level {f['Level'].iloc[i]!r} must be a whole number >= 1",
                file=file,
                row=int(rows[i]),
                column="Level",
                rule="integer Level",
            )
        if is_ind[i] and lv != 1:
            raise InputError(
                f"indicator {out['iCode'].iloc[i]!r} has Level {int(lv)}; indicators are Level 1",
                file=file,
                row=int(rows[i]),
                column="Level",
                rule="indicators at level 1",
            )
        if is_agg[i] and lv < 2:
            raise InputError(
                f"aggregate {out['iCode'].iloc[i]!r} has Level {int(lv)}; aggregates are Level >= 2",
                file=file,
                row=int(rows[i]),
                column="Level",
                rule="aggregates at level >= 2",
            )
    present = sorted({int(level[i]) for i in np.flatnonzero(is_code)})
    top = present[-1]
    for lv in range(1, top + 1):
        if lv not in present:
            first_above = next(i for i in np.flatnonzero(is_code) if level[i] > lv)
            raise InputError(
                f"no code at Level {lv} although Level {top} exists; levels must be contiguous 1..{top}",
                file=file,
                row=int(rows[first_above]),
                column="Level",
                rule="contiguous levels",
            )
    # Direction, Weight, Target
    direction = numeric_column(f["Direction"], file=file, column="Direction", rule="Direction is 1 or -1")
    weight = numeric_column(f["Weight"], file=file, column="Weight", rule="numeric Weight")
    target = numeric_column(out["Target"], file=file, column="Target", rule="numeric Target")
    parents = out["Parent"].to_numpy()
    codes = out["iCode"].to_numpy()
    lvl_of = {codes[i]: int(level[i]) for i in np.flatnonzero(is_code)}
    for i in np.flatnonzero(is_code).tolist():
        r = int(rows[i])
        d = direction[i]
        if (is_ind[i] or not np.isnan(d)) and d not in (1.0, -1.0):
            raise InputError(
                f"Direction {f['Direction'].iloc[i]!r} must be 1 or -1",
                file=file,
                row=r,
                column="Direction",
                rule="Direction is 1 or -1",
            )
        p = parents[i]
        if level[i] < top and not p:
            raise InputError(
                f"{codes[i]!r} (Level {int(level[i])}) has no Parent",
                file=file,
                row=r,
                column="Parent",
                rule="Parent required below the top level",
            )
        if p:
            if p not in lvl_of:
                raise InputError(
                    f"unknown Parent {p!r}: no Indicator/Aggregate row has this iCode",
                    file=file,
                    row=r,
                    column="Parent",
                    rule="known Parent",
                )
            if lvl_of[p] != level[i] + 1:
                raise InputError(
                    f"Parent {p!r} is at Level {lvl_of[p]}; the parent of a Level {int(level[i])} code "
                    f"must be at Level {int(level[i]) + 1}",
                    file=file,
                    row=r,
                    column="Parent",
                    rule="Parent exactly one level up",
                )
            if np.isnan(weight[i]):
                raise InputError(
                    f"{codes[i]!r} has no Weight", file=file, row=r, column="Weight", rule="numeric Weight"
                )
            if weight[i] < 0:
                raise InputError(
                    f"Weight {float(weight[i]):g} must be >= 0",
                    file=file,
                    row=r,
                    column="Weight",
                    rule="Weight >= 0",
                )
    has_child = {p for p in parents[is_code] if p}
    for i in np.flatnonzero(is_agg).tolist():
        if codes[i] not in has_child:
            raise InputError(
                f"aggregate {codes[i]!r} has no children (no row names it as Parent)",
                file=file,
                row=int(rows[i]),
                column="iCode",
                rule="aggregate has children",
            )
    denoms = set(codes[(out["Type"] == "Denominator").to_numpy()])
    for i in np.flatnonzero(is_ind).tolist():
        den = out["Denominator"].iloc[i]
        if den and den not in denoms:
            raise InputError(
                f"Denominator {den!r} is not declared as a row of Type Denominator",
                file=file,
                row=int(rows[i]),
                column="Denominator",
                rule="known Denominator",
            )
    out["Level"] = pd.array([int(v) if is_code[i] else pd.NA for i, v in enumerate(level)], dtype="Int64")
    out["Direction"] = np.where(is_code & ~np.isnan(direction), direction, np.nan)
    out["Weight"] = weight
    out["Target"] = target
    return out
