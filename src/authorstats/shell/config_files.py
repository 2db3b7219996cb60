"""Reads the configuration files (roster, taxonomy, manual labels, stop words, venue aliases), the user's or the
package's own, and hands them to config/'s parsers."""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, cast

from authorstats.shell import store

if TYPE_CHECKING:
    import pandas as pd

    from authorstats.config.reference import Reference
    from authorstats.config.taxonomy import Taxonomy
    from authorstats.config.venues import VenueAliases
    from authorstats.models import Author, YearWindow

_BUNDLED = "data"  # the package folder of the bundled files


def _bundled(name: str) -> tuple[str, Path]:
    """The text of a bundled data file, and its path (for messages and the report's methods section)."""
    resource = resources.files("authorstats") / _BUNDLED / name
    return resource.read_text(encoding="utf-8"), Path(str(resource))


def default_roster_path() -> Path:
    """Where the bundled roster is installed (`authors resolve` copies it into the workspace)."""
    return Path(str(resources.files("authorstats") / _BUNDLED / "authors.toml"))


def default_taxonomy_path() -> Path:
    """Where the bundled taxonomy is installed (the report's methods section names it)."""
    return Path(str(resources.files("authorstats") / _BUNDLED / "taxonomy.toml"))


def load_roster(path: Path | None = None) -> list[Author]:
    """The roster at ``path`` (the bundled one by default), validated; errors name the file and the entry."""
    from authorstats.config.roster import parse_roster

    if path:
        path = Path(path)
        return parse_roster(store.read_input_text(path, "roster file"), path)
    return parse_roster(*_bundled("authors.toml"))


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """The taxonomy at ``path`` (the bundled one by default), validated; errors name the file and the entry."""
    from authorstats.config.taxonomy import parse_taxonomy

    return parse_taxonomy(*read_taxonomy_text(path), bundled=not path)


def read_taxonomy_text(path: Path | None = None) -> tuple[str, Path]:
    """The text of the taxonomy at ``path`` (the bundled one by default), unparsed, and its path."""
    if path:
        path = Path(path)
        return store.read_input_text(path, "taxonomy file"), path
    return _bundled("taxonomy.toml")


def load_venues(path: Path | None = None) -> VenueAliases:
    """The venue aliases at ``path`` (the bundled data/venues.toml by default), validated."""
    from authorstats.config.venues import parse_venues

    if path:
        path = Path(path)
        return parse_venues(store.read_input_text(path, "venue aliases file"), path)
    return parse_venues(*_bundled("venues.toml"))


def load_stopwords(path: Path | None = None) -> frozenset[str]:
    """Stop words for the word clouds: wordcloud's English list plus a one-word-a-line file (the bundled one by
    default)."""
    from authorstats.config.stopwords import parse_stopwords

    english = wordcloud_stopwords()
    if path:
        return parse_stopwords(
            store.read_input_text(Path(path), "stop-word file", fix_encoding="Pass a UTF-8 text file, one word a line"),
            english,
        )
    return parse_stopwords(_bundled("stopwords.txt")[0], english)


def wordcloud_stopwords() -> frozenset[str] | None:
    """wordcloud's English stop words read as wordcloud reads them (its ``stopwords`` file, a word a line), without
    importing wordcloud (a tenth of a second, for a report that may draw no cloud); None if the file is not there."""
    import importlib.util

    spec = importlib.util.find_spec("wordcloud")
    if spec is None or not spec.origin:
        return None
    try:
        lines = (Path(spec.origin).parent / "stopwords").read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return frozenset(line.strip() for line in lines)


SEMINAR_REFERENCE = "seminar_2021_2022.csv"  # the seminar's tables, bundled (data/SNAPSHOT.md)
SEMINAR_DESCRIPTION = "the seminar's tables (Google Scholar, 2021-2022, tagged by hand)"
SEMINAR_YEARS = "2021-2022"
SEMINAR_GROUPING = "seminar"  # the taxonomy's grouping of its topics into the seminar's categories
NO_REFERENCE = "none"


def load_reference(path: Path | None = None) -> Reference:
    """The reference table at ``path`` (author, topic, count), or the bundled seminar's tables by default."""
    from authorstats.config.reference import REFERENCE_COLUMNS, parse_reference
    from authorstats.shell.csv_files import read_csv

    if path is None:
        bundled = Path(str(resources.files("authorstats") / _BUNDLED / SEMINAR_REFERENCE))
        frame = read_csv(bundled, "reference file", list(REFERENCE_COLUMNS))
        return parse_reference(_text_rows(frame), SEMINAR_REFERENCE, SEMINAR_DESCRIPTION, SEMINAR_GROUPING)
    path = Path(path)
    frame = read_csv(path, "reference file", list(REFERENCE_COLUMNS))
    return parse_reference(_text_rows(frame), path, f"the reference table {path.name}")


def load_baseline(path: Path, topics: Iterable[str]) -> dict[str, int]:
    """The comparison set of ``report --baseline FILE.csv``: {topic: works} (config.baseline), checked against
    ``topics``, the topics (or categories) the report counts in."""
    from authorstats.config.baseline import BASELINE_COLUMNS, parse_baseline
    from authorstats.shell.csv_files import read_csv

    frame = read_csv(Path(path), "baseline file", list(BASELINE_COLUMNS))
    return parse_baseline(_text_rows(frame), Path(path), topics)


def _text_rows(frame: pd.DataFrame) -> list[dict[str, str]]:
    """The rows of a frame read_csv read, as dicts. The cast is sound: read_csv reads every cell as text
    (dtype=str, no NaN) and the column names from the header line; pandas types them Hashable and Any."""
    return cast("list[dict[str, str]]", frame.to_dict("records"))


def choose_reference(option: str | None, *, bundled_roster: bool, window: YearWindow) -> Reference | None:
    """What `report --reference` compares with: a file, nothing (``none``), or by default the seminar's tables
    when the report is the seminar's own (the bundled roster and the window 2021-2022)."""
    if option is None:
        return load_reference() if bundled_roster and str(window) == SEMINAR_YEARS else None
    if option.strip().casefold() == NO_REFERENCE:
        return None
    return load_reference(Path(option))


def reference_left_out(option: str | None, *, bundled_roster: bool, window: YearWindow) -> str:
    """Why the seminar's tables are not compared, when by default they would be but for the window ("" else)."""
    if option is not None or not bundled_roster or str(window) == SEMINAR_YEARS:
        return ""
    return (
        f"no comparison with the seminar's tables: they count {SEMINAR_YEARS} and this report {window}; "
        f"report --years {SEMINAR_YEARS} compares them, or --reference FILE.csv a table of {window}"
    )


def read_labels(path: Path, known_topics: Iterable[str] | None = None) -> pd.DataFrame:
    """The validated rows (title, source_id, topic) of a labels file such as data/labels.csv; a missing file has
    none."""
    import pandas as pd

    from authorstats.config.labels import LABEL_COLUMNS, parse_labels
    from authorstats.shell.csv_files import read_workspace_csv

    path = Path(path)
    if not path.exists():
        return pd.DataFrame(columns=LABEL_COLUMNS)
    return parse_labels(read_workspace_csv(path, "labels file"), path, known_topics)


def load_labels(path: Path, known_topics: Iterable[str] | None = None) -> dict[str, str]:
    """Manual labels as {source id or normalised title: topic}; a missing file gives {}."""
    from authorstats.config.labels import label_map

    return label_map(read_labels(path, known_topics))


def keep_corrections(target: Path, labels: Path) -> None:
    """Refuse to write a new review list over ``target`` while it holds corrections (filled ``correct_topic``
    cells) that the labels file ``labels`` does not have yet: they were typed by hand and would be lost."""
    from authorstats.config.labels import unapplied_corrections
    from authorstats.errors import BadInputError
    from authorstats.shell.csv_files import read_workspace_csv

    target = Path(target)
    if not target.is_file():
        return
    try:
        review = read_workspace_csv(target, "review file")
    except BadInputError as exc:
        raise BadInputError(
            f"cannot check {target} for corrections before replacing it: {exc.message}",
            f"{exc.hint}, or write the new list elsewhere with -o FILE",
        ) from None
    lines = unapplied_corrections(review, read_labels(labels))
    if lines:
        shown = ", ".join(map(str, lines[:10])) + (", ..." if len(lines) > 10 else "")
        raise BadInputError(
            f"{target} holds {len(lines)} correction(s) not yet merged into {labels} (correct_topic on line {shown})",
            f"Merge them first with `authorstats review --apply {target}`, or write the new list elsewhere "
            "with -o FILE",
        )
