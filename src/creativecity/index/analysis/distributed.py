"""Run chunks of replications in this process or on a Dask cluster, with the same numbers either way.

Uncertainty and sensitivity analysis cut their replications into chunks whose boundaries depend only
on the problem (units, codes, number of replications), never on how many workers there are. Each chunk
is a pure function of the shared, precomputed data and of its slice of the design matrix that was drawn
up front from the seed. Results are folded back *in chunk order*, so float sums are added in the same
order in process and on a cluster, and the outputs are identical to the last bit.

``ChunkExecutor`` is the single place that knows about Dask: with no scheduler it is a plain loop (and
never imports Dask, which keeps the command line quick to start); with ``scheduler="tcp://host:port"``
it connects to an existing cluster; with ``workers=N`` it starts a local cluster of N worker processes
for the duration of the run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from creativecity.errors import InputError


def _warm_up() -> str:
    """Import what chunk evaluation needs on a worker; return the worker's creativecity and numpy
    versions (results are only guaranteed identical when they match this process's)."""
    import numpy

    import creativecity
    import creativecity.index.analysis.robust_vectorised as kernel

    kernel._single_threaded_blas()
    return f"creativecity {creativecity.__version__}, numpy {numpy.__version__}"


class ChunkExecutor:
    """Evaluate ``func(shared, arg)`` for each chunk argument, yielding results in chunk order.

    Parameters
    ----------
    scheduler
        Address of a running Dask scheduler (``tcp://HOST:PORT``); the package must be importable on
        its workers.
    workers
        Start a ``LocalCluster`` with this many single-threaded workers.
    processes
        With ``workers``: worker processes (default) or threads in this process (tests).
    timeout
        Seconds to wait for the scheduler before giving up.
    """

    def __init__(
        self,
        scheduler: str | None = None,
        workers: int | None = None,
        processes: bool = True,
        timeout: float = 10.0,
    ) -> None:
        if scheduler and workers:
            raise InputError(
                "give either --scheduler or --workers, not both",
                column="--scheduler/--workers",
                rule="one way to distribute",
            )
        if workers is not None and workers < 1:
            raise InputError(
                f"--workers must be at least 1, got {workers}", column="--workers", rule="workers >= 1"
            )
        self.scheduler = scheduler
        self.workers = workers
        self.processes = processes
        self.timeout = timeout
        self._client: Any = None
        self._cluster: Any = None

    @property
    def distributed(self) -> bool:
        """True when chunks run on Dask workers."""
        return bool(self.scheduler or self.workers)

    def __enter__(self) -> ChunkExecutor:
        if not self.distributed:
            return self
        from dask.distributed import Client, LocalCluster

        if self.scheduler:
            try:
                self._client = Client(self.scheduler, timeout=f"{self.timeout}s", set_as_default=False)
            except (OSError, TimeoutError) as exc:
                raise InputError(
                    f"cannot reach a Dask scheduler at {self.scheduler}: {exc}",
                    column="--scheduler",
                    rule="reachable scheduler",
                ) from None
        else:
            self._cluster = LocalCluster(
                n_workers=self.workers,
                threads_per_worker=1,
                processes=self.processes,
                dashboard_address=None,
                silence_logs=40,
            )
            self._client = Client(self._cluster, set_as_default=False)
        # import the kernel on every worker now (the first chunks need not pay for it), and check that
        # the workers run the same code as this process
        here = _warm_up()
        try:
            found = self._client.run(_warm_up)
        except ImportError as exc:
            self.__exit__()
            raise InputError(
                f"the Dask workers cannot import creativecity ({exc}); install it on every worker",
                column="--scheduler",
                rule="creativecity on the workers",
            ) from None
        other = {w: v for w, v in found.items() if v != here}
        if other:
            self.__exit__()
            worker, version = next(iter(other.items()))
            raise InputError(
                f"worker {worker} runs {version}, this process {here}: results would not be reproducible",
                column="--scheduler",
                rule="same versions on the workers",
            )
        return self

    def __exit__(self, *exc: object) -> None:
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        self._client = self._cluster = None

    def map(
        self,
        func: Callable[[Any, Any], Any],
        shared: Any,
        args: Sequence[Any],
        on_done: Callable[[int], None] | None = None,
    ) -> Iterator[Any]:
        """Yield ``func(shared, a)`` for each ``a`` in order; ``on_done(i)`` as each chunk finishes.

        On a cluster, ``shared`` is sent once to every worker and all chunks are submitted at once;
        finished chunks are buffered until every earlier chunk has been yielded.
        """
        if self._client is None:
            for i, a in enumerate(args):
                result = func(shared, a)
                if on_done:
                    on_done(i)
                yield result
            return
        from dask.distributed import as_completed

        client = self._client
        [shared_future] = client.scatter([shared], broadcast=True, hash=False)
        futures = [
            client.submit(func, shared_future, a, pure=False, key=f"chunk-{i}-{id(self)}")
            for i, a in enumerate(args)
        ]
        index = {f.key: i for i, f in enumerate(futures)}
        ready: dict[int, Any] = {}
        next_i = 0
        try:
            for fut in as_completed(futures, loop=client.loop):
                i = index[fut.key]
                ready[i] = fut.result()
                fut.release()
                if on_done:
                    on_done(i)
                while next_i in ready:
                    yield ready.pop(next_i)
                    next_i += 1
        finally:
            for f in futures:
                f.cancel()
            shared_future.release()
