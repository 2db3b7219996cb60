"""`authorstats who` (issue 28): roster authors ranked by recent works on a query, with the works and words that
decided it, and the co-authors of one author flagged or dropped."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import authorstats
from authorstats.analysis.expertise import rank_authors, read_query
from authorstats.cli import app
from authorstats.errors import BadInputError
from authorstats.models import Author, Publication

runner = CliRunner()
TAXONOMY = authorstats.load_taxonomy()


def who(workspace: Path, *args: str) -> str:
    result = runner.invoke(app, ["who", "-w", str(workspace), *args])
    assert result.exit_code == 0, result.output
    return result.output


def ranked(output: str) -> list[str]:
    """The roster keys in rank order, as the lines ' 1. Name (key)  score ...' give them."""
    return [line.split("(")[1].split(")")[0] for line in output.splitlines() if line[:4].strip().endswith(".")]


def test_self_supervised_learning_ranks_lecun_first_with_the_works_that_decided_it(workspace):
    output = who(workspace, "self-supervised learning")
    assert ranked(output)[0] == "lecun"
    first = output.split(" 2. ")[0]
    assert "What Do We Maximize in Self-Supervised Learning?" in first  # a deciding work, with its words
    assert "[Self-Supervised] words: self, supervised" in first
    assert "read as topics: Self-Supervised" in output


def test_causal_ranks_bengio_first(workspace):
    output = who(workspace, "causal")
    assert ranked(output)[0] == "bengio"
    assert "Causal" in output.split(" 2. ")[0] and "words: causal" in output


@pytest.mark.slow  # three rankings of the snapshot: about a second
def test_excluding_coauthors_flags_then_drops_a_coauthor_on_the_roster(workspace):
    plain = who(workspace, "self-supervised learning")
    flagged = who(workspace, "self-supervised learning", "--exclude-coauthors-of", "bengio")
    assert flagged != plain and "!" not in plain
    lecun = next(line for line in flagged.splitlines() if "(lecun)" in line)
    assert "! co-authored 1 work with bengio in 2021-2022" in lecun  # "Deep Learning for AI" (2021)
    assert "! is bengio" in next(line for line in flagged.splitlines() if "(bengio)" in line)
    dropped = who(workspace, "self-supervised learning", "--exclude-coauthors-of", "bengio", "--drop-coauthors")
    assert "lecun" not in ranked(dropped) and "bengio" not in ranked(dropped)
    assert "Left out as co-authors (--drop-coauthors): bengio, lecun, hinton." in dropped


def test_a_roster_of_people_who_never_wrote_together_flags_no_one(workspace, tmp_path):
    roster = tmp_path / "roster.toml"
    roster.write_text('[[author]]\nkey = "lecun"\nname = "Yann LeCun"\n[[author]]\nkey = "x"\nname = "Ada Lovelace"\n')
    output = who(workspace, "self-supervised learning", "--roster", str(roster), "--exclude-coauthors-of", "x")
    assert "(lecun)" in output and "co-authored" not in output


def test_an_abstract_from_a_file_is_a_query(workspace, tmp_path):
    abstract = tmp_path / "abstract.txt"
    abstract.write_text(
        "We learn representations from unlabelled images with a joint-embedding objective that avoids collapse "
        "by regularising the variance and covariance of the embeddings.",
        encoding="utf-8",
    )
    assert ranked(who(workspace, "--from", str(abstract)))[0] == "lecun"


@pytest.mark.parametrize(
    "args, said",
    [
        ([], "who needs a query"),
        (["causal", "--exclude-coauthors-of", "nobody"], "'nobody' is not an author of this roster"),
        (["the of and"], "has no word to look for"),
        (["causal", "--drop-coauthors"], "--drop-coauthors needs --exclude-coauthors-of"),
        (["causal", "--half-life", "0"], "--half-life 0 is not a positive number"),
        (["--from", "missing.txt"], "missing.txt"),
    ],
)
def test_a_bad_query_is_one_line_and_exit_2(workspace, args, said):
    result = runner.invoke(app, ["who", "-w", str(workspace), *args])
    assert result.exit_code == 2 and said in result.output, result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


# --- the ranking, on records made by hand ------------------------------------------------------------------------

ROSTER = [Author("ada", "Ada Lovelace"), Author("bob", "Bob Babbage"), Author("cy", "Cy Young")]


def report(records: list[Publication]):
    return authorstats.compute_report(
        records, roster=ROSTER, taxonomy=TAXONOMY, years="2020-2022", options=authorstats.report_options(clouds=False)
    )


def paper(author: str, title: str, year: int, authors: tuple[str, ...] = ()) -> Publication:
    return Publication(author=author, title=title, year=year, source="import", authors=authors)


def test_a_recent_work_outweighs_the_same_work_two_half_lives_ago():
    data = report(
        [
            paper("ada", "Causal discovery with interventions", 2022),
            paper("bob", "Causal discovery with interventions", 2020),
            paper("cy", "Image segmentation of cells", 2022),
        ]
    )
    ranking = rank_authors(data, "causal discovery", half_life=1.0)
    ada, bob = ranking.candidates
    assert (ada.key, bob.key) == ("ada", "bob") and ranking.without == ("cy",)
    assert ada.works[0].relevance == bob.works[0].relevance == 1.0
    assert (ada.works[0].recency, bob.works[0].recency) == (1.0, 0.25)
    assert (ada.score, bob.score) == (1.0, 0.25)


def test_a_work_of_the_query_topic_counts_without_its_words_and_rare_words_count_more():
    data = report(
        [
            paper(
                "ada", "VICReg: variance-invariance-covariance regularization", 2022
            ),  # Self-Supervised, no query word
            paper("bob", "Learning to draw cats", 2022),  # only the common query word
            paper("bob", "Learning to paint dogs", 2022),
            paper("cy", "Learning to write poems", 2022),
        ]
    )
    ranking = rank_authors(data, "self-supervised learning")
    assert [c.key for c in ranking.candidates] == ["ada"]  # "learning" alone is under half the words' weight
    work = ranking.candidates[0].works[0]
    assert work.topic == "Self-Supervised" and work.topic_match > 0.5 and work.term_match == 0.0
    assert "vicreg" in work.words  # the evidence of its topic
    query = read_query("self-supervised learning", TAXONOMY, (), ["Learning x", "Learning y", "Self-supervised z"])
    weight = dict(query.words)
    assert weight["learning"] < weight["supervised"]


def test_a_word_matches_its_longer_and_shorter_forms():
    data = report([paper("ada", "Causality in the wild", 2022), paper("bob", "Causal models", 2022)])
    for query in ("causal", "causality"):
        assert {c.key for c in rank_authors(data, query).candidates} == {"ada", "bob"}


def test_coauthors_are_found_by_the_author_lists_names():
    data = report(
        [
            paper("ada", "Engines of thought", 2021, ("Ada Lovelace", "B. Babbage")),
            paper("cy", "Engines of baseball", 2021, ("Cy Young", "Dan Other")),
        ]
    )
    ranking = rank_authors(data, "engines", coauthors_of="ada")
    flags = {c.key: c.conflict for c in ranking.candidates}
    assert flags == {"ada": "is ada", "cy": ""} and ranking.without == ("bob",)
    from authorstats.analysis.expertise import coauthor_conflicts

    assert coauthor_conflicts(data, "ada") == {"ada": "is ada", "bob": "co-authored 1 work with ada in 2020-2022"}


def test_an_empty_query_is_refused():
    with pytest.raises(BadInputError, match="no word to look for"):
        read_query("— of the —", TAXONOMY, {"of", "the"}, [])
