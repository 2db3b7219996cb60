"""The bundled roster's public ids, through the command line: dblp works out of the box for the three
authors, and `fetch`'s default falls back from a refused Google Scholar to dblp (offline, respx fixtures)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import respx
from conftest import files_under
from typer.testing import CliRunner

import authorstats
from authorstats.cli import app
from authorstats.sources import scholar

runner = CliRunner()
DBLP_XML = (Path(__file__).parent / "fixtures" / "dblp" / "person.xml").read_text(encoding="ascii")
BUNDLED_PIDS = {"bengio": "56/953", "lecun": "l/YannLeCun", "hinton": "10/3248"}


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch):
    """Scholar's polite pauses are skipped (its pacing has its own tests; dblp's one-second spacing stays)."""
    monkeypatch.setattr(scholar, "polite_sleep", lambda seconds: None)


@pytest.fixture
def mock():
    with respx.mock(assert_all_called=False) as router:
        yield router


def fetch(workspace: Path, *args: str):
    return runner.invoke(app, ["fetch", "--workspace", str(workspace), *args])


def test_the_bundled_roster_carries_the_public_ids():
    roster = {a.key: a for a in authorstats.load_roster()}
    assert {key: a.dblp for key, a in roster.items()} == BUNDLED_PIDS
    assert {key: a.openalex for key, a in roster.items()} == {
        "bengio": "A5086198262",
        "lecun": "A5001226970",
        "hinton": "A5108093963",
    }
    assert roster["bengio"].orcid == "0000-0002-9322-3515"


def test_dblp_offline_fails_fast_naming_dblp_not_a_missing_id(workspace):
    # No mock: the test network guard fails the lookup, as an offline machine does.
    result = fetch(workspace, "--source", "dblp", "--author", "lecun")

    assert result.exit_code == 3, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines[-1].startswith("Error: ") and "dblp" in lines[-1], result.output
    assert "no dblp id" not in result.output and "authors resolve" not in result.output
    assert files_under(workspace / "data" / "raw") == {}  # nothing written


def test_dblp_works_out_of_the_box_for_a_bundled_author(mock, workspace):
    route = mock.get("https://dblp.org/pid/l/YannLeCun.xml").mock(return_value=httpx.Response(200, text=DBLP_XML))

    result = fetch(workspace, "--source", "dblp", "--author", "lecun")

    assert result.exit_code == 0, result.output
    assert route.call_count == 1
    assert "VICReg" in (workspace / "data" / "raw" / "dblp" / "lecun.jsonl").read_text(encoding="utf-8")


@pytest.mark.slow
def test_auto_falls_back_from_a_refused_scholar_to_dblp_for_the_bundled_authors(mock, workspace):
    refused = mock.get(url__startswith="https://scholar.google.com/citations").mock(
        return_value=httpx.Response(429, text="Too Many Requests")
    )
    pid_routes = {
        key: mock.get(f"https://dblp.org/pid/{pid}.xml").mock(
            return_value=httpx.Response(200, text=DBLP_XML.replace("l/YannLeCun", pid))
        )
        for key, pid in BUNDLED_PIDS.items()
    }

    result = fetch(workspace)  # the default source: auto; no OpenAlex key, so OpenAlex is skipped

    assert refused.call_count == 1  # Scholar's refusal stops asking it for the other authors
    assert {key: route.call_count for key, route in pid_routes.items()} == dict.fromkeys(BUNDLED_PIDS, 1)
    for key in BUNDLED_PIDS:
        assert f"{key}: data from dblp (data/raw/dblp/{key}.jsonl)" in result.output, result.output
        assert (workspace / "data" / "raw" / "dblp" / f"{key}.jsonl").is_file()
    assert "OPENALEX_API_KEY is not set" in result.output
    assert not (workspace / "data" / "raw" / "scholar" / "lecun.jsonl").exists()


def test_auto_offline_tries_scholar_then_dblp_and_ends_with_one_error_naming_dblp(workspace):
    # No mock: every host is unreachable, as on an offline machine; the bundled roster's dblp pid is tried.
    result = fetch(workspace, "--author", "hinton")

    assert result.exit_code == 3, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert [line for line in lines if line.startswith("Error:")] == [lines[-1]]
    assert lines[-1].startswith("Error: dblp could not be reached") and "not fetched: hinton" in lines[-1]
    assert any(
        line.startswith("Google Scholar did not serve hinton") and line.endswith("trying dblp.") for line in lines
    )
    assert files_under(workspace / "data" / "raw") == {}
