"""Unit data ("iData"): one row per unit (country, city), indicator values and label columns.

Values are checked cell by cell against the framework so that a typo such as ``n/a`` or ``1,234`` is
reported with its spreadsheet row and column, instead of being read as missing and quietly changing
a city's rank.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from creativecity.errors import InputError
from creativecity.index._tables import FIRST_ROW, numeric_column, read_table, text_cells
from creativecity.index.framework import Framework, check_code


def _frozen(df: pd.DataFrame) -> pd.DataFrame:
    for block in (df[c].to_numpy() for c in df.columns):
        if isinstance(block, np.ndarray):
            with contextlib.suppress(ValueError):
                block.flags.writeable = False
    return df


@dataclass(frozen=True, eq=False)
class UnitData:
    """Validated unit data, sorted by ``uCode``.

    Attributes
    ----------
    source_name
        File (or given name) it was read from.
    sha256
        Hash of the file bytes (``None`` for a DataFrame), recorded in results for provenance.
    """

    _values: pd.DataFrame = field(repr=False)
    _groups: pd.DataFrame = field(repr=False)
    _denominators: pd.DataFrame = field(repr=False)
    _names: pd.Series = field(repr=False)
    _time: pd.Series | None = field(repr=False)
    source_name: str = "iData"
    sha256: str | None = None
    _rows: dict[str, int] | None = field(default=None, repr=False)

    @classmethod
    def read(
        cls, source: str | Path | pd.DataFrame, framework: Framework, *, name: str | None = None
    ) -> UnitData:
        """Read and validate unit data for ``framework`` from CSV, XLSX or a DataFrame.

        Every indicator of the framework must have a column; group and denominator columns are read
        when present (steps that need a missing one say so). Extra columns are ignored.

        Raises
        ------
        InputError
            Missing ``uCode`` or indicator column, duplicate/empty/invalid uCode, or a cell that is
            neither a number nor empty (naming file, spreadsheet row and column).
        """
        raw = read_table(source, name=name, what="iData")
        f, file = raw.frame, raw.name
        if "uCode" not in f.columns:
            raise InputError(
                "required column 'uCode' is missing", file=file, column="uCode", rule="required column"
            )
        for code in framework.indicators:
            if code not in f.columns:
                raise InputError(
                    f"indicator column {code!r} (declared in iMeta) is missing",
                    file=file,
                    column=code,
                    rule="required column",
                )
        dup_cols = f.columns[f.columns.duplicated()]
        if len(dup_cols):
            raise InputError(
                f"column {dup_cols[0]!r} appears more than once",
                file=file,
                column=str(dup_cols[0]),
                rule="unique column names",
            )
        if len(f) == 0:
            raise InputError("iData has a header but no rows", file=file, rule="non-empty file")
        rows = np.arange(len(f)) + FIRST_ROW
        ucode = text_cells(f["uCode"])
        seen: dict[str, int] = {}
        for i, code in enumerate(ucode):
            check_code(code, file=file, row=int(rows[i]), column="uCode")
            if code in seen:
                raise InputError(
                    f"duplicate uCode {code!r} (first on row {seen[code]})",
                    file=file,
                    row=int(rows[i]),
                    column="uCode",
                    rule="unique uCode",
                )
            seen[code] = int(rows[i])
        order = np.argsort(ucode.to_numpy(dtype=str), kind="stable")
        index = pd.Index(ucode.to_numpy()[order], name="uCode")
        values = {
            code: numeric_column(f[code], file=file, column=code, rule="numeric indicator value")[order]
            for code in framework.indicators
        }
        vals = pd.DataFrame(values, index=index, columns=framework.indicators, dtype=np.float64)
        dens = {
            c: numeric_column(f[c], file=file, column=c, rule="numeric denominator")[order]
            for c in framework.denominator_columns
            if c in f.columns
        }
        den_df = pd.DataFrame(dens, index=index, dtype=np.float64)
        grp = {c: text_cells(f[c]).to_numpy()[order] for c in framework.group_columns if c in f.columns}
        grp_df = pd.DataFrame(grp, index=index, dtype=object).replace("", None)
        if "uName" in f.columns:
            names = text_cells(f["uName"]).to_numpy()[order]
            names = np.where(names == "", index.to_numpy(), names)
        else:
            names = index.to_numpy()
        time = None
        if "Time" in f.columns:
            time = pd.Series(
                numeric_column(f["Time"], file=file, column="Time", rule="numeric Time")[order],
                index=index,
                name="Time",
            )
        return cls(
            _frozen(vals),
            grp_df,
            _frozen(den_df),
            pd.Series(names, index=index, name="uName"),
            time,
            file,
            raw.sha256,
            dict(zip(ucode.to_numpy(), rows.tolist(), strict=True)),
        )

    @classmethod
    def from_frame(
        cls,
        values: pd.DataFrame,
        *,
        groups: pd.DataFrame | None = None,
        denominators: pd.DataFrame | None = None,
        name: str = "iData",
    ) -> UnitData:
        """Wrap already-validated numeric data (index = uCode) without re-parsing; used by benchmarks.

        Parameters
        ----------
        values
            float64 indicator values, index uCode, columns = framework indicators.
        """
        vals = values.astype(np.float64).sort_index()
        vals.index.name = "uCode"
        idx = vals.index
        grp = groups.reindex(idx) if groups is not None else pd.DataFrame(index=idx)
        den = (
            denominators.reindex(idx).astype(np.float64)
            if denominators is not None
            else pd.DataFrame(index=idx)
        )
        return cls(
            _frozen(vals),
            grp,
            _frozen(den),
            pd.Series(idx.to_numpy(), index=idx, name="uName"),
            None,
            name,
            None,
        )

    @property
    def values(self) -> pd.DataFrame:
        """Indicator values: index uCode (sorted), columns = framework indicators, float64."""
        return self._values.copy(deep=False)

    @property
    def groups(self) -> pd.DataFrame:
        """Group label columns present in the file (labels as text, missing = None)."""
        return self._groups.copy()

    @property
    def denominators(self) -> pd.DataFrame:
        """Denominator columns present in the file (float64)."""
        return self._denominators.copy(deep=False)

    @property
    def names(self) -> pd.Series:
        """uCode -> uName (the code itself where no name is given)."""
        return self._names.copy()

    @property
    def time(self) -> pd.Series | None:
        """uCode -> Time, when the file has a Time column."""
        return None if self._time is None else self._time.copy()

    def row_of(self, unit: str) -> int | None:
        """Spreadsheet row (header = 1) the unit was read from, so errors can point at the cell."""
        return None if self._rows is None else self._rows.get(unit)

    @property
    def units(self) -> list[str]:
        """Unit codes, sorted."""
        return self._values.index.tolist()

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"UnitData({self.source_name!r}: {len(self)} units x {self._values.shape[1]} indicators)"
