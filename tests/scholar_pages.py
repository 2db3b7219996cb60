"""Google Scholar pages for tests: the fixture HTML, and bigger profiles built on the same markup."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import httpx

FIXTURES = Path(__file__).parent / "fixtures" / "scholar"
HINTON = "JicYPdAAAAAJ"  # the bundled roster's id for hinton


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@dataclass(frozen=True)
class Row:
    title: str
    year: int | None
    venue: str = "Advances in Neural Information Processing Systems 34"
    citations: int | None = 10
    pub_id: str = ""


def row_html(user: str, row: Row, number: int) -> str:
    pub_id = row.pub_id or f"p{number:010d}C"
    cites = (
        (
            f'<a href="https://scholar.google.com/scholar?oi=bibs&amp;hl=en&amp;cites={9000000000 + number}" '
            f'class="gsc_a_ac gs_ibl">{row.citations}</a>'
        )
        if row.citations
        else '<a href="" class="gsc_a_ac gs_ibl"></a>'
    )
    year = "" if row.year is None else str(row.year)
    year_suffix = f'<span class="gs_oph">, {year}</span>' if year else ""
    return (
        f'<tr class="gsc_a_tr"><td class="gsc_a_t"><a href="/citations?view_op=view_citation&amp;hl=en&amp;'
        f'user={user}&amp;pagesize=100&amp;sortby=pubdate&amp;citation_for_view={user}:{pub_id}" '
        f'class="gsc_a_at">{html.escape(row.title)}</a><div class="gs_gray">A Author, B Author</div>'
        f'<div class="gs_gray">{html.escape(row.venue)}{year_suffix}</div></td><td class="gsc_a_c">{cites}</td>'
        f'<td class="gsc_a_y"><span class="gsc_a_h gsc_a_hc gs_ibl">{year}</span></td></tr>'
    )


def render_profile(rows: list[str], *, more: bool, user: str = HINTON) -> str:
    """profile.html with its rows replaced by ``rows`` and the "Show more" button enabled if ``more``."""
    page = fixture("profile.html").replace(HINTON, user)
    page = re.sub(
        r'(<tbody id="gsc_a_b">).*?(</tbody>)', lambda m: m.group(1) + "".join(rows) + m.group(2), page, flags=re.S
    )
    if more:
        page = page.replace(' disabled=""', "")
    return page


def spread(counts: dict[int, int]) -> list[Row]:
    """Rows newest first: ``counts[year]`` publications in each year."""
    rows = []
    for year in sorted(counts, reverse=True):
        rows += [Row(f"Paper {n} of {year}", year) for n in range(counts[year])]
    return rows


class ScholarProfile:
    """Serves one author's profile the way Scholar pages it: 100 rows per request, from ``cstart``.

    Use ``handler`` as a respx side effect; ``cstarts`` lists the pages asked for, in order.
    """

    def __init__(self, rows: list[Row], user: str = HINTON) -> None:
        self.rows = rows
        self.user = user
        self.cstarts: list[int] = []

    def page(self, cstart: int) -> str:
        chunk = self.rows[cstart : cstart + 100]
        html_rows = [row_html(self.user, row, cstart + i) for i, row in enumerate(chunk)]
        return render_profile(html_rows, more=cstart + 100 < len(self.rows), user=self.user)

    def handler(self, request: httpx.Request) -> httpx.Response:
        params = request.url.params
        assert params["user"] == self.user
        assert params["sortby"] == "pubdate" and params["pagesize"] == "100"
        cstart = int(params.get("cstart", "0"))
        self.cstarts.append(cstart)
        return httpx.Response(200, html=self.page(cstart))
