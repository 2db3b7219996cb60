"""OpenAlex source, offline against recorded-shape JSON: paging, parsing, key handling, refusals."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import respx

from authorstats.errors import BadInputError, SourceUnavailableError
from authorstats.models import Author, YearWindow
from authorstats.shell import store
from authorstats.sources import openalex

FIXTURES = Path(__file__).parent / "fixtures" / "openalex"
KEY = "secret-test-key-123"
LECUN = Author(key="lecun", name="Yann LeCun", openalex="A5000000001")
WINDOW = YearWindow(2021, 2022)


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@pytest.fixture
def client():
    with httpx.Client() as c:
        yield c


def test_missing_key_is_one_bad_input_line_saying_how_to_get_one():
    with pytest.raises(BadInputError) as caught:
        openalex.api_key_from_env({})
    message = str(caught.value)
    assert "OPENALEX_API_KEY" in message and "openalex.org/settings" in message
    assert "\n" not in message


def test_key_is_read_from_the_environment():
    assert openalex.api_key_from_env({"OPENALEX_API_KEY": " abc "}) == "abc"


@respx.mock
def test_fetch_follows_the_cursor_and_filters_years_on_the_server(client):
    route = respx.get("https://api.openalex.org/works").mock(
        side_effect=[
            httpx.Response(200, json=fixture("works_page1.json")),
            httpx.Response(200, json=fixture("works_page2.json")),
        ]
    )
    records = list(openalex.OpenAlexSource(client, KEY).fetch(LECUN, WINDOW))

    assert [r.title for r in records] == [
        "VICReg: Variance-Invariance-Covariance Regularization for Self-Supervised Learning",
        "A Path Towards Autonomous Machine Intelligence",
        "Masked Siamese Networks for Label-Efficient Learning",
    ]
    first, second = (call.request.url.params for call in route.calls)
    assert first["filter"] == "author.id:A5000000001,publication_year:2021-2022"
    assert first["per_page"] == "100" and first["cursor"] == "*" and first["api_key"] == KEY
    assert second["cursor"] == fixture("works_page1.json")["meta"]["next_cursor"]


@respx.mock
def test_impact_fields_come_with_the_same_requests_and_survive_the_raw_file(client, tmp_path):
    """counts_by_year, fwci and citation_normalized_percentile are asked for in the works request's select, so
    fetching them costs no request: two pages, two requests, as before (issue 28)."""
    route = respx.get("https://api.openalex.org/works").mock(
        side_effect=[
            httpx.Response(200, json=fixture("works_page1.json")),
            httpx.Response(200, json=fixture("works_page2.json")),
        ]
    )
    source = openalex.OpenAlexSource(client, KEY)
    vicreg, path, msn = source.fetch(LECUN, WINDOW)

    assert route.call_count == source.requests == 2
    for call in route.calls:
        selected = call.request.url.params["select"].split(",")
        assert {"counts_by_year", "fwci", "citation_normalized_percentile", "cited_by_count"} <= set(selected)
    assert vicreg.citations_by_year == ((2021, 12), (2022, 90), (2023, 150), (2024, 160))  # oldest first
    assert (vicreg.fwci, vicreg.citation_percentile) == (35.21, 0.999)
    assert (path.citations_by_year, path.fwci, path.citation_percentile) == ((), None, None)  # OpenAlex's nulls
    assert (msn.fwci, msn.citation_percentile) == (8.4, 0.871)
    raw = tmp_path / "lecun.jsonl"
    store.write_jsonl(raw, [vicreg, path, msn])
    assert list(store.read_jsonl(raw)) == [vicreg, path, msn]


def test_a_malformed_impact_field_is_left_out_and_the_work_kept():
    work = {**fixture("works_page2.json")["results"][0], "fwci": "n/a", "counts_by_year": [{"year": "x"}]}
    work["citation_normalized_percentile"] = {"value": 7}
    record = openalex.parse_work(work, "lecun")
    assert record is not None and record.title.startswith("Masked Siamese")
    assert (record.citations_by_year, record.fwci, record.citation_percentile) == ((), None, None)


@respx.mock
def test_work_fields_are_mapped(client):
    respx.get("https://api.openalex.org/works").mock(return_value=httpx.Response(200, json=fixture("works_page2.json")))
    (record,) = openalex.OpenAlexSource(client, KEY).fetch(LECUN, WINDOW)
    assert record.source == "openalex" and record.author == "lecun" and record.year == 2022
    assert record.venue.startswith("2022 IEEE/CVF Conference on Computer Vision")
    assert record.authors == ("Mahmoud Assran", "Yann LeCun")
    assert record.citations == 120
    assert record.doi == "10.1109/cvpr52688.2022.00000"
    assert record.source_id == "https://openalex.org/W4200000003"
    assert record.abstract == "We propose Masked Siamese Networks."
    assert record.extra["arxiv_id"] == "2204.07141"  # from the arXiv location, version dropped
    assert record.extra["openalex_primary_topic"]["display_name"] == "Domain Adaptation and Few-Shot Learning"
    assert record.extra["openalex_primary_topic"]["field"] == "Computer Science"
    assert record.fetched_at


def test_abstract_is_rebuilt_in_word_order_with_repeated_words():
    work = fixture("works_page1.json")["results"][0]
    record = openalex.parse_work(work, "lecun")
    assert record.abstract == (
        "Recent self-supervised methods for image representation learning maximize the self-supervised agreement."
    )
    assert record.extra["arxiv_id"] == "2105.04906"  # from the arXiv DOI
    assert record.extra["venue_type"] == "repository"


def test_work_without_abstract_topic_or_venue_still_parses():
    work = fixture("works_page1.json")["results"][1]
    record = openalex.parse_work(work, "lecun")
    assert record.abstract == "" and record.venue == "" and record.doi == ""
    assert "openalex_primary_topic" not in record.extra


def test_author_without_openalex_id_is_told_to_resolve(client):
    with pytest.raises(BadInputError, match="authors resolve lecun --source openalex"):
        openalex.OpenAlexSource(client, KEY).fetch(Author(key="lecun", name="Yann LeCun"), WINDOW)


@respx.mock
def test_429_with_a_short_retry_after_is_waited_for_once(client):
    waits = []
    respx.get("https://api.openalex.org/works").mock(
        side_effect=[
            httpx.Response(429, headers={"Retry-After": "2"}, json=fixture("error_429.json")),
            httpx.Response(200, json=fixture("works_page2.json")),
        ]
    )
    records = list(openalex.OpenAlexSource(client, KEY, sleep=waits.append).fetch(LECUN, WINDOW))
    assert waits == [2.0] and len(records) == 1


@respx.mock
def test_429_with_a_long_retry_after_fails_with_the_services_words_and_no_key(client):
    waits = []
    respx.get("https://api.openalex.org/works").mock(
        return_value=httpx.Response(429, headers={"Retry-After": "86400"}, json=fixture("error_429.json"))
    )
    with pytest.raises(SourceUnavailableError) as caught:
        list(openalex.OpenAlexSource(client, KEY, sleep=waits.append).fetch(LECUN, WINDOW))
    message = str(caught.value)
    assert waits == []
    assert "429" in message and "daily limit" in message and "tomorrow" in message
    assert KEY not in message


@respx.mock
def test_403_is_reported_as_refusal(client):
    respx.get("https://api.openalex.org/works").mock(return_value=httpx.Response(403, text="Forbidden"))
    with pytest.raises(SourceUnavailableError, match="403"):
        list(openalex.OpenAlexSource(client, KEY).fetch(LECUN, WINDOW))


@respx.mock
def test_network_failure_is_a_clear_error_without_the_key(client):
    respx.get("https://api.openalex.org/works").mock(
        side_effect=httpx.ConnectError(f"cannot connect to https://api.openalex.org/works?api_key={KEY}")
    )
    with pytest.raises(SourceUnavailableError) as caught:
        list(openalex.OpenAlexSource(client, KEY).fetch(LECUN, WINDOW))
    assert "could not be reached" in str(caught.value)
    assert KEY not in str(caught.value)


def test_blocked_network_ends_quickly_with_a_clear_error():
    """No respx here: the test set-up blocks the lookup, as a machine without internet would."""
    with httpx.Client(timeout=2) as real_client:
        with pytest.raises(SourceUnavailableError, match="OpenAlex could not be reached"):
            list(openalex.OpenAlexSource(real_client, KEY).fetch(LECUN, WINDOW))


@respx.mock
def test_author_search_by_name_lists_every_candidate(client):
    route = respx.get("https://api.openalex.org/authors").mock(
        return_value=httpx.Response(200, json=fixture("authors_search.json"))
    )
    found = openalex.OpenAlexSource(client, KEY).search_authors("Yann LeCun")
    assert [c.id for c in found] == ["A5000000001", "A5000000002", "A5000000003"]
    assert found[0].affiliation == "New York University; Meta (United States)"
    assert found[0].works_count == 412 and found[1].affiliation == ""
    assert route.calls[0].request.url.params["search"] == "Yann LeCun"


@respx.mock
def test_author_search_by_orcid_gives_the_one_person(client):
    respx.get("https://api.openalex.org/authors/orcid:0000-0002-1825-0097").mock(
        return_value=httpx.Response(200, json=fixture("author_orcid.json"))
    )
    (found,) = openalex.OpenAlexSource(client, KEY).search_authors("Josiah Carberry", orcid="0000-0002-1825-0097")
    assert found.id == "A5000000004" and found.by_orcid and found.orcid == "0000-0002-1825-0097"


@respx.mock
def test_unknown_orcid_falls_back_to_the_name(client):
    respx.get("https://api.openalex.org/authors/orcid:0000-0002-1825-0097").mock(
        return_value=httpx.Response(404, json={"error": "not found"})
    )
    respx.get("https://api.openalex.org/authors").mock(
        return_value=httpx.Response(200, json=fixture("authors_search.json"))
    )
    found = openalex.OpenAlexSource(client, KEY).search_authors("Yann LeCun", orcid="0000-0002-1825-0097")
    assert len(found) == 3 and not any(c.by_orcid for c in found)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("A5000000001", "A5000000001"),
        ("https://openalex.org/A5000000001", "A5000000001"),
        ("a123", "A123"),
        ("W123", ""),
        ("", ""),
    ],
)
def test_short_id(value, expected):
    assert openalex.short_id(value) == expected


@respx.mock
def test_pages_resume_at_a_cursor_and_say_where_the_next_starts(client):
    cursor = fixture("works_page1.json")["meta"]["next_cursor"]
    route = respx.get("https://api.openalex.org/works").mock(
        return_value=httpx.Response(200, json=fixture("works_page2.json"))
    )
    (page,) = openalex.OpenAlexSource(client, KEY).pages(LECUN, WINDOW, cursor=cursor)
    assert route.calls[0].request.url.params["cursor"] == cursor
    assert page.cursor is None and len(page.records) == 1 and page.info == {"openalex": "A5000000001"}


@respx.mock
def test_refusals_stop_the_whole_source_and_an_expired_deadline_sends_nothing(client):
    from authorstats.sources import Deadline, SourceRefused

    route = respx.get("https://api.openalex.org/works").mock(return_value=httpx.Response(403))
    with pytest.raises(SourceRefused):
        list(openalex.OpenAlexSource(client, KEY).fetch(LECUN, WINDOW))
    with pytest.raises(SourceRefused, match="time limit"):
        list(openalex.OpenAlexSource(client, KEY, deadline=Deadline(0)).fetch(LECUN, WINDOW))
    assert route.call_count == 1


def test_open_needs_the_key_and_owns_its_client():
    with pytest.raises(BadInputError, match="OPENALEX_API_KEY"):
        openalex.OpenAlexSource.open(environ={})
    source = openalex.OpenAlexSource.open(environ={"OPENALEX_API_KEY": KEY})
    assert source.requests == 0
    source.close()


def test_cli_fetch_from_openalex_without_a_key_is_one_line_exit_2(workspace):
    from typer.testing import CliRunner

    from authorstats.cli import app

    result = CliRunner().invoke(app, ["fetch", "--source", "openalex", "--author", "lecun", "-w", str(workspace)])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "OPENALEX_API_KEY is not set" in lines[0] and "openalex.org/settings" in lines[0]


def test_cli_fetch_from_openalex_offline_with_a_key_fails_clearly_without_the_key(workspace, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from authorstats.cli import app

    roster = tmp_path / "roster.toml"
    roster.write_text('[[author]]\nkey = "lecun"\nname = "Yann LeCun"\nopenalex = "A5000000001"\n', encoding="utf-8")
    monkeypatch.setenv("OPENALEX_API_KEY", KEY)
    result = CliRunner().invoke(app, ["fetch", "--source", "openalex", "--roster", str(roster), "-w", str(workspace)])
    assert result.exit_code == 3
    assert "OpenAlex could not be reached" in result.output and KEY not in result.output
    assert not (workspace / "data" / "raw" / "openalex" / "lecun.jsonl").exists()
