"""Pure evaluation of the classifier against labelled titles: accuracy, per-topic P/R/F1, confusion, mistakes."""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from authorstats.classify import engine as classifier
from authorstats.errors import BadInputError
from authorstats.config.taxonomy import OTHER, Taxonomy

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Evaluation:
    """What ``authorstats evaluate`` prints and writes."""

    count: int
    strict: float  # prediction == topic
    lenient: float  # prediction in topic or also_ok
    per_topic: pd.DataFrame  # topic, support, predicted, precision, recall, f1
    confusion: pd.DataFrame  # rows: labelled topic, columns: predicted topic
    misclassified: pd.DataFrame  # title, topic, also_ok, predicted, lenient_ok, score, evidence, topics


def read_csv(path: Path, what: str, required: list[str]) -> pd.DataFrame:
    """A CSV file as text columns; every way it can fail is one BadInputError naming the file."""
    path = Path(path)
    try:
        with warnings.catch_warnings():
            # A first row longer than the header would silently shift every column (pandas makes the
            # extra cells an index, or drops them with index_col=False and a warning): refuse instead.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8", index_col=False)
    except pd.errors.ParserWarning:
        raise BadInputError(f"{what} {path} has rows with more fields than its header row",
                            "Quote the fields that contain commas, or fix the header") from None
    except FileNotFoundError:
        raise BadInputError(f"{what} {path} does not exist", "Check the path") from None
    except IsADirectoryError:
        raise BadInputError(f"{what} {path} is a folder", "Point to a CSV file") from None
    except UnicodeDecodeError:
        raise BadInputError(f"{what} {path} is not UTF-8 text", "Save it as UTF-8 CSV") from None
    except pd.errors.EmptyDataError:
        raise BadInputError(f"{what} {path} is empty", f"Give it a header row naming {', '.join(required)}, then rows") from None
    except pd.errors.ParserError as exc:
        raise BadInputError(f"{what} {path} is not a readable CSV ({exc})", "Fix the CSV") from None
    except OSError as exc:
        raise BadInputError(f"cannot read {what} {path}: {exc.strerror or exc}", "Check the path and permissions") from None
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise BadInputError(
            f"{what} {path} has no {' or '.join(missing)} column",
            f"Give it a header row naming {', '.join(required)}",
        )
    return frame


def read_titles_csv(path: Path, what: str = "input file") -> pd.DataFrame:
    """A CSV of titles to classify; rows without a title are kept (they come out as Other) with a warning."""
    frame = read_csv(path, what, ["title"])
    untitled = frame.index[frame["title"].str.strip() == ""]
    if len(untitled) == len(frame):
        raise BadInputError(f"{what} {path} has no titles", "Add rows with a title under the header row")
    if len(untitled):
        rows = ", ".join(str(i + 1) for i in untitled[:10]) + (", ..." if len(untitled) > 10 else "")
        log.warning("%s %s: %d row(s) without a title (data row %s) are tagged %s; fill in their titles",
                    what, path, len(untitled), rows, OTHER)
    return frame


def read_labels_csv(path: Path) -> pd.DataFrame:
    """A labelled CSV with ``title`` and ``topic`` (and optional ``also_ok``)."""
    frame = read_csv(path, "labels file", ["title", "topic"])
    if "also_ok" not in frame.columns:
        frame["also_ok"] = ""
    untitled = int((frame["title"].str.strip() == "").sum())
    if untitled:
        log.warning("labels file %s: %d row(s) without a title were left out of the evaluation", path, untitled)
    frame = frame[frame["title"].str.strip() != ""].reset_index(drop=True)
    if frame.empty:
        raise BadInputError(f"labels file {path} has no labelled titles", "Add rows of title,topic")
    return frame


def _split(value: str) -> list[str]:
    return [v.strip() for v in str(value).split(";") if v.strip()]


def evaluate(gold: pd.DataFrame, taxonomy: Taxonomy) -> Evaluation:
    """Classify every labelled title and compare with its label."""
    unknown = sorted(set(gold["topic"]) - set(taxonomy.names))
    if unknown:
        log.warning("labels use topic(s) not in taxonomy %s: %s", taxonomy.path, ", ".join(unknown))
    frame = classifier.classify_frame(gold.drop(columns=["abstract"], errors="ignore")
                                      if "abstract" not in gold else gold, taxonomy)
    frame = frame.rename(columns={"topic": "predicted"})
    frame["topic"] = gold["topic"].str.strip().values
    ok = [
        pred == topic or pred in _split(also)
        for pred, topic, also in zip(frame["predicted"], frame["topic"], frame["also_ok"])
    ]
    frame["lenient_ok"] = ok
    frame["strict_ok"] = frame["predicted"] == frame["topic"]
    count = len(frame)

    order = [n for n in taxonomy.names if n in set(frame["topic"]) | set(frame["predicted"])]
    order += sorted(set(frame["topic"]) - set(order))
    rows = []
    for name in order:
        support = int((frame["topic"] == name).sum())
        predicted = int((frame["predicted"] == name).sum())
        hits = int(((frame["topic"] == name) & frame["strict_ok"]).sum())
        precision = hits / predicted if predicted else 0.0
        recall = hits / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        rows.append({"topic": name, "support": support, "predicted": predicted,
                     "precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)})
    per_topic = pd.DataFrame(rows, columns=["topic", "support", "predicted", "precision", "recall", "f1"])

    confusion = pd.crosstab(frame["topic"], frame["predicted"]).reindex(index=order, columns=order, fill_value=0)
    confusion.index.name, confusion.columns.name = "labelled", "predicted"

    wrong = frame[~frame["strict_ok"]]
    misclassified = wrong[["title", "topic", "also_ok", "predicted", "lenient_ok", "score", "evidence", "topics"]]
    return Evaluation(
        count=count,
        strict=round(float(frame["strict_ok"].mean()), 4),
        lenient=round(float(frame["lenient_ok"].mean()), 4),
        per_topic=per_topic,
        confusion=confusion,
        misclassified=misclassified.reset_index(drop=True),
    )


def format_evaluation(result: Evaluation) -> str:
    """The terminal report: accuracies, per-topic table, confusion table, misclassified titles."""
    strict_n = round(result.strict * result.count)
    lenient_n = round(result.lenient * result.count)
    lines = [
        f"{result.count} labelled titles",
        f"strict accuracy:  {result.strict:.3f} ({strict_n}/{result.count})",
        f"lenient accuracy: {result.lenient:.3f} ({lenient_n}/{result.count})",
        "",
        "per topic (strict):",
        result.per_topic.to_string(index=False),
        "",
        "confusion (rows: labelled, columns: predicted, numbered as the rows):",
    ]
    short = result.confusion.copy()
    short.index = [f"{i:>2} {name}" for i, name in enumerate(short.index, start=1)]
    short.columns = [str(i) for i in range(1, len(short.columns) + 1)]
    lines.append(short.to_string())
    if len(result.misclassified):
        lines += ["", "misclassified (strict):"]
        for row in result.misclassified.itertuples():
            mark = "~" if row.lenient_ok else "x"
            lines.append(f"  {mark} [{row.topic} -> {row.predicted}] {row.title}  ({row.evidence or 'no evidence'})")
        lines.append("  (~ = accepted by also_ok, x = wrong)")
    return "\n".join(lines)


def write_evaluation(result: Evaluation, folder: Path) -> list[Path]:
    """Write confusion.png, misclassified.csv and per_topic.csv into ``folder``."""
    from authorstats.render import charts
    from authorstats.shell import store

    folder = Path(folder)
    fig, ax = charts.new_figure(9, 8, 120)
    charts.draw_confusion(ax, result.confusion)
    return [
        store.atomic_write_bytes(folder / "confusion.png", charts.figure_bytes(fig, "png")),
        store.atomic_write_text(folder / "misclassified.csv", result.misclassified.to_csv(index=False)),
        store.atomic_write_text(folder / "per_topic.csv", result.per_topic.to_csv(index=False)),
    ]
