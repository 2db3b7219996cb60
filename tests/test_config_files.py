"""The shell reads the configuration files and config/ parses their text: the same objects either way, errors naming
the file."""

from __future__ import annotations

import pytest

from authorstats.config.roster import parse_roster
from authorstats.config.stopwords import parse_stopwords
from authorstats.errors import BadInputError
from authorstats.shell import config_files


def test_the_bundled_roster_is_parsed_from_the_packages_own_file():
    bundled = config_files.load_roster()
    path = config_files.default_roster_path()
    assert parse_roster(path.read_text(encoding="utf-8"), path) == bundled
    assert {a.key for a in bundled} == {"bengio", "hinton", "lecun"}


def test_roster_text_parses_without_a_file_and_errors_name_its_origin():
    authors = parse_roster(
        '[[author]]\nkey = "ada"\nname = "Ada Lovelace"\norcid = "0000-0002-1825-0097"\n', "team.toml"
    )
    assert [(a.key, a.name, a.orcid) for a in authors] == [("ada", "Ada Lovelace", "0000-0002-1825-0097")]
    with pytest.raises(BadInputError, match=r"roster team.toml, author 'ada': 'x' is not an ORCID"):
        parse_roster('[[author]]\nkey = "ada"\nname = "Ada"\norcid = "x"\n', "team.toml")


def test_a_users_roster_file_is_read_and_a_missing_one_is_a_bad_input_error(tmp_path):
    path = tmp_path / "team.toml"
    path.write_text('[[author]]\nkey = "ada"\nname = "Ada Lovelace"\n', encoding="utf-8")
    assert [a.key for a in config_files.load_roster(path)] == ["ada"]
    with pytest.raises(BadInputError, match=r"roster file .*nope.toml does not exist"):
        config_files.load_roster(tmp_path / "nope.toml")


def test_stop_words_are_wordclouds_list_plus_the_lines_of_the_text():
    words = parse_stopwords("# field filler\nModel\n\n  towards  \n")
    assert {"model", "towards", "the"} <= words
    assert "# field filler" not in words and "" not in words


def test_a_users_stop_word_file_replaces_the_bundled_filler(tmp_path):
    bundled = config_files.load_stopwords()
    assert "model" in bundled  # the bundled file lists the field's filler words
    mine = tmp_path / "stop.txt"
    mine.write_text("gflownet\n", encoding="utf-8")
    words = config_files.load_stopwords(mine)
    assert "gflownet" in words and "model" not in words and "the" in words


@pytest.mark.parametrize(("content", "expected"), [(None, "does not exist"), (b"\xff\xfe\x00", "is not UTF-8 text")])
def test_an_unreadable_stop_word_file_is_a_bad_input_error_naming_it(tmp_path, content, expected):
    path = tmp_path / "stop.txt"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(BadInputError, match=expected) as caught:
        config_files.load_stopwords(path)
    assert str(path) in str(caught.value)
