"""Every relative link in README.md and docs/*.md points at a file that exists (and, for a `#heading`, at a
heading of that page), so moving or renaming a page cannot leave a dead link behind."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,}).*?^ {0,3}\1", re.M | re.S)  # fenced code blocks: no links there
CODE = re.compile(r"(`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)\1", re.S)  # inline code spans, within a paragraph
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")  # [text](target) and ![alt](target)
DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M)  # [name]: target
HEADING = re.compile(r"^ {0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.M)
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")  # https:, mailto:, ... : not a file


def _text(page: Path) -> str:
    """The page without its code, where a `[x](y)` is an example, not a link."""
    return CODE.sub("", FENCE.sub("", page.read_text(encoding="utf-8")))


def targets(page: Path) -> list[str]:
    text = _text(page)
    return [t for t in LINK.findall(text) + DEFINITION.findall(text) if t and not SCHEME.match(t)]


def anchors(page: Path) -> set[str]:
    """The `#fragment` of each heading of a Markdown page, as GitHub makes them (a repeated one gets -1, -2, ...)."""
    seen: dict[str, int] = {}
    out = set()
    for heading in HEADING.findall(FENCE.sub("", page.read_text(encoding="utf-8"))):
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "")  # a link in a heading: its text
        slug = re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        out.add(slug if not count else f"{slug}-{count}")
    return out


def test_the_pages_have_links() -> None:
    assert targets(ROOT / "README.md"), "the link check reads no link of README.md: the pattern is broken"
    assert {"exports-authorstats-export", "what-is-guaranteed-about-your-data"} <= anchors(
        ROOT / "docs" / "analyses.md"
    ) | anchors(ROOT / "docs" / "errors.md")


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_relative_links_point_at_files(page: Path) -> None:
    dead = []
    for target in targets(page):
        path, _, fragment = unquote(target).partition("#")
        file = (page.parent / path).resolve() if path else page
        if not file.exists():
            dead.append(f"{target}: no file {file.relative_to(ROOT) if file.is_relative_to(ROOT) else file}")
        elif fragment and file.suffix == ".md" and fragment not in anchors(file):
            dead.append(f"{target}: no heading #{fragment} in {file.relative_to(ROOT)}")
    assert not dead, f"{page.relative_to(ROOT)} links to what does not exist:\n" + "\n".join(dead)
