"""The names of the places records come from, as data/raw/ folders and as people read them.

A leaf every stage may import: the sources fetch under these names, the analysis states them in every
output ("bundled snapshot: 33 verified works ..."), the shell reads data/raw/<name>/.
"""

from __future__ import annotations

# The name a source is shown under in messages; the keys are the names of data/raw/ folders.
SERVICE_NAMES = {"scholar": "Google Scholar", "openalex": "OpenAlex", "dblp": "dblp"}

SNAPSHOT = "snapshot"  # the bundled snapshot's records
SNAPSHOT_ARXIV = "snapshot-arxiv"  # its arXiv versions: a second source, so that merging has real work to do
SNAPSHOT_YEARS = (2021, 2022)  # the years the snapshot covers (SNAPSHOT.md)
SNAPSHOT_DESCRIPTION = (
    "the bundled snapshot (2021-22 works checked against public pages: conference papers, preprints, "
    "workshop and journal papers; smaller than Google Scholar's lists; `authorstats fetch` gets fresh data)"
)


def service_name(source: str) -> str:
    """``scholar`` -> ``Google Scholar``; a name without a display name is shown as it is."""
    return SERVICE_NAMES.get(source, source)
