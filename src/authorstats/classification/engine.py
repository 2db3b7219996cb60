"""Classification of one title or of a whole table: the fast batch engine behind one seam, held to spec.py.

``classify`` (one title) and ``classify_frame`` / ``classify_table`` (a DataFrame) give exactly what
``spec.classify`` gives for each title; tests/test_classify_spec.py checks it. The rules are in
spec.py and docs/classifier.md; how the engine applies them quickly is in batch.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from authorstats.classification import batch, parallel
from authorstats.classification import cells as result_cells
from authorstats.classification.spec import NOTHING, Classification, format_topics, normalise, words
from authorstats.config.taxonomy import Taxonomy

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = [
    "COLUMNS",
    "NOTHING",
    "Classification",
    "ResultTable",
    "classify",
    "classify_frame",
    "classify_table",
    "format_topics",
    "normalise",
    "words",
]

_T = TypeVar("_T")
COLUMNS = ("topic", "score", "evidence", "topics", "confidence")  # what classify_frame adds
_KINDS = (object, float, object, object, float)


@dataclass(frozen=True)
class ResultTable:
    """The classification of every row of a table, compactly: each distinct result once, and for each row
    the number of its result."""

    results: tuple[Classification, ...]
    codes: np.ndarray

    def cells(self) -> list[tuple[str, float, str, str, float]]:
        """The COLUMNS cells of each distinct result, as classify_frame writes them."""
        with batch.no_collection():  # results from the second process are new objects: a collection pass doubled this
            return result_cells.cells(self.results)


def classify(title: str, abstract: str = "", *, taxonomy: Taxonomy) -> Classification:
    """Classify one title (and its abstract, weighted lower). Deterministic; nothing matched -> Other."""
    return batch.index(taxonomy).classify(
        [title if isinstance(title, str) else ""], [abstract if isinstance(abstract, str) else ""]
    )[0]


def classify_frame(df: pd.DataFrame, taxonomy: Taxonomy) -> pd.DataFrame:
    """A copy of ``df`` with topic, score, evidence, topics and confidence columns, from ``title`` (+ ``abstract``).

    Each distinct (title, abstract) pair is classified once, so a million rows of repeated titles cost
    no more than their distinct titles.
    """
    import numpy as np

    table = classify_table(df, taxonomy)
    cells = table.cells()
    out = df.copy()
    with batch.no_collection():
        for number, (name, kind) in enumerate(zip(COLUMNS, _KINDS)):
            out[name] = np.array([row[number] for row in cells], dtype=kind)[table.codes]
    return out


def classify_table(df: pd.DataFrame, taxonomy: Taxonomy, *, workers: int = 1) -> ResultTable:
    """The classification of every row of ``df`` (its ``title``, and ``abstract`` if it has one).

    ``workers=2`` or more lets a large table be classified in two processes (parallel.py); the default
    starts none.
    """

    def now(
        taxonomy: Taxonomy, titles: list[str], abstracts: list[str] | None, workers: int
    ) -> Callable[[], tuple[list[Classification], Any]]:
        answer = parallel.classify(taxonomy, titles, abstracts, workers)
        return lambda: answer

    distinct, codes = _classify_pairs(df, taxonomy, workers, now)()
    return ResultTable(tuple(distinct), codes)


def classify_cells(
    df: pd.DataFrame, taxonomy: Taxonomy, *, workers: int = 1, encode: result_cells.Encode | None = None
) -> tuple[list[Any], np.ndarray]:
    """``classify_table(df, taxonomy, workers=workers)``'s ``cells()`` and ``codes``, the cells made where the
    titles are classified: in the :func:`parallel.persistent` workers when they are open, which format each
    result they hand out again only once, and the results never cross the pipe. With ``encode`` (the CSV writer's),
    each distinct row is handed back as the text ``encode`` makes of its cells, where it can (cells.CellMemo.encode)."""
    return start_classify_cells(df, taxonomy, workers=workers, encode=encode)()


def start_classify_cells(
    df: pd.DataFrame, taxonomy: Taxonomy, *, workers: int = 1, encode: result_cells.Encode | None = None
) -> Callable[[], tuple[list[Any], np.ndarray]]:
    """:func:`classify_cells`, begun: with the :func:`parallel.persistent` workers open, they are given the titles
    now, and the call returned waits for them. A caller can so hand them the next table before it takes the last
    one's cells, and they need not wait for it between tables."""

    def start(
        taxonomy: Taxonomy, titles: list[str], abstracts: list[str] | None, workers: int
    ) -> Callable[[], tuple[list[Any], Any]]:
        return parallel.start_cells(taxonomy, titles, abstracts, workers, encode)

    return _classify_pairs(df, taxonomy, workers, start)


def _classify_pairs(
    df: pd.DataFrame,
    taxonomy: Taxonomy,
    workers: int,
    start: Callable[[Taxonomy, list[str], list[str] | None, int], Callable[[], tuple[list[_T], Any]]],
) -> Callable[[], tuple[list[_T], np.ndarray]]:
    """``start`` of each distinct (title, abstract) pair of ``df``; the call returned gives its distinct results and
    the number of each row's."""
    import numpy as np
    import pandas as pd

    titles = df["title"].fillna("").astype(str) if "title" in df else pd.Series([""] * len(df), index=df.index)
    title_codes, title_values = _factorize(titles)
    with batch.no_collection():
        if "abstract" in df:
            abstracts = df["abstract"].fillna("").astype(str)
            abstract_codes, abstract_values = pd.factorize(abstracts, use_na_sentinel=False)
            width = max(len(abstract_values), 1)
            pair_codes, pairs = pd.factorize(
                title_codes.astype(np.int64) * width + abstract_codes, use_na_sentinel=False
            )
            numbers = pairs.tolist()
            finish = start(
                taxonomy,
                [title_values[p // width] for p in numbers],
                [abstract_values[p % width] for p in numbers],
                workers,
            )
        else:
            pair_codes = title_codes
            finish = start(taxonomy, title_values, None, workers)

    def done() -> tuple[list[_T], np.ndarray]:
        with batch.no_collection():
            distinct, result_of_pair = finish()
        return distinct, np.asarray(result_of_pair, dtype=np.int64)[pair_codes]

    return done


def _factorize(texts: pd.Series) -> tuple[np.ndarray, list[str]]:
    """``pd.factorize(texts)`` with its distinct values as a list: by Arrow's dictionary encoding for text held in
    Arrow (pandas' text columns where pyarrow is installed), four times quicker."""
    import pandas as pd

    if isinstance(texts.dtype, pd.StringDtype) and texts.dtype.storage == "pyarrow" and not texts.hasnans:
        import pyarrow as pa

        held = pa.array(texts)
        if isinstance(held, pa.ChunkedArray):  # one dictionary for all the text
            held = held.combine_chunks()
        encoded = held.dictionary_encode()
        return encoded.indices.to_numpy(zero_copy_only=False), encoded.dictionary.to_pylist()
    codes, values = pd.factorize(texts, use_na_sentinel=False)
    return codes, values.tolist()
