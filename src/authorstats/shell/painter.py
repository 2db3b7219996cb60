"""Draw a report's picture jobs in worker processes, one per CPU, and hand back their bytes in order.

A worker gets one job's data (tables, weights, sizes), draws it with render.pictures.draw, and sends
back the encoded bytes; only the main process writes files (through store, inside the report's
all-or-nothing block). The bytes do not depend on which process drew them, so the report is the same
as when drawn in turn.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import sys
import time
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import connection
from multiprocessing.context import BaseContext
from types import TracebackType
from typing import cast

from authorstats.render import pictures
from authorstats.render.jobs import Job
from authorstats.shell import processes

# Below this many pictures, handing them to the workers costs more than it saves.
MIN_PARALLEL_JOBS = 3


class Painter:
    """Worker processes that draw jobs; used as ``with Painter() as painter: painter.draw(jobs)``.

    The workers start when the block is entered. Leaving the block normally waits for them; leaving it
    on an error, Ctrl-C or SIGTERM cancels what is not drawn yet and ends the workers; and if this process
    dies without leaving it (``kill -9``), the workers end too.
    """

    def __init__(self, workers: int | None = None, clouds: bool = True):
        self.workers = processes.cpu_count() if workers is None else workers
        self.clouds = clouds
        self._pool: ProcessPoolExecutor | None = None
        self._before: set[multiprocessing.process.BaseProcess] = set()

    def __enter__(self) -> Painter:
        if self.workers >= 2:
            _preload(self.clouds)
            self._before = set(multiprocessing.active_children())
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=_context(),
                initializer=processes.start_worker,
                initargs=(os.getpid(),),
            )
            self._pool.submit(int)  # starts the workers now (forked: all at once)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if kind is None:
            pool.shutdown(wait=True)
        else:
            self._stop(pool)

    def draw(self, jobs: Sequence[Job]) -> Iterator[bytes]:
        """The bytes of each job, in order; each is dropped here as soon as the caller has taken it."""
        if self._pool is None or len(jobs) < MIN_PARALLEL_JOBS:
            return (draw_collected(job) for job in jobs)
        return _in_order(deque(self._pool.submit(draw_collected, job) for job in jobs))

    def workers_alive(self) -> list[multiprocessing.process.BaseProcess]:
        """This painter's worker processes: the children started since it was entered."""
        return [p for p in multiprocessing.active_children() if p not in self._before]

    def _stop(self, pool: ProcessPoolExecutor, grace: float = 3.0) -> None:
        """Cancel the pictures not started, let the workers finish the one they draw (well under a second),
        and end any worker still busy after ``grace`` seconds."""
        workers = self.workers_alive()
        pool.shutdown(wait=False, cancel_futures=True)
        waiting = [p.sentinel for p in workers]
        deadline = time.monotonic() + grace
        while waiting and time.monotonic() < deadline:
            for ended in connection.wait(waiting, timeout=max(0.0, deadline - time.monotonic())):
                waiting.remove(cast(int, ended))  # wait() gives back the objects it was given: sentinels
        for process in workers:
            if process.sentinel in waiting:
                with contextlib.suppress(Exception):
                    process.terminate()
        for process in workers:
            process.join(grace)  # reaped: no worker outlives the block
            if process.exitcode is None:  # SIGTERM caught (a handler inherited from the parent at fork): SIGKILL
                with contextlib.suppress(Exception):
                    process.kill()
                process.join(KILLED_WAIT)
        # The executor's own thread reaps its workers too; waiting for it here means no worker is still being
        # reaped (and seen alive) once the block is left.
        pool.shutdown(wait=True)


# Seconds to wait for a SIGKILLed worker to be gone: it cannot refuse, but on a loaded machine the kernel may take
# longer than the grace period to tear down a process with a large address space.
KILLED_WAIT = 30.0


def draw_collected(job: Job) -> bytes:
    """The job's bytes (render.pictures.draw), with the garbage collector paused while it is drawn and a collection
    of the youngest objects once it is done: a chart makes tens of thousands of objects that refer to each other,
    and the collector's passes while it is drawn found nothing to free but moved them to older generations, where
    only a full pass frees them. Drawn this way, every object a picture leaves is young, and one quick pass frees it:
    7-10% less CPU for the bundled report's pictures drawn in one process, and a lower peak (268 -> 222 MB)."""
    if not gc.isenabled():  # the caller's choice: no collection here either
        return pictures.draw(job)
    gc.disable()
    try:
        return pictures.draw(job)
    finally:
        gc.enable()
        gc.collect(0)


def _in_order(pending: deque[Future[bytes]]) -> Iterator[bytes]:
    while pending:
        yield pending.popleft().result()  # popped: the bytes are dropped as soon as the caller is done with them


def _context() -> BaseContext:
    """fork where it is safe (Linux): workers start at once with the modules already imported; spawn elsewhere."""
    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _preload(clouds: bool) -> None:
    """Import here, once, what the workers need: forked, they start with it (each would take ~0.5 s to import
    pandas)."""
    import pandas  # noqa: F401  (the jobs' tables arrive as DataFrames)
    from matplotlib.backends import backend_agg  # noqa: F401
    from PIL import Image

    from authorstats.render import charts

    charts.matplotlib_ready()  # forked, the workers start with matplotlib set up for drawing
    Image.preinit()  # PIL's image plugins, imported at the first save otherwise
    if clouds:
        import wordcloud  # noqa: F401

        from authorstats.render import clouds as _  # noqa: F401
