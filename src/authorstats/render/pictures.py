"""Draw the report's pictures (charts, word clouds) from plain data, in worker processes; returns bytes, writes nothing.

Each picture is independent of the others, so they are drawn side by side, one worker process per
CPU. A worker gets one job's data (tables, weights, sizes), draws it, and sends back the encoded
bytes; only the main process writes files (through store, inside the report's all-or-nothing block).
The bytes do not depend on which process drew them, so the report is the same as when drawn in turn.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import connection
from dataclasses import dataclass
from typing import Iterator, Sequence

# Below this many pictures, handing them to the workers costs more than it saves.
MIN_PARALLEL_JOBS = 3


@dataclass(frozen=True)
class Chart:
    """A matplotlib chart: ``charts.<draw>(ax, *args)`` on a ``size`` inch figure at ``dpi``, encoded as ``fmt``."""

    draw: str
    args: tuple
    size: tuple[float, float]
    dpi: int
    fmt: str = "png"


@dataclass(frozen=True)
class Cloud:
    """A word cloud of ``weights``, ``width`` x ``height`` pixels, as PNG."""

    weights: dict
    width: int
    height: int


def draw(job: Chart | Cloud) -> bytes:
    """The encoded picture of one job (runs in a worker, or in the main process when drawing in turn)."""
    if isinstance(job, Cloud):
        from authorstats.render import clouds

        return clouds.cloud_png(clouds.make_cloud(job.weights, width=job.width, height=job.height))
    from authorstats.render import charts

    fig, ax = charts.new_figure(*job.size, job.dpi)
    try:
        getattr(charts, job.draw)(ax, *job.args)
    except BaseException:
        charts.close(fig)
        raise
    return charts.figure_bytes(fig, job.fmt)


def cpu_count() -> int:
    """CPUs this process may run on (the affinity mask where the system has one)."""
    with contextlib.suppress(AttributeError, OSError):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class Painter:
    """Worker processes that draw jobs; used as ``with Painter() as painter: painter.draw(jobs)``.

    The workers start when the block is entered, so they get ready while the caller prepares the
    data. Leaving the block normally waits for them; leaving it on an error, Ctrl-C or SIGTERM
    cancels what is not drawn yet and ends the workers.
    """

    def __init__(self, workers: int | None = None, clouds: bool = True):
        self.workers = cpu_count() if workers is None else workers
        self.clouds = clouds
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Painter:
        if self.workers >= 2:
            _preload(self.clouds)
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=_context(),
                                             initializer=_worker_start)
            self._pool.submit(int)  # forks the workers now, while the caller prepares the jobs
        return self

    def __exit__(self, kind, error, traceback) -> None:
        if self._pool is not None:
            if kind is None:
                self._pool.shutdown(wait=True)
            else:
                _stop(self._pool)
            self._pool = None

    def draw(self, jobs: Sequence[Chart | Cloud]) -> Iterator[bytes]:
        """The bytes of each job, in order; each is dropped here as soon as the caller has taken it."""
        if self._pool is None or len(jobs) < MIN_PARALLEL_JOBS:
            return (draw(job) for job in jobs)
        return _in_order(deque(self._pool.submit(draw, job) for job in jobs))


def _in_order(pending: deque) -> Iterator[bytes]:
    while pending:
        yield pending.popleft().result()  # popped: the bytes are dropped as soon as the caller is done with them


def _context():
    """fork where it is safe (Linux): workers start at once with the modules already imported; spawn elsewhere."""
    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _preload(clouds: bool) -> None:
    """Import here, once, what the workers need: forked, they start with it (each would take ~0.5 s to import pandas)."""
    import pandas  # noqa: F401  (the jobs' tables arrive as DataFrames)
    from matplotlib.backends import backend_agg  # noqa: F401
    from PIL import Image

    from authorstats.render import charts  # noqa: F401

    Image.preinit()  # PIL's image plugins, imported at the first save otherwise
    if clouds:
        import wordcloud  # noqa: F401

        from authorstats.render import clouds as _  # noqa: F401


def _worker_start() -> None:
    """Workers leave Ctrl-C and SIGTERM to the main process, which stops them (no second traceback)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _stop(pool: ProcessPoolExecutor, grace: float = 3.0) -> None:
    """Cancel the pictures not started, let the workers finish the one they draw (well under a second),
    and end any worker still busy after ``grace`` seconds."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # no public list of the workers
    pool.shutdown(wait=False, cancel_futures=True)
    waiting = [p.sentinel for p in processes]
    deadline = time.monotonic() + grace
    while waiting and time.monotonic() < deadline:
        for ended in connection.wait(waiting, timeout=max(0.0, deadline - time.monotonic())):
            waiting.remove(ended)
    for process in processes:
        if process.sentinel in waiting:
            with contextlib.suppress(Exception):
                process.terminate()
