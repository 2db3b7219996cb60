"""dblp source, offline against recorded-shape XML/JSON: parsing, year filter, pacing, refusals."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import respx

from authorstats.errors import BadInputError, SourceUnavailableError
from authorstats.models import Author, YearWindow
from authorstats.sources import dblp

FIXTURES = Path(__file__).parent / "fixtures" / "dblp"
LECUN = Author(key="lecun", name="Yann LeCun", dblp="l/YannLeCun")
WINDOW = YearWindow(2021, 2022)


class FakeClock:
    """Time that only moves when slept, so pacing is checked without waiting."""

    def __init__(self):
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def client():
    with httpx.Client() as c:
        yield c


def person_xml() -> bytes:
    return (FIXTURES / "person.xml").read_bytes()


@respx.mock
def test_fetch_reads_the_whole_bibliography_in_one_request_and_keeps_the_window(client):
    route = respx.get("https://dblp.org/pid/l/YannLeCun.xml").mock(
        return_value=httpx.Response(200, content=person_xml())
    )
    records = list(dblp.DblpSource(client).fetch(LECUN, WINDOW))
    assert route.call_count == 1
    assert [(r.year, r.venue) for r in records] == [
        (2022, "ICLR"),
        (2021, "CoRR"),
        (2021, "IEEE Trans. Pattern Anal. Mach. Intell."),
    ]
    assert "authorstats/" in route.calls[0].request.headers["User-Agent"]


def test_records_carry_doi_arxiv_and_clean_titles_and_names():
    records = dblp.parse_person(person_xml(), "lecun")
    assert len(records) == 4  # the edited proceedings volume is not the author's paper
    proceedings, corr, journal, old = records
    assert proceedings.title == "VICReg: Variance-Invariance-Covariance Regularization for Self-Supervised Learning"
    assert proceedings.source_id == "https://dblp.org/rec/conf/iclr/BardesPL22"
    assert proceedings.authors == ("Adrien Bardes", "Jean Ponce", "Yann LeCun")
    assert corr.extra["arxiv_id"] == "2105.04906" and corr.extra["publtype"] == "informal"
    assert journal.title == "Learning Sparse Codes with 2-Layer Networks"  # inline markup flattened
    assert journal.doi == "10.1109/tpami.2021.0000000"
    assert journal.authors[0] == "Wei Li"  # dblp's homonym number dropped
    assert old.year == 2020


def test_fetch_spaces_requests_at_least_a_second_apart(client):
    clock = FakeClock()
    source = dblp.DblpSource(client, clock=clock, sleep=clock.sleep)
    with respx.mock:
        respx.get(url__regex=r"https://dblp\.org/pid/.*\.xml").mock(
            return_value=httpx.Response(200, content=person_xml())
        )
        list(source.fetch(LECUN, WINDOW))
        clock.now += 0.25
        list(source.fetch(Author(key="b", name="B", dblp="10/3248"), WINDOW))
    assert clock.sleeps == [pytest.approx(0.75)]


def test_author_without_dblp_id_is_told_to_resolve(client):
    with pytest.raises(BadInputError, match="authors resolve lecun --source dblp"):
        dblp.DblpSource(client).fetch(Author(key="lecun", name="Yann LeCun"), WINDOW)


@respx.mock
def test_unknown_pid_is_bad_input(client):
    respx.get("https://dblp.org/pid/l/Nobody.xml").mock(return_value=httpx.Response(404, text="not found"))
    with pytest.raises(BadInputError, match="dblp has no person l/Nobody"):
        dblp.DblpSource(client).fetch(Author(key="x", name="X", dblp="l/Nobody"), WINDOW)


@respx.mock
def test_429_with_long_retry_after_fails_clearly(client):
    respx.get("https://dblp.org/pid/l/YannLeCun.xml").mock(
        return_value=httpx.Response(429, headers={"Retry-After": "600"}, text="Too Many Requests")
    )
    with pytest.raises(SourceUnavailableError, match="too many requests"):
        list(dblp.DblpSource(client, sleep=lambda s: None).fetch(LECUN, WINDOW))


@respx.mock
def test_html_error_page_instead_of_xml_is_a_source_error(client):
    respx.get("https://dblp.org/pid/l/YannLeCun.xml").mock(
        return_value=httpx.Response(200, text="<html><body>maintenance</body></html>")
    )
    with pytest.raises(SourceUnavailableError, match="instead of a person"):
        list(dblp.DblpSource(client).fetch(LECUN, WINDOW))


@respx.mock
def test_author_search_lists_candidates_with_affiliations(client):
    route = respx.get("https://dblp.org/search/author/api").mock(
        return_value=httpx.Response(200, content=(FIXTURES / "author_search.json").read_bytes())
    )
    found = dblp.DblpSource(client).search_authors("Yann LeCun")
    assert [(c.id, c.affiliation) for c in found] == [
        ("l/YannLeCun", "New York University, Courant Institute, NY, USA"),
        ("99/9999-2", "Example University, France"),
    ]
    assert all(c.works_count is None for c in found)  # dblp's search does not say
    assert route.calls[0].request.url.params["format"] == "json"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("l/YannLeCun", "l/YannLeCun"),
        ("https://dblp.org/pid/10/3248.html", "10/3248"),
        ("https://dblp.org/pid/99/9999-2", "99/9999-2"),
        ("Yann LeCun", ""),
        ("", ""),
    ],
)
def test_normalise_pid(value, expected):
    assert dblp.normalise_pid(value) == expected
