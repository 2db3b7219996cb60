"""Merging versions of one work: golden cases from tests/data/merge_cases.csv, the kept version, the log."""

from __future__ import annotations

import csv
import difflib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from authorstats.analysis import same_work
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


def _every_pair(records):
    """The works of comparing every pair of an author's records, in the order (a, b) with a before b, joining
    when same_work says so and the two works would not hold two different DOIs or arXiv ids: the rule merge_works
    keeps, written out plainly (in time and memory that grow with the square of the records)."""
    from authorstats.analysis import merge

    items = [same_work.item_of(i, r) for i, r in enumerate(records)]
    parent = list(range(len(items)))
    members = {i: [i] for i in range(len(items))}

    def root(i):
        while parent[i] != i:
            i = parent[i]
        return i

    def conflict(one, two):
        for attr in ("doi", "arxiv"):
            left = {getattr(items[i], attr) for i in one} - {""}
            right = {getattr(items[i], attr) for i in two} - {""}
            if left and right and not left & right:
                return True
        return False

    by_author = {}
    for item in items:
        by_author.setdefault(item.record.author, []).append(item)
    for group in by_author.values():
        for number, a in enumerate(group):
            for b in group[number + 1 :]:
                ra, rb = root(a.index), root(b.index)
                if ra == rb or not merge.same_work(a, b) or conflict(members[ra], members[rb]):
                    continue
                keep, other = min(ra, rb), max(ra, rb)
                parent[other] = keep
                members[keep] += members.pop(other)
    return sorted(sorted(m) for m in members.values())


def _works(records):
    """merge_works' works, as sorted lists of the records' positions."""
    from authorstats.analysis import merge

    items = [same_work.item_of(i, r) for i, r in enumerate(records)]
    by_author = {}
    for item in items:
        by_author.setdefault(item.record.author, []).append(item)
    works = []
    for group in by_author.values():
        found, capped = merge._works(group)
        assert capped == 0
        works += [[i.index for i in work] for work in found]
    return sorted(works)


def _versions(seed: int, n: int, ids_by_title: bool = False) -> list[Publication]:
    """Records with realistic version pairs: real titles from the bundled snapshot, and variants of them as
    other sources write them (case, punctuation, a dropped word or letter, LaTeX braces, a year later), some
    with DOIs or arXiv ids, for a few authors. The ids are drawn at random (so that many records could join two
    works holding different DOIs), or with ``ids_by_title`` the versions of one title have the same ones or none."""
    import random

    from authorstats.sources.snapshot import read_bundled

    rng = random.Random(seed)
    real = sorted({r.title for r in read_bundled()})
    out = []
    for number in range(n):
        title = original = rng.choice(real)
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
        key = real.index(original) if ids_by_title else number
        doi = rng.choice(("", "", "", f"10.1/{key % 40 if not ids_by_title else key}"))
        venue = rng.choice(
            ("", "NeurIPS", f"arXiv preprint arXiv:21{key % 12 + 1:02d}.0{key % 50 if not ids_by_title else key:04d}")
        )
        out.append(pub(title, year + rng.choice((0, 0, 1)), venue, doi, author=author))
    return out


def test_merging_gives_the_works_of_every_pair_on_the_cases():
    for case in CASES:
        assert _works(pair(case)) == _every_pair(pair(case)), case["case"]


def test_merging_gives_the_works_of_every_pair_on_the_bundled_data():
    from authorstats.sources.snapshot import read_bundled

    records = read_bundled()
    assert _works(records) == _every_pair(records)
    assert len(merge_publications(records)[1]) == 9  # the bundled arXiv versions (README, snapshot v2)


@pytest.mark.parametrize("seed", range(4))
def test_merging_gives_the_works_of_every_pair_on_generated_versions(seed):
    records = _versions(seed, 400, ids_by_title=True)
    assert _works(records) == _every_pair(records)
    kept, merges = merge_publications(records)
    assert len(merges) > 50 and any("nearly the same title" in m.reason for m in merges)


@pytest.mark.parametrize("seed", range(4))
def test_merging_leaves_apart_only_works_with_two_different_ids(seed):
    """Records whose ids would put two DOIs (or arXiv ids) into one work are where the order of joining decides:
    comparing every pair joins a record with whichever work it meets first, merge_works joins exact keys before
    near-equal titles. Either way no work holds two DOIs or two arXiv ids, and two records same_work joins are in
    one work unless their works hold two different ones."""
    from authorstats.analysis import merge

    records = _versions(seed, 400)
    items = [same_work.item_of(i, r) for i, r in enumerate(records)]
    work_of = {i: number for number, work in enumerate(_works(records)) for i in work}
    ids = {}
    for item in items:
        for attr in ("doi", "arxiv"):
            if getattr(item, attr):
                ids.setdefault((work_of[item.index], attr), set()).add(getattr(item, attr))
    assert all(len(found) == 1 for found in ids.values())
    for a in items:
        for b in items[a.index + 1 :]:
            wa, wb = work_of[a.index], work_of[b.index]
            if wa != wb and merge.same_work(a, b):
                assert any(
                    ids.get((wa, attr)) and ids.get((wb, attr)) and ids[wa, attr] != ids[wb, attr]
                    for attr in ("doi", "arxiv")
                ), (a.record, b.record)
    assert _works(records) != _every_pair(records)  # the order matters here: the test has such records


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(titles, st.integers(2015, 2023)), max_size=12), st.integers(0, 5))
def test_blocking_misses_no_pair_of_near_titles(rows, edits):
    """Every pair with a ratio of at least 95 and close years is a candidate, whatever the characters (titles equal
    but for spaces are grouped before, without pairs)."""
    from authorstats.analysis import blocking

    records = [pub(t, y) for t, y in rows if t.strip()]
    records += [pub(r.title[: -edits or None] + "x" * edits, r.year) for r in records]
    norms = [normalise_title(r.title) for r in records]
    near = blocking.near_pairs(norms, [r.year for r in records], 1)
    found, capped = set(near.pairs()), near.capped
    assert capped == []
    for i in range(len(records)):
        for j in range(i + 1, len(records)):
            if (
                norms[i]
                and norms[j]
                and norms[i].replace(" ", "") != norms[j].replace(" ", "")
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


# --- bounded: identical keys grouped without pairs, near-equal titles capped (issue 25) ----------------------


def test_identical_titles_are_grouped_without_comparing_pairs(monkeypatch):
    """3,000 records titled "Editorial" are one work; near-equal titles are looked for among their two distinct
    (title, year) forms only, not among 3,000 titles (4.5 million pairs)."""
    from authorstats.analysis import blocking, merge

    sizes = []
    near_pairs = blocking.near_pairs
    monkeypatch.setattr(
        blocking, "near_pairs", lambda titles, *args: sizes.append(len(titles)) or near_pairs(titles, *args)
    )
    merged = merge.merge_works([pub("Editorial", 2021 + number % 2) for number in range(3000)])
    assert len(merged.kept) == 1 and len(merged.merges) == 2999 and merged.capped == 0
    assert sizes == [2]
    assert {m.reason for m in merged.merges} == {
        "duplicate record",
        "same title after normalising case, punctuation, LaTeX and accents",
    }


def test_a_title_shared_by_works_with_different_dois_is_joined_once():
    """Editorials of 2,000 issues (each its DOI) stay 2,000 works; a record without a DOI joins the first of them,
    and one with the DOI of the 1,000th joins that one."""
    from authorstats.analysis import merge

    records = [pub("Editorial", 2021, doi=f"10.1/{number}") for number in range(2000)]
    records += [pub("Editorial", 2022), pub("EDITORIAL", 2022, doi="10.1/999")]
    merged = merge.merge_works(records)
    assert len(merged.kept) == 2000 and merged.capped == 0
    assert [(m.kept_year, m.kept_venue, m.dropped_year) for m in merged.merges] == [(2021, "", 2022)] * 2
    assert sorted(m.reason for m in merged.merges) == [
        "same DOI 10.1/999",
        "same title after normalising case, punctuation, LaTeX and accents",
    ]
    kept_dois = [r.doi for r in merged.kept]
    assert kept_dois[0] == "10.1/0" and len(set(kept_dois)) == 2000


def test_near_equal_titles_beyond_the_cap_are_counted():
    """400 titles that differ in one number share every piece of title: a piece brings together the first 300
    only, so the others are counted as compared in part; none of them is one work with another (numbers differ).
    100 of them stay within the cap."""
    from authorstats.analysis import blocking, merge

    assert blocking.CAP == 300
    many = merge.merge_works([pub(f"Self-supervised learning number {n}") for n in range(400)])
    assert len(many.kept) == 400 and many.merges == [] and 100 <= many.capped <= 400
    few = merge.merge_works([pub(f"Self-supervised learning number {n}") for n in range(100)])
    assert len(few.kept) == 100 and few.capped == 0


def test_a_record_compared_in_part_is_said_in_the_report_notes():
    from authorstats.analysis.report import compute_report
    from authorstats.config.roster import Author
    from authorstats.shell.config_files import load_taxonomy

    records = [pub(f"Self-supervised learning number {n}", author="ann") for n in range(400)]
    data = compute_report(records, roster=[Author("ann", "Ann")], taxonomy=load_taxonomy(None), years="2021")
    assert data.author("ann").provenance.records_capped >= 100
    (note,) = [n for n in data.notes if "merging compared" in n]
    assert note.startswith("Warning: merging compared ") and "of ann's 400 records" in note


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from("abcd"), min_size=1, max_size=8),
    st.integers(0, 7),
    st.sampled_from("abcdz"),
)
def test_a_one_word_change_is_found_as_difflib_finds_it(words, where, new):
    from authorstats.analysis.same_work import _changes

    changed = list(words)
    changed[where % len(words)] = new
    found = [op for op in difflib.SequenceMatcher(a=words, b=changed, autojunk=False).get_opcodes() if op[0] != "equal"]
    assert _changes(words, changed) == found
