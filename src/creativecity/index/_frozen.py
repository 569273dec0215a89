"""A read-only mapping that can be pickled.

Specs, frameworks and results travel to Dask workers in distributed uncertainty analysis, so every
part of them must pickle; ``types.MappingProxyType`` cannot, hence this small replacement.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any


class FrozenMap(Mapping[Any, Any]):
    """An immutable mapping (insertion order kept) that pickles and compares like a dict."""

    __slots__ = ("_d",)

    def __init__(self, data: Mapping[Any, Any] | None = None) -> None:
        self._d = dict(data or {})

    def __getitem__(self, key: Any) -> Any:
        return self._d[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._d)

    def __len__(self) -> int:
        return len(self._d)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return self._d == dict(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(repr(self._d))

    def __repr__(self) -> str:
        return f"FrozenMap({self._d!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenMap, (self._d,))
