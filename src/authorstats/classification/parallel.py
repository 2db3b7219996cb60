"""A large table classified in two processes at once: its second half in a forked child, where there is a
second CPU. Measured at 1M titles on the quiet 2-core machine: 16.0 s with the child, 21.8 s without
(docs/classifier.md); below PARALLEL_FROM distinct titles the start-up costs more than it saves. ``classify``
hands it chunks of 100,000 rows (shell/classify_files.py), so the second process works from 50,000: at 1M titles
in such chunks, 25.7 s with it and 29.9 s without (December 2026, load 2 to 4). The persistent workers below
replaced it for ``classify`` (docs/classifier.md gives their figures).

The caller decides whether to use it (``workers``): the library's compute_report never does, the
``classify`` command does. Each title's result is the same in either process.

A caller classifying many tables in turn (``classify``'s chunks) opens :func:`persistent` workers once instead:
processes that live as long as the block, keep their compiled taxonomy and what it has learnt from one table
to the next, and classify every table's titles between them, so the calling process is free to read and write
while they work.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import signal
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any, TypeAlias

from authorstats.classification import batch
from authorstats.classification.cells import Encode
from authorstats.classification.spec import Classification
from authorstats.config.taxonomy import Taxonomy

if TYPE_CHECKING:
    import numpy as np

PARALLEL_FROM = 50_000
Codes: TypeAlias = "np.ndarray[Any, np.dtype[np.int64]]"  # for each title, the number of its result


def classify(
    taxonomy: Taxonomy, titles: list[str], abstracts: list[str] | None, workers: int
) -> tuple[list[Classification], Codes]:
    """Each distinct result once and the number of each title's result, from one or two processes (or from the
    :func:`persistent` workers open for ``taxonomy``)."""
    pool = _persistent.get(id(taxonomy))
    if pool is not None and workers >= 2:
        return pool.classify(titles, abstracts)
    if workers < 2 or len(titles) < PARALLEL_FROM:
        return batch.index(taxonomy).numbered(titles, abstracts)
    # fork (Linux) starts at once with everything imported and the inputs in memory; spawn elsewhere
    context: (
        multiprocessing.context.DefaultContext
        | multiprocessing.context.ForkContext
        | multiprocessing.context.SpawnContext
    )
    context = (
        multiprocessing.get_context("fork")
        if sys.platform.startswith("linux")
        else multiprocessing.get_context("spawn")
    )
    half = len(titles) // 2
    receive, send = context.Pipe(duplex=False)
    child = context.Process(
        target=_second_half,
        daemon=True,
        args=(taxonomy, titles[half:], None if abstracts is None else abstracts[half:], send),
    )
    child.start()
    send.close()
    try:
        first, codes = batch.index(taxonomy).numbered(titles[:half], None if abstracts is None else abstracts[:half])
        done, answer = receive.recv()
        child.join()
    finally:  # an error or Ctrl-C here: the child's half is not wanted any more
        receive.close()
        if child.is_alive():
            child.terminate()
    if not done:
        raise answer
    import numpy as np

    second, more_codes = answer
    return first + second, np.concatenate([codes, more_codes + len(first)])


def start_cells(
    taxonomy: Taxonomy, titles: list[str], abstracts: list[str] | None, workers: int, encode: Encode | None = None
) -> Callable[[], tuple[list[Any], Codes]]:
    """:func:`classify` with each distinct result as its cells (cells.py), begun: the :func:`persistent` workers,
    when they are open, are given the titles now and make the cells (so the results never cross the pipe), and the
    call returned waits for them; otherwise the work is done here and now. With ``encode``, each result's cells are
    handed back as the text ``encode`` makes of them (made once per result in a worker), unless it cannot."""
    pool = _persistent.get(id(taxonomy))
    if pool is not None and workers >= 2:
        return pool.start_cells(titles, abstracts, encode)
    index = batch.index(taxonomy)
    distinct, codes = classify(taxonomy, titles, abstracts, workers)
    answer = _finished(index, distinct, encode), codes
    return lambda: answer


def _finished(index: batch.Index, distinct: list[Classification], encode: Encode | None) -> list[Any]:
    """Each distinct result as its cells, or as the texts ``encode`` makes of them where it can."""
    if encode is not None:
        made = index.memo.encode(distinct, encode)
        if made is not None:
            return made
    return index.memo.cells(distinct)


def _second_half(taxonomy: Taxonomy, titles: list[str], abstracts: list[str] | None, send: Connection) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it ends this process
    answer: tuple[bool, object]
    try:
        with batch.no_collection():
            distinct, codes = batch.index(taxonomy).numbered(titles, abstracts)
        answer = (True, (distinct, codes))  # an array is sent as bytes: far quicker than a list of numbers
    except Exception as error:  # noqa: BLE001  (handed to the parent, which raises it)
        answer = (False, error)
    send.send(answer)
    send.close()


class _Pool:
    """Worker processes with ``taxonomy`` compiled, each classifying an equal part of every table it is given;
    started with the first table large enough to be worth sending (none for a small file)."""

    def __init__(self, taxonomy: Taxonomy, workers: int, setup: tuple[Callable[..., object], tuple[Any, ...]]) -> None:
        self.taxonomy = taxonomy
        self.workers = workers
        self.setup = setup
        self.executor: ProcessPoolExecutor | None = None

    def classify(self, titles: list[str], abstracts: list[str] | None) -> tuple[list[Classification], Codes]:
        if len(titles) < PARALLEL_FROM // 10:  # a few titles: quicker here than sent away and back
            return batch.index(self.taxonomy).numbered(titles, abstracts)
        distinct, codes = self._share(titles, abstracts, False)()
        with batch.no_collection():
            return list(map(Classification._make, distinct)), codes

    def start_cells(
        self, titles: list[str], abstracts: list[str] | None, encode: Encode | None
    ) -> Callable[[], tuple[list[Any], Codes]]:
        if len(titles) < PARALLEL_FROM // 10:
            index = batch.index(self.taxonomy)
            distinct, codes = index.numbered(titles, abstracts)
            answer = _finished(index, distinct, encode), codes
            return lambda: answer
        return self._share(titles, abstracts, True, encode)

    def _share(
        self, titles: list[str], abstracts: list[str] | None, cells: bool, encode: Encode | None = None
    ) -> Callable[[], tuple[list[Any], Codes]]:
        """The titles handed to the workers, an equal part each; the call returned waits for each distinct result
        (as a plain tuple, or as its cells) and the number of each title's."""
        if self.executor is None:
            self.executor = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=_context(),
                initializer=_start_worker,
                initargs=(self.taxonomy, *self.setup),
            )
        step = -(-len(titles) // self.workers)
        parts: list[Future[tuple[list[tuple[Any, ...]], Codes]]] = [
            self.executor.submit(
                _classify_part,
                titles[at : at + step],
                None if abstracts is None else abstracts[at : at + step],
                cells,
                encode,
            )
            for at in range(0, len(titles), step)
        ]

        def collect() -> tuple[list[Any], Codes]:
            import numpy as np

            distinct: list[tuple[Any, ...]] = []
            codes: list[Codes] = []
            for part in parts:
                results, numbers = part.result()
                codes.append(numbers + len(distinct))
                distinct += results
            return distinct, np.concatenate(codes)

        return collect

    def close(self, cancel: bool) -> None:
        if self.executor is None:
            return
        if not cancel:
            self.executor.shutdown(wait=True)
            return
        processes = list((getattr(self.executor, "_processes", None) or {}).values())
        self.executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:  # a worker busy with a large table would finish it first: not wanted any more
            with contextlib.suppress(Exception):
                process.terminate()
        for process in processes:
            process.join(5)
        self.executor.shutdown(wait=True)


_persistent: dict[int, _Pool] = {}  # the open persistent workers, by id of their taxonomy


@contextlib.contextmanager
def persistent(
    taxonomy: Taxonomy,
    workers: int,
    setup: Callable[..., object] | None = None,
    setup_args: tuple[Any, ...] = (),
) -> Iterator[None]:
    """Inside the block, :func:`classify` of ``taxonomy`` with ``workers`` of 2 or more hands every table to
    ``workers`` processes started once here. Leaving the block on an error or Ctrl-C ends them at once.
    ``setup(*setup_args)`` runs first in each worker (the shell's: end the worker when its parent dies)."""
    if workers < 2:
        yield
        return
    pool = _Pool(taxonomy, workers, (setup or _nothing, setup_args))
    _persistent[id(taxonomy)] = pool
    try:
        yield
    except BaseException:
        _persistent.pop(id(taxonomy), None)
        pool.close(cancel=True)
        raise
    _persistent.pop(id(taxonomy), None)
    pool.close(cancel=False)


_worker_taxonomy: list[Taxonomy] = []  # in a persistent worker: the taxonomy it classifies with


def _context() -> multiprocessing.context.BaseContext:
    """fork (Linux): the workers start at once with everything imported; spawn elsewhere."""
    return multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")


def _nothing(*args: object) -> None:
    return None


def _start_worker(taxonomy: Taxonomy, setup: Callable[..., object], setup_args: tuple[Any, ...]) -> None:
    # Ctrl-C and SIGTERM are the parent's to handle: it ends this process (at once: no handler of the parent's,
    # inherited at fork, turns its ending into a second traceback)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    setup(*setup_args)
    _worker_taxonomy[:] = [taxonomy]


def _classify_part(
    titles: list[str], abstracts: list[str] | None, cells: bool, encode: Encode | None = None
) -> tuple[list[Any], Codes]:
    """Each distinct result as a plain tuple (pickled five times quicker than the named tuple, whose pickling
    calls Python code for each result; the parent makes them named tuples again) or as its cells (or the text
    ``encode`` makes of them), and the number of each title's."""
    index = batch.index(_worker_taxonomy[0])
    with batch.no_collection():
        distinct, codes = index.numbered(titles, abstracts)
        plain: list[Any] = _finished(index, distinct, encode) if cells else list(map(tuple, distinct))
        # what is alive now (mostly the memos, which make no cycles) is left out of later collections: walking it
        # after each part cost a tenth of a worker's time
        gc.freeze()
    return plain, codes  # an array is sent as bytes: far quicker than a list of numbers
