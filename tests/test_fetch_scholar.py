"""`authorstats fetch` from Google Scholar, offline: Scholar's pages served by respx from fixtures."""

from __future__ import annotations

import json
import math
import threading
from importlib.metadata import version
from pathlib import Path

import httpx
import pytest
import respx
from conftest import files_under
from scholar_pages import HINTON, Row, ScholarProfile, fixture, render_profile, row_html, spread
from typer.testing import CliRunner

from authorstats.cli import app
from authorstats.errors import BadInputError
from authorstats.models import Author, Publication, YearWindow
from authorstats.shell import fetch, store
from authorstats.sources import Deadline, Page, Source, SourceRefused, scholar

runner = CliRunner()
SCHOLAR = "https://scholar.google.com"
LIST = {"view_op": "list_works"}
DETAIL = {"view_op": "view_citation"}
W2122 = YearWindow(2021, 2022)
HINTON_AUTHOR = Author(key="hinton", name="Geoffrey Hinton", scholar_id=HINTON)
WAYS_OUT = ("--proxy", "SCRAPERAPI_KEY", "--source", "authorstats report", "bundled snapshot")


@pytest.fixture(autouse=True)
def sleeps(monkeypatch) -> list[float]:
    """Polite pauses are recorded instead of slept."""
    recorded: list[float] = []
    monkeypatch.setattr(scholar, "polite_sleep", recorded.append)
    return recorded


@pytest.fixture
def mock():
    with respx.mock(assert_all_called=False) as router:
        yield router


def list_route(mock, handler=None, **response):
    route = mock.get(url__startswith=f"{SCHOLAR}/citations", params__contains=LIST)
    if handler is not None:
        route.side_effect = handler
    else:
        route.return_value = httpx.Response(**({"status_code": 200} | response))
    return route


def source(**kwargs) -> scholar.ScholarSource:
    return scholar.ScholarSource(httpx.Client(follow_redirects=False), **kwargs)


def fetch_cli(workspace: Path, *args: str, env: dict | None = None, source: str | None = "scholar"):
    """``authorstats fetch`` with ``--source scholar`` (``source=None``: the command's default)."""
    chosen = ["--source", source] if source and "--source" not in args else []
    return runner.invoke(app, ["fetch", "--workspace", str(workspace), *chosen, *args], env=env)


def one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    return lines[0]


# --- reading profile pages -----------------------------------------------------------------


def test_profile_page_gives_the_window_rows_with_titles_decoded(mock):
    route = list_route(mock, html=fixture("profile.html"))
    src = source()
    records = list(src.fetch(HINTON_AUTHOR, W2122))

    assert [r.title for r in records] == [
        "The forward\u2013forward algorithm: \u201cpositive\u201d & <negative> passes",
        "Réseaux neuronaux — Über λ-Kalkül & «représentations» 表現学習",
        "How to represent part-whole hierarchies in a neural network",
    ]
    assert [r.year for r in records] == [2022, 2021, 2021]
    part_whole = records[2]
    assert part_whole.venue == "Neural Computation 35 (3), 413-452, 2021"
    assert part_whole.citations == 420
    assert part_whole.source_id == f"{HINTON}:u-x6o8ySG0sC"
    assert part_whole.source == "scholar" and part_whole.author == "hinton" and part_whole.fetched_at
    assert records[1].citations == 0  # an empty "Cited by" cell
    assert route.call_count == 1 and src.requests == 1
    request = route.calls[0].request
    assert request.url.params["user"] == HINTON and request.url.params["sortby"] == "pubdate"


def test_entries_without_a_year_are_left_out_and_do_not_stop_paging(mock):
    rows = [Row(f"Dated {n}", 2022) for n in range(120)] + [Row(f"Undated {n}", None) for n in range(100)]
    profile = ScholarProfile(rows)
    list_route(mock, profile.handler)

    records = list(source().fetch(HINTON_AUTHOR, W2122))

    assert len(records) == 120 and all(r.year == 2022 for r in records)
    assert profile.cstarts == [0, 100, 200]  # undated-only pages say nothing about the window


def test_a_thousand_publications_2010_2026_cost_exactly_four_requests(mock, sleeps):
    counts = {2026: 20, 2025: 70, 2024: 70, 2023: 65, 2022: 60, 2021: 68}
    counts |= {year: 58 + (year < 2019) for year in range(2010, 2021)}  # 9 x 59 + 2 x 58 = 647
    assert sum(counts.values()) == 1000
    profile = ScholarProfile(spread(counts))
    route = list_route(mock, profile.handler)
    src = source()

    records = list(src.fetch(HINTON_AUTHOR, W2122))

    since_start = sum(n for year, n in counts.items() if year >= 2021)  # 353
    assert route.call_count == src.requests == 4
    assert route.call_count <= 1 + math.ceil(since_start / 100)
    assert profile.cstarts == [0, 100, 200, 300]  # never the remaining 600 publications
    assert len(records) == 60 + 68 and {r.year for r in records} == {2021, 2022}
    assert len(sleeps) == 3 and all(1.0 <= s <= 2.0 for s in sleeps)  # a polite pause between requests


def test_window_boundary_exactly_at_a_page_end(mock):
    # 300 publications since 2021 fill pages 0-2 exactly; only page 3's first row shows 2020.
    profile = ScholarProfile(spread({2022: 150, 2021: 150, 2020: 150}))
    route = list_route(mock, profile.handler)

    records = list(source().fetch(HINTON_AUTHOR, W2122))

    assert len(records) == 300
    assert profile.cstarts == [0, 100, 200, 300]
    assert route.call_count == 1 + math.ceil(300 / 100)


def test_paging_stops_at_the_last_page(mock):
    profile = ScholarProfile(spread({2022: 130, 2021: 120}))
    list_route(mock, profile.handler)

    records = list(source().fetch(HINTON_AUTHOR, W2122))

    assert len(records) == 250 and profile.cstarts == [0, 100, 200]


def test_a_window_before_the_newest_years_skips_them(mock):
    profile = ScholarProfile(spread({2024: 150, 2023: 40, 2019: 30}))
    list_route(mock, profile.handler)

    records = list(source().fetch(HINTON_AUTHOR, YearWindow(2023, 2023)))

    assert len(records) == 40 and profile.cstarts == [0, 100]


def test_a_moved_profile_is_followed_and_its_new_id_recorded(mock, workspace):
    moved = "NEWidAAAAAAJ"
    mock.get(url__startswith=f"{SCHOLAR}/citations", params__contains={"user": HINTON}).return_value = httpx.Response(
        302, headers={"Location": f"/citations?hl=en&user={moved}&view_op=list_works&sortby=pubdate&pagesize=100"}
    )
    mock.get(url__startswith=f"{SCHOLAR}/citations", params__contains={"user": moved}).return_value = httpx.Response(
        200, html=fixture("profile.html").replace(HINTON, moved)
    )

    report = fetch.run(store.Workspace(workspace), [HINTON_AUTHOR], W2122, source=source(), echo=lambda line: None)

    assert report.done == 1
    entry = json.loads(store.Workspace(workspace).manifest_file("scholar").read_text())["authors"]["hinton"]
    assert entry["profile_id"] == moved and entry["requests"] == 2


# --- output, manifest and cache --------------------------------------------------------------


def test_fetch_writes_records_and_manifest(mock, workspace):
    list_route(mock, html=fixture("profile.html"))

    result = fetch_cli(workspace, "--author", "hinton")

    assert result.exit_code == 0, result.output
    assert "hinton: done, 3 publications in 2021-2022 (1 request)" in result.stderr
    assert "1 done, 0 cached, 0 failed" in result.stderr
    ws = store.Workspace(workspace)
    records = list(store.read_jsonl(ws.raw_file("scholar", "hinton")))
    assert [r.year for r in records] == [2022, 2021, 2021]
    assert {r.source for r in records} == {"scholar"}
    raw_line = json.loads(ws.raw_file("scholar", "hinton").read_text(encoding="utf-8").splitlines()[0])
    assert {"title", "year", "venue", "citations", "source_id", "source", "fetched_at"} <= set(raw_line)
    entry = json.loads(ws.manifest_file("scholar").read_text())["authors"]["hinton"]
    assert entry["profile_id"] == HINTON and entry["name"] == "Geoffrey Hinton"
    assert entry["window"] == "2021-2022" and entry["requests"] == 1 and entry["records"] == 3
    assert entry["scholarly_version"] == version("scholarly") and entry["fetched_at"]
    assert entry["via"] == "direct" and entry["details"] is False
    assert not (ws.raw / "scholar" / ".partial").exists()


def test_second_fetch_is_cached_and_refresh_fetches_again(mock, workspace):
    route = list_route(mock, html=fixture("profile.html"))
    assert fetch_cli(workspace, "--author", "hinton").exit_code == 0
    raw = store.Workspace(workspace).raw_file("scholar", "hinton")
    first = raw.read_bytes()

    again = fetch_cli(workspace, "--author", "hinton")

    assert again.exit_code == 0
    assert route.call_count == 1  # no request at all
    assert "hinton: cached, 3 publications in 2021-2022" in again.stderr and "0 done, 1 cached" in again.stderr
    assert raw.read_bytes() == first

    refreshed = fetch_cli(workspace, "--author", "hinton", "--refresh")
    assert refreshed.exit_code == 0 and route.call_count == 2 and "hinton: done" in refreshed.stderr


def test_cache_is_not_used_when_too_old_or_for_another_window(mock, workspace):
    route = list_route(mock, html=fixture("profile.html"))
    assert fetch_cli(workspace, "--author", "hinton").exit_code == 0
    manifest = store.Workspace(workspace).manifest_file("scholar")
    data = json.loads(manifest.read_text())
    data["authors"]["hinton"]["fetched_at"] = "2020-01-01T00:00:00+00:00"
    manifest.write_text(json.dumps(data))

    assert fetch_cli(workspace, "--author", "hinton").exit_code == 0
    assert route.call_count == 2
    assert fetch_cli(workspace, "--author", "hinton", "--years", "2021").exit_code == 0
    assert route.call_count == 3
    assert fetch_cli(workspace, "--author", "hinton", "--years", "2021", "--max-age", "0").exit_code == 0
    assert route.call_count == 4


# --- refusals ------------------------------------------------------------------------------


LOGIN = "https://accounts.google.com/ServiceLogin?continue=https://scholar.google.com/citations%3Fuser%3DJicYPdAAAAAJ"
SORRY = "https://www.google.com/sorry/index?continue=https://scholar.google.com/citations&q=EgQ"
REFUSALS = {
    "429": (httpx.Response(429, text="Too Many Requests"), "too many requests (HTTP 429)"),
    "403": (httpx.Response(403, html="<html><body>Forbidden</body></html>"), "access denied (HTTP 403)"),
    "login redirect": (httpx.Response(302, headers={"Location": LOGIN}), "sign-in page (accounts.google.com)"),
    "unusual traffic redirect": (httpx.Response(302, headers={"Location": SORRY}), '"unusual traffic" page'),
    "unusual traffic page": (httpx.Response(429, html=fixture("sorry.html")), '"unusual traffic" page (HTTP 429)'),
    "captcha": (httpx.Response(200, html=fixture("captcha.html")), "asks for a CAPTCHA"),
    "server error": (httpx.Response(503, html="<html>Service Unavailable</html>"), "server error (HTTP 503)"),
}


def _assert_refusal_line(result, cause: str, workspace: Path, before: dict) -> None:
    assert result.exit_code == 3, result.output
    line = one_line(result.output)
    assert line.startswith("Error: Google Scholar") and cause in line
    assert "not fetched: hinton" in line
    for way_out in WAYS_OUT:
        assert way_out in line
    assert "Traceback" not in result.output
    assert files_under(workspace / "data" / "raw") == before


@pytest.fixture
def earlier_data(workspace) -> dict:
    """data/raw as an earlier run left it: a refused run must not touch it."""
    ws = store.Workspace(workspace)
    store.write_jsonl(
        ws.raw_file("scholar", "hinton"), [Publication(author="hinton", title="Kept", year=2019, source="scholar")]
    )
    store.write_json(ws.manifest_file("scholar"), {"source": "scholar", "authors": {}})
    return files_under(ws.raw)


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_each_refusal_ends_at_once_in_one_line_with_the_ways_out(case, mock, workspace, earlier_data, sleeps):
    response, cause = REFUSALS[case]
    route = mock.get(url__startswith=f"{SCHOLAR}/citations")
    route.return_value = response
    other_hosts = mock.get(url__regex=r"https://(accounts|www)\.google\.com/.*")

    result = fetch_cli(workspace, "--author", "hinton", "--refresh")

    _assert_refusal_line(result, cause, workspace, earlier_data)
    assert route.call_count == 1 and other_hosts.call_count == 0  # no retry, no following
    assert sleeps == []


def test_offline_ends_with_one_line(workspace, earlier_data, tmp_path):
    # No mock: the test network guard fails the DNS lookup, as an offline machine does. The
    # command's default source, as in `authorstats fetch --author hinton`, for an author with only a
    # Scholar id (the bundled roster's ids lead on to dblp: tests/test_seminar_roster.py).
    roster = tmp_path / "roster.toml"
    roster.write_text(f'[[author]]\nkey = "hinton"\nname = "Geoffrey Hinton"\nscholar = "{HINTON}"\n', encoding="utf-8")
    result = fetch_cli(workspace, "--author", "hinton", "--refresh", "--roster", str(roster), source=None)

    _assert_refusal_line(result, "scholar.google.com could not be looked up", workspace, earlier_data)


def test_a_request_timeout_is_a_refusal(mock, workspace, earlier_data):
    list_route(mock).side_effect = httpx.ConnectTimeout("timed out")

    result = fetch_cli(workspace, "--author", "hinton", "--refresh")

    _assert_refusal_line(result, "no answer within", workspace, earlier_data)


def test_a_request_that_hangs_is_cut_at_the_deadline(mock, workspace):
    release = threading.Event()

    def hang(request):
        release.wait(10)
        return httpx.Response(200, html=fixture("profile.html"))

    list_route(mock, hang)
    try:
        result = fetch_cli(workspace, "--author", "hinton", "--deadline", "0.2")
    finally:
        release.set()

    assert result.exit_code == 3
    assert "did not answer within the --deadline of 0.2 s" in one_line(result.output)
    assert not store.Workspace(workspace).raw.exists()


def test_a_refusal_stops_requests_for_the_other_authors(mock, workspace):
    route = mock.get(url__startswith=f"{SCHOLAR}/citations")
    route.return_value = httpx.Response(429)

    result = fetch_cli(workspace)  # the three authors of the bundled roster

    assert result.exit_code == 3 and route.call_count == 1
    line = one_line(result.output)
    assert "too many requests" in line and "not fetched: bengio, lecun, hinton" in line


def test_one_author_failing_does_not_stop_the_others(mock, workspace):
    mock.get(
        url__startswith=f"{SCHOLAR}/citations", params__contains={"user": "kukA0LcAAAAJ"}
    ).return_value = httpx.Response(404, html="<html>Not Found</html>")
    for user in ("WLN3QrAAAAAJ", HINTON):
        mock.get(url__startswith=f"{SCHOLAR}/citations", params__contains={"user": user}).return_value = httpx.Response(
            200, html=fixture("profile.html").replace(HINTON, user)
        )

    result = fetch_cli(workspace)

    assert result.exit_code == 4
    assert "bengio: failed: Google Scholar has no profile kukA0LcAAAAJ (HTTP 404)" in result.stderr
    assert "lecun: done" in result.stderr and "hinton: done" in result.stderr
    assert "2 done, 0 cached, 1 failed" in result.stderr
    ws = store.Workspace(workspace)
    assert ws.raw_file("scholar", "lecun").is_file() and not ws.raw_file("scholar", "bengio").exists()


def test_cached_authors_still_count_when_google_refuses(mock, workspace):
    route = list_route(mock, html=fixture("profile.html"))
    assert fetch_cli(workspace, "--author", "hinton").exit_code == 0
    route.return_value = httpx.Response(403)

    result = fetch_cli(workspace, "--author", "hinton", "--author", "lecun")

    assert result.exit_code == 4
    assert "hinton: cached" in result.stderr and "lecun: failed: Google Scholar refused" in result.stderr
    assert "0 done, 1 cached, 1 failed" in result.stderr


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, message",
    [
        (["--years", "2022-2021"], "starts after it ends"),
        (["--author", "nobody"], "unknown author 'nobody'"),
        (["--source", "bing"], "unknown source 'bing'. Use auto (the default) or one of: dblp, openalex, scholar"),
        (["--proxy", "not a proxy"], "is not a proxy URL"),
        (["--deadline", "0"], "not a positive number of seconds"),
        (["--max-age", "-1"], "is negative"),
    ],
)
def test_bad_input_exits_2_in_one_line(args, message, workspace):
    result = fetch_cli(workspace, *args)

    assert result.exit_code == 2
    assert message in one_line(result.output) and "Traceback" not in result.output


def test_an_author_without_a_scholar_id_is_bad_input(workspace, tmp_path):
    roster = tmp_path / "roster.toml"
    roster.write_text('[[author]]\nkey = "ada"\nname = "Ada Lovelace"\n', encoding="utf-8")

    result = fetch_cli(workspace, "--roster", str(roster))

    assert result.exit_code == 2
    assert "ada has no Google Scholar id in the roster" in one_line(result.output)


# --- resume --------------------------------------------------------------------------------


class StepClock:
    """A clock that moves only when told to: each served page takes ``step`` seconds."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_run_stopped_by_the_deadline_resumes_where_it_stopped(mock, workspace, tmp_path):
    rows = spread({2022: 150, 2021: 150, 2020: 10})
    profile = ScholarProfile(rows)
    clock = StepClock()

    def slow_pages(request):
        clock.now += 20  # each page takes 20 s of a 30 s deadline
        return profile.handler(request)

    list_route(mock, slow_pages)
    ws = store.Workspace(workspace)
    stopped = fetch.run(
        ws, [HINTON_AUTHOR], W2122, source=source(deadline=Deadline(30, clock=clock)), echo=lambda line: None
    )

    assert stopped.failed == 1 and "stopped at the --deadline of 30 s" in str(stopped.results[0].error)
    assert profile.cstarts == [0, 100]
    assert not ws.raw_file("scholar", "hinton").exists()
    assert len(list(store.read_jsonl(ws.partial_file("scholar", "hinton")))) == 200

    resumed = fetch.run(ws, [HINTON_AUTHOR], W2122, source=source(), echo=lambda line: None)

    assert resumed.done == 1 and profile.cstarts == [0, 100, 200, 300]  # only the pages still missing
    records = list(store.read_jsonl(ws.raw_file("scholar", "hinton")))
    assert [r.title for r in records] == [r.title for r in rows[:300]]
    assert json.loads(ws.manifest_file("scholar").read_text())["authors"]["hinton"]["requests"] == 4
    assert not ws.partial_file("scholar", "hinton").exists()


def test_a_partial_for_another_window_is_not_resumed(mock, workspace):
    ws = store.Workspace(workspace)
    store.write_jsonl(
        ws.partial_file("scholar", "hinton"), [Publication(author="hinton", title="Stale", year=2019, source="scholar")]
    )
    store.write_json(ws.partial_state("scholar", "hinton"), {"window": "2019", "records": 1, "cursor": "100"})
    list_route(mock, html=fixture("profile.html"))

    report = fetch.run(ws, [HINTON_AUTHOR], W2122, source=source(), echo=lambda line: None)

    assert report.done == 1
    assert "Stale" not in ws.raw_file("scholar", "hinton").read_text()


# --- details -------------------------------------------------------------------------------


def detail_route(mock, handler=None):
    route = mock.get(url__startswith=f"{SCHOLAR}/citations", params__contains=DETAIL)
    route.side_effect = handler or (lambda request: httpx.Response(200, html=fixture("detail.html")))
    return route


def test_details_fill_each_record_with_one_request(mock, workspace):
    list_route(mock, html=fixture("profile.html"))
    details = detail_route(mock)

    result = fetch_cli(workspace, "--author", "hinton", "--details")

    assert result.exit_code == 0, result.output
    assert details.call_count == 3
    assert "hinton: details" in result.stderr  # the progress bar's label
    records = list(store.read_jsonl(store.Workspace(workspace).raw_file("scholar", "hinton")))
    filled = records[2]
    assert filled.authors == ("Geoffrey Hinton", "Sabour Sara")
    assert filled.venue == "Neural Computation"
    assert filled.abstract.startswith("This paper does not describe a working system.")
    assert filled.extra["details"] == "filled" and filled.extra["venue_line"].startswith("Neural Computation 35")
    assert filled.citations_by_year == ((2021, 60), (2022, 150)) and "cites_per_year" not in filled.extra
    ids = [call.request.url.params["citation_for_view"] for call in details.calls]
    assert ids == [r.source_id for r in records]
    manifest = json.loads(store.Workspace(workspace).manifest_file("scholar").read_text())
    assert manifest["authors"]["hinton"]["details"] is True and manifest["authors"]["hinton"]["requests"] == 4


def test_a_missing_detail_page_keeps_the_listed_record(mock, workspace):
    list_route(mock, html=fixture("profile.html"))
    detail_route(mock, lambda request: httpx.Response(404))

    result = fetch_cli(workspace, "--author", "hinton", "--details")

    assert result.exit_code == 0
    assert "no details for" in result.stderr
    records = list(store.read_jsonl(store.Workspace(workspace).raw_file("scholar", "hinton")))
    assert {r.extra["details"] for r in records} == {"unavailable"} and records[2].venue.startswith(
        "Neural Computation 35"
    )


def test_interrupted_details_resume_where_they_stopped(mock, workspace):
    list_pages = list_route(mock, html=fixture("profile.html"))
    served = []

    def interrupt_second(request):
        served.append(request.url.params["citation_for_view"])
        if len(served) == 2:
            raise KeyboardInterrupt
        return httpx.Response(200, html=fixture("detail.html"))

    detail_route(mock, interrupt_second)
    ws = store.Workspace(workspace)

    interrupted = fetch_cli(workspace, "--author", "hinton", "--details")

    assert interrupted.exit_code == 130
    assert not ws.raw_file("scholar", "hinton").exists()
    kept = list(store.read_jsonl(ws.partial_file("scholar", "hinton")))
    assert [r.extra.get("details") for r in kept] == ["filled", None, None]

    resumed = fetch_cli(workspace, "--author", "hinton", "--details")

    assert resumed.exit_code == 0, resumed.output
    assert list_pages.call_count == 1  # the list was complete: not asked again
    assert served[2:] == served[1:2] + [f"{HINTON}:u-x6o8ySG0sC"]  # only the two records left
    records = list(store.read_jsonl(ws.raw_file("scholar", "hinton")))
    assert all(r.extra["details"] == "filled" for r in records)
    assert "resumed with 3 records kept" in resumed.stderr


# --- scholarly's global state --------------------------------------------------------------


@pytest.mark.slow
def test_importing_scholarly_leaves_the_environment_alone(tmp_path):
    import subprocess
    import sys

    (tmp_path / ".env").write_text("AUTHORSTATS_DOTENV_PROBE=leaked\n", encoding="utf-8")
    code = (
        "import os; from authorstats.sources import scholar; scholar._scholarly(); "
        "print(os.environ.get('AUTHORSTATS_DOTENV_PROBE', 'clean'))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)

    assert out.stdout.strip() == "clean"


def test_a_source_whose_list_is_one_page_is_fetched_in_one_go_and_filtered_to_the_window(workspace):
    class Listed(Source):
        name = "listed"

        def pages(self, author, window, cursor=None):
            records = [
                Publication(author=author.key, title=f"T{y}", year=y, source="listed") for y in (2020, 2021, 2023)
            ]
            return iter([Page(records, None)])

    report = fetch.run(store.Workspace(workspace), [HINTON_AUTHOR], W2122, source=Listed(), echo=lambda line: None)

    assert report.done == 1
    assert [r.year for r in store.read_jsonl(store.Workspace(workspace).raw_file("listed", "hinton"))] == [2021]


def test_details_are_asked_only_of_a_source_that_declares_it_fills_them(workspace):
    class Listed(Source):
        name = "listed"

        def pages(self, author, window, cursor=None):
            return iter([Page([Publication(author=author.key, title="T", year=2021, source="listed")], None)])

    options = fetch.FetchOptions(source="scholar", details=True)
    report = fetch.run(store.Workspace(workspace), [HINTON_AUTHOR], W2122, options, source=Listed())

    assert report.done == 1  # Source.fill would raise NotImplementedError had it been called
    entry = json.loads(store.Workspace(workspace).manifest_file("listed").read_text())["authors"]["hinton"]
    assert entry["details"] is False


def test_the_run_report_decides_the_exit_code_and_the_closing_lines_without_printing():
    refused = SourceRefused("Google Scholar refused: too many requests", "Use a proxy")
    missing = BadInputError("Google Scholar has no profile X (HTTP 404) for bengio", "Check the id")
    said: list[str] = []
    report = fetch.RunReport(source="scholar", window=W2122, out=said.append)

    report.add(fetch.AuthorResult("bengio", "failed", error=missing))
    report.add(fetch.AuthorResult("lecun", "failed", error=refused))
    report.add(fetch.AuthorResult("hinton", "failed", error=refused, note="Google Scholar refused earlier in this run"))

    assert said == [] and report.exit_code == 2  # nobody served: the first failure's code
    assert report.closing_lines() == [
        "lecun: failed: Google Scholar refused: too many requests. Use a proxy.",
        "hinton: failed: Google Scholar refused: too many requests. Use a proxy.",
    ]
    assert str(report.error()) == (
        "Google Scholar has no profile X (HTTP 404) for bengio; not fetched: bengio. Check the id."
    )

    report.add(fetch.AuthorResult("ada", "done", records=3, requests=1))

    assert said == ["ada: done, 3 publications in 2021-2022 (1 request)"]
    assert report.exit_code == 4 and report.error() is None
    assert report.closing_lines() == [
        "bengio: failed: Google Scholar has no profile X (HTTP 404) for bengio. Check the id.",
        "lecun: failed: Google Scholar refused: too many requests. Use a proxy.",
        "hinton: not fetched: Google Scholar refused earlier in this run",
        "fetch 2021-2022 from scholar: 1 done, 0 cached, 3 failed",
    ]


def test_bad_rows_are_skipped_with_a_warning(mock, monkeypatch):
    warnings = []
    monkeypatch.setattr(scholar.log, "warning", lambda msg, *args: warnings.append(msg % args))
    good = row_html(HINTON, Row("Good", 2021), 1)
    broken = good.replace("citation_for_view=", "no_id=").replace("Good", "Broken")
    list_route(mock, html=render_profile([good, broken], more=False))

    records = list(source().fetch(HINTON_AUTHOR, W2122))

    assert [r.title for r in records] == ["Good"]
    assert warnings == ["hinton: skipped 1 row(s) of a Scholar list page that had no title or publication id"]


def test_a_page_that_is_not_a_profile_is_explained(mock):
    list_route(mock, html="<html><body><p>Something else entirely</p></body></html>")

    with pytest.raises(Exception) as info:
        list(source().fetch(HINTON_AUTHOR, W2122))

    assert "in a layout authorstats cannot read" in str(info.value)
    assert not isinstance(info.value, (SourceRefused, BadInputError))
