"""Compare a report's per-author topic tables with a reference table (a seminar's, a colleague's): pure.

Per author: both counts per topic and their difference, the totals side by side, and an agreement figure,
1 - total variation distance between the two topic distributions (1: the same shares, 0: no topic in
common). The totals are compared apart from it, so the two reasons two tables differ stay apart:
coverage (how many works each holds) and classification (which topic each work is counted under).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from authorstats.config.reference import Reference, ReferenceAuthor

if TYPE_CHECKING:
    import pandas as pd

    from authorstats.config.groupings import Grouping
    from authorstats.config.taxonomy import Taxonomy
    from authorstats.models import Author


class AuthorData(Protocol):
    """What the comparison reads of one author's report (analysis.report.AuthorData has it)."""

    @property
    def author(self) -> Author: ...

    @property
    def table(self) -> pd.DataFrame: ...  # Topic, Count; Total first

    @property
    def papers(self) -> pd.DataFrame: ...  # the author's classified records


# reports/reference_comparison.csv: one row per author and topic, the Total row first with the agreement.
COMPARISON_COLUMNS = [
    "author",
    "topic",
    "in_taxonomy",
    "reference",
    "authorstats",
    "difference",
    "agreement",
    "agreement_low",  # the agreement's 95% interval (resampling both tables' papers)
    "agreement_high",
    "agreement_taxonomy",
    "grouping",  # the taxonomy's grouping the counts are in ("": the report's own topics)
    "note",  # why no agreement is given, when it is withheld
]


@dataclass(frozen=True)
class ComparedTopic:
    topic: str
    reference: int
    ours: int
    in_taxonomy: bool  # False: a reference topic the taxonomy lacks (authorstats never counts a paper there)

    @property
    def difference(self) -> int:
        return self.ours - self.reference


@dataclass(frozen=True)
class AuthorComparison:
    """One author's side-by-side. ``reference_total`` is None when the reference has no row of this author."""

    key: str
    name: str
    ours_total: int
    reference_total: int | None
    topics: tuple[ComparedTopic, ...]  # empty when the reference gives this author a total only
    agreement: float | None  # None: no topic distribution to compare (a total only, or no papers), or withheld
    # compared in a grouping's categories: the agreement of the full taxonomy's topics with the reference's rows
    agreement_taxonomy: float | None = None
    interval: tuple[float, float] | None = None  # the agreement's 95% interval, resampling both tables' papers
    withheld: str = ""  # why no agreement is given though both tables have topics (too few papers)

    @property
    def agreement_text(self) -> str:
        """The agreement as every output states it: "75% (95% bootstrap interval 45-77%)", or why there is none."""
        if self.agreement is None:
            return f"withheld: {self.withheld}" if self.withheld else "not comparable"
        if self.interval is None:
            return f"{self.agreement:.0%}"
        low, high = self.interval
        return f"{self.agreement:.0%} (95% bootstrap interval {low:.0%}-{high:.0%})"

    @property
    def coverage_gap(self) -> int | None:
        """authorstats' works minus the reference's: what coverage alone accounts for."""
        return None if self.reference_total is None else self.ours_total - self.reference_total

    @property
    def papers_elsewhere(self) -> float | None:
        """How many of authorstats' papers sit in another topic than the reference's shares would put them:
        the total variation distance times authorstats' total (what classification accounts for)."""
        return None if self.agreement is None else (1 - self.agreement) * self.ours_total

    def explanation(self, reference_name: str = "the reference") -> str:
        """Why the two tables differ, in words: coverage, then classification."""
        if self.reference_total is None:
            return f"{reference_name} has no table of {self.name}."
        gap = self.coverage_gap or 0
        more = f"{abs(gap)} {'more' if gap > 0 else 'fewer'}" if gap else "as many"
        words = [
            f"Coverage: {reference_name} counts {self.reference_total} works, authorstats' data holds "
            f"{self.ours_total} ({more}); only the totals can be compared, as a table of counts does not "
            "say which works it counted."
        ]
        if self.agreement is None and not self.withheld:
            words.append(
                f"Classification: not comparable, {reference_name} gives {self.name}'s total only."
                if self.reference_total and not self.topics
                else "Classification: not comparable, one of the tables has no papers."
            )
        elif self.agreement is None:
            words.append(f"Classification: no agreement is given, {self.withheld}.")
        else:
            spread = f"; 95% bootstrap interval {self.interval[0]:.0%}-{self.interval[1]:.0%}" if self.interval else ""
            same = "the same number of works, not necessarily the same works" if not gap else "different sets of works"
            words.append(
                f"Shares: the topic shares agree {self.agreement:.0%} (1 - total variation distance{spread}). The two "
                f"tables count {same}, so the works each counts (coverage) and the topic each paper got "
                "(classification) both move the shares; a table of counts cannot tell the two apart."
            )
            if self.agreement_taxonomy is not None:
                words.append(
                    f"Counted in the full taxonomy's topics instead of {reference_name}'s categories, they "
                    f"agree {self.agreement_taxonomy:.0%}."
                )
            lacking = [t.topic for t in self.topics if not t.in_taxonomy]
            if lacking:
                words.append(
                    f"Not topics of the taxonomy (authorstats cannot count a paper there): {', '.join(lacking)}."
                )
        return " ".join(words)


@dataclass(frozen=True)
class Comparison:
    """A report compared with a reference table, author by author (in roster order)."""

    origin: str
    description: str
    authors: tuple[AuthorComparison, ...]
    unmatched: tuple[str, ...]  # reference authors that are not in the report
    grouping: str = ""  # the taxonomy's grouping the comparison counts in ("": the report's own tables)

    @property
    def name(self) -> str:
        return self.description or self.origin

    def table(self) -> pd.DataFrame:
        """reports/reference_comparison.csv: per author a Total row (with the agreement), then the topics."""
        import pandas as pd

        rows: list[dict[str, object]] = []
        for item in self.authors:
            if item.reference_total is None:
                continue
            rows.append(
                {
                    "author": item.key,
                    "topic": "Total",
                    "in_taxonomy": "",
                    "reference": item.reference_total,
                    "authorstats": item.ours_total,
                    "difference": item.coverage_gap,
                    "agreement": "" if item.agreement is None else f"{item.agreement:.3f}",
                    "agreement_low": "" if item.interval is None else f"{item.interval[0]:.3f}",
                    "agreement_high": "" if item.interval is None else f"{item.interval[1]:.3f}",
                    "agreement_taxonomy": "" if item.agreement_taxonomy is None else f"{item.agreement_taxonomy:.3f}",
                    "grouping": self.grouping,
                    "note": item.withheld,
                }
            )
            rows += [
                {
                    "author": item.key,
                    "topic": t.topic,
                    "in_taxonomy": "yes" if t.in_taxonomy else "no",
                    "reference": t.reference,
                    "authorstats": t.ours,
                    "difference": t.difference,
                    "agreement": "",
                    "agreement_low": "",
                    "agreement_high": "",
                    "agreement_taxonomy": "",
                    "grouping": self.grouping,
                    "note": "",
                }
                for t in item.topics
            ]
        return pd.DataFrame(rows, columns=COMPARISON_COLUMNS)


MIN_PAPERS = 10  # an agreement needs this many papers in each table; fewer, and one paper moves it by 10 points
RESAMPLES = 2000  # bootstrap resamples for the agreement's interval (fixed seed: the same data, the same interval)


def agreement_interval(ours: dict[str, int], theirs: dict[str, int]) -> tuple[float, float] | None:
    """The 95% interval of the agreement when each table's papers are resampled (a multinomial bootstrap of both
    tables: which papers happened to be counted moves the shares as much as how they were tagged)."""
    import numpy as np

    topics = sorted(set(ours) | set(theirs))
    a = np.array([ours.get(t, 0) for t in topics], dtype=float)
    b = np.array([theirs.get(t, 0) for t in topics], dtype=float)
    if a.sum() == 0 or b.sum() == 0:
        return None
    rng = np.random.default_rng(0)
    sa = rng.multinomial(int(a.sum()), a / a.sum(), size=RESAMPLES) / a.sum()
    sb = rng.multinomial(int(b.sum()), b / b.sum(), size=RESAMPLES) / b.sum()
    values = 1 - np.abs(sa - sb).sum(axis=1) / 2
    low, high = np.percentile(values, [2.5, 97.5])
    return float(low), float(high)


def agreement(ours: dict[str, int], theirs: dict[str, int]) -> float | None:
    """1 - total variation distance between two topic count tables' distributions; None if either is empty."""
    ours_n, theirs_n = sum(ours.values()), sum(theirs.values())
    if not ours_n or not theirs_n:
        return None
    topics = set(ours) | set(theirs)
    distance = sum(abs(ours.get(t, 0) / ours_n - theirs.get(t, 0) / theirs_n) for t in topics) / 2
    return 1 - distance


def compare(authors: Sequence[AuthorData], reference: Reference, taxonomy: Taxonomy) -> Comparison:
    """Each report author's table beside ``reference``'s (matched by roster key or display name, case-insensitive).

    A reference that names a grouping (the seminar's: ``seminar``) is compared in that grouping's categories
    when the taxonomy has it, and also topic by topic in the full taxonomy (``agreement_taxonomy``); otherwise
    in the report's own tables. Reference topics the taxonomy (or grouping) lacks are marked.
    """
    grouping = _grouping(taxonomy, reference.grouping)
    known = set(grouping.names if grouping else taxonomy.names) | set(taxonomy.names)
    by_name = {r.author.casefold(): r for r in reference.authors}
    used: set[str] = set()
    out = []
    for item in authors:
        ref = by_name.get(item.author.key.casefold()) or by_name.get(item.author.name.casefold())
        ours_total = int(item.table.loc[item.table["Topic"] == "Total", "Count"].sum())
        if ref is None:
            out.append(AuthorComparison(item.author.key, item.author.name, ours_total, None, (), None))
            continue
        used.add(ref.author)
        fine = _topic_counts(item)
        if grouping is not None:
            ours: dict[str, int] = {}
            for topic, count in fine.items():
                category = grouping.mapping.get(topic, topic)
                ours[category] = ours.get(category, 0) + count
        else:
            ours = {str(t): int(c) for t, c in item.table.itertuples(index=False) if t != "Total"}
        compared = _compare_one(item, ref, ours, ours_total, known)
        if grouping is not None and ref.counts and compared.agreement is not None:
            compared = dataclasses.replace(compared, agreement_taxonomy=agreement(fine, ref.counts))
        out.append(compared)
    unmatched = tuple(r.author for r in reference.authors if r.author not in used)
    return Comparison(reference.origin, reference.description, tuple(out), unmatched, grouping.name if grouping else "")


def _grouping(taxonomy: Taxonomy, name: str) -> Grouping | None:
    return next((g for g in taxonomy.groupings if g.name == name), None) if name else None


def _topic_counts(item: AuthorData) -> dict[str, int]:
    """The author's papers per topic of the full taxonomy (their ``taxonomy_topic`` when the report is grouped)."""
    papers = item.papers
    column = "taxonomy_topic" if "taxonomy_topic" in papers else "topic"
    if column not in papers:
        return {str(t): int(c) for t, c in item.table.itertuples(index=False) if t != "Total"}
    return {str(t): int(c) for t, c in papers[column].value_counts().items()}


def _compare_one(
    item: AuthorData, ref: ReferenceAuthor, ours: dict[str, int], ours_total: int, known: set[str]
) -> AuthorComparison:
    theirs = ref.counts
    if not theirs:  # a total only: nothing to compare topic by topic
        return AuthorComparison(item.author.key, item.author.name, ours_total, ref.total, (), None)
    names = sorted(
        set(ours) | set(theirs), key=lambda t: (t == "Other", -theirs.get(t, 0), -ours.get(t, 0), t)
    )  # Other (unclassified) last
    rows = tuple(ComparedTopic(t, theirs.get(t, 0), ours.get(t, 0), t in known) for t in names)
    n_ours, n_theirs = sum(ours.values()), sum(theirs.values())
    if 0 < min(n_ours, n_theirs) < MIN_PAPERS:
        why = (
            f"fewer than {MIN_PAPERS} papers in a table (authorstats {n_ours}, the reference {n_theirs}), "
            "too few for the shares to mean much"
        )
        return AuthorComparison(item.author.key, item.author.name, ours_total, ref.total, rows, None, withheld=why)
    return AuthorComparison(
        item.author.key,
        item.author.name,
        ours_total,
        ref.total,
        rows,
        agreement(ours, theirs),
        interval=agreement_interval(ours, theirs),
    )
