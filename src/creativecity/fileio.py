"""Atomic file output and strict JSON.

A failed command must leave nothing half-written (CONTRACTS.md). Everything is written to a temporary
sibling first and moved into place with :func:`os.replace`, which is atomic on one file system.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import math
import os
import shutil
import tempfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any


def creativecity_home() -> Path:
    """Where the user's data lives: ``$CREATIVECITY_HOME``, else ``$XDG_DATA_HOME/creativecity``, else
    ``~/.local/share/creativecity``.

    One rule for every area (the database, the imported network registry, the session key, the folders
    of workspaces kept before the database held them), so that one setting moves all of it.
    """
    env = os.environ.get("CREATIVECITY_HOME")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "creativecity"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _file_mode() -> int:
    """The mode an ordinary ``open()`` gives a new file (mkstemp's 0600 would hide reports)."""
    return 0o666 & ~_umask()


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` so that readers see either the old file or the whole new one."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _file_mode())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return target


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> Path:
    """Text version of :func:`atomic_write_bytes`."""
    return atomic_write_bytes(path, text.encode(encoding))


@contextlib.contextmanager
def atomic_output_file(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path to write to; it replaces ``path`` only if the block succeeds.

    Useful for libraries that insist on writing to a filename themselves (WeasyPrint, python-docx,
    openpyxl, matplotlib).
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, _file_mode())
        os.replace(tmp_path, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()


@contextlib.contextmanager
def atomic_output_dir(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a fresh staging directory whose contents are moved into ``path`` on success.

    Files that already exist in ``path`` and are not rewritten are kept; on failure ``path`` is left
    exactly as it was (and is not created if it did not exist).
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        yield staging
        os.chmod(staging, 0o777 & ~_umask())  # mkdtemp's 0700 would hide outputs
        if not target.exists():
            os.replace(staging, target)
            return
        for src in sorted(staging.rglob("*")):
            rel = src.relative_to(staging)
            dest = target / rel
            if src.is_dir():
                dest.mkdir(parents=True, exist_ok=True)
            else:
                dest.parent.mkdir(parents=True, exist_ok=True)
                os.replace(src, dest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _default(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.asdict(obj)
    if hasattr(obj, "to_dict"):
        return obj.to_dict()
    if isinstance(obj, (date, datetime)):
        return obj.isoformat()
    if isinstance(obj, Path):
        return str(obj)
    try:  # numpy scalars and arrays without importing numpy here
        return obj.item()
    except (AttributeError, ValueError):
        pass
    if hasattr(obj, "tolist"):
        return obj.tolist()
    raise TypeError(f"cannot serialise {type(obj).__name__}")


def _clean(obj: Any) -> Any:
    """Replace NaN/inf by None so that the output is valid JSON."""
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    return obj


def to_json(obj: Any, indent: int | None = 2) -> str:
    """Serialise a result (dataclass, mapping, or object with ``to_dict``) as strict JSON."""
    if hasattr(obj, "to_dict") and not isinstance(obj, dict):
        obj = obj.to_dict()
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        obj = dataclasses.asdict(obj)
    plain = json.loads(json.dumps(obj, default=_default))
    return json.dumps(_clean(plain), indent=indent, ensure_ascii=False, allow_nan=False)


def load_yaml_text(text: str, file: str) -> Any:
    """Parse YAML ``text`` (from ``file``, named in errors); a syntax error names its line.

    Every YAML a person types or edits (pipeline specs, assumptions, a spec pasted into a web page) is
    read here, so that a mistake reads the same everywhere: "not valid YAML: <problem>", with the row.
    """
    import yaml

    from creativecity.errors import InputError

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)  # only syntax errors carry a position
        row = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(f"not valid YAML: {problem}", file=file, row=row, rule="valid YAML") from None
