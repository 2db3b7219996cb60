"""Publication sources behind one small interface.

A source turns an Author and a YearWindow into Publication records. It owns its network
session (passed in, never global) and raises SourceUnavailableError when the service
refuses or cannot be reached. Sources never write files: fetch.py saves what they yield.
"""

from __future__ import annotations

from typing import Iterable, Protocol

from authorstats.models import Author, Publication, YearWindow


class Source(Protocol):
    name: str

    def fetch(self, author: Author, window: YearWindow) -> Iterable[Publication]:
        """Yield the author's publications in ``window``, newest first where the source allows."""
        ...
