"""fetch --source auto: Scholar first; authors it did not serve go on to OpenAlex (with a key), then dblp."""

from __future__ import annotations

from authorstats.models import Author, Publication, YearWindow
from authorstats.shell import fallback, fetch, store
from authorstats.sources import Page, Source, SourceRefused

WINDOW = YearWindow(2021, 2022)
ADA = Author(key="ada", name="Ada Lovelace", scholar_id="AAAAAAAAAAAA", openalex="A1", dblp="a/Ada")
BOB = Author(key="bob", name="Bob Noids", scholar_id="BBBBBBBBBBBB")


class Refusing(Source):
    def __init__(self, name: str):
        self.name = name
        self.asked: list[str] = []

    def pages(self, author, window, cursor=None):
        self.asked.append(author.key)
        raise SourceRefused(f"{self.name} refused", "try later")


class Serving(Source):
    def __init__(self, name: str):
        self.name = name
        self.asked: list[str] = []

    def pages(self, author, window, cursor=None):
        self.asked.append(author.key)
        return iter(
            [
                Page(
                    [Publication(author=author.key, title=f"A paper from {self.name}", year=2021, source=self.name)],
                    None,
                )
            ]
        )


def run(workspace, authors, sources, environ):
    lines: list[str] = []
    report = fallback.run_auto(
        store.Workspace(workspace),
        authors,
        WINDOW,
        fetch.FetchOptions(),
        echo=lines.append,
        environ=environ,
        sources=sources,
    )
    return report, lines


def test_scholar_refusal_moves_authors_with_ids_on_to_openalex(workspace):
    sources = {"scholar": Refusing("scholar"), "openalex": Serving("openalex"), "dblp": Serving("dblp")}
    report, lines = run(workspace, [ADA, BOB], sources, {"OPENALEX_API_KEY": "k"})

    assert sources["openalex"].asked == ["ada"] and sources["dblp"].asked == []  # bob has no other ids
    assert "ada: data from OpenAlex (data/raw/openalex/ada.jsonl)" in lines
    assert any(line.startswith("[openalex] ada: done, 1 publications") for line in lines)
    assert [(r.author, r.status) for r in report.results] == [("ada", "done"), ("bob", "failed")]
    assert str(report).startswith("fetch 2021-2022 from scholar, then openalex: 1 done")
    assert store.Workspace(workspace).raw_file("openalex", "ada").is_file()


def test_without_a_key_openalex_is_skipped_with_the_way_to_get_one_and_dblp_is_tried(workspace):
    sources = {"scholar": Refusing("scholar"), "openalex": Serving("openalex"), "dblp": Serving("dblp")}
    report, lines = run(workspace, [ADA], sources, {})

    assert sources["openalex"].asked == [] and sources["dblp"].asked == ["ada"]
    assert any(
        "OpenAlex skipped for ada: OPENALEX_API_KEY is not set" in line and "openalex.org/settings" in line
        for line in lines
    )
    assert "ada: data from dblp (data/raw/dblp/ada.jsonl)" in lines
    assert report.exit_code == 0


def test_a_second_refusal_goes_on_to_the_last_source(workspace):
    sources = {"scholar": Refusing("scholar"), "openalex": Refusing("openalex"), "dblp": Serving("dblp")}
    report, lines = run(workspace, [ADA], sources, {"OPENALEX_API_KEY": "k"})

    assert "ada: data from dblp (data/raw/dblp/ada.jsonl)" in lines
    assert "Google Scholar and OpenAlex did not serve ada (openalex refused. try later.); trying dblp." in lines


def test_with_nobody_to_move_on_the_run_is_exactly_scholars(workspace):
    sources = {"scholar": Refusing("scholar"), "openalex": Serving("openalex"), "dblp": Serving("dblp")}
    report, lines = run(workspace, [BOB], sources, {"OPENALEX_API_KEY": "k"})

    assert report.source == "scholar" and lines == []
    assert sources["openalex"].asked == sources["dblp"].asked == []


def test_authors_scholar_served_are_not_asked_again(workspace):
    sources = {"scholar": Serving("scholar"), "openalex": Serving("openalex"), "dblp": Serving("dblp")}
    report, _ = run(workspace, [ADA, BOB], sources, {"OPENALEX_API_KEY": "k"})

    assert report.source == "scholar" and report.done == 2
    assert sources["openalex"].asked == sources["dblp"].asked == []
