"""`authorstats taxonomy suggest`: read the titles, fit the topic model (analysis/suggest.py), write the taxonomy
file."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from authorstats.errors import BadInputError
from authorstats.shell import config_files, store

if TYPE_CHECKING:
    import pandas as pd

# A progress bar: (total, label) -> a context giving the function that advances it.
Progress = Callable[[int, str], contextlib.AbstractContextManager[Callable[[int], None]]]


@dataclass(frozen=True)
class SuggestOptions:
    output: Path = Path("taxonomy.suggested.toml")
    topics: int | None = None  # None: chosen by coherence
    extend: bool = False
    force: bool = False
    source: Path | None = None  # --from FILE.csv; None: the workspace's records
    taxonomy: Path | None = None  # what --extend extends (the bundled taxonomy by default)
    roster: Path | None = None


@dataclass(frozen=True)
class SuggestResult:
    output: Path
    texts: int  # the texts the model was fitted on
    read: int  # the texts read
    chosen: int
    coherence: dict[int, float]
    counts: dict[str, int]  # topic -> records of all those read it would take (new topics only with --extend)
    new_topics: tuple[str, ...]
    shuffled: float | None = None  # the best coherence of the same words shuffled (when the number was chosen)
    already_there: dict[str, str] = field(default_factory=dict)  # --extend: suggested topic -> the topic having it


def suggest(workspace: store.Workspace, options: SuggestOptions, progress: Progress | None = None) -> SuggestResult:
    """Fit topics on the titles, write the starter taxonomy (or the extended one) to ``options.output``, and count
    what each proposed topic would take when the file is used with --taxonomy."""
    from authorstats.analysis import suggest as model
    from authorstats.config.taxonomy import parse_taxonomy

    if options.output.exists() and not options.force:
        raise BadInputError(
            f"{options.output} already exists", "Pass --force to replace it, or name another file with -o"
        )
    frame, where = read_texts(workspace, options)
    fitted, base = frame, None
    names: tuple[str, ...] = ()
    if options.extend:
        base, path = config_files.read_taxonomy_text(options.taxonomy)
        current = parse_taxonomy(base, path)
        names = current.names
        fitted = model.uncovered(frame, current)
        where += f", the {len(fitted)} that {path.name} leaves in Other or below confidence {model.LOW_CONFIDENCE:g}"
    total = model.models_to_fit(len(fitted)) if options.topics is None else 1
    with (progress or _no_progress)(total, "Fitting topic models") as advance:
        try:
            suggestion = model.suggest_topics(
                list(fitted["text"]), list(fitted["title"]), topics=options.topics, taken=names, progress=advance
            )
        except model.NoTopicsFound as exc:
            raise BadInputError(
                f"no topics to suggest from {where}: {exc}",
                "Give more titles (--from a larger CSV, or fetch or import more records), or pass --topics N to "
                "write a suggestion anyway",
            ) from None
        except model.TooFewTexts as exc:
            raise BadInputError(
                f"cannot suggest topics from {where}: {exc}",
                "Give more titles (--from a larger CSV, or fetch or import more records), or fewer --topics",
            ) from None
    there: dict[str, str] = {}
    if options.extend:
        there = model.already_there(suggestion.topics, current)
        if there and len(there) == len(suggestion.topics):
            raise BadInputError(
                f"no new topics in {where}: every topic suggested is one {path.name} already has ("
                + "; ".join(f"{name} -> {topic}" for name, topic in there.items())
                + ")",
                "Edit the taxonomy's existing topics instead, or fit all the titles without --extend",
            )
        suggestion = replace(suggestion, topics=tuple(t for t in suggestion.topics if t.name not in there))
    text = model.taxonomy_text(suggestion, source=where, extend=base)
    try:
        proposed = parse_taxonomy(text, options.output)
    except BadInputError as exc:  # our own text: a bug, never the user's input
        raise RuntimeError(f"the suggested taxonomy does not load: {exc}") from None
    new = tuple(t.name for t in suggestion.topics)
    counts = model.topic_counts(frame, proposed)
    if options.extend:
        counts = {name: counts[name] for name in (*new, "Other")}
    store.write_output_text(options.output, text)
    return SuggestResult(
        options.output,
        len(fitted),
        len(frame),
        suggestion.chosen,
        suggestion.coherence,
        counts,
        new,
        suggestion.shuffled,
        there,
    )


def read_texts(workspace: store.Workspace, options: SuggestOptions) -> tuple[pd.DataFrame, str]:
    """The titles and abstracts to model (model.texts_frame's table, one row per distinct title), and what they are."""
    from authorstats.analysis import suggest as model
    from authorstats.shell import csv_files

    if options.source is not None:
        table = csv_files.read_titles_csv(options.source)
        abstracts = table["abstract"] if "abstract" in table.columns else None
        frame = model.texts_frame(list(table["title"]), None if abstracts is None else list(abstracts))
        where = f"{options.source.name}"
    else:
        from authorstats.analysis.merge import merge_works
        from authorstats.shell.records import read_records

        authors = config_files.load_roster(options.roster)
        # one text per work: the versions of a work, and a work in several authors' lists, merged as in report
        records = merge_works(read_records(workspace, authors).records).kept
        frame = model.texts_frame([r.title for r in records], [r.abstract for r in records])
        where = f"the records of {len(authors)} authors in {workspace.root.resolve()}"
    frame = frame[frame["title"].astype(str).str.strip() != ""]
    frame = frame.loc[~frame["title"].astype(str).str.casefold().duplicated()].reset_index(drop=True)
    return frame, f"{len(frame)} titles of {where}"


@contextlib.contextmanager
def _no_progress(total: int, label: str) -> Iterator[Callable[[int], None]]:
    yield lambda step: None
