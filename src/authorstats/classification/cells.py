"""Results as the cells of classify's five added columns (engine.COLUMNS): topic, score, evidence, topics, confidence.

A million-title table has hundreds of thousands of results, many of them the same objects (the engine's memos hand a
result out again for each title of the same key), so a :class:`CellMemo` formats each object once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeAlias

from authorstats.classification.spec import Classification, format_topics

Cells: TypeAlias = tuple[str, float, str, str, float]  # a result as engine.COLUMNS writes it
# A caller's encoding of rows of cells, one text for each (the CSV writer's: shell/csv_writer.py), None if it cannot
Encode: TypeAlias = Callable[[list[Cells]], "Sequence[str] | None"]


def cells(results: Iterable[Classification]) -> list[Cells]:
    """The COLUMNS cells of each result: topic, score, evidence joined by ';', topics as format_topics writes them,
    confidence."""
    return [(r.topic, r.score, ";".join(r.evidence), format_topics(r.topics), r.confidence) for r in results]


class CellMemo:
    """:func:`cells` of results met before: by the result's identity (the result is held, so that its id stays its
    own), and each topic's ``name:score`` text by value (scores are never -0.0 or NaN, so equal ones are written
    alike). Each memo stops growing at its bound."""

    def __init__(self, results: int, topics: int) -> None:
        self.known: dict[int, tuple[Classification, Cells]] = {}
        self.topic_texts: dict[tuple[str, float], str] = {}
        self.encoded: dict[int, tuple[Classification, str]] = {}
        self.bounds = (results, topics)

    def cells(self, results: Iterable[Classification], remember: bool = True) -> list[Cells]:
        """:func:`cells` of each result; those formatted anew are remembered if ``remember`` (and there is room)."""
        known, texts = self.known, self.topic_texts
        out: list[Cells] = []
        for result in results:
            found = known.get(id(result))
            if found is None:
                try:
                    topics = ";".join([texts[pair] for pair in result.topics])
                except KeyError:
                    for pair in result.topics:
                        if pair not in texts and len(texts) < self.bounds[1]:
                            texts[pair] = format_topics((pair,))
                    topics = format_topics(result.topics)
                found = (result, (result.topic, result.score, ";".join(result.evidence), topics, result.confidence))
                if remember and len(known) < self.bounds[0]:
                    known[id(result)] = found
            out.append(found[1])
        return out

    def encode(self, results: Sequence[Classification], encode: Encode) -> list[str] | None:
        """``encode(self.cells(results))``, each result encoded once while the memo has room (a result is met again
        in later tables); None if ``encode`` cannot encode them. The cells of a result encoded are not kept: its text
        is (half the memory)."""
        known = self.encoded
        ids = list(map(id, results))
        new = [r for r, i in zip(results, ids) if i not in known]
        made = encode(self.cells(new, remember=False)) if new else []
        if made is None:
            return None
        room = self.bounds[0] - len(known)
        known.update(zip(map(id, new[:room]), zip(new[:room], made[:room])))  # a result held keeps its id its own
        if len(new) <= room:
            return [known[i][1] for i in ids]
        fresh = dict(zip(map(id, new), made))
        return [fresh[i] if i in fresh else known[i][1] for i in ids]
