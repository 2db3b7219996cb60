"""Render the report's tables as Markdown (summary.md), to paste into slides or notes; writes nothing."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

import pandas as pd

from authorstats.text import clean_control

# What data must not bring into Markdown: raw HTML and autolinks (< > as entities, and & when it would start
# a character reference), links and images ([ ]), emphasis (* _ ~), code (`), maths ($, which GitHub
# renders), a column break (|) and the escape character itself. A lone "&" stays: it shows as itself.
_ENTITY_AMPERSAND = re.compile(r"&(?=#?\w+;)")
_SPECIAL = re.compile(r"([\\`*_\[\]|~$])")


class Markdown(str):
    """Text that is already Markdown (a bold Total), put into a table as it is."""


def cell(value: object) -> str:
    """A table cell or heading from data: its Markdown and HTML escaped, control characters and line breaks
    folded to spaces, so data can neither split or add a column nor become a link, an image or HTML."""
    if isinstance(value, Markdown):
        return value
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    text = _ENTITY_AMPERSAND.sub("&amp;", clean_control(text))
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    return " ".join(_SPECIAL.sub(r"\\\1", text).split())


def table(header: Sequence[str], rows: Sequence[Sequence[object]], right: Sequence[bool] | None = None) -> str:
    """A GitHub-flavoured Markdown table; ``right`` marks the numeric (right-aligned) columns."""
    right = right or [False] * len(header)
    lines = [
        "| " + " | ".join(cell(h) for h in header) + " |",
        "|" + "|".join("---:" if r else "---" for r in right) + "|",
    ]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def seminar(table_: pd.DataFrame) -> str:
    """The seminar's Topic | Count table, Total row in bold."""
    rows = [
        (Markdown(f"**{cell(t)}**") if t == "Total" else t, Markdown(f"**{int(c)}**") if t == "Total" else int(c))
        for t, c in table_.itertuples(index=False)
    ]
    return table(["Topic", "Count"], rows, [False, True])


def _matrix(matrix: pd.DataFrame, names: dict[str, str], first: str, fmt: Callable[[float], object] = int) -> str:
    """Rows of ``matrix`` as table rows, row and column keys shown through ``names``."""
    rows = [[names.get(str(k), str(k)), *(fmt(v) for v in values)] for k, values in matrix.iterrows()]
    return table(
        [first, *(names.get(c, c) for c in map(str, matrix.columns))], rows, [False] + [True] * matrix.shape[1]
    )


def render(
    window: str,
    authors: Sequence[tuple[str, str, pd.DataFrame, pd.DataFrame]],
    matrix: pd.DataFrame,
    shares: pd.DataFrame,
    notes: Sequence[str] = (),
    sections: Sequence[str] = (),
    sources: Mapping[str, str] | None = None,
    checking: Mapping[str, str] | None = None,
) -> str:
    """summary.md: overview (counts and shares), then per author the seminar table and topics by year.

    ``authors`` holds (key, name, seminar table, years x topics counts) in roster order. Names, topics and
    years are escaped (``cell``); ``notes`` are the tool's own sentences, already Markdown. ``sections``: more
    sections, already Markdown (render.analyses_markdown), put after the authors' tables and before the notes.
    ``sources``: key -> where that author's numbers come from, stated at the top and under the author's heading.
    ``checking``: key -> how many of that author's topics are left to check (config.labels.checking_note).
    """
    names = {key: name for key, name, _, _ in authors}
    sources = sources or {}
    out = [f"# Topics, {window}", ""]
    if sources:
        out += [sources_line(names, sources), ""]
    if authors:
        used = matrix.sum(axis=0) > 0
        out += ["## Papers per topic and author", "", _matrix(matrix.loc[:, used].T, names, "Topic"), ""]
        out += [
            "## Share of each author's papers per topic",
            "",
            _matrix(shares.loc[:, used].T, names, "Topic", lambda v: f"{v:.0%}"),
            "",
        ]
    for key, name, seminar_table, by_year in authors:
        out += [f"## {cell(name)}", ""]
        if key in sources:
            out += [f"Data: {cell(sources[key])}.", ""]
        if checking and checking.get(key):
            out += [f"Topics: {cell(checking[key])}.", ""]
        out += [seminar(seminar_table), ""]
        by_year = by_year.loc[:, by_year.sum(axis=0) > 0] if not by_year.empty else by_year
        if not by_year.empty:
            out += [f"### {cell(name)}: topics by year", "", _matrix(by_year.rename(index=str), {}, "Year"), ""]
    out += [part for section in sections for part in (section.rstrip(), "")]
    out += [f"_{' '.join(n.split())}_" for n in notes]  # the tool's own sentences, in Markdown (`commands`)
    return "\n".join(out).rstrip() + "\n"


def sources_line(names: Mapping[str, str], sources: Mapping[str, str]) -> str:
    """ "Data: <name>: <source>; ..." for the top of summary.md, escaped."""
    return "Data: " + "; ".join(f"{cell(names.get(key, key))}: {cell(note)}" for key, note in sources.items()) + "."
