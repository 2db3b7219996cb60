"""Pure: the roster's works counted once across authors. A paper two roster authors wrote together is in both
their tables; the trends and the exports count it once (same DOI, else same normalised title and year)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from authorstats.analysis.merge import normalise_title
from authorstats.identifiers import normalise_doi

if TYPE_CHECKING:
    import pandas as pd


def work_key(title: object, year: object, doi: object) -> str:
    """What two rows of one work share: its DOI, else its normalised title and year."""
    found = normalise_doi(doi) if isinstance(doi, str) else ""
    if found:
        return "doi:" + found
    return f"title:{normalise_title(title if isinstance(title, str) else '')}:{year}"


def distinct_works(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per work of classified records (the first row of each, in frame order), with ``roster_authors``:
    the roster keys whose lists hold it, "; "-joined in frame order."""
    if frame.empty:
        out = frame.copy()
        out["roster_authors"] = []
        return out
    keys = [work_key(t, y, d) for t, y, d in zip(frame["title"], frame["year"], frame.get("doi", [""] * len(frame)))]
    owners: dict[str, list[str]] = {}
    for key, author in zip(keys, frame["author"]):
        owners.setdefault(key, [])
        if author not in owners[key]:
            owners[key].append(str(author))
    first = ~frame.assign(_key=keys)["_key"].duplicated()
    out = frame[first.to_numpy()].copy()
    out["roster_authors"] = ["; ".join(owners[k]) for k, keep in zip(keys, first) if keep]
    return out.reset_index(drop=True)
