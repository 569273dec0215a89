"""Start-up of the command line and the cost of going through it, against baselines in the same run.

Prints, for this machine and its current load (best of a few runs each; wall clock, and for the
commands the CPU time of the child process, which a loaded machine disturbs much less):

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
import resource
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


def child_cpu() -> float:
    """CPU seconds (user + system) used so far by finished child processes."""
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def best_cpu(args: list[str], repeat: int) -> tuple[float, float]:
    """(best wall seconds, best child CPU seconds) of running ``args`` ``repeat`` times."""
    walls, cpus = [], []
    for _ in range(repeat):
        c, t = child_cpu(), time.perf_counter()
        run(args)
        walls.append(time.perf_counter() - t)
        cpus.append(child_cpu() - c)
    return min(walls), min(cpus)


def main() -> None:
    """Print the four figures and their ratios."""
    quick = "--quick" in sys.argv
    repeat = 3 if quick else 7
    print(f"bench_cli on {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    cli = str(BIN / "creativecity")
    bare, bare_cpu = best_cpu([sys.executable, "-c", "pass"], repeat)
    helps, helps_cpu = best_cpu([cli, "--help"], repeat)
    print(f"python -c pass             : {bare * 1e3:7.1f} ms wall, {bare_cpu * 1e3:7.1f} ms CPU")
    print(
        f"creativecity --help        : {helps * 1e3:7.1f} ms wall, {helps_cpu * 1e3:7.1f} ms CPU "
        f"(+{(helps - bare) * 1e3:.0f} ms wall, +{(helps_cpu - bare_cpu) * 1e3:.0f} ms CPU over bare) "
        "[target: within 400 ms of bare]"
    )

    from creativecity.index import build
    from creativecity.index.examples import asem, asem_path, asem_spec

    with tempfile.TemporaryDirectory() as tmp:

        def in_process() -> None:
            fw, data = asem()
            build(fw, data, asem_spec("full")).write(Path(tmp) / "in-process")

        in_process()  # warm-up: imports and caches are start-up, not work
        inproc = best_of(in_process, repeat)
        c = time.process_time()
        in_process()
        inproc_cpu = time.process_time() - c
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
        end_to_end, end_cpu = best_cpu(args, repeat)
    print(f"ASEM build in process      : {inproc * 1e3:7.1f} ms wall, {inproc_cpu * 1e3:7.1f} ms CPU")
    print(
        f"creativecity index build   : {end_to_end * 1e3:7.1f} ms wall, {end_cpu * 1e3:7.1f} ms CPU; "
        f"x{end_cpu / inproc_cpu:.1f} the in-process CPU, +{(end_cpu - inproc_cpu - bare_cpu) * 1e3:.0f} ms "
        "CPU of imports over bare + work"
    )


if __name__ == "__main__":
    main()
