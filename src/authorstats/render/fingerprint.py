"""A picture job's fingerprint: a SHA-256 of exactly what it draws, so an unchanged picture can be reused.

The fingerprint covers the drawing function (by name), every argument it is given (tables, weights, titles,
colours), the size, dpi and format, and a ``context`` the caller adds: the library versions and the drawing
code's own digest. Two jobs with the same fingerprint draw the same bytes. A value of a kind this module does
not know how to write out exactly raises :class:`Unhashable`: such a picture is always drawn, never guessed at.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import struct
from collections.abc import Callable, Mapping
from typing import Any

from authorstats.render.jobs import Chart, Cloud, Job

# Bumped when the way values are written out below changes, so no old fingerprint matches a new one.
SCHEME = b"authorstats picture fingerprint 1\n"


class Unhashable(TypeError):
    """A job holds a value whose every detail this module cannot write out: draw it rather than reuse."""


def job_key(job: Job, context: str = "") -> str:
    """The hex SHA-256 of ``job`` (what it draws, at which size, dpi and format) and ``context``."""
    sha = hashlib.sha256(SCHEME)
    _feed(sha.update, context)
    if isinstance(job, Cloud):
        _feed(sha.update, ("cloud", job.weights, job.width, job.height, job.caption))
    elif isinstance(job, Chart):
        _feed(sha.update, ("chart", job.draw, job.args, job.size, job.dpi, job.fmt, job.sizes_itself))
    else:
        raise Unhashable(f"not a picture job: {type(job).__name__}")
    return sha.hexdigest()


def _feed(put: Callable[[bytes], object], value: Any) -> None:
    """Write ``value`` to ``put`` unambiguously: a type tag, then a length or a fixed-size encoding."""
    import numpy as np
    import pandas as pd

    if value is None:
        put(b"N")
    elif isinstance(value, bool | np.bool_):
        put(b"T" if value else b"F")
    elif isinstance(value, int | np.integer):
        _text(put, b"i", str(int(value)))
    elif isinstance(value, float | np.floating):
        put(b"f" + struct.pack("<d", float(value)))
    elif isinstance(value, str):
        _text(put, b"s", value)
    elif isinstance(value, bytes):
        put(b"b" + struct.pack("<Q", len(value)) + value)
    elif isinstance(value, enum.Enum):
        _feed(put, ("enum", _name(type(value)), value.value))
    elif isinstance(value, dt.date | dt.datetime):
        _text(put, b"d", value.isoformat())
    elif isinstance(value, tuple | list):
        put((b"t" if isinstance(value, tuple) else b"l") + struct.pack("<Q", len(value)))
        for item in value:
            _feed(put, item)
    elif isinstance(value, Mapping):
        put(b"m" + struct.pack("<Q", len(value)))
        for key, item in value.items():  # in order: a legend or a colour list may follow it
            _feed(put, key)
            _feed(put, item)
    elif isinstance(value, set | frozenset):
        items = sorted(value, key=repr)
        _feed(put, ("set", items))
    elif isinstance(value, pd.DataFrame):
        _feed(put, ("frame", value.columns, value.index, [str(t) for t in value.dtypes]))
        for _, column in value.items():
            _feed(put, column.to_numpy())
    elif isinstance(value, pd.Series):
        _feed(put, ("series", value.name, value.index, str(value.dtype), value.to_numpy()))
    elif isinstance(value, pd.Index):
        _feed(put, ("index", list(value.names), str(value.dtype), value.to_numpy()))
    elif isinstance(value, np.ndarray):
        if value.dtype.kind in "biufc":
            array = np.ascontiguousarray(value)
            _feed(put, ("array", value.dtype.str, value.shape))
            put(struct.pack("<Q", array.nbytes) + array.tobytes())
        else:
            _feed(put, ("objects", value.shape, value.ravel().tolist()))
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        _feed(put, ("dataclass", _name(type(value))))
        _feed(put, [(f.name, getattr(value, f.name)) for f in dataclasses.fields(value)])
    elif callable(value) and hasattr(value, "__qualname__"):
        _feed(put, ("function", _name(value)))
    else:
        raise Unhashable(f"cannot fingerprint a {type(value).__name__}")


def _text(put: Callable[[bytes], object], tag: bytes, text: str) -> None:
    data = text.encode("utf-8", "surrogatepass")
    put(tag + struct.pack("<Q", len(data)) + data)


def _name(thing: Any) -> str:
    return f"{thing.__module__}.{thing.__qualname__}"
