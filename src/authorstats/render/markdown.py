"""Render the report's tables as Markdown (summary.md), to paste into slides or notes; writes nothing."""

from __future__ import annotations

from typing import Callable, Sequence

import pandas as pd


def cell(value: object) -> str:
    """A table cell: ``|`` escaped, line breaks folded, so data can never split or add a column."""
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    return " ".join(text.replace("\\", "\\\\").replace("|", "\\|").split())


def table(header: Sequence[str], rows: Sequence[Sequence[object]], right: Sequence[bool] | None = None) -> str:
    """A GitHub-flavoured Markdown table; ``right`` marks the numeric (right-aligned) columns."""
    right = right or [False] * len(header)
    lines = ["| " + " | ".join(cell(h) for h in header) + " |",
             "|" + "|".join("---:" if r else "---" for r in right) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def seminar(table_: pd.DataFrame) -> str:
    """The seminar's Topic | Count table, Total row in bold."""
    rows = [(f"**{t}**" if t == "Total" else t, f"**{int(c)}**" if t == "Total" else int(c))
            for t, c in table_.itertuples(index=False)]
    return table(["Topic", "Count"], rows, [False, True])


def _matrix(matrix: pd.DataFrame, names: dict[str, str], first: str,
            fmt: Callable[[float], object] = int) -> str:
    """Rows of ``matrix`` as table rows, row and column keys shown through ``names``."""
    rows = [[names.get(str(k), str(k)), *(fmt(v) for v in values)] for k, values in matrix.iterrows()]
    return table([first, *(names.get(c, c) for c in map(str, matrix.columns))], rows,
                 [False] + [True] * matrix.shape[1])


def render(window: str, authors: Sequence[tuple[str, str, pd.DataFrame, pd.DataFrame]], matrix: pd.DataFrame,
           shares: pd.DataFrame, notes: Sequence[str] = ()) -> str:
    """summary.md: overview (counts and shares), then per author the seminar table and topics by year.

    ``authors`` holds (key, name, seminar table, years x topics counts) in roster order.
    """
    names = {key: name for key, name, _, _ in authors}
    out = [f"# Topics, {window}", ""]
    if authors:
        used = matrix.sum(axis=0) > 0
        out += ["## Papers per topic and author", "", _matrix(matrix.loc[:, used].T, names, "Topic"), ""]
        out += ["## Share of each author's papers per topic", "",
                _matrix(shares.loc[:, used].T, names, "Topic", lambda v: f"{v:.0%}"), ""]
    for key, name, seminar_table, by_year in authors:
        out += [f"## {cell(name)}", "", seminar(seminar_table), ""]
        by_year = by_year.loc[:, by_year.sum(axis=0) > 0] if not by_year.empty else by_year
        if not by_year.empty:
            out += [f"### {cell(name)}: topics by year", "",
                    _matrix(by_year.rename(index=str), {}, "Year"), ""]
    out += [f"_{cell(n)}_" for n in notes]
    return "\n".join(out).rstrip() + "\n"
