"""The base install: the engine imports without any extra; a command whose extra is missing says which."""

from __future__ import annotations

from pathlib import Path

import pytest
from blocked import EXTRAS, run_without

from creativecity.index.examples import asem_path

# sqlalchemy is blocked too for the engine: the engine must not need the store either
ENGINE_BLOCKED = (*EXTRAS, "sqlalchemy", "alembic", "typer", "rich")


def test_every_engine_module_imports_without_extras_store_or_screen() -> None:
    code = """
import importlib, pkgutil
import creativecity.index as engine
names = [m.name for m in pkgutil.walk_packages(engine.__path__, "creativecity.index.")]
for name in names:
    importlib.import_module(name)
print(len(names))
"""
    proc = run_without(ENGINE_BLOCKED, code)
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout.strip()) >= 30  # every module of the engine was imported, not none


def test_the_blocker_really_blocks() -> None:
    # the trick must make a blocked package fail as a missing one does, or the test above proves nothing
    proc = run_without(("fastapi",), "import fastapi\n")
    assert proc.returncode != 0
    assert "ModuleNotFoundError: No module named 'fastapi'" in proc.stderr


def test_engine_build_runs_without_extras() -> None:
    code = """
from creativecity.index import build
from creativecity.index.examples import asem, asem_spec
fw, data = asem()
res = build(fw, data, asem_spec("full"))
print(int(res.ranks["Index"].min()), len(res.units))
"""
    proc = run_without(ENGINE_BLOCKED, code)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["1", "51"]  # 51 ASEM units, the best ranked 1


ASEM = [
    "--meta",
    str(asem_path("iMeta.csv")),
    "--data",
    str(asem_path("iData.csv")),
    "--spec",
    str(asem_path("asem_full.yaml")),
    "--assumptions",
    str(asem_path("asem_uncertainty.yaml")),
]

CLI = "from creativecity.cli import app\nimport sys\nsys.argv = ['creativecity', *{args!r}]\napp()\n"


def test_help_and_engine_commands_work_without_extras() -> None:
    proc = run_without(EXTRAS, CLI.format(args=["--help"]))
    assert proc.returncode == 0, proc.stderr
    assert "serve" in proc.stdout and "index" in proc.stdout


@pytest.mark.parametrize(
    ("args", "extra", "module"),
    [
        (["serve", "--port", "8765"], "web", "fastapi"),
        (["dossier", "hanoi", "--kind", "monitoring", "--out", "x.html"], "reports", None),
        (["index", "uncertainty", *ASEM, "--n", "8", "--out", "ua", "--workers", "2"], "dask", "dask"),
    ],
)
def test_command_without_its_extra_names_the_extra(
    args: list[str], extra: str, module: str | None, tmp_path: Path
) -> None:
    args = [str(tmp_path / a) if a in ("x.html", "ua") else a for a in args]
    proc = run_without(EXTRAS, CLI.format(args=args))
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert f"pip install 'creativecity[{extra}]'" in proc.stderr
    assert "Traceback" not in proc.stderr
    if module:
        assert f"({module} is not installed)" in proc.stderr
    assert not any(tmp_path.iterdir())  # nothing half-written


def test_only_modules_of_an_extra_are_translated() -> None:
    from creativecity.cli._support import missing_extra

    assert "creativecity[web]" in str(missing_extra(ModuleNotFoundError("x", name="fastapi.routing")))
    assert "creativecity[dask]" in str(missing_extra(ModuleNotFoundError("x", name="distributed")))
    # a base dependency or one of our own modules missing is a broken install, not an extra to add
    assert missing_extra(ModuleNotFoundError("x", name="pandas")) is None
    assert missing_extra(ModuleNotFoundError("x", name="creativecity.monitoring")) is None
    assert missing_extra(ImportError("cannot import name 'x'")) is None


def test_a_broken_install_stays_an_unexpected_error() -> None:
    import typer

    from creativecity.cli._support import handle_errors

    @handle_errors
    def command() -> None:
        raise ModuleNotFoundError("No module named 'pandas'", name="pandas")

    with pytest.raises(typer.Exit) as exc:
        command()
    assert exc.value.exit_code == 1
