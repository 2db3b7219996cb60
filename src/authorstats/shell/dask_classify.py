"""classify on a Dask cluster (the optional extra ``authorstats[dask]``): the chunks classify_files.py reads are
classified by the cluster's workers with the same engine, a few at a time, and written in their order, so the
output is the single-process output row for row (for CSV, byte for byte).

This process reads the input and writes the output; the workers do the classifying, which is where the
time goes. To have the workers read a corpus from shared storage themselves, use the library function
``authorstats.classify_frame`` with ``dask.dataframe.map_partitions`` (docs/scale.md).
"""

from __future__ import annotations

import collections
import contextlib
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from authorstats.errors import BadInputError, SourceUnavailableError
from authorstats.shell import classify_files

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    from dask.distributed import Client

    from authorstats.config.taxonomy import Taxonomy

LOCAL = "local"
CONNECT_SECONDS = 20
INSTALL = "Install the Dask extra: pip install 'authorstats[dask]'"


def classify_file(
    source: Path,
    output: Path | None,
    taxonomy: Taxonomy,
    *,
    replace: bool,
    scheduler: str,
    rows: int = classify_files.CHUNK_ROWS,
) -> int:
    """classify_files.classify_file with the chunks classified on the cluster at ``scheduler`` (an address, or
    ``local`` for a LocalCluster of one worker process per CPU); the number of rows."""
    counted = classify_files.Counted()
    with client_for(scheduler) as client:
        chunks = classify_files.read_chunks(source, replace, rows, counted)
        classify_files.write(output, classified_on(client, chunks, taxonomy))
    return counted.rows


@contextlib.contextmanager
def client_for(scheduler: str) -> Iterator[Client]:
    """A dask.distributed Client of the scheduler at ``scheduler``, or of a new LocalCluster for ``local``."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise BadInputError("--scheduler needs dask.distributed, which is not installed", INSTALL) from None
    if scheduler == LOCAL:
        from authorstats.shell import processes

        with (
            LocalCluster(
                n_workers=processes.cpu_count(),
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            ) as cluster,
            Client(cluster) as client,
        ):
            yield client
        return
    try:
        client = Client(scheduler, timeout=CONNECT_SECONDS)
    except (OSError, TimeoutError, ValueError) as exc:
        raise SourceUnavailableError(
            f"cannot reach the Dask scheduler at {scheduler} ({exc})",
            "Start it with `dask scheduler` (and workers with `dask worker ADDRESS`), "
            "check the address, or pass --scheduler local",
        ) from None
    with client:
        yield client


def classified_on(
    client: Client, chunks: Iterable[classify_files.Chunk], taxonomy: Taxonomy, ahead: int | None = None
) -> Iterator[tuple[classify_files.Chunk, classify_files.Added]]:
    """Each chunk with its classification as csv_writer's ``added`` columns, in the chunks' order, classified on
    the cluster with at most ``ahead`` chunks (default: two per worker) in flight, which bounds the memory."""
    from authorstats.classification.engine import COLUMNS

    if ahead is None:
        ahead = max(2, 2 * len(client.scheduler_info().get("workers", {})))
    [shared] = client.scatter([taxonomy], broadcast=True)
    waiting: collections.deque[tuple[classify_files.Chunk, Any]] = collections.deque()
    try:
        for chunk in chunks:
            waiting.append((chunk, client.submit(classify_chunk, chunk.frame, shared, pure=False)))
            if len(waiting) >= ahead:
                done, future = waiting.popleft()
                yield done, (COLUMNS, *future.result())
        while waiting:
            done, future = waiting.popleft()
            yield done, (COLUMNS, *future.result())
    finally:
        for _, future in waiting:
            future.cancel()


def classify_chunk(
    frame: pd.DataFrame, taxonomy: Taxonomy
) -> tuple[list[tuple[str, float, str, str, float]], np.ndarray]:
    """On a worker: the distinct result rows of a chunk and the number of each row's result (one process)."""
    from authorstats.classification import engine

    table = engine.classify_table(frame, taxonomy)
    return table.cells(), table.codes
