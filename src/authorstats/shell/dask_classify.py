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
import socket
import time
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
CONNECT_SECONDS = 20  # to connect to a scheduler and read its first message, together (docs/scale.md)
INSTALL = "Install the Dask extra: pip install 'authorstats[dask]'"
SCHEMES = ("tcp",)  # the addresses authorstats can use: no TLS certificates or UCX libraries are set up
HANDSHAKE_BYTES = 65_536  # a scheduler's first message (its handshake) is under 100 bytes
FIX = (
    "Pass the tcp:// address `dask scheduler` printed (e.g. tcp://10.0.0.5:8786; start it, and workers with "
    "`dask worker ADDRESS`, if it is not running), or --scheduler local"
)


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
        classify_files.write(output, classified_on(client, chunks, taxonomy, address=scheduler))
    return counted.rows


@contextlib.contextmanager
def client_for(scheduler: str) -> Iterator[Client]:
    """A dask.distributed Client of the scheduler at ``scheduler``, or of a new LocalCluster for ``local``.

    An address is checked first: one of another scheme than tcp:// is refused at once (exit 3); then this process
    connects and reads the scheduler's first message itself, within CONNECT_SECONDS for both, and refuses what
    does not answer as a Dask scheduler does (exit 3): dask.distributed waits for that message without a
    deadline, and reads any first 8 bytes as the length of a message to allocate (2.8 EiB for an SSH server's).
    """
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
    host, port = scheduler_address(scheduler)
    deadline = time.monotonic() + CONNECT_SECONDS
    _greeted(scheduler, host, port, deadline)
    try:
        client = Client(scheduler, timeout=max(5.0, deadline - time.monotonic()))
    except Exception as exc:  # whatever the other end did: it is not a scheduler this process can use
        raise SourceUnavailableError(f"cannot reach the Dask scheduler at {scheduler} ({_why(exc)})", FIX) from None
    with client:
        yield client


def scheduler_address(scheduler: str) -> tuple[str, int]:
    """The host and port of a tcp:// address (``host:port`` means tcp://host:port); BadInputError otherwise."""
    from distributed.comm.addressing import parse_address, parse_host_port

    try:
        scheme, location = parse_address(scheduler)
    except ValueError:
        scheme, location = "", ""
    if scheme and scheme not in SCHEMES:  # a scheduler authorstats cannot speak with, as the unreachable ones
        raise SourceUnavailableError(
            f"--scheduler {scheduler!r} is not a tcp:// address: "
            f"authorstats does not connect to {scheme}:// schedulers",
            FIX,
        )
    if scheme not in SCHEMES:
        raise BadInputError(f"--scheduler {scheduler!r} is not a tcp:// address", FIX)
    try:
        host, port = parse_host_port(location)
    except ValueError:
        raise BadInputError(f"--scheduler {scheduler!r} names no port", FIX) from None
    if not host or not 0 < int(port) < 65_536:
        raise BadInputError(f"--scheduler {scheduler!r} names no host, or no port from 1 to 65535", FIX)
    return host, int(port)


def _greeted(scheduler: str, host: str, port: int, deadline: float) -> None:
    """Connect to ``host``:``port`` and read its first message before ``deadline``, as a Dask scheduler sends it
    on every connection (its handshake: a length, then frames holding a msgpack map); SourceUnavailableError
    naming what happened otherwise. Nothing larger than HANDSHAKE_BYTES is read."""
    import struct

    def fail(why: str) -> SourceUnavailableError:
        return SourceUnavailableError(f"cannot reach the Dask scheduler at {scheduler} ({why})", FIX)

    try:
        with socket.create_connection((host, port), timeout=max(0.1, deadline - time.monotonic())) as connection:
            head = _receive(connection, 8, deadline)
            (size,) = struct.unpack("Q", head)
            if not 16 <= size <= HANDSHAKE_BYTES:
                raise fail(f"it answers, but not as a Dask scheduler: its first message would be {size:,} bytes")
            body = _receive(connection, size, deadline)
    except TimeoutError:
        raise fail(
            f"nothing within {CONNECT_SECONDS} s: the address does not answer, or it is not a Dask scheduler"
        ) from None
    except EOFError:
        raise fail("it closed the connection without a word: it is not a Dask scheduler") from None
    except OSError as exc:
        raise fail(exc.strerror or str(exc)) from None
    if not _handshake(body):
        raise fail("it answers, but not as a Dask scheduler: its first message is not a Dask handshake")


def _receive(connection: socket.socket, size: int, deadline: float) -> bytes:
    """Exactly ``size`` bytes from ``connection`` before ``deadline`` (TimeoutError), or EOFError when it closes."""
    data = bytearray()
    while len(data) < size:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        connection.settimeout(left)
        piece = connection.recv(size - len(data))
        if not piece:
            raise EOFError
        data += piece
    return bytes(data)


def _handshake(body: bytes) -> bool:
    """Whether ``body`` is a Dask handshake: frames (a count, their lengths, their bytes) decoding to a map with the
    peer's Python version and pickle protocol."""
    import struct

    from distributed.protocol.core import loads

    (count,) = struct.unpack_from("Q", body)
    if not 1 <= count <= (len(body) - 8) // 8:
        return False
    lengths = struct.unpack_from(f"{count}Q", body, 8)
    start = 8 * (count + 1)
    if start + sum(lengths) != len(body):
        return False
    frames, place = [], start
    for length in lengths:
        frames.append(body[place : place + length])
        place += length
    try:
        message = loads(frames, deserialize=False)
    except Exception:  # whatever garbage the bytes are
        return False
    return isinstance(message, dict) and "python" in message and "pickle-protocol" in message


def _why(exc: BaseException) -> str:
    """One line on what went wrong, for a message."""
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def classified_on(
    client: Client,
    chunks: Iterable[classify_files.Chunk],
    taxonomy: Taxonomy,
    ahead: int | None = None,
    address: str = LOCAL,
) -> Iterator[tuple[classify_files.Chunk, classify_files.Added]]:
    """Each chunk with its classification as csv_writer's ``added`` columns, in the chunks' order, classified on
    the cluster with at most ``ahead`` chunks (default: two per worker) in flight, which bounds the memory. Losing
    the scheduler at ``address`` on the way is a SourceUnavailableError."""
    from authorstats.classification.engine import COLUMNS

    with _talking(address):
        if ahead is None:
            ahead = max(2, 2 * len(client.scheduler_info().get("workers", {})))
        [shared] = client.scatter([taxonomy], broadcast=True)
    waiting: collections.deque[tuple[classify_files.Chunk, Any]] = collections.deque()
    try:
        for chunk in chunks:
            with _talking(address):
                waiting.append((chunk, client.submit(classify_chunk, chunk.frame, shared, pure=False)))
            if len(waiting) >= ahead:
                done, future = waiting.popleft()
                with _talking(address):
                    result = future.result()
                yield done, (COLUMNS, *result)
        while waiting:
            done, future = waiting.popleft()
            with _talking(address):
                result = future.result()
            yield done, (COLUMNS, *result)
    finally:
        for _, future in waiting:
            future.cancel()


@contextlib.contextmanager
def _talking(address: str) -> Iterator[None]:
    """Failures to speak with the scheduler (a closed connection, a timeout) as one SourceUnavailableError."""
    try:
        yield
    except (OSError, TimeoutError) as exc:  # distributed's CommClosedError is an OSError
        where = "the local Dask cluster" if address == LOCAL else f"the Dask scheduler at {address}"
        raise SourceUnavailableError(
            f"lost {where} while classifying ({_why(exc)})",
            "Check that the scheduler and its workers still run, then classify again, or pass --scheduler local",
        ) from None


def classify_chunk(
    frame: pd.DataFrame, taxonomy: Taxonomy
) -> tuple[list[tuple[str, float, str, str, float]], np.ndarray]:
    """On a worker: the distinct result rows of a chunk and the number of each row's result (one process)."""
    from authorstats.classification import engine

    table = engine.classify_table(frame, taxonomy)
    return table.cells(), table.codes
