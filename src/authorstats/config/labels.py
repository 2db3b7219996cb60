"""Manual topic corrections: validate the rows of data/labels.csv, apply them to classified records, and the
review loop.

``data/labels.csv`` has the columns ``title``, ``source_id`` and ``topic``; each row names a record by its
source id or by its title (matched case-, accent- and punctuation-insensitively) and gives its topic.
A source id is more specific than a title, so it wins when both match. The shell reads the CSV files into
text-column DataFrames (authorstats.shell.csv_files); this module only checks and combines those tables.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import pandas as pd

from authorstats.errors import BadInputError
from authorstats.text import strip_accents

LABEL_COLUMNS = ["title", "source_id", "topic"]
REVIEW_COLUMNS = ["correct_topic", "topic", "confidence", "title", "source_id", "author", "year", "topics", "evidence"]
MANUAL_EVIDENCE = "manual label"
_LETTERS = re.compile(r"[^\W_]+")  # a word: a run of letters and digits


def title_key(title: str) -> str:
    """A title as the labels match it: lower case, no accents, its words separated by one space.

    The words are the classifier's (classification/spec.py ``words(normalise(title))`` without its
    colons, tests/test_labels.py holds the two together), so existing labels files keep matching.
    """
    return " ".join(_LETTERS.findall(strip_accents((title or "").casefold()).replace("\u0131", "i")))  # dotless i


def parse_labels(frame: pd.DataFrame, origin: str | Path, known_topics: Iterable[str] | None = None) -> pd.DataFrame:
    """The rows of a labels table (title, source_id, topic), validated; errors name ``origin`` and the line.

    ``frame`` is the file as text columns; a table without columns (an empty file) has no labels.
    """
    if frame.empty and not len(frame.columns):
        return pd.DataFrame(columns=LABEL_COLUMNS)
    if "topic" not in frame.columns or not ({"title", "source_id"} & set(frame.columns)):
        raise BadInputError(
            f"labels file {origin} needs a topic column and a title or source_id column",
            "Give it the header row title,source_id,topic",
        )
    frame = frame.reindex(columns=LABEL_COLUMNS, fill_value="").apply(lambda c: c.str.strip())
    known = set(known_topics) if known_topics is not None else None
    keys: dict[str, tuple[str, int]] = {}
    for number, (title, source_id, topic) in enumerate(_rows(frame), start=2):  # line 1 is the header
        if not title and not source_id:
            raise BadInputError(
                f"labels file {origin}, line {number}: no title and no source_id",
                "Fill one of them, or delete the line",
            )
        if not topic:
            raise BadInputError(f"labels file {origin}, line {number}: no topic", "Fill the topic, or delete the line")
        if known is not None and topic not in known:
            raise BadInputError(
                f"labels file {origin}, line {number}: {topic!r} is not a topic of the taxonomy",
                _use_one_of(topic, known),
            )
        for key in _keys(title, source_id):
            earlier = keys.get(key)
            if earlier and earlier[0] != topic:
                raise BadInputError(
                    f"labels file {origin}: lines {earlier[1]} and {number} give different topics to the same record",
                    "Keep one of them",
                )
            keys[key] = (topic, number)
    return frame.reset_index(drop=True)


def _use_one_of(topic: str, known: set[str]) -> str:
    """The fix for a topic outside the taxonomy: the topic it differs from only in case, else every topic."""
    same = [name for name in known if name.casefold() == topic.casefold()]
    hint = f"Write {same[0]!r} (topics are case-sensitive); the topics are: " if same else "Use one of: "
    return hint + ", ".join(sorted(known))


def _rows(labels: pd.DataFrame) -> Iterator[tuple[str, str, str]]:
    """(title, source_id, topic) of each row of a labels table, whose columns are text (LABEL_COLUMNS)."""
    return zip(labels["title"], labels["source_id"], labels["topic"])


def _keys(title: str, source_id: str) -> list[str]:
    return [source_id] if source_id else [title_key(title)]


def label_map(labels: pd.DataFrame) -> dict[str, str]:
    """Validated label rows (see parse_labels) as {source id or normalised title: topic}."""
    return {key: topic for title, source_id, topic in _rows(labels) for key in _keys(title, source_id)}


def matched_labels(df: pd.DataFrame, labels: Mapping[str, str]) -> int:
    """How many of ``labels`` (by source id, else by normalised title, as apply_labels matches) matched a
    record of ``df``."""
    if not labels or df.empty:
        return 0
    keys: set[str] = set()
    ids = df["source_id"].fillna("").astype(str).str.strip() if "source_id" in df else [""] * len(df)
    for source_id, title in zip(ids, df["title"].fillna("").astype(str)):
        key = source_id if source_id in labels else title_key(title)
        if key in labels:
            keys.add(key)
    return len(keys)


def apply_labels(df: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """A copy of classified records where manual labels override ``topic``; ``manual`` marks them.

    A labelled record gets evidence "manual label" and confidence 1; its ``topics`` keep what the
    classifier thought, for comparison.
    """
    out = df.copy()
    out["manual"] = False
    if not labels or out.empty:
        return out
    by_id = out["source_id"].fillna("").astype(str).str.strip().map(labels) if "source_id" in out else None
    by_title = out["title"].fillna("").astype(str).map(lambda t: labels.get(title_key(t)))
    chosen = by_title if by_id is None else by_id.where(by_id.notna(), by_title)
    hit = chosen.notna()
    if hit.any():
        out.loc[hit, "topic"] = chosen[hit]
        out.loc[hit, "manual"] = True
        if "evidence" in out:
            out.loc[hit, "evidence"] = MANUAL_EVIDENCE
        if "confidence" in out:
            out.loc[hit, "confidence"] = 1.0
    return out


def reviews_to_reach(confidences: Iterable[float], target: float) -> int:
    """How many of the least confident records a person must check so that the estimated accuracy reaches
    ``target``: each unchecked record counts as right with its (calibrated) confidence, a checked one as right.
    All of them when even that does not reach it (a target of 1)."""
    ordered = sorted(float(c) for c in confidences)
    if not ordered:
        return 0
    expected = sum(ordered)
    goal = target * len(ordered) - 1e-9
    for checked, value in enumerate(ordered):
        if expected >= goal:
            return checked
        expected += 1.0 - value  # checking this record makes it right for sure
    return len(ordered)


REVIEW_BELOW = 0.8  # a topic stated with less confidence is worth checking (calibrated: right under 80% of the time)


def checking_note(confidences: Iterable[object], manual: Iterable[object]) -> str:
    """How much of one author's topics is left to check: "12 of 72 papers unchecked, est. accuracy 0.91".

    Unchecked: no manual label and a confidence under REVIEW_BELOW. The estimate counts a manual label as right.
    """
    values = [1.0 if _is_true(label) else _number(value) for value, label in zip(confidences, manual)]
    unchecked = sum(value < REVIEW_BELOW for value in values)
    return f"{unchecked} of {len(values)} papers unchecked, est. accuracy {estimated_accuracy(values):.2f}"


def papers_checking(papers: pd.DataFrame) -> str:
    """checking_note of classified records (their confidence and manual columns); "" without a confidence."""
    if papers.empty or "confidence" not in papers:
        return ""
    manual = papers["manual"] if "manual" in papers else [False] * len(papers)
    return checking_note(papers["confidence"], manual)


def _is_true(value: object) -> bool:
    return str(value).strip().lower() in ("true", "1")


def _number(value: object) -> float:
    try:
        number = float(str(value))
    except ValueError:
        return 0.0
    return number if number == number else 0.0  # NaN: no confidence


def estimated_accuracy(confidences: Iterable[float]) -> float:
    """The expected share of right topics: the mean calibrated confidence (1 for a manual label)."""
    values = [float(c) for c in confidences]
    return sum(values) / len(values) if values else 1.0


def review_table(processed: pd.DataFrame, below: float | None = None, target: float = 0.95) -> pd.DataFrame:
    """The records a person should check, least confident (most likely wrong) first, each record once and none
    labelled yet: those with a confidence under ``below``, or else the fewest that bring the estimated accuracy
    of all records to ``target`` (reviews_to_reach)."""
    frame = processed.copy()
    for column in REVIEW_COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
    confidence = pd.to_numeric(frame["confidence"], errors="coerce").fillna(0.0)
    manual = frame["manual"].astype(str).str.lower().isin(["true", "1"])
    frame = frame.assign(confidence=confidence)
    candidates = frame[~manual].sort_values(["confidence", "title"], kind="stable")
    candidates = candidates.drop_duplicates(subset=["title", "source_id"])
    if below is not None:
        chosen = candidates[candidates["confidence"] < below].copy()
    else:
        chosen = candidates.head(reviews_to_reach(confidence.where(~manual, 1.0), target)).copy()
    chosen["correct_topic"] = ""
    return chosen[REVIEW_COLUMNS].reset_index(drop=True)


def review_estimate(processed: pd.DataFrame, reviewed: int) -> tuple[float, float]:
    """The estimated accuracy of the records now, and once the ``reviewed`` least confident unlabelled ones are
    checked (a manual label counts as right)."""
    manual = processed["manual"] if "manual" in processed else [False] * len(processed)
    values = sorted(1.0 if _is_true(label) else _number(c) for c, label in zip(processed["confidence"], manual))
    now = estimated_accuracy(values)
    after = estimated_accuracy([1.0] * min(reviewed, len(values)) + values[reviewed:])
    return now, after


def merge_review(
    existing: pd.DataFrame, filled: pd.DataFrame, known_topics: Iterable[str], path: Path
) -> tuple[pd.DataFrame, int, int]:
    """Merge the rows of a filled review file that have ``correct_topic`` into the labels.

    Returns the new labels, and how many were added and changed. A filled topic outside the taxonomy
    is an error naming its line, and nothing is merged.
    """
    if "correct_topic" not in filled.columns or not ({"title", "source_id"} & set(filled.columns)):
        raise BadInputError(
            f"review file {path} has no correct_topic column or no title/source_id column",
            "Use the file written by `authorstats review` and fill its correct_topic column",
        )
    known = set(known_topics)
    rows: list[dict[str, str]] = []
    for number, row in enumerate(filled.to_dict("records"), start=2):
        topic = str(row.get("correct_topic", "")).strip()
        if not topic:
            continue
        if topic not in known:
            raise BadInputError(
                f"review file {path}, line {number}: {topic!r} is not a topic of the taxonomy",
                _use_one_of(topic, known),
            )
        title, source_id = str(row.get("title", "")).strip(), str(row.get("source_id", "")).strip()
        if not title and not source_id:
            raise BadInputError(
                f"review file {path}, line {number}: no title and no source_id",
                "Keep the title or source_id the review file came with",
            )
        rows.append({"title": title, "source_id": source_id, "topic": topic})
    merged = {
        tuple(_keys(title, source_id)): {"title": title, "source_id": source_id, "topic": topic}
        for title, source_id, topic in _rows(existing)
    }
    added = changed = 0
    for label in rows:
        key = tuple(_keys(label["title"], label["source_id"]))
        old = merged.get(key)
        if old is None:
            added += 1
        elif old["topic"] != label["topic"]:
            changed += 1
        merged[key] = label
    frame = pd.DataFrame(list(merged.values()), columns=LABEL_COLUMNS)
    return frame, added, changed


def unapplied_corrections(review: pd.DataFrame, labels: pd.DataFrame) -> list[int]:
    """The lines of a review file whose filled ``correct_topic`` the labels do not hold yet: what writing a new
    review list over that file would lose. ``review`` is the file as text columns, ``labels`` validated label rows.
    """
    if "correct_topic" not in review.columns:
        return []
    have = label_map(labels)
    rows = review.reindex(columns=["title", "source_id", "correct_topic"], fill_value="")
    lines = []
    for number, (title, source_id, topic) in enumerate(
        zip(rows["title"], rows["source_id"], rows["correct_topic"]), start=2
    ):  # line 1 is the header
        topic = str(topic).strip()
        if topic and have.get(_keys(str(title).strip(), str(source_id).strip())[0]) != topic:
            lines.append(number)
    return lines


def check_processed(frame: pd.DataFrame, origin: str | Path) -> pd.DataFrame:
    """data/processed/publications.csv as `authorstats report` wrote it: it needs its title and confidence columns."""
    if "title" not in frame.columns or "confidence" not in frame.columns:
        raise BadInputError(
            f"{origin} has no title or confidence column", "Run `authorstats report` again to rewrite it"
        )
    return frame
