"""A large table classified in two processes at once: its second half in a forked child, where there is a
second CPU. Measured at 1M titles on the quiet 2-core machine: 16.0 s with the child, 21.8 s without
(docs/classifier.md); below PARALLEL_FROM distinct titles the start-up costs more than it saves. ``classify``
hands it chunks of 100,000 rows (shell/classify_files.py), so the second process works from 50,000: at 1M titles
in such chunks, 25.7 s with it and 29.9 s without (December 2026, load 2 to 4).

The caller decides whether to use it (``workers``): the library's compute_report never does, the
``classify`` command does. Each title's result is the same in either process.
"""

from __future__ import annotations

import array
import multiprocessing
import signal
import sys
from multiprocessing.connection import Connection

from authorstats.classification import batch
from authorstats.classification.spec import Classification
from authorstats.config.taxonomy import Taxonomy

PARALLEL_FROM = 50_000


def classify(
    taxonomy: Taxonomy, titles: list[str], abstracts: list[str] | None, workers: int
) -> tuple[list[Classification], list[int]]:
    """Each distinct result once and the number of each title's result, from one or two processes."""
    if workers < 2 or len(titles) < PARALLEL_FROM:
        return numbered(batch.index(taxonomy).classify(titles, abstracts))
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
        first, codes = numbered(
            batch.index(taxonomy).classify(titles[:half], None if abstracts is None else abstracts[:half])
        )
        done, answer = receive.recv()
        child.join()
    finally:  # an error or Ctrl-C here: the child's half is not wanted any more
        receive.close()
        if child.is_alive():
            child.terminate()
    if not done:
        raise answer
    second, more_codes = answer
    return first + second, codes + [len(first) + c for c in more_codes]


def _second_half(taxonomy: Taxonomy, titles: list[str], abstracts: list[str] | None, send: Connection) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it ends this process
    answer: tuple[bool, object]
    try:
        with batch.no_collection():
            distinct, codes = numbered(batch.index(taxonomy).classify(titles, abstracts))
        answer = (True, (distinct, array.array("i", codes)))  # sent as bytes: far quicker than a list of numbers
    except Exception as error:  # noqa: BLE001  (handed to the parent, which raises it)
        answer = (False, error)
    send.send(answer)
    send.close()


def numbered(results: list[Classification]) -> tuple[list[Classification], list[int]]:
    """Each distinct result once (titles with the same key share one result object), and the number of each."""
    numbers: dict[int, int] = {}
    distinct: list[Classification] = []
    for result in results:
        if id(result) not in numbers:
            numbers[id(result)] = len(distinct)
            distinct.append(result)
    return distinct, [numbers[id(result)] for result in results]
