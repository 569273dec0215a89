"""Run user-driven computations (the index builder) in a child process with time and memory limits.

A spec typed into a web page decides how much work the engine does. In the server's own process a
hostile or careless one could hold a CPU for minutes or take every byte of memory, and with it the
whole app (issue 13: 28 s and 5.1 GB from a 458-byte spec). In a child process with
``resource.setrlimit`` on its address space and CPU time, and a wall-clock timeout after which the
parent kills it, the worst a spec can do is fail its own request.

Children are forked from a ``forkserver`` that has already imported the engine, so a build costs a
fork (milliseconds), not a fresh interpreter.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from creativecity.errors import InputError

#: Wall-clock seconds a build may take (``$CREATIVECITY_WORKER_SECONDS``).
DEFAULT_SECONDS = float(os.environ.get("CREATIVECITY_WORKER_SECONDS") or 60)
#: Address space a build may use, in MiB (``$CREATIVECITY_WORKER_MEMORY_MB``).
DEFAULT_MEMORY_MB = int(os.environ.get("CREATIVECITY_WORKER_MEMORY_MB") or 2048)
#: Exceptions whose message is the user's to read (a bad spec), passed back as text.
USER_ERRORS = (InputError, ValueError, TypeError, KeyError)

_PRELOAD = ["creativecity.index", "creativecity.web.routes_tools"]
_context_lock = threading.Lock()
_context: Any = None


class WorkerLimitError(InputError):
    """The computation went over its time or memory limit, or its process died."""


def _mp_context() -> Any:
    global _context
    with _context_lock:
        if _context is None:
            method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
            ctx = multiprocessing.get_context(method)
            if method == "forkserver":
                ctx.set_forkserver_preload(_PRELOAD)
            _context = ctx
        return _context


def _child(conn: Connection, func: Callable[..., Any], args: tuple[Any, ...], memory: int, cpu: int) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    try:
        result: tuple[str, Any] = ("ok", func(*args))
    except MemoryError:
        result = ("limit", "the computation needs more memory than the server allows")
    except RecursionError:
        result = ("error", "the input is nested too deeply")
    except USER_ERRORS as exc:
        result = ("error", str(exc)[:2000])
    except Exception as exc:  # reported by type only: a message could echo a huge value
        result = ("error", f"the computation failed ({type(exc).__name__})")
    try:
        conn.send(result)
    except Exception:  # the result itself could not be sent (too large for the memory left)
        conn.send(("limit", "the result is larger than the server allows"))
    finally:
        conn.close()


def run_limited(
    func: Callable[..., Any],
    *args: Any,
    seconds: float = DEFAULT_SECONDS,
    memory_mb: int = DEFAULT_MEMORY_MB,
    what: str = "computation",
) -> Any:
    """``func(*args)`` in a child process bounded in wall-clock time, CPU time and memory.

    ``func`` and its arguments and result must pickle (a module-level function and plain values).

    Raises
    ------
    WorkerLimitError
        A limit was reached (the child is killed), or the child died without an answer.
    InputError
        ``func`` raised one of :data:`USER_ERRORS`; the message comes back, the type does not.
    """
    ctx = _mp_context()
    receive, send = ctx.Pipe(duplex=False)
    memory = int(memory_mb) * 1024 * 1024
    proc = ctx.Process(target=_child, args=(send, func, args, memory, max(1, int(seconds) + 1)), daemon=True)
    proc.start()
    send.close()
    try:
        if not receive.poll(seconds):
            raise WorkerLimitError(
                f"the {what} took longer than {seconds:g} s and was stopped", rule="time limit"
            )
        try:
            status, value = receive.recv()
        except EOFError:
            raise WorkerLimitError(
                f"the {what} was stopped (it went over the server's memory or time limit)", rule="limit"
            ) from None
    finally:
        receive.close()
        if proc.is_alive():
            proc.kill()
        proc.join(5)
    if status == "ok":
        return value
    if status == "limit":
        raise WorkerLimitError(f"the {what} was stopped: {value}", rule="memory limit")
    raise InputError(str(value), rule="computation")
