"""Author identity: candidates from OpenAlex/dblp, no silent pick, and a surgical edit of the user's roster."""

from __future__ import annotations

import tomllib
from pathlib import Path

import httpx
import pytest
import respx
from typer.testing import CliRunner

from authorstats.cli import app
from authorstats.errors import BadInputError, OutputError
from authorstats.models import Author
from authorstats.shell import resolve, store
from authorstats.shell.config_files import default_roster_path, load_roster
from authorstats.sources.http import Candidate

runner = CliRunner()
FIXTURES = Path(__file__).parent / "fixtures"
ROSTER = """\
# my roster: keep this comment
[[author]]
key = "lecun"   # the one from NYU
name = "Yann LeCun"
scholar = "WLN3QrAAAAAJ"

[[author]]
key = 'hinton'
name = "Geoffrey E. Hinton"
dblp = "old/Pid"
# trailing comment inside the table

[settings]
note = "not an author"
"""


def test_set_roster_value_adds_one_line_to_that_table_only():
    edited = resolve.set_roster_value(ROSTER, "lecun", "openalex", "A5000000001")
    assert edited == ROSTER.replace(
        'scholar = "WLN3QrAAAAAJ"\n', 'scholar = "WLN3QrAAAAAJ"\nopenalex = "A5000000001"\n'
    )


def test_set_roster_value_replaces_an_existing_line_in_place():
    edited = resolve.set_roster_value(ROSTER, "hinton", "dblp", "10/3248")
    assert edited == ROSTER.replace('dblp = "old/Pid"', 'dblp = "10/3248"')


def test_set_roster_value_keeps_windows_line_endings():
    text = ROSTER.replace("\n", "\r\n")
    edited = resolve.set_roster_value(text, "lecun", "dblp", "l/YannLeCun")
    assert 'dblp = "l/YannLeCun"\r\n' in edited and "\n" not in edited.replace("\r\n", "")


def test_set_roster_value_refuses_an_unknown_key():
    with pytest.raises(BadInputError, match='key = "bengio"'):
        resolve.set_roster_value(ROSTER, "bengio", "dblp", "x/Y")


GROUPED = """\
[[author]]
  key = "lecun"
  name = "Yann LeCun"   # NYU
  dblp = 'old/Pid'   # from the old page

# Toronto
[[author]]
key = "hinton"
name = "Geoffrey Hinton\""""


def test_a_new_line_goes_after_the_last_value_before_the_comment_that_leads_to_the_next_table():
    edited = resolve.set_roster_value(GROUPED, "lecun", "openalex", "A1")
    assert edited == GROUPED.replace("# from the old page\n", '# from the old page\n  openalex = "A1"\n')


def test_a_changed_value_keeps_its_comment():
    edited = resolve.set_roster_value(GROUPED, "lecun", "dblp", "l/YannLeCun")
    # the new value reads back; which quotes hold it is tomlkit's choice (0.15.3 keeps the user's single quotes)
    assert tomllib.loads(edited)["author"][0]["dblp"] == "l/YannLeCun"
    [changed] = [line for line in edited.splitlines() if "dblp" in line]
    assert changed.startswith("  dblp = ") and changed.endswith("   # from the old page")
    # every other line stays as the user wrote it
    assert [line for line in edited.splitlines() if "dblp" not in line] == [
        line for line in GROUPED.splitlines() if "dblp" not in line
    ]


def test_the_last_table_of_a_file_without_a_final_line_ending():
    edited = resolve.set_roster_value(GROUPED, "hinton", "dblp", "h/GeoffreyHinton")
    assert edited == GROUPED + '\ndblp = "h/GeoffreyHinton"\n'


def test_authors_written_as_inline_tables():
    text = 'author = [{key = "lecun", name = "Yann LeCun"}]  # one line\n'
    edited = resolve.set_roster_value(text, "lecun", "dblp", "l/YannLeCun")
    assert edited == 'author = [{key = "lecun", name = "Yann LeCun", dblp = "l/YannLeCun"}]  # one line\n'


def test_an_id_that_would_make_the_roster_invalid_is_refused_and_the_file_kept(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(ROSTER, encoding="utf-8")
    with pytest.raises(OutputError, match="would make .*mine.toml an invalid roster.*not an OpenAlex author id"):
        resolve.write_id(resolve.RosterTarget(path), "lecun", "openalex", "W123")
    assert path.read_text(encoding="utf-8") == ROSTER


def test_write_id_edits_the_users_file_and_it_stays_a_valid_roster(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(ROSTER, encoding="utf-8")
    resolve.write_id(resolve.RosterTarget(path), "lecun", "openalex", "A5000000001")
    assert {a.key: a.openalex for a in load_roster(path)} == {"lecun": "A5000000001", "hinton": ""}
    assert "# my roster: keep this comment" in path.read_text(encoding="utf-8")


def test_write_id_copies_the_bundled_roster_to_the_workspace_first(workspace):
    target = resolve.roster_target(store.Workspace(workspace), None)
    assert target.path == workspace / "authors.toml" and target.copy_from == default_roster_path()
    resolve.write_id(target, "lecun", "dblp", "l/YannLeCun")
    written = (workspace / "authors.toml").read_text(encoding="utf-8")
    bundled = default_roster_path().read_text(encoding="utf-8")
    assert written.replace('dblp = "l/YannLeCun"\n', "") == bundled
    assert resolve.roster_target(store.Workspace(workspace), None).copy_from is None  # next time: edit that copy


LECUN = Author(key="lecun", name="Yann LeCun")


def test_several_candidates_are_never_picked_without_choose():
    candidates = [Candidate("A1", "Yann LeCun"), Candidate("A2", "Yann LeCun")]
    assert resolve.choose(candidates, LECUN, None) == (None, "")
    assert resolve.choose(candidates, LECUN, 2)[0].id == "A2"
    with pytest.raises(BadInputError, match="from 1 to 2"):
        resolve.choose(candidates, LECUN, 3)


def test_a_single_candidate_is_taken_only_when_exact():
    assert resolve.choose([Candidate("A1", "Yann Le Cun")], LECUN, None) == (None, "")
    chosen, why = resolve.choose([Candidate("A1", "Yann LeCun")], LECUN, None)
    assert chosen.id == "A1" and "matches the roster exactly" in why
    chosen, why = resolve.choose([Candidate("A9", "J. Carberry", by_orcid=True)], LECUN, None)
    assert chosen.id == "A9" and "ORCID" in why


def test_no_candidates_is_bad_input():
    with pytest.raises(BadInputError, match="no candidates"):
        resolve.choose([], LECUN, None)


def test_cli_openalex_without_key_says_how_to_get_one(workspace):
    result = runner.invoke(app, ["authors", "resolve", "lecun", "--source", "openalex", "-w", str(workspace)])
    assert result.exit_code == 2
    assert "OPENALEX_API_KEY" in result.stderr and "openalex.org/settings" in result.stderr
    assert not (workspace / "authors.toml").exists()


@respx.mock
def test_cli_several_candidates_are_listed_and_nothing_is_written(workspace, monkeypatch):
    monkeypatch.setenv("OPENALEX_API_KEY", "k-123")
    respx.get("https://api.openalex.org/authors").mock(
        return_value=httpx.Response(200, content=(FIXTURES / "openalex" / "authors_search.json").read_bytes())
    )
    result = runner.invoke(app, ["authors", "resolve", "lecun", "--source", "openalex", "-w", str(workspace)])
    assert result.exit_code == 2
    assert "1. A5000000001" in result.stdout and "New York University" in result.stdout and "412 works" in result.stdout
    assert "3. A5000000003" in result.stdout and "AT&T (United States)" in result.stdout
    assert "--choose N" in result.stderr and "nothing was written" in result.stderr
    assert not (workspace / "authors.toml").exists()
    assert "k-123" not in result.output


@respx.mock
def test_cli_choose_writes_into_a_copy_of_the_bundled_roster_and_says_where(workspace, monkeypatch):
    monkeypatch.setenv("OPENALEX_API_KEY", "k-123")
    respx.get("https://api.openalex.org/authors").mock(
        return_value=httpx.Response(200, content=(FIXTURES / "openalex" / "authors_search.json").read_bytes())
    )
    result = runner.invoke(
        app, ["authors", "resolve", "lecun", "--source", "openalex", "--choose", "1", "-w", str(workspace)]
    )
    assert result.exit_code == 0, result.output
    roster_file = workspace / "authors.toml"
    assert f"Copied the bundled roster to {roster_file}" in result.stdout
    assert f"--roster {roster_file}" in result.stdout
    assert {a.key: a.openalex for a in load_roster(roster_file)}["lecun"] == "A5000000001"


@respx.mock
def test_cli_single_exact_dblp_candidate_is_taken_into_the_given_roster(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(ROSTER, encoding="utf-8")
    respx.get("https://dblp.org/search/author/api").mock(
        return_value=httpx.Response(200, content=(FIXTURES / "dblp" / "author_search_one.json").read_bytes())
    )
    result = runner.invoke(app, ["authors", "resolve", "hinton", "--source", "dblp", "--roster", str(path)])
    assert result.exit_code == 0, result.output
    assert "the only candidate, and its name matches the roster exactly" in result.stdout
    assert path.read_text(encoding="utf-8") == ROSTER.replace('dblp = "old/Pid"', 'dblp = "10/3248"')


def test_cli_unknown_source_or_key_exits_2(workspace):
    bad_source = runner.invoke(app, ["authors", "resolve", "lecun", "--source", "scholar", "-w", str(workspace)])
    assert bad_source.exit_code == 2 and "openalex, dblp" in bad_source.stderr
    bad_key = runner.invoke(app, ["authors", "resolve", "nobody", "--source", "dblp", "-w", str(workspace)])
    assert bad_key.exit_code == 2 and "unknown author 'nobody'" in bad_key.stderr


def test_cli_offline_search_fails_clearly(workspace):
    result = runner.invoke(app, ["authors", "resolve", "lecun", "--source", "dblp", "-w", str(workspace)])
    assert result.exit_code == 3 and "dblp could not be reached" in result.stderr


@respx.mock
def test_writing_the_workspace_roster_refuses_while_another_run_holds_the_lock(workspace, tmp_path):
    from test_lock import held_elsewhere

    respx.get("https://dblp.org/search/author/api").mock(
        return_value=httpx.Response(200, content=(FIXTURES / "dblp" / "author_search_one.json").read_bytes())
    )
    mine = tmp_path / "mine.toml"
    mine.write_text(ROSTER, encoding="utf-8")
    with held_elsewhere(workspace, "import") as (_, (pid,)):
        busy = runner.invoke(
            app, ["authors", "resolve", "hinton", "--source", "dblp", "--choose", "1", "-w", str(workspace)]
        )
        elsewhere = runner.invoke(
            app, ["authors", "resolve", "hinton", "--source", "dblp", "--roster", str(mine), "-w", str(workspace)]
        )

    assert busy.exit_code == 6 and f"another authorstats run ({pid} import" in busy.stderr
    assert not (workspace / "authors.toml").exists()
    assert elsewhere.exit_code == 0, elsewhere.output  # a roster outside the workspace needs no lock
    assert 'dblp = "10/3248"' in mine.read_text(encoding="utf-8")

    done = runner.invoke(
        app, ["authors", "resolve", "hinton", "--source", "dblp", "--choose", "1", "-w", str(workspace)]
    )
    assert done.exit_code == 0, done.output
    assert {a.key: a.dblp for a in load_roster(workspace / "authors.toml")}["hinton"] == "10/3248"
    assert sorted(p.name for p in (workspace / "data").iterdir()) == []  # the lock let go, leaving nothing
