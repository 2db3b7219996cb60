"""`authorstats who`: the roster's authors ranked by their recent works on a query, read from the workspace's
records (or the bundled snapshot) as `report` reads them; reads only, writes nothing."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from authorstats.errors import BadInputError
from authorstats.shell import store

if TYPE_CHECKING:
    from authorstats.analysis.expertise import Ranking
    from authorstats.shell.report import ReportRequest

MAX_QUERY = 20_000  # characters of a query file: an abstract or two, not a book


@dataclass(frozen=True)
class WhoOptions:
    """How `who` ranks: the recency half-life in years, and whose co-authors are flagged (or dropped)."""

    half_life: float = 2.0
    coauthors_of: str | None = None
    drop_coauthors: bool = False
    stopwords: Path | None = None  # the words a query leaves out; None: the bundled list


def query_text(text: str | None, path: Path | None) -> str:
    """The query: TEXT, or the text of ``--from FILE`` (an abstract); exactly one of them."""
    if (text is None) == (path is None):
        raise BadInputError(
            "who needs a query: TEXT or --from FILE, not both and not neither",
            "Write e.g. authorstats who 'causal representation learning', or authorstats who --from abstract.txt",
        )
    if path is not None:
        text = store.read_input_text(Path(path), "query file")
        if len(text) > MAX_QUERY:
            raise BadInputError(
                f"the query file {path} has {len(text)} characters, over {MAX_QUERY}",
                "Give an abstract or a few paragraphs, not a whole paper",
            )
    assert text is not None
    if not text.strip():
        raise BadInputError("the query is empty", "Give a topic name, keywords or an abstract")
    return text


def who(
    workspace: store.Workspace | str | os.PathLike[str], request: ReportRequest, text: str, options: WhoOptions
) -> Ranking:
    """The request's authors ranked for ``text`` (analysis.expertise) over the works `report` would count."""
    from authorstats.analysis.expertise import rank_authors
    from authorstats.shell.config_files import load_stopwords
    from authorstats.shell.report import prepare, report_data

    ws = workspace if isinstance(workspace, store.Workspace) else store.Workspace(Path(workspace))
    prepared = prepare(dataclasses.replace(request, clouds=False, reference="none"))
    stopwords = load_stopwords(options.stopwords)
    data = report_data(ws, prepared)  # reads only, so it takes no lock
    return rank_authors(
        data,
        text,
        stopwords=stopwords,
        half_life=options.half_life,
        coauthors_of=options.coauthors_of,
        drop=options.drop_coauthors,
    )
