"""OpenAlex cohort fetches, offline against the recorded-shape works pages of tests/fixtures/openalex
(real works of Yann LeCun, with their real co-authors): one OR filter for several authors, works split
back per author by their authorships, per-author files, cache and resume, the rate cap, Retry-After."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import respx

from authorstats.models import Author, YearWindow
from authorstats.shell import cohort_fetch, fetch, store
from authorstats.sources import SourceRefused, openalex

FIXTURES = Path(__file__).parent / "fixtures" / "openalex"
KEY = "secret-test-key-123"
WINDOW = YearWindow(2021, 2022)
LECUN = Author(key="lecun", name="Yann LeCun", openalex="A5000000001")
BARDES = Author(key="bardes", name="Adrien Bardes", openalex="https://openalex.org/A5000000101")
ASSRAN = Author(key="assran", name="Mahmoud Assran", openalex="A5000000103")
NO_ID = Author(key="noid", name="No Id")
WORKS = "https://api.openalex.org/works"


def page(name: str) -> httpx.Response:
    return httpx.Response(200, json=json.loads((FIXTURES / name).read_text(encoding="utf-8")))


def both_pages() -> list[httpx.Response]:
    return [page("works_page1.json"), page("works_page2.json")]


@pytest.fixture
def client():
    with httpx.Client() as c:
        yield c


def source(client, sleeps: list[float] | None = None) -> openalex.OpenAlexSource:
    """A source whose waits are recorded instead of slept."""
    waits = sleeps if sleeps is not None else []
    return openalex.OpenAlexSource(client, KEY, sleep=waits.append)


def titles(records) -> list[str]:
    return [r.title for r in records]


@respx.mock
def test_one_or_filter_asks_for_the_whole_cohort_100_a_page(client):
    route = respx.get(WORKS).mock(side_effect=both_pages())
    pages = list(source(client).cohort_pages([LECUN, BARDES, ASSRAN], WINDOW))
    first, second = (call.request.url.params for call in route.calls)
    assert first["filter"] == "author.id:A5000000001|A5000000101|A5000000103,publication_year:2021-2022"
    assert first["per_page"] == "100" and first["cursor"] == "*" and first["api_key"] == KEY
    assert second["cursor"] == pages[0].cursor and pages[1].cursor is None


@respx.mock
def test_a_work_of_two_cohort_authors_belongs_to_both(client):
    respx.get(WORKS).mock(side_effect=both_pages())
    first, second = source(client).cohort_pages([LECUN, BARDES, ASSRAN], WINDOW)
    vicreg = "VICReg: Variance-Invariance-Covariance Regularization for Self-Supervised Learning"
    assert titles(first.records["lecun"]) == [vicreg, "A Path Towards Autonomous Machine Intelligence"]
    assert titles(first.records["bardes"]) == [vicreg]  # Bardes and LeCun wrote it together
    assert first.records["assran"] == []
    assert [r.author for r in first.records["bardes"]] == ["bardes"]
    assert (
        titles(second.records["assran"])
        == titles(second.records["lecun"])
        == ["Masked Siamese Networks for Label-Efficient Learning"]
    )


@respx.mock
def test_co_authors_outside_the_cohort_get_nothing(client):
    respx.get(WORKS).mock(side_effect=both_pages())
    pages = list(source(client).cohort_pages([BARDES, ASSRAN], WINDOW))
    given = {key: titles(records) for p in pages for key, records in p.records.items() if records}
    assert given == {
        "bardes": ["VICReg: Variance-Invariance-Covariance Regularization for Self-Supervised Learning"],
        "assran": ["Masked Siamese Networks for Label-Efficient Learning"],
    }


def test_a_cohort_larger_than_the_or_limit_is_refused(client):
    many = [Author(key=f"a{i}", name=f"A {i}", openalex=f"A{i + 1}") for i in range(openalex.IDS_PER_REQUEST + 1)]
    with pytest.raises(ValueError):
        source(client).cohort_pages(many, WINDOW)


def test_batches_keep_roster_order_and_the_limit():
    authors = [Author(key=f"a{i}", name=f"A {i}", openalex=f"A{i + 1}") for i in range(250)]
    cut = cohort_fetch.batches(authors, 100)
    assert [len(b) for b in cut] == [100, 100, 50] and [a for b in cut for a in b] == authors


@respx.mock
def test_fetch_writes_each_author_as_if_alone_and_a_second_run_asks_nothing(client, workspace):
    route = respx.get(WORKS).mock(side_effect=both_pages())
    ws = store.Workspace(workspace)
    lines: list[str] = []
    report = fetch.run(
        ws,
        [LECUN, BARDES, ASSRAN],
        WINDOW,
        fetch.FetchOptions(source="openalex"),
        source=source(client),
        echo=lines.append,
    )
    assert route.call_count == 2 and report.done == 3 and report.exit_code == 0
    assert {k: len(list(store.read_jsonl(ws.raw_file("openalex", k)))) for k in ("lecun", "bardes", "assran")} == {
        "lecun": 3,
        "bardes": 1,
        "assran": 1,
    }
    manifest = store.read_json(ws.manifest_file("openalex"))
    assert manifest["authors"]["bardes"]["cohort"] == 3 and manifest["authors"]["bardes"]["requests"] == 2
    assert lines[0] == "lecun: done, 3 publications in 2021-2022 (2 requests shared by a cohort of 3 authors)"
    partial = ws.raw / "openalex" / ".partial"
    assert not partial.exists() or not any(partial.iterdir())

    again = fetch.run(ws, [LECUN, BARDES, ASSRAN], WINDOW, fetch.FetchOptions(source="openalex"), source=source(client))
    assert route.call_count == 2 and again.cached == 3  # a repeated fetch: 0 requests


@respx.mock
def test_an_author_without_an_id_fails_alone_and_the_cohort_is_fetched(client, workspace):
    respx.get(WORKS).mock(side_effect=both_pages())
    report = fetch.run(
        store.Workspace(workspace),
        [NO_ID, LECUN, ASSRAN],
        WINDOW,
        fetch.FetchOptions(source="openalex"),
        source=source(client),
    )
    assert [(r.author, r.status) for r in report.results] == [("noid", "failed"), ("lecun", "done"), ("assran", "done")]
    assert "authors resolve noid" in str(report.results[0].error)


@respx.mock
def test_a_cohort_refused_midway_resumes_at_its_cursor_keeping_the_first_page(client, workspace):
    ws = store.Workspace(workspace)
    route = respx.get(WORKS).mock(side_effect=[page("works_page1.json"), httpx.Response(500)])
    report = fetch.run(ws, [LECUN, BARDES], WINDOW, fetch.FetchOptions(source="openalex"), source=source(client))
    assert report.failed == 2 and isinstance(report.results[0].error, SourceRefused)
    assert not ws.raw_file("openalex", "lecun").exists() and not ws.raw_file("openalex", "bardes").exists()

    route.side_effect = [page("works_page2.json")]
    lines: list[str] = []
    report = fetch.run(
        ws, [LECUN, BARDES], WINDOW, fetch.FetchOptions(source="openalex"), source=source(client), echo=lines.append
    )
    assert report.done == 2 and route.call_count == 3
    cursor = json.loads((FIXTURES / "works_page1.json").read_text(encoding="utf-8"))["meta"]["next_cursor"]
    assert route.calls[-1].request.url.params["cursor"] == cursor  # page 1 is not asked again
    assert len(list(store.read_jsonl(ws.raw_file("openalex", "lecun")))) == 3
    assert "resumed with 3 records kept from an interrupted run" in lines[0]
    partial = ws.raw / "openalex" / ".partial"
    assert not partial.exists() or not any(partial.iterdir())


@respx.mock
def test_a_failed_cohort_request_fails_its_authors_once(client, workspace):
    route = respx.get(WORKS).mock(return_value=httpx.Response(200, json={"meta": {}}))
    report = fetch.run(
        store.Workspace(workspace),
        [LECUN, BARDES],
        WINDOW,
        fetch.FetchOptions(source="openalex"),
        source=source(client),
    )
    assert route.call_count == 1 and report.failed == 2
    assert report.results[0].error is report.results[1].error


@respx.mock
def test_retry_after_is_honoured_in_a_cohort(client):
    route = respx.get(WORKS).mock(
        side_effect=[
            httpx.Response(429, headers={"Retry-After": "3"}, json={"error": "Rate limit exceeded"}),
            page("works_page2.json"),
        ]
    )
    waits: list[float] = []
    (only,) = source(client, waits).cohort_pages([LECUN, ASSRAN], WINDOW)
    assert route.call_count == 2 and 3.0 in waits and len(only.records["assran"]) == 1


@respx.mock
def test_requests_are_spaced_to_the_documented_rate(client):
    respx.get(WORKS).mock(side_effect=both_pages())
    now = [100.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    src = openalex.OpenAlexSource(client, KEY, sleep=sleep, clock=lambda: now[0])
    list(src.cohort_pages([LECUN, BARDES], WINDOW))
    assert waits == [pytest.approx(1 / openalex.REQUESTS_PER_SECOND)]


@respx.mock
def test_the_page_that_completes_meta_count_is_the_last(client):
    full = json.loads((FIXTURES / "works_page1.json").read_text(encoding="utf-8"))
    full["meta"]["count"] = len(full["results"])  # OpenAlex still sends a next_cursor on the last full page
    route = respx.get(WORKS).mock(return_value=httpx.Response(200, json=full))
    (only,) = source(client).cohort_pages([LECUN, BARDES], WINDOW)
    assert only.cursor is None and route.call_count == 1


@respx.mock
def test_cached_authors_stay_out_of_the_cohort(client, workspace):
    ws = store.Workspace(workspace)
    route = respx.get(WORKS).mock(side_effect=both_pages())
    fetch.run(ws, [LECUN], WINDOW, fetch.FetchOptions(source="openalex"), source=source(client))
    assert route.calls[-1].request.url.params["filter"].startswith("author.id:A5000000001,")  # alone: as before

    route.side_effect = both_pages()
    report = fetch.run(
        ws, [LECUN, BARDES, ASSRAN], WINDOW, fetch.FetchOptions(source="openalex"), source=source(client)
    )
    assert [r.status for r in report.results] == ["cached", "done", "done"]
    assert (
        route.calls[-1].request.url.params["filter"] == "author.id:A5000000101|A5000000103,publication_year:2021-2022"
    )
    assert len(list(store.read_jsonl(ws.raw_file("openalex", "bardes")))) == 1
