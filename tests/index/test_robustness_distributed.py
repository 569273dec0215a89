"""Same seed, same numbers: in process and on a Dask LocalCluster."""

from __future__ import annotations

import pandas as pd
import pytest

from creativecity.errors import InputError
from creativecity.index import build
from creativecity.index.analysis import robust_vectorised
from creativecity.index.analysis.assumptions import load_assumptions
from creativecity.index.analysis.distributed import ChunkExecutor
from creativecity.index.analysis.sensitivity import run_sensitivity
from creativecity.index.analysis.uncertainty import run_uncertainty
from creativecity.index.examples import asem, asem_assumptions_path, asem_spec


@pytest.fixture(scope="module")
def setup():  # type: ignore[no-untyped-def]
    fw, data = asem()
    spec = asem_spec("full")
    aset = load_assumptions(asem_assumptions_path(), fw, spec)
    return fw, data, spec, aset, build(fw, data, spec)


def test_local_cluster_gives_identical_results(setup, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    fw, data, spec, aset, nominal = setup
    monkeypatch.setattr(robust_vectorised, "MAX_CHUNK", 64)  # several chunks, spread over both workers
    local = run_uncertainty(fw, data, spec, aset, 400, 7, nominal=nominal)
    local_sa = run_sensitivity(fw, data, spec, aset, 32, 7, nominal=nominal, n_boot=100)
    done: list[int] = []
    with ChunkExecutor(workers=2, processes=False) as ex:
        assert ex.distributed
        remote = run_uncertainty(
            fw, data, spec, aset, 400, 7, executor=ex, nominal=nominal, progress=lambda d, t: done.append(d)
        )
        remote_sa = run_sensitivity(fw, data, spec, aset, 32, 7, executor=ex, nominal=nominal, n_boot=100)
        other = run_uncertainty(fw, data, spec, aset, 400, 8, executor=ex, nominal=nominal)
    assert remote.chunks == local.chunks == 7  # ceil(400 / 64)
    # 10 upstream data sets are prepared first, then the 7 chunks finish (in any order)
    assert sorted(done) == list(range(1, 18))
    assert remote.where == "2 local workers"
    pd.testing.assert_frame_equal(remote.rank_stats, local.rank_stats, check_exact=True)
    pd.testing.assert_frame_equal(remote_sa.indices, local_sa.indices, check_exact=True)
    assert not other.rank_stats["mean"].equals(local.rank_stats["mean"])


def test_bad_executor_options() -> None:
    with pytest.raises(InputError, match="not both"):
        ChunkExecutor(scheduler="tcp://127.0.0.1:1", workers=2)
    with pytest.raises(InputError, match="at least 1"):
        ChunkExecutor(workers=0)


def test_unreachable_scheduler_is_an_input_error() -> None:
    ex = ChunkExecutor(scheduler="tcp://127.0.0.1:9", timeout=1)
    with pytest.raises(InputError) as exc:
        ex.__enter__()
    assert exc.value.column == "--scheduler"


def test_scheduler_address_of_a_running_cluster(setup) -> None:  # type: ignore[no-untyped-def]
    from dask.distributed import LocalCluster

    fw, data, spec, aset, nominal = setup
    local = run_uncertainty(fw, data, spec, aset, 100, 5, nominal=nominal)
    with LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster:
        address = cluster.scheduler_address
        with ChunkExecutor(scheduler=address) as ex:
            remote = run_uncertainty(fw, data, spec, aset, 100, 5, executor=ex, nominal=nominal)
    assert remote.where == f"Dask scheduler {address}"
    pd.testing.assert_frame_equal(remote.rank_stats, local.rank_stats, check_exact=True)


def _where_am_i() -> str:
    import threading

    return "this process" if threading.current_thread() is threading.main_thread() else "other version"


def test_workers_with_other_versions_are_refused(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from creativecity.index.analysis import distributed

    monkeypatch.setattr(distributed, "_warm_up", _where_am_i)
    ex = ChunkExecutor(workers=1, processes=False)
    with pytest.raises(InputError, match="runs other version, this process this process") as exc:
        ex.__enter__()
    assert exc.value.rule == "same versions on the workers"
    assert ex._client is None  # the cluster was shut down


@pytest.mark.slow
def test_cli_with_two_worker_processes_gives_the_in_process_numbers(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """``index uncertainty --workers 2``: a LocalCluster of two real worker processes, started by the
    command line in its own interpreter, gives exactly the numbers of the same command in process."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    from creativecity.index.examples import asem_path

    def cli(out: str, *extra: str) -> dict[str, object]:
        args = [
            *("index", "uncertainty", "--meta", str(asem_path("iMeta.csv"))),
            *("--data", str(asem_path("iData.csv")), "--spec", str(asem_path("asem_full.yaml"))),
            *("--assumptions", str(asem_path("asem_uncertainty.yaml"))),
            *("--n", "2500", "--seed", "11", "--out", str(tmp_path / out), "--json", "--no-plots", *extra),
        ]
        command = Path(sys.executable).with_name("creativecity")  # the installed command line
        proc = subprocess.run(
            [str(command), *args],
            capture_output=True,
            text=True,
            timeout=300,
            env=dict(os.environ, MPLBACKEND="Agg"),
        )
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout)

    here = cli("here")
    there = cli("there", "--workers", "2")
    assert there["where"] == "2 local workers" and here["where"] != there["where"]
    assert there["chunks"] == here["chunks"] == 3  # 2,500 replications in chunks of 1,024: both workers busy
    a = pd.read_csv(tmp_path / "here" / "rank_stats.csv")
    b = pd.read_csv(tmp_path / "there" / "rank_stats.csv")
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert len(a) == 51 and a["mean"].sum() == pytest.approx(51 * 52 / 2)  # every replication ranked 1..51
