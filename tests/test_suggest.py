"""`authorstats taxonomy suggest`: a starter taxonomy from 300 real titles of three fields
(tests/data/three_fields_titles.md)."""

from __future__ import annotations

import tomllib

import pandas as pd
import pytest
from conftest import DATA
from typer.testing import CliRunner

from authorstats.analysis import suggest
from authorstats.cli import app
from authorstats.config.taxonomy import OTHER, parse_taxonomy

runner = CliRunner()
TITLES = DATA / "three_fields_titles.csv"


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def suggested(tmp_path_factory):
    """The taxonomy suggested from the three fields' titles, the command's result, and the titles tagged with it."""
    folder = tmp_path_factory.mktemp("suggest")
    out = folder / "taxonomy.suggested.toml"
    result = run("taxonomy", "suggest", "--from", TITLES, "-o", out, "-w", folder)
    assert result.exit_code == 0, result.output
    tagged = folder / "tagged.csv"
    classified = run("classify", TITLES, "--taxonomy", out, "-o", tagged)
    assert classified.exit_code == 0, classified.output
    return out, result, pd.read_csv(tagged, keep_default_na=False)


def test_the_fixture_is_300_sourced_titles_of_three_fields():
    titles = pd.read_csv(TITLES, keep_default_na=False)
    assert titles["field"].value_counts().to_dict() == {"astrophysics": 100, "economics": 100, "archaeology": 100}
    assert not titles["title"].str.casefold().duplicated().any()
    assert titles["source"].str.match(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40}:\S+ entry \S+$").all()


def test_the_topics_separate_the_fields(suggested):
    _, _, tagged = suggested
    topical = tagged[tagged["topic"] != OTHER]
    table = pd.crosstab(topical["topic"], topical["field"])
    owner = table.idxmax(axis=1)  # each topic's field: the one most of its titles come from
    assert (table.max(axis=1) / table.sum(axis=1)).min() >= 0.8  # every topic is mostly one field
    assert set(owner) == {"astrophysics", "economics", "archaeology"}
    for field in owner.unique():
        mine = topical[topical["field"] == field]
        at_home = mine["topic"].map(owner).eq(field).mean()
        assert at_home >= 0.9, (field, at_home)
    assert (tagged["topic"] != OTHER).mean() >= 0.6  # and they cover most titles


def test_the_file_is_a_taxonomy_in_the_bundled_format(suggested):
    out, result, tagged = suggested
    taxonomy = parse_taxonomy(out.read_text(encoding="utf-8"), out)
    data = tomllib.loads(out.read_text(encoding="utf-8"))
    assert set(data) == {"topic"} and all(set(t) == {"name", "description", "terms"} for t in data["topic"])
    assert all(1 <= w <= 4 for t in data["topic"] for w in t["terms"].values())
    assert set(tagged["topic"]) <= set(taxonomy.names)  # classify used the suggested topics
    assert len(set(tagged["topic"]) - {OTHER}) == len(taxonomy.names) - 1
    # the ten titles that load most on each topic are comments under it
    comments = [line[2:] for line in out.read_text(encoding="utf-8").splitlines() if line.startswith("# ")]
    assert sum(title in comments for title in tagged["title"]) >= 10 * (len(taxonomy.names) - 1) - 5


def test_it_prints_what_each_topic_would_take(suggested):
    out, result, tagged = suggested
    counts = tagged["topic"].value_counts()
    lines = {
        line.rsplit(None, 1)[0].strip(): int(line.rsplit(None, 1)[1])
        for line in result.stdout.splitlines()
        if line.startswith("  ")
    }
    assert lines == {name: int(counts.get(name, 0)) for name in parse_taxonomy(out.read_text(), out).names}
    assert "chose" in result.stdout and f"Wrote {out}" in result.stdout


def test_two_runs_write_the_same_file(suggested, tmp_path):
    out, _, _ = suggested
    again = tmp_path / "again.toml"
    result = run("taxonomy", "suggest", "--from", TITLES, "-o", again, "-w", tmp_path)
    assert result.exit_code == 0, result.output
    assert again.read_bytes() == out.read_bytes()


def test_an_existing_file_is_kept_without_force(tmp_path):
    out = tmp_path / "mine.toml"
    out.write_text("# my own work\n", encoding="utf-8")
    result = run("taxonomy", "suggest", "--from", TITLES, "-o", out, "--topics", "3", "-w", tmp_path)
    assert result.exit_code == 2
    assert "already exists" in result.output and "--force" in result.output
    assert out.read_text(encoding="utf-8") == "# my own work\n"
    forced = run("taxonomy", "suggest", "--from", TITLES, "-o", out, "--topics", "3", "--force", "-w", tmp_path)
    assert forced.exit_code == 0, forced.output
    assert len(parse_taxonomy(out.read_text(encoding="utf-8"), out).names) == 4  # 3 and Other


def test_extend_adds_topics_for_what_the_taxonomy_leaves_over(tmp_path):
    from authorstats.analysis.suggest import without_groupings
    from authorstats.shell.config_files import read_taxonomy_text

    out = tmp_path / "extended.toml"
    # the bundled snapshot's records: too few to choose a number of topics (below), so two are asked for
    result = run("taxonomy", "suggest", "--extend", "--topics", "2", "-o", out, "-w", tmp_path)
    assert result.exit_code == 0, result.output
    bundled, _ = read_taxonomy_text()
    text = out.read_text(encoding="utf-8")
    topics_only, groupings = without_groupings(bundled)
    assert groupings == ["seminar", "broad"]
    assert text.startswith(topics_only.rstrip("\n"))  # the taxonomy's own topics, unchanged
    # the new topics are in none of the groupings' categories, so the groupings are left out, saying so
    assert "groupings (seminar, broad) were left out" in text
    extended = parse_taxonomy(text, out)
    original = parse_taxonomy(bundled)
    new = [name for name in extended.names if name not in original.names]
    assert new and extended.names[: len(original.names) - 1] == original.names[:-1]
    assert f"{len(new)} new topic{'s' if len(new) > 1 else ''} fitted on" in result.stdout
    assert [line.split()[0] for line in result.stdout.splitlines() if line.startswith("  ")][-1] == OTHER


def test_extend_leaves_out_a_topic_the_taxonomy_already_has():
    import authorstats

    taxonomy = authorstats.load_taxonomy()
    have = suggest.SuggestedTopic(
        "Supervised / Self / Contrastive", (("supervised", 4), ("self", 3), ("contrastive", 2)), (), 5
    )
    new = suggest.SuggestedTopic("Miletus / Fragments / Clay", (("miletus", 4), ("fragments", 3), ("clay", 2)), (), 5)
    assert suggest.already_there([have, new], taxonomy) == {"Supervised / Self / Contrastive": "Contrastive"}


def test_the_bundled_titles_are_too_few_to_choose_topics_and_it_says_so(tmp_path):
    """The bundled 118 works' titles: the best model is hardly more coherent than the same words shuffled."""
    out = tmp_path / "x.toml"
    result = run("taxonomy", "suggest", "-o", out, "-w", tmp_path)
    assert result.exit_code == 2
    line = result.output.strip().splitlines()[-1]
    assert line.startswith("Error: no topics to suggest from 118 titles")
    assert "too few (under 150)" in line and "shuffled at random" in line and "--topics N" in line
    assert "Traceback" not in result.output and not out.exists()


def test_three_fields_are_well_above_their_shuffled_words():
    titles = list(pd.read_csv(TITLES, keep_default_na=False)["title"])
    result = suggest.suggest_topics(titles)
    assert result.shuffled is not None
    assert result.coherence[result.chosen] - result.shuffled >= suggest.MIN_MARGIN
    # the baseline is the same words: every word kept, as often, in titles of the same lengths
    shuffled = suggest.shuffle_words(titles)
    assert sorted(" ".join(shuffled).split()) == sorted(" ".join(titles).split())
    assert [len(t.split()) for t in shuffled] == [len(t.split()) for t in titles]


def test_the_header_names_the_workspace_in_full(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("taxonomy", "suggest", "--topics", "3", "-o", "x.toml")  # the workspace is "."
    assert result.exit_code == 0, result.output
    first = (tmp_path / "x.toml").read_text(encoding="utf-8").splitlines()[0]
    assert first.endswith(f"authors in {tmp_path.resolve()}.")


def test_too_few_titles_is_exit_2(tmp_path):
    few = tmp_path / "few.csv"
    few.write_text("title\nGalaxy rotation curves\nThe price of bread in 1750\n", encoding="utf-8")
    result = run("taxonomy", "suggest", "--from", few, "-o", tmp_path / "x.toml")
    assert result.exit_code == 2
    assert "cannot suggest topics" in result.output and "more titles" in result.output
    assert not (tmp_path / "x.toml").exists()


def test_titles_with_quotes_and_control_characters_stay_comments():
    titles = [f'Galaxy "clusters" {i}\nand\x1b[31m dark matter halos' for i in range(6)] + [
        f"Bread prices and wages in early modern Europe {i}" for i in range(6)
    ]
    result = suggest.suggest_topics(titles, topics=2)
    text = suggest.taxonomy_text(result, source="a list\nwith a line break")
    taxonomy = parse_taxonomy(text)
    assert len(taxonomy.names) == 3
    assert "\x1b" not in text and all(line == "" or line[0] in "#[n'd" for line in text.splitlines())


def test_names_never_clash_with_a_taxonomy_they_extend():
    titles = [f"Dark matter halos of dwarf galaxies {i}" for i in range(6)] + [
        f"Wages and prices in early modern Europe {i}" for i in range(6)
    ]
    first = suggest.suggest_topics(titles, topics=2)
    again = suggest.suggest_topics(titles, topics=2, taken=[t.name for t in first.topics])
    assert not {t.name.casefold() for t in first.topics} & {t.name.casefold() for t in again.topics}
