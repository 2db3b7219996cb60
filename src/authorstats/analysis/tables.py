"""Pure table functions: classified publications in, per-author and per-topic counts out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

TOTAL = "Total"
OTHER = "Other"  # no rule matched: listed after every topic, wherever topics are listed by count


def topic_table(records: pd.DataFrame) -> pd.DataFrame:
    """The seminar's shape: columns Topic, Count; first row Total; then topics by count, descending; Other
    (unclassified) last, whatever its count.

    Ties keep alphabetical order so the table is the same on every run.
    """
    counts = records["topic"].value_counts()
    ordered = sorted(counts.items(), key=lambda item: (item[0] == OTHER, -item[1], item[0]))
    rows = [(TOTAL, int(len(records)))] + [(topic, int(n)) for topic, n in ordered]
    return pd.DataFrame(rows, columns=["Topic", "Count"])


def records_by_author(table: pd.DataFrame, column: str = "author_key") -> dict[str, list[dict[str, Any]]]:
    """Each author's rows of ``table`` as records (``to_dict``'s), in the table's order, by the author's key in
    ``column``: one pass for a page that shows every author (a filter or slice of the table per author was
    quadratic in the roster, and cost milliseconds each)."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for record in table.to_dict("records"):
        grouped.setdefault(str(record[column]), []).append({str(k): v for k, v in record.items()})
    return grouped


def topic_counts(records: pd.DataFrame, authors: Sequence[str] | None = None) -> pd.DataFrame:
    """Long table (author, topic, count), authors in the given order, topics by count then name, Other last."""
    if records.empty:
        return pd.DataFrame(columns=["author", "topic", "count"])
    grouped = records.groupby(["author", "topic"], sort=False).size().reset_index(name="count")
    order = {a: i for i, a in enumerate(authors or sorted(grouped["author"].unique()))}
    grouped["_order"] = grouped["author"].map(order)
    grouped["_other"] = grouped["topic"] == OTHER
    grouped = grouped.sort_values(["_order", "_other", "count", "topic"], ascending=[True, True, False, True])
    return grouped.drop(columns=["_order", "_other"]).reset_index(drop=True)


def author_topic_matrix(records: pd.DataFrame, authors: Sequence[str], topics: Sequence[str]) -> pd.DataFrame:
    """Authors x topics count matrix (rows in ``authors`` order, columns in ``topics`` order, zeros kept)."""
    matrix = pd.crosstab(records["author"], records["topic"]) if not records.empty else pd.DataFrame()
    return matrix.reindex(index=list(authors), columns=list(topics), fill_value=0).fillna(0).astype(int)


def topics_by_year(records: pd.DataFrame, topics: Sequence[str]) -> pd.DataFrame:
    """Years x topics count matrix for one author's records (columns in ``topics`` order)."""
    if records.empty:
        return pd.DataFrame(columns=list(topics))
    pairs = records[["year", "topic"]].dropna()  # crosstab's counts, as one author's few rows need them (quicker)
    if pairs.empty:
        matrix = pd.crosstab(records["year"], records["topic"])
    else:
        matrix = pairs.groupby(["year", "topic"]).size().unstack("topic", fill_value=0)
    return matrix.reindex(columns=list(topics), fill_value=0).astype(int)


def topic_shares(matrix: pd.DataFrame) -> pd.DataFrame:
    """Row-normalised author x topic matrix: each author's share of papers per topic (0..1)."""
    totals = matrix.sum(axis=1).replace(0, 1)
    return matrix.div(totals, axis=0)
