"""The bundled taxonomy has TOPICS.md's 18 topics; a broken taxonomy file is one clear error naming file and entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from authorstats.config.taxonomy import (
    LIST_SETTINGS,
    OTHER,
    SETTINGS,
    Settings,
    literal_prefix,
    parse_taxonomy,
    split_words,
)
from authorstats.errors import BadInputError
from authorstats.shell.config_files import default_taxonomy_path, load_taxonomy

TOPICS_MD = [
    "Self-Supervised",
    "Contrastive",
    "Representation",
    "Architecture",
    "Optimization",
    "Augmentation",
    "Generation",
    "Object Detection",
    "RL",
    "Robotics",
    "Physics",
    "Causality",
    "Generalization",
    "Reasoning",
    "Neuroscience",
    "Science & Health",
    "Language & Multimodal",
    "Other",
]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "taxonomy.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_taxonomy_has_the_18_topics_of_topics_md_in_order():
    taxonomy = load_taxonomy()
    assert taxonomy.names == tuple(TOPICS_MD)
    assert taxonomy.names[-1] == OTHER
    for topic in taxonomy.topics:
        assert topic.description
        if topic.name != OTHER:
            assert topic.terms, topic.name


def test_a_users_taxonomy_without_other_gets_other_appended(tmp_path):
    path = write(tmp_path, "[[topic]]\nname = \"Vision\"\n[topic.terms]\n'images?' = 2\n")
    taxonomy = load_taxonomy(path)
    assert taxonomy.names == ("Vision", OTHER)
    assert taxonomy.path == path


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[[topic]\nname = 'x'", "not valid TOML"),
        ('[[topic]]\nname = "Vision"\n', "topic 'Vision' has no terms"),
        (
            '[[topic]]\nname = "A"\n[topic.terms]\n"a" = 1\n[[topic]]\nname = "a"\n[topic.terms]\n"b" = 1\n',
            "lists the topic 'a' twice",
        ),
        (
            "[[topic]]\nname = \"Vision\"\n[topic.terms]\n'imag(e' = 2\n",
            "topic 'Vision': term 'imag(e' is not a valid pattern",
        ),
        ("[[topic]]\nname = \"Vision\"\n[topic.terms]\n'x*' = 2\n", "can match an empty word"),
        ("[[topic]]\nname = \"Vision\"\n[topic.terms]\n'image' = 0\n", "has weight 0"),
        ('[[topic]]\nname = "Vision"\ncolour = "red"\n[topic.terms]\n\'image\' = 1\n', "unknown field(s) colour"),
        ("[[topic]]\n[topic.terms]\n'image' = 1\n", "topic #1 has no name"),
        ("[settings]\ndecay = 7\n[[topic]]\nname = \"V\"\n[topic.terms]\n'image' = 1\n", "setting decay = 7"),
        ("title = 'no topics'\n", "unknown section"),
        ("", "lists no topics"),
    ],
)
def test_a_broken_taxonomy_is_a_bad_input_error_naming_file_and_entry(tmp_path, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(BadInputError) as caught:
        load_taxonomy(path)
    assert expected in str(caught.value)
    assert str(path) in str(caught.value)


def test_a_missing_taxonomy_file_is_a_bad_input_error(tmp_path):
    with pytest.raises(BadInputError, match="does not exist"):
        load_taxonomy(tmp_path / "nope.toml")


def test_term_words_split_at_spaces_and_hyphens_outside_groups():
    assert split_words("self-supervised learning") == ["self", "supervised", "learning"]
    assert split_words("(data|auto)?augment(s|-ing)?") == ["(data|auto)?augment(s|-ing)?"]
    assert split_words(r"joint-embedding\w*") == ["joint", r"embedding\w*"]


def test_literal_prefix_drops_optional_characters_and_alternations():
    assert literal_prefix("gflownets?") == "gflownet"
    assert literal_prefix(r"generat\w*") == "generat"
    assert literal_prefix("(image|video)") == ""
    assert literal_prefix("ab|cd") == ""


def test_the_bundled_taxonomy_is_parsed_from_the_packages_own_file():
    bundled = load_taxonomy()
    assert bundled.path == default_taxonomy_path()
    again = parse_taxonomy(default_taxonomy_path().read_text(encoding="utf-8"), default_taxonomy_path())
    assert again.names == bundled.names and again.settings == bundled.settings
    assert again.topics == bundled.topics


def test_every_setting_is_a_typed_field_with_its_default():
    """The Settings type names exactly the settings the parser accepts (numbers as float, markers as word tuples)."""
    assert set(Settings.__annotations__) == set(SETTINGS) | set(LIST_SETTINGS)
    defaults = parse_taxonomy("[[topic]]\nname = \"Vision\"\n[topic.terms]\n'images?' = 2\n").settings
    assert defaults == {**{name: low_high[0] for name, low_high in SETTINGS.items()}, **LIST_SETTINGS}
    assert all(type(defaults[name]) is float for name in SETTINGS)


def test_taxonomy_text_parses_without_a_file_and_errors_name_its_origin():
    taxonomy = parse_taxonomy(
        "[settings]\ndecay = 0.25\n[[topic]]\nname = \"Vision\"\n[topic.terms]\n'images?' = 2\n", "team-topics.toml"
    )
    assert taxonomy.names == ("Vision", OTHER)
    assert taxonomy.settings["decay"] == 0.25
    assert taxonomy.topic("Vision").terms[0].words == ("images?",)
    with pytest.raises(BadInputError, match=r"taxonomy team-topics.toml lists no topics"):
        parse_taxonomy("", "team-topics.toml")
    with pytest.raises(BadInputError, match=r"taxonomy file team-topics.toml is not valid TOML"):
        parse_taxonomy("[[topic]\n", "team-topics.toml")


def test_the_bundled_taxonomy_passes_every_check_it_skips_when_loaded():
    """load_taxonomy() trusts the package's own terms not to hang matching; this holds them to the checks."""
    from authorstats.config.taxonomy import parse_taxonomy
    from authorstats.shell.config_files import load_taxonomy, read_taxonomy_text

    text, path = read_taxonomy_text()
    checked = parse_taxonomy(text, path)  # raises on a term that could backtrack or that has too many ways
    assert checked.topics == load_taxonomy().topics
    risky = text.replace("'self-supervis\\w*' = 4", "'(a+)+b' = 1\n'self-supervis\\w*' = 4", 1)
    assert risky != text
    with pytest.raises(BadInputError, match="could make matching hang"):
        parse_taxonomy(risky, path)
