"""`authorstats who`'s answer as terminal lines: each ranked author with the works and words that decided their
rank; values in, text out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from authorstats.text import clean_control

if TYPE_CHECKING:
    from authorstats.analysis.expertise import Ranking


def _clip(text: str, width: int) -> str:
    text = " ".join(clean_control(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def ranking_lines(ranking: Ranking, window: str, *, limit: int = 10, works: int = 3) -> list[str]:
    """The ranking as lines: a head saying how the query was read, then per author (at most ``limit``) their score,
    works on the topic, a conflict flag, and their ``works`` strongest works with the words that matched."""
    query = ranking.query
    topics = ", ".join(f"{name} {share:.2f}" for name, share in query.topics) or "none"
    words = ", ".join(w for w, _ in query.words[:40]) + (" ..." if len(query.words) > 40 else "")
    lines = [
        f"Who works on {_clip(query.text, 60)!r} in {window}: recent works on the topic, each a vote weighted by its "
        f"relevance and halved every {ranking.half_life:g} years back.",
        f"  read as topics: {topics}; words (rarest count most): {words or 'none'}",
    ]
    if not ranking.candidates:
        lines.append("No roster author has a work on this topic in the window.")
    for rank, c in enumerate(ranking.candidates[:limit], start=1):
        flag = f"  ! {c.conflict}" if c.conflict else ""
        lines.append(f"{rank:>2}. {c.name} ({c.key})  score {c.score:.2f}: {len(c.works)} of {c.all_works} works{flag}")
        for w in c.works[:works]:
            year = str(w.year) if w.year is not None else "----"
            lines.append(f"      {year}  {_clip(w.title, 70)}")
            lines.append(f"            relevance {w.relevance:.2f} [{w.topic}] words: {', '.join(w.words) or '-'}")
    more = len(ranking.candidates) - limit
    if more > 0:
        lines.append(f"... and {more} more (--limit {len(ranking.candidates)} shows all).")
    if ranking.without:
        lines.append(f"No work on the topic: {', '.join(ranking.without)}.")
    if ranking.dropped:
        lines.append(f"Left out as co-authors (--drop-coauthors): {', '.join(ranking.dropped)}.")
    return lines
