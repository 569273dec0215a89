"""Benchmark: loading the UCCN registry and answering queries, in process.

Target (issue 3): load + any query <= 50 ms. Prints the import time of ``creativecity.network``, the
cold load (caches cleared: every CSV parsed), the warm load (cached), and each query's time (best of
5 runs, warm), then the worst cold load + query. Exit code 1 if the target is missed.

Run: ``.venv/bin/python benchmarks/bench_network.py``
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

TARGET_MS = 50.0


def ms(func: Callable[[], Any], repeat: int = 5) -> float:
    """Best wall time of ``repeat`` calls, in milliseconds."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - t0)
    return best * 1000


def main() -> int:
    """Print the figures; return 1 if load + the slowest query exceeds the target."""
    t0 = time.perf_counter()
    from creativecity.network import Registry, field_region_table, growth, peers, summary
    from creativecity.network import registry as registry_module

    import_ms = (time.perf_counter() - t0) * 1000

    def cold_load() -> Registry:
        registry_module._load_cached.cache_clear()
        registry_module._reference.cache_clear()
        return Registry.load()

    cold_ms = ms(cold_load)
    reg = Registry.load()
    warm_ms = ms(Registry.load)
    queries: dict[str, Callable[[], Any]] = {
        "summary(latest)": lambda: summary(reg),
        "summary(2017)": lambda: summary(reg, 2017),
        "members_as_of(country='VNM')": lambda: reg.members_as_of(country="VNM"),
        "members_as_of(country='Viet Nam')": lambda: reg.members_as_of(country="Viet Nam"),
        "members_as_of(subregion='ASEAN')": lambda: reg.members_as_of(subregion="ASEAN"),
        "members_as_of(2019, field='design', region='Asia-Pacific')": lambda: reg.members_as_of(
            2019, field="design", region="Asia-Pacific"
        ),
        "by_field + by_region": lambda: (reg.by_field(), reg.by_region()),
        "growth()": lambda: growth(reg),
        "field_region_table()": lambda: field_region_table(reg),
        "peers('Hanoi')": lambda: peers(reg, "Hanoi"),
        "find('Granada')": lambda: reg.find("Granada"),
    }
    print(f"registry: {len(reg.members)} designations ({reg.origin})")
    print(f"import creativecity.network     {import_ms:8.2f} ms")
    print(f"Registry.load() cold            {cold_ms:8.2f} ms")
    print(f"Registry.load() warm (cached)   {warm_ms:8.2f} ms")
    worst = 0.0
    for name, q in queries.items():
        t = ms(q)
        worst = max(worst, t)
        print(f"  {name:58s} {t:8.3f} ms")
    total = cold_ms + worst
    verdict = "OK" if total <= TARGET_MS else "TOO SLOW"
    print(f"cold load + slowest query       {total:8.2f} ms (target <= {TARGET_MS:.0f} ms): {verdict}")
    return 0 if total <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
