"""Fit the classifier's confidence (classification/spec.py ``CALIBRATION``) and check it on the other label sets.

    .venv/bin/python scripts/calibrate.py

A logistic regression of "the primary topic is the labelled one" on the features ``spec.confidence`` uses (margin
between the two best topics, strength of the best, weak evidence; a separate constant when nothing matched), fitted
on the landmark labels (src/authorstats/data/landmark_labels.csv: 316 papers from across machine learning, none by
the three bundled authors). It prints the fitted constants to paste into ``CALIBRATION``, then, for every label
set, stated against observed accuracy by confidence band and the share of titles to review, least confident
first, to reach 95% strict. The fit is deterministic (no random state), so the same labels give the same numbers.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from authorstats.analysis.evaluate import calibration_table, review_needed
from authorstats.classification import spec
from authorstats.config.taxonomy import parse_taxonomy
from authorstats.shell.csv_files import read_labels_csv

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "authorstats" / "data"
FIT_ON = DATA / "landmark_labels.csv"
CHECKS = {
    "landmark (fitted on)": FIT_ON,
    "other researchers": DATA / "broad_labels.csv",
    "held-out": DATA / "holdout_labels.csv",
    "dev": ROOT / "tests" / "data" / "dev_labels.csv",
}


def features(titles: list[str], taxonomy: object) -> np.ndarray:
    """margin, strength, weak, nothing, hinted of each title, as spec.confidence computes them."""
    rows = []
    strong = taxonomy.settings["strong_score"]  # type: ignore[attr-defined]
    threshold = taxonomy.settings["threshold"]  # type: ignore[attr-defined]
    for title in titles:
        ranked = spec.topic_scores(spec.find_matches(spec.normalise(title), taxonomy, title=True), taxonomy)  # type: ignore[arg-type]
        if not ranked:
            rows.append((0.0, 0.0, 0.0, 1.0, 0.0))
            continue
        if ranked[0][1] < threshold:
            rows.append((0.0, 0.0, 0.0, 0.0, 1.0))
            continue
        top = ranked[0][1]
        second = ranked[1][1] if len(ranked) > 1 else 0.0
        rows.append(((top - second) / top, min(top, strong) / strong, float(top < spec.WEAK_SCORE), 0.0, 0.0))
    return np.array(rows)


def fit() -> spec.Calibration:
    """The calibration the landmark labels give for the bundled taxonomy (deterministic)."""
    taxonomy = parse_taxonomy((DATA / "taxonomy.toml").read_text(encoding="utf-8"), DATA / "taxonomy.toml")
    gold = read_labels_csv(FIT_ON)
    x = features(list(gold["title"]), taxonomy)
    right = np.array([spec.classify(t, taxonomy=taxonomy).topic == y for t, y in zip(gold["title"], gold["topic"])])
    model = LogisticRegression(C=10.0, max_iter=5000).fit(x, right)
    (margin, strength, weak, nothing, hinted), intercept = model.coef_[0], model.intercept_[0]
    return spec.Calibration(*(round(float(v), 2) for v in (
        intercept, margin, strength, weak, intercept + nothing, intercept + hinted
    )))  # fmt: skip


def main() -> None:
    taxonomy = parse_taxonomy((DATA / "taxonomy.toml").read_text(encoding="utf-8"), DATA / "taxonomy.toml")
    fitted = fit()
    print("CALIBRATION = Calibration(" + ", ".join(f"{k}={v:.2f}" for k, v in fitted._asdict().items()) + ")")
    print(f"now in spec.py: {spec.CALIBRATION}")
    for name, path in CHECKS.items():
        labels = read_labels_csv(path)
        found = [spec.classify(t, taxonomy=taxonomy) for t in labels["title"]]
        stated = [c.confidence for c in found]
        ok = [c.topic == y for c, y in zip(found, labels["topic"])]
        table = calibration_table(stated, ok)
        gap = sum(abs(s - o) * n for s, o, n in zip(table["stated"], table["observed"], table["titles"])) / len(ok)
        need = review_needed(stated, ok, 0.95)
        print(
            f"\n{name}: {len(ok)} titles, strict {np.mean(ok):.3f}, mean stated {np.mean(stated):.3f}, "
            f"calibration gap {gap:.3f}; least confident first, {need} ({need / len(ok):.0%}) reach 95% strict"
        )
        print(table.to_string(index=False))


if __name__ == "__main__":
    main()
