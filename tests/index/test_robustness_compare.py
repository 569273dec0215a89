"""Comparing nominal and median rankings, by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from creativecity.index.analysis.robust_compare import compare_rankings


def test_shift_width_outside_by_hand() -> None:
    df = pd.DataFrame(
        {
            "uCode": ["A", "B", "C"],
            "nominal": [1, 2, 3],
            "median": [1.0, 3.0, 2.0],
            "q05": [1.0, 2.5, 1.0],
            "q95": [1.0, 3.0, 3.0],
        }
    )
    comp = compare_rankings(df)
    t = comp.table.set_index("uCode")
    # shifts: A 1 - 1 = 0, B 2 - 3 = -1, C 3 - 2 = 1; widths 0, 0.5, 2
    assert t["shift"].to_dict() == {"A": 0.0, "B": -1.0, "C": 1.0}
    assert comp.table["uCode"].tolist() == ["C", "B", "A"]  # widest first
    # B's nominal rank 2 lies below its band [2.5, 3]
    assert t["outside"].to_dict() == {"A": False, "B": True, "C": False}
    assert comp.n_outside == 1
    assert comp.mean_abs_shift == pytest.approx(2 / 3)
    # Spearman of (1, 2, 3) vs (1, 3, 2): 1 - 6 * (0 + 1 + 1) / (3 * (9 - 1)) = 0.5
    assert comp.spearman == pytest.approx(0.5)
