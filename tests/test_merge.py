"""Merging versions of one work: golden cases from tests/data/merge_cases.csv, the kept version, the log."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from authorstats.analysis.merge import MERGE_COLUMNS, arxiv_id, is_preprint, merge_publications, normalise_title
from authorstats.models import Publication

CASES = list(csv.DictReader((Path(__file__).parent / "data" / "merge_cases.csv").open(encoding="utf-8")))


def pub(title, year=2021, venue="", doi="", source="import", author="lecun", **kw) -> Publication:
    return Publication(author=author, title=title, year=year, source=source, venue=venue, doi=doi, **kw)


def pair(case: dict) -> list[Publication]:
    return [
        pub(case["title_a"], int(case["year_a"]), case["venue_a"], case["doi_a"], case["source_a"]),
        pub(
            case["title_b"],
            int(case["year_b"]),
            case["venue_b"],
            case["doi_b"],
            case["source_b"],
            author=case["author_b"] or "lecun",
        ),
    ]


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_golden_case(case):
    kept, merges = merge_publications(pair(case))
    if case["expect"] == "merge":
        assert len(kept) == 1 and len(merges) == 1, merges
        assert merges[0].reason
    else:
        assert len(kept) == 2 and merges == []


@pytest.mark.parametrize("case", [c for c in CASES if c["guard"]], ids=lambda c: c["case"])
def test_near_misses_are_kept_apart_by_the_guard_not_by_the_threshold(case):
    """These pairs pass the similarity threshold; only the name/number/word guard keeps them apart."""
    assert fuzz.ratio(normalise_title(case["title_a"]), normalise_title(case["title_b"])) >= 95


def test_the_cases_cover_both_outcomes():
    assert {c["expect"] for c in CASES} == {"merge", "apart"} and len(CASES) >= 20


def test_peer_reviewed_version_is_kept_and_filled_from_the_preprint():
    preprint = pub(
        "VICReg: Variance-Invariance-Covariance Regularization for Self-Supervised Learning",
        2021,
        "arXiv preprint arXiv:2105.04906",
        source="openalex",
        citations=400,
        abstract="Recent self-supervised methods...",
    )
    proceedings = pub(
        "VICReg: Variance-Invariance-Covariance Regularization for Self-Supervised Learning",
        2022,
        "ICLR",
        source="dblp",
    )
    kept, merges = merge_publications([preprint, proceedings])
    (record,) = kept
    assert record.venue == "ICLR" and record.source == "dblp" and record.year == 2022
    assert record.abstract == "Recent self-supervised methods..." and record.citations == 400
    assert record.extra["merged_sources"] == ["openalex"] and record.extra["arxiv_id"] == "2105.04906"
    assert merges[0].dropped_source == "openalex" and merges[0].kept_source == "dblp"


def test_same_paper_three_ways_counts_once_with_a_reason_for_each_drop():
    rows = [
        pub(
            "VICReg: Variance-Invariance-Covariance Regularization for Self-Supervised Learning",
            2021,
            "arXiv preprint arXiv:2105.04906",
        ),
        pub(
            "Vicreg - variance invariance covariance regularization for self supervised learning",
            2022,
            "International Conference on Learning Representations",
        ),
        pub(
            "VICReg: Variance-Invariance-Covariance Regularization for Self-Supervised Learning",
            2021,
            "arXiv preprint arXiv:2105.04906",
        ),
        pub("VICRegL: Self-Supervised Learning of Local Visual Features", 2022, "NeurIPS"),
    ]
    kept, merges = merge_publications(rows)
    assert [r.venue for r in kept] == ["International Conference on Learning Representations", "NeurIPS"]
    assert len(merges) == 2
    assert all(m.kept_venue == "International Conference on Learning Representations" for m in merges)
    assert all("same title" in m.reason for m in merges)
    assert set(merges[0].to_row()) == set(MERGE_COLUMNS)


def test_exact_duplicate_rows_say_so():
    a = pub("Deep learning", 2015, "Nature")
    _, (merge,) = merge_publications([a, a])
    assert merge.reason == "duplicate record"


def test_a_chain_never_joins_two_different_dois():
    a = pub("Deep Equilibrium Models", 2019, "NeurIPS", doi="10.1/a")
    middle = pub("Deep equilibrium models", 2019, "arXiv")
    b = pub("Deep Equilibrium Models.", 2020, "JMLR", doi="10.1/b")
    kept, _ = merge_publications([a, middle, b])
    assert len(kept) == 2


def test_order_of_works_is_kept_and_other_records_pass_unchanged():
    records = [pub("Alpha paper on topic one"), pub("Beta paper on topic two"), pub("Alpha paper on topic one.")]
    kept, merges = merge_publications(records)
    assert [r.title for r in kept] == ["Alpha paper on topic one", "Beta paper on topic two"]
    assert kept[1] is records[1] and len(merges) == 1


@pytest.mark.parametrize(
    "record, expected",
    [
        (pub("t", venue="arXiv preprint arXiv:2105.04906"), True),
        (pub("t", venue="CoRR", extra={"publtype": "informal"}), True),
        (pub("t", venue=""), True),
        (pub("t", venue="ICLR"), False),
        (pub("t", venue="Nature"), False),
        (pub("t", venue="arXiv (Cornell University)", extra={"venue_type": "repository"}), True),
    ],
)
def test_is_preprint(record, expected):
    assert is_preprint(record) is expected


@pytest.mark.parametrize(
    "record, expected",
    [
        (pub("t", doi="10.48550/arXiv.2105.04906"), "2105.04906"),
        (pub("t", venue="arXiv preprint arXiv:2301.08243v3"), "2301.08243"),
        (pub("t", source_id="https://arxiv.org/abs/1706.03762v5"), "1706.03762"),
        (pub("t", extra={"arxiv_id": "2204.07141v1"}), "2204.07141"),
        (pub("t", venue="CoRR abs/2105.04906"), "2105.04906"),
        (pub("t", venue="ICLR", doi="10.1038/nature14539"), ""),
    ],
)
def test_arxiv_id(record, expected):
    assert arxiv_id(record) == expected


def test_normalise_title():
    assert (
        normalise_title("  On the {C}onvergence of \\emph{Adam}: the $\\beta_2$ Case.  ")
        == "on the convergence of adam the β2 case"
        == normalise_title("On the convergence of Adam: the β2 case")
    )
    assert normalise_title('Schr\\"{o}dinger & Na\\"ive Bayes') == "schrodinger and naive bayes"
    assert normalise_title("Don’t – “quoted” …") == normalise_title('Don\'t - "quoted" ...') == "don t quoted"
    assert normalise_title("$\\ell_1$-Regularised") == normalise_title("l1 regularised")


titles = st.text(st.characters(codec="utf-8", categories=["L", "N", "P", "Zs"]), min_size=1, max_size=60)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(titles, st.integers(2015, 2023)), max_size=12))
def test_every_record_is_either_kept_or_listed_as_dropped(rows):
    records = [pub(t, y) for t, y in rows if t.strip()]
    kept, merges = merge_publications(records)
    assert len(kept) + len(merges) == len(records)
    again, more = merge_publications(kept)
    assert again == kept and more == []  # one pass finds every merge


# --- blocking: the pairs compared are fewer, the decisions those of comparing every pair ------------


def _every_pair(group):
    return [(i, j) for i in range(len(group)) for j in range(i + 1, len(group))]


def _decisions(records, monkeypatch, every_pair: bool):
    from authorstats.analysis import merge

    with monkeypatch.context() as patch:
        if every_pair:
            patch.setattr(merge, "_pairs", _every_pair)
        return merge_publications(records)


def _versions(seed: int, n: int) -> list[Publication]:
    """Records with realistic version pairs: real titles from the bundled snapshot, and variants of them as
    other sources write them (case, punctuation, a dropped word or letter, LaTeX braces, a year later), some
    with DOIs or arXiv ids, for a few authors."""
    import random

    from authorstats.sources.snapshot import read_bundled

    rng = random.Random(seed)
    real = sorted({r.title for r in read_bundled()})
    out = []
    for number in range(n):
        title = rng.choice(real)
        year = rng.choice((2020, 2021, 2022))
        author = rng.choice(("a", "b", "c"))
        change = rng.randrange(7)
        words = title.split()
        if change == 1:
            title = title.lower().replace(":", " -")
        elif change == 2 and len(words) > 3:
            del words[rng.randrange(len(words))]
            title = " ".join(words)
        elif change == 3:
            k = rng.randrange(len(title))
            title = title[:k] + title[k + 1 :]
        elif change == 4:
            title = "{" + title + "}."
        elif change == 5:
            title = title + " " + rng.choice(("II", "2", "revisited", "(extended abstract)"))
        doi = rng.choice(("", "", "", f"10.1/{number % 40}"))
        venue = rng.choice(("", "NeurIPS", f"arXiv preprint arXiv:21{number % 12 + 1:02d}.0{number % 50:04d}"))
        out.append(pub(title, year + rng.choice((0, 0, 1)), venue, doi, author=author))
    return out


def test_blocking_gives_the_decisions_of_every_pair_on_the_cases(monkeypatch):
    for case in CASES:
        assert _decisions(pair(case), monkeypatch, False) == _decisions(pair(case), monkeypatch, True), case["case"]


def test_blocking_gives_the_decisions_of_every_pair_on_the_bundled_data(monkeypatch):
    from authorstats.sources.snapshot import read_bundled

    records = read_bundled()
    blocked = _decisions(records, monkeypatch, False)
    assert blocked == _decisions(records, monkeypatch, True)
    assert len(blocked[1]) == 9  # the bundled arXiv versions (README, snapshot v2)


@pytest.mark.parametrize("seed", range(4))
def test_blocking_gives_the_decisions_of_every_pair_on_generated_versions(monkeypatch, seed):
    records = _versions(seed, 400)
    kept, merges = _decisions(records, monkeypatch, False)
    assert (kept, merges) == _decisions(records, monkeypatch, True)
    assert len(merges) > 50 and any("nearly the same title" in m.reason for m in merges)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(titles, st.integers(2015, 2023)), max_size=12), st.integers(0, 5))
def test_blocking_misses_no_pair_of_near_titles(rows, edits):
    """Every pair with a ratio of at least 95 and close years is a candidate, whatever the characters."""
    from authorstats.analysis import blocking

    records = [pub(t, y) for t, y in rows if t.strip()]
    records += [pub(r.title[: -edits or None] + "x" * edits, r.year) for r in records]
    norms = [normalise_title(r.title) for r in records]
    found = set(blocking.candidate_pairs([("", "", "")] * len(records), norms, [r.year for r in records], 1))
    for i in range(len(records)):
        for j in range(i + 1, len(records)):
            if (
                norms[i]
                and norms[j]
                and abs(records[i].year - records[j].year) <= 1
                and fuzz.ratio(norms[i], norms[j]) >= 95
            ):
                assert (i, j) in found


def test_progress_is_told_each_author_s_records():
    seen = []
    merge_publications([pub("One", author="a"), pub("Two", author="b"), pub("Three", author="a")], seen.append)
    assert sorted(seen) == [1, 2]


def test_the_report_draws_a_merge_bar_only_for_many_records(monkeypatch):
    import contextlib

    from authorstats.analysis.report import ReportOptions, compute_report
    from authorstats.shell import report as reporting
    from authorstats.shell.config_files import load_roster, load_taxonomy
    from authorstats.sources.snapshot import read_bundled

    drawn = []

    @contextlib.contextmanager
    def bar(total, label):
        drawn.append([total, label, 0])
        yield lambda n: drawn[-1].__setitem__(2, drawn[-1][2] + n)

    records, roster = read_bundled(), load_roster(None)
    roster_records = [r for r in records if r.author in {a.key for a in roster}]
    with reporting.merge_progress(records, roster, bar) as advance:
        assert advance is None and drawn == []  # the bundled data merges in well under a second
    monkeypatch.setattr(reporting, "MERGE_BAR_FROM", 10)
    with reporting.merge_progress(records + [pub("x", author="not on the roster")], roster, bar) as advance:
        compute_report(
            records,
            roster=roster,
            taxonomy=load_taxonomy(None),
            years="2021-2022",
            options=ReportOptions(clouds=False),
            progress=advance,
        )
    assert drawn == [[len(roster_records), "Merging versions of each work", len(roster_records)]]


def test_blocking_bounds_are_those_of_the_merge_threshold():
    """blocking.py derives its distance and length bounds from a ratio of 95: they must follow FUZZY_MIN."""
    from authorstats.analysis import blocking, merge

    assert merge.FUZZY_MIN == 95 and merge.MAX_YEAR_GAP == 1
    assert [blocking.max_distance(n) for n in (9, 10, 19, 95, 100)] == [0, 1, 2, 10, 10]
