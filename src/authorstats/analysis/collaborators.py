"""Pure: each roster author's co-authors in the window, ranked by joint papers, with the topics of those papers.

Names are matched after folding case and accents (every letter as anyascii writes it in ASCII: "Søren" =
"Soren", "Łukasz" = "Lukasz"), dropping punctuation, middle names and middle initials ("Geoffrey E. Hinton" =
"Geoffrey Hinton", "Yann Lecun" = "Yann LeCun"); every spelling merged into another is listed. A roster
author is never their own co-author: a name authorstats.names matches to them ("Y. Bengio", "Bengio, Yoshua",
a form the roster lists) is left out of their list.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from authorstats.names import name_fold, without_suffix

if TYPE_CHECKING:
    import pandas as pd

    from authorstats.models import Author

COLUMNS = ["author_key", "coauthor", "papers", "topics", "first_year", "last_year"]
MERGE_COLUMNS = ["name", "merged_into", "records"]  # records: how many records wrote the name so
SEPARATOR = "; "  # between the names of a record's ``authors`` cell (analysis.report.publications_frame)


@functools.lru_cache(maxsize=1 << 16)  # a co-author's name comes back on many papers: each spelling is folded once
def name_key(name: str) -> str:
    """The form two spellings of one name share: the first and last word without accents, case, punctuation
    or the middle names and initials between them ("Geoffrey E. Hinton", "geoffrey hinton" -> "geoffrey
    hinton"; a first initial stays: "Y. Bengio" and "S. Bengio" are two people)."""
    words = _parts(name)
    return " ".join(words[:1] + words[-1:] if len(words) > 2 else words)


def _parts(name: str) -> list[str]:
    """The words of a name, given names first ("LeCun, Yann" -> ["yann", "lecun"]), folded, without a
    generational suffix ("King, Jr., Martin Luther" -> ["martin", "luther", "king"])."""
    name = without_suffix(" ".join(name.split()))
    if name.count(",") == 1:
        surname, given = name.split(",")
        name = f"{given} {surname}"
    return name_fold(name, punctuation=False).replace("_", " ").split()


def split_names(cell: object) -> list[str]:
    """The names in one ``authors`` cell, each once (in order), blank ones left out."""
    if not isinstance(cell, str):
        return []
    return list(_split(cell))


@functools.lru_cache(maxsize=1 << 16)  # many papers have the same author list (a team's papers): split once
def _split(cell: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(n.strip() for n in cell.split(SEPARATOR.strip()) if n.strip()))


@dataclass(frozen=True)
class Collaboration:
    """The co-authors of every roster author (COLUMNS), the name spellings merged, and how many papers had no
    author list (such papers count for nobody)."""

    table: pd.DataFrame  # COLUMNS; authors in roster order, co-authors by joint papers then name
    merges: pd.DataFrame  # MERGE_COLUMNS: each spelling counted as another (data/processed/name_merges.csv)
    without_authors: dict[str, int]  # author key -> papers with no author list

    def top(self, key: str, limit: int = 10) -> pd.DataFrame:
        """One author's ``limit`` most frequent co-authors."""
        return self.table[self.table["author_key"] == key].head(limit)


def display_names(names: Iterable[str]) -> tuple[dict[str, str], list[tuple[str, str, int]]]:
    """Each name key's shown spelling (the most used; ties: the one with the most capitals and accents, then
    A-Z), and the merges: (spelling, spelling it was counted as, records that wrote it so)."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for name in names:
        spellings[name_key(name)][" ".join(name.split())] += 1
    shown: dict[str, str] = {}
    merges: list[tuple[str, str, int]] = []
    for key, counts in spellings.items():
        best = sorted(counts, key=lambda s: (-counts[s], -sum(not c.isascii() or c.isupper() for c in s), s))[0]
        shown[key] = best
        merges.extend((s, best, counts[s]) for s in sorted(counts) if s != best)
    return shown, sorted(merges, key=lambda m: (m[1].casefold(), m[0]))


def collaborators(frame: pd.DataFrame, roster: Sequence[Author]) -> Collaboration:
    """The co-authors of each roster author's papers in ``frame`` (classified records: author, year, topic and
    the ``authors`` cell), one row per (roster author, co-author)."""
    import pandas as pd

    rows = list(zip(frame["author"], frame["year"], frame["topic"], frame["authors"])) if len(frame) else []
    shown, merges = display_names(n for *_, cell in rows for n in split_names(cell))
    from authorstats.names import NameMatcher

    names = {a.key: a.name for a in roster}
    matcher = NameMatcher.of(roster)
    joint: dict[tuple[str, str], list[tuple[object, str]]] = defaultdict(list)  # (author, name key) -> (year, topic)
    without: Counter[str] = Counter()
    for author, year, topic, cell in rows:
        if author not in names:
            continue
        found = split_names(cell)
        if not found:
            without[author] += 1
        keys = dict.fromkeys(name_key(n) for n in found if not matcher.is_author(author, n))
        for key in keys:
            joint[author, key].append((year, str(topic)))
    out = []
    order = {a.key: i for i, a in enumerate(roster)}
    for (author, key), papers in joint.items():
        topics = Counter(t for _, t in papers)
        years = [int(y) for y, _ in papers if isinstance(y, (int, float)) and not pd.isna(y)]
        out.append(
            {
                "author_key": author,
                "coauthor": shown[key],
                "papers": len(papers),
                "topics": SEPARATOR.join(f"{t} ({n})" for t, n in sorted(topics.items(), key=lambda i: (-i[1], i[0]))),
                "first_year": min(years) if years else None,
                "last_year": max(years) if years else None,
                "_order": order[author],
            }
        )
    table = pd.DataFrame(out, columns=[*COLUMNS, "_order"])
    table = table.sort_values(["_order", "papers", "coauthor"], ascending=[True, False, True], kind="stable")
    table = table.drop(columns="_order").reset_index(drop=True)
    for column in ("first_year", "last_year"):
        table[column] = table[column].astype("Int64")
    return Collaboration(table, pd.DataFrame(merges, columns=MERGE_COLUMNS), dict(without))
