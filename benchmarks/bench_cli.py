"""Start-up of the command line and the cost of going through it, against baselines in the same run.

Prints, for this machine and its current load (best of a few runs each, wall clock):

1. a bare interpreter, ``python -c pass`` (the baseline every command pays);
2. ``creativecity --help`` (target: within 0.4 s of the bare interpreter: the help imports no area);
3. the ASEM build in process (framework, data and spec read, ``build``, results written): the work
   itself;
4. ``creativecity index build`` of ASEM end to end in a subprocess (start-up, imports, reading,
   building, writing), beside the in-process figure, as a ratio.

Run: ``.venv/bin/python benchmarks/bench_cli.py [--quick]``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

BIN = Path(sys.executable).parent


def best_of(func: Callable[[], object], repeat: int) -> float:
    """Best wall-clock seconds of ``repeat`` runs (the least disturbed by other load)."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        func()
        times.append(time.perf_counter() - t)
    return min(times)


def run(args: list[str]) -> None:
    """Run a command, failing loudly (a benchmark of a failing command measures nothing)."""
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def main() -> None:
    """Print the four figures and their ratios."""
    quick = "--quick" in sys.argv
    repeat = 3 if quick else 7
    print(f"bench_cli on {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    cli = str(BIN / "creativecity")
    bare = best_of(lambda: run([sys.executable, "-c", "pass"]), repeat)
    helps = best_of(lambda: run([cli, "--help"]), repeat)
    print(f"python -c pass             : {bare * 1e3:7.1f} ms")
    print(
        f"creativecity --help        : {helps * 1e3:7.1f} ms  (+{(helps - bare) * 1e3:.0f} ms over bare, "
        f"x{helps / bare:.1f}) [target: within 400 ms of bare]"
    )

    from creativecity.index import build
    from creativecity.index.examples import asem, asem_path, asem_spec

    with tempfile.TemporaryDirectory() as tmp:

        def in_process() -> None:
            fw, data = asem()
            build(fw, data, asem_spec("full")).write(Path(tmp) / "in-process")

        in_process()  # warm-up: imports and caches are start-up, not work
        inproc = best_of(in_process, repeat)
        args = [
            cli,
            "index",
            "build",
            "--meta",
            str(asem_path("iMeta.csv")),
            "--data",
            str(asem_path("iData.csv")),
            "--spec",
            str(asem_path("asem_full.yaml")),
            "--out",
            str(Path(tmp) / "cli"),
            "--quiet",
        ]
        end_to_end = best_of(lambda: run(args), repeat)
    print(f"ASEM build in process      : {inproc * 1e3:7.1f} ms")
    print(
        f"creativecity index build   : {end_to_end * 1e3:7.1f} ms end to end  "
        f"(x{end_to_end / inproc:.1f} the in-process build, +{(end_to_end - inproc - bare) * 1e3:.0f} ms "
        "of start-up and imports over bare + work)"
    )


if __name__ == "__main__":
    main()
