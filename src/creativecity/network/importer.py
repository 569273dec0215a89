"""Import a newer member list: validate, show the difference, replace only when asked.

UNESCO designates new cities every two years and the bundled registry has known gaps (the 2025 round is
incomplete, seventy rows are uncertain), so updating the registry is a normal user task. The bundled
file is read-only package data; an imported list goes to ``$CREATIVECITY_HOME/network/members.csv``
(default ``~/.local/share/creativecity/network/members.csv``) with its gazetteer matches in ``geo.csv``
beside it, and :meth:`Registry.load` prefers it. ``reset()`` removes it, which restores the bundled one.

Validation finds every problem in one pass and reports each with its file, row (header = row 1) and
column; nothing is written unless the whole file is valid.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from creativecity.errors import InputError, InputErrors
from creativecity.fileio import atomic_write_text
from creativecity.network.registry import (
    CERTAINTIES,
    COLUMNS,
    FIELDS,
    FOUNDED,
    OPTIONAL_COLUMNS,
    Member,
    Registry,
    bundled_dir,
    user_registry_path,
)

Key = tuple[str, str, str]  # (city, iso3, creative_field): one designation


def _max_year() -> int:
    return date.today().year + 1


def read_rows(path: Path) -> list[dict[str, str]]:
    """Read and validate a member list with the columns of ``members.csv``.

    Raises
    ------
    InputError
        One problem (file missing, empty, undecodable, a column missing).
    InputErrors
        Several row problems, each naming its row and column.
    """
    from creativecity.network.countries import is_iso3, name_matches

    name = str(path)
    if not path.is_file():
        raise InputError("file not found", file=name, rule="file exists")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason})", file=name, rule="UTF-8 CSV") from None
    if not text.strip():
        raise InputError("the file is empty", file=name, row=1, rule="non-empty file")
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(missing)}; expected {', '.join(COLUMNS)}",
            file=name,
            row=1,
            column=missing[0],
            rule="required columns",
        )
    reader.fieldnames = header
    rows: list[dict[str, str]] = []
    errors: list[InputError] = []
    seen: dict[Key, int] = {}
    max_year = _max_year()
    for rowno, raw in enumerate(reader, start=2):
        r = {c: (raw.get(c) or "").strip() for c in (*COLUMNS, *OPTIONAL_COLUMNS)}

        def err(column: str, message: str, rule: str, rowno: int = rowno) -> None:
            errors.append(InputError(message, file=name, row=rowno, column=column, rule=rule))

        if not r["city"]:
            err("city", "city is empty", "required value")
        iso3 = r["iso3"].upper()
        r["iso3"] = iso3
        if not is_iso3(iso3):
            err("iso3", f"unknown country code {r['iso3']!r} (not ISO 3166-1 alpha-3)", "known country")
        elif r["country"] and not name_matches(r["country"], iso3):
            err("country", f"country {r['country']!r} does not match iso3 {iso3}", "country matches iso3")
        if not r["country"]:
            err("country", "country is empty", "required value")
        if r["creative_field"] not in FIELDS:
            canon = next((f for f in FIELDS if f.casefold() == r["creative_field"].casefold()), None)
            if canon:
                r["creative_field"] = canon
            else:
                err(
                    "creative_field",
                    f"unknown field {r['creative_field']!r}; valid fields: {', '.join(FIELDS)}",
                    "known field",
                )
        try:
            year = int(r["year_designated"])
        except ValueError:
            err("year_designated", f"year {r['year_designated']!r} is not a whole number", "year")
        else:
            if not FOUNDED <= year <= max_year:
                err(
                    "year_designated",
                    f"year {year} outside {FOUNDED}..{max_year} (the network was founded in {FOUNDED})",
                    "year in range",
                )
        if r["certainty"] not in CERTAINTIES:
            err("certainty", f"certainty {r['certainty']!r} must be verified or uncertain", "certainty")
        if not r["source"]:
            err("source", "source is empty: every designation keeps where it was read", "provenance")
        if r["source_unesco"] and not _is_unesco_page(r["source_unesco"]):
            err(
                "source_unesco",
                f"{r['source_unesco']!r} is not a page on unesco.org (put other pages in 'source')",
                "UNESCO page",
            )
        key = (r["city"], iso3, r["creative_field"])
        if r["city"] and key in seen:
            err(
                "city",
                f"duplicate designation {r['city']} ({iso3}, {r['creative_field']}), "
                f"first on row {seen[key]}",
                "unique city + field",
            )
        seen.setdefault(key, rowno)
        rows.append(r)
    if not rows and not errors:
        raise InputError("the file has a header but no rows", file=name, row=2, rule="non-empty file")
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise InputErrors(errors, file=name)
    return rows


@dataclass(frozen=True)
class Change:
    """One designation present in both lists with different values."""

    city: str
    iso3: str
    field: str
    changes: dict[str, tuple[str, str]]

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping for JSON output."""
        return {
            "city": self.city,
            "iso3": self.iso3,
            "field": self.field,
            "changes": {k: {"old": a, "new": b} for k, (a, b) in self.changes.items()},
        }


@dataclass(frozen=True)
class ImportResult:
    """What an import found and did (``network import``)."""

    file: str
    target: str
    rows: int
    added: list[dict[str, str]] = field(default_factory=list)
    removed: list[dict[str, str]] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    applied: bool = False
    unmatched: list[str] = field(default_factory=list)

    @property
    def unchanged(self) -> bool:
        """Whether the new list equals the current registry."""
        return not (self.added or self.removed or self.changed)

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping for JSON output."""
        d = asdict(self)
        d["changed"] = [c.to_dict() for c in self.changed]
        return d


def _as_row(m: Member) -> dict[str, str]:
    return {
        "city": m.city,
        "country": m.country,
        "iso3": m.iso3,
        "creative_field": m.field,
        "year_designated": str(m.year),
        "certainty": m.certainty,
        "source": m.source,
        "source_unesco": m.source_unesco,
    }


Row = dict[str, str]


def _is_unesco_page(url: str) -> bool:
    """Whether ``url`` is on a UNESCO-owned host (unesco.org and its sub-domains, incl. web archive)."""
    from urllib.parse import urlparse

    host = urlparse(url).hostname or ""
    return url.startswith(("http://", "https://")) and (host == "unesco.org" or host.endswith(".unesco.org"))


def diff(current: Registry, rows: list[Row]) -> tuple[list[Row], list[Row], list[Change]]:
    """Added, removed and changed designations between the registry and a new list."""
    old = {(m.city, m.iso3, m.field): _as_row(m) for m in current.members}
    new = {(r["city"], r["iso3"], r["creative_field"]): r for r in rows}
    added = [new[k] for k in new if k not in old]
    removed = [old[k] for k in old if k not in new]
    changed = []
    for k in new:
        if k in old:
            cols = (*COLUMNS, *OPTIONAL_COLUMNS)
            delta = {c: (old[k][c], new[k].get(c, "")) for c in cols if old[k][c] != new[k].get(c, "")}
            if delta:
                changed.append(Change(k[0], k[1], k[2], delta))
    return added, removed, changed


def _members_csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    w = csv.DictWriter(
        out, fieldnames=[*COLUMNS, *OPTIONAL_COLUMNS], lineterminator="\n", extrasaction="ignore"
    )
    w.writeheader()
    w.writerows(rows)
    return out.getvalue()


Progress = Callable[[int, int, str], None]  # (done, total, city) while new cities are matched


def _geo_for(rows: list[dict[str, str]], progress: Progress | None) -> tuple[str, list[str]]:
    """Gazetteer matches for the new list: bundled ones reused, new cities matched in GeoNames."""
    from creativecity.network.build_data import geo_csv
    from creativecity.network.countries import iso2_of
    from creativecity.network.gazetteer import GAZETTEER, load_overrides, match_city

    with (bundled_dir() / "geo.csv").open(encoding="utf-8", newline="") as fh:
        known = {(r["city"], r["iso3"]): r for r in csv.DictReader(fh)}
    overrides = load_overrides()
    todo = sorted({(r["city"], r["iso3"]) for r in rows} - set(known))
    done = 0

    def matcher(city: str, iso2: str, iso3: str, ov: Any) -> Any:
        from creativecity.network.gazetteer import GeoMatch

        g = known.get((city, iso3))
        if g is not None:
            return GeoMatch(
                method=g["match"],
                geonameid=int(g["geonameid"]) if g["geonameid"] else None,
                gazetteer_name=g["gazetteer_name"] or None,
                lat=float(g["lat"]) if g["lat"] else None,
                lon=float(g["lon"]) if g["lon"] else None,
                population=int(g["population"]) if g["population"] else None,
                note=g["note"],
            )
        nonlocal done
        if progress:
            progress(done, len(todo), city)
        found = match_city(city, iso2 or iso2_of(iso3), iso3, ov)
        done += 1
        if progress:
            progress(done, len(todo), city)
        return found

    text = geo_csv([(r["city"], r["iso3"]) for r in rows], {}, overrides, matcher, GAZETTEER)
    unmatched = [
        f"{r['city']} ({r['iso3']})" for r in csv.DictReader(io.StringIO(text)) if r["match"] == "unmatched"
    ]
    return text, unmatched


def import_registry(
    path: str | Path,
    *,
    apply: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Validate ``path`` against the current registry; write it as the user's registry if ``apply``.

    Without ``apply`` (a dry run) nothing is written. With it, ``geo.csv`` then ``members.csv`` are
    written atomically, each replacing the old file whole. ``progress(done, total, city)`` is called
    while cities that are new to the bundled gazetteer table are matched (the slow part).
    """
    p = Path(path)
    rows = read_rows(p)
    current = Registry.load()
    added, removed, changed = diff(current, rows)
    target = user_registry_path()
    unmatched: list[str] = []
    if apply:
        geo_text, unmatched = _geo_for(rows, progress)
        atomic_write_text(target.with_name("geo.csv"), geo_text)
        atomic_write_text(target, _members_csv(rows))
    return ImportResult(
        file=str(p),
        target=str(target),
        rows=len(rows),
        added=added,
        removed=removed,
        changed=changed,
        applied=apply,
        unmatched=unmatched,
    )


def reset() -> bool:
    """Remove the user's registry so that the bundled one is used again; True if one was removed."""
    target = user_registry_path()
    existed = target.exists()
    for p in (target, target.with_name("geo.csv")):
        p.unlink(missing_ok=True)
    return existed
