"""Evaluation of the classifier against labelled titles (a DataFrame in, an Evaluation out): accuracy, per-topic
P/R/F1, confusion and its most frequent pairs, mistakes, and whether the confidence is calibrated."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pandas as pd

from authorstats.classification import engine as classifier
from authorstats.config.labels import estimated_accuracy
from authorstats.config.taxonomy import Taxonomy

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
    pairs: pd.DataFrame  # labelled, predicted, titles: the confusions, most frequent first
    calibration: pd.DataFrame  # band, titles, stated, observed (see calibration_table)
    estimated: float  # the accuracy the confidences promise (their mean)
    review_to_95: int  # titles to check, least confident first, until 95% are strictly right


BANDS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)


def calibration_table(stated: list[float], right: list[bool]) -> pd.DataFrame:
    """Stated against observed accuracy by confidence band: band (e.g. "0.6-0.8"), titles, stated (the band's
    mean confidence), observed (the share strictly right). Empty bands are left out."""
    frame = pd.DataFrame({"stated": stated, "right": right}, dtype=float)
    edges = list(BANDS)
    frame["band"] = pd.cut(
        frame["stated"],
        edges,
        include_lowest=True,
        labels=[f"{low:.1f}-{high:.1f}" for low, high in zip(edges, edges[1:])],
    )
    table = frame.groupby("band", observed=True).agg(
        titles=("right", "size"), stated=("stated", "mean"), observed=("right", "mean")
    )
    return table.reset_index().assign(band=lambda t: t["band"].astype(str)).round({"stated": 3, "observed": 3})


def review_needed(stated: list[float], right: list[bool], target: float) -> int:
    """How many titles, least confident first, a person checks (and corrects) before ``target`` of all are right."""
    order = sorted(range(len(stated)), key=lambda i: stated[i])
    wrong = len(right) - sum(right)
    allowed = int((1 - target) * len(right) + 1e-9)
    for checked, i in enumerate(order):
        if wrong <= allowed:
            return checked
        wrong -= 0 if right[i] else 1
    return len(order)


def _split(value: str) -> list[str]:
    return [v.strip() for v in str(value).split(";") if v.strip()]


def evaluate(gold: pd.DataFrame, taxonomy: Taxonomy) -> Evaluation:
    """Classify every labelled title and compare with its label."""
    unknown = sorted(set(gold["topic"]) - set(taxonomy.names))
    if unknown:
        log.warning("labels use topic(s) not in taxonomy %s: %s", taxonomy.path, ", ".join(unknown))
    frame = classifier.classify_frame(
        gold.drop(columns=["abstract"], errors="ignore") if "abstract" not in gold else gold, taxonomy
    )
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
        rows.append(
            {
                "topic": name,
                "support": support,
                "predicted": predicted,
                "precision": round(precision, 3),
                "recall": round(recall, 3),
                "f1": round(f1, 3),
            }
        )
    per_topic = pd.DataFrame(rows, columns=["topic", "support", "predicted", "precision", "recall", "f1"])

    confusion = pd.crosstab(frame["topic"], frame["predicted"]).reindex(index=order, columns=order, fill_value=0)
    confusion.index.name, confusion.columns.name = "labelled", "predicted"

    wrong = frame[~frame["strict_ok"]]
    misclassified = wrong[["title", "topic", "also_ok", "predicted", "lenient_ok", "score", "evidence", "topics"]]
    pairs = (
        wrong.groupby(["topic", "predicted"])
        .size()
        .rename("titles")
        .reset_index()
        .rename(columns={"topic": "labelled"})
        .sort_values(["titles", "labelled", "predicted"], ascending=[False, True, True])
    )
    stated = [float(c) for c in frame["confidence"]]
    right = [bool(r) for r in frame["strict_ok"]]
    return Evaluation(
        count=count,
        strict=round(float(frame["strict_ok"].mean()), 4),
        lenient=round(float(frame["lenient_ok"].mean()), 4),
        per_topic=per_topic,
        confusion=confusion,
        misclassified=misclassified.reset_index(drop=True),
        pairs=pairs.reset_index(drop=True),
        calibration=calibration_table(stated, right),
        estimated=round(estimated_accuracy(stated), 4),
        review_to_95=review_needed(stated, right, 0.95),
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
    if len(result.pairs):
        lines += ["", "most frequent confusions (labelled -> predicted):"]
        for labelled, predicted, titles in result.pairs.head(10).itertuples(index=False):
            lines.append(f"  {titles:>3}  {labelled} -> {predicted}")
    lines += [
        "",
        f"calibration (stated confidence against observed strict accuracy; estimated {result.estimated:.3f}, "
        f"observed {result.strict:.3f}):",
        result.calibration.to_string(index=False),
        f"review least confident first: {result.review_to_95} of {result.count} "
        f"({result.review_to_95 / max(result.count, 1):.0%}) checked reach 95% strict",
    ]
    if len(result.misclassified):
        lines += ["", "misclassified (strict):"]
        wrong = result.misclassified
        for lenient_ok, topic, predicted, title, evidence in zip(
            wrong["lenient_ok"], wrong["topic"], wrong["predicted"], wrong["title"], wrong["evidence"]
        ):
            mark = "~" if lenient_ok else "x"
            lines.append(f"  {mark} [{topic} -> {predicted}] {title}  ({evidence or 'no evidence'})")
        lines.append("  (~ = accepted by also_ok, x = wrong)")
    return "\n".join(lines)
