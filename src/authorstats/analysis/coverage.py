"""Where each author's numbers come from, in words every output repeats (charts, page, summary, terminal): pure.

A table copied into a slide loses its page; so each output names its data's source and coverage itself,
e.g. "bundled snapshot: 33 verified works, not Google Scholar's full list" or "Google Scholar, fetched 2026-12-02".
"""

from __future__ import annotations

from collections.abc import Sequence

from authorstats.models import YearWindow
from authorstats.source_names import SERVICE_NAMES, SNAPSHOT, SNAPSHOT_YEARS, service_name


def source_note(sources: Sequence[str], works: int, fetched: str) -> str:
    """One author's data in a few words: which source, and how complete it is.

    ``sources``: the provenance's source names; ``works``: the works in the window; ``fetched``: the
    fetch date(s) as the report states them ("not recorded" when unknown).
    """
    if not sources:
        return "no data found"
    if tuple(sources) == (SNAPSHOT,):
        return f"bundled snapshot: {works} verified works, not Google Scholar's full list"
    if SNAPSHOT in sources:
        added = " + ".join(f"{s} (imported)" for s in sources if s != SNAPSHOT)
        return f"bundled snapshot + {added}: {works} works, not Google Scholar's full list"
    names = " + ".join(service_name(s) if s in SERVICE_NAMES else f"{s} (imported)" for s in sources)
    return f"{names}, fetched {fetched}" if fetched != "not recorded" else f"{names}, fetch date not recorded"


def overview_note(notes: Sequence[tuple[str, str]]) -> str:
    """The source line of a chart comparing authors: the one source they share, or each author's."""
    kinds = {note.split(":")[0] if note.startswith("bundled snapshot") else note for _, note in notes}
    if len(kinds) == 1 and next(iter(kinds)) == "bundled snapshot":
        return "Data: bundled snapshot of verified works, not Google Scholar's full lists"
    if len(kinds) == 1:
        return f"Data: {next(iter(kinds))}"
    return "Data: " + "; ".join(f"{name}: {note}" for name, note in notes)


def snapshot_gap(window: YearWindow, keys: Sequence[str]) -> str:
    """The warning for a window reaching outside the snapshot's years, for authors read from it ("" when none)."""
    start, end = SNAPSHOT_YEARS
    if not keys or (window.start >= start and window.end <= end):
        return ""
    return (
        f"the bundled snapshot covers only {start}-{end}, so {window} reports no paper of "
        f"{', '.join(keys)} outside those years; fetch their data (authorstats fetch --years {window}) "
        "for other years"
    )
