"""Author identity: search a source for a roster entry's person, pick one candidate only when it is
unambiguous (or the user chose it), and write its id into the user's roster file, changing only the
lines of that one ``[[author]]`` table."""

from __future__ import annotations

import copy
import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from authorstats.shell import store
from authorstats.errors import BadInputError, OutputError
from authorstats.models import Author
from authorstats.text import fold
from authorstats.shell.config_files import default_roster_path, load_roster
from authorstats.sources.http import Candidate

SOURCES = ("openalex", "dblp")
FIELD = {"openalex": "openalex", "dblp": "dblp"}  # roster field that holds each source's id
_TABLE = re.compile(r"^\s*\[")
_AUTHOR_TABLE = re.compile(r"^\s*\[\[\s*author\s*\]\]\s*(?:#.*)?$")


@dataclass(frozen=True)
class RosterTarget:
    """The roster file to edit, and the bundled roster to copy there first when it does not exist yet."""

    path: Path
    copy_from: Path | None = None


def roster_target(workspace: store.Workspace, roster: Path | None) -> RosterTarget:
    """The user's roster: ``--roster`` when given, else the workspace's ``authors.toml`` (a copy of the
    bundled roster, made when an id is first written)."""
    if roster is not None:
        return RosterTarget(Path(roster))
    path = workspace.roster
    return RosterTarget(path) if path.exists() else RosterTarget(path, copy_from=default_roster_path())


def find_author(target: RosterTarget, key: str) -> Author:
    authors = load_roster(target.copy_from or target.path)
    for author in authors:
        if author.key == key:
            return author
    where = "the bundled roster" if target.copy_from else f"roster {target.path}"
    raise BadInputError(f"unknown author {key!r} in {where}",
                        f"Use one of {', '.join(sorted(a.key for a in authors))}, or add it to your roster")


def check_source(name: str) -> str:
    if name not in SOURCES:
        raise BadInputError(f"--source {name!r} cannot look up authors", f"Use one of {', '.join(SOURCES)}")
    return name


def choose(candidates: Sequence[Candidate], author: Author, choice: int | None) -> tuple[Candidate | None, str]:
    """The candidate to write and why; (None, "") when the user must choose with --choose N."""
    if not candidates:
        raise BadInputError(f"no candidates found for {author.name!r}",
                            "Check the name's spelling in the roster, or add the id by hand")
    if choice is not None:
        if not 1 <= choice <= len(candidates):
            raise BadInputError(f"--choose {choice} is not in the list", f"Choose a number from 1 to {len(candidates)}")
        return candidates[choice - 1], f"candidate {choice}, as chosen"
    if len(candidates) == 1:
        only = candidates[0]
        if only.by_orcid:
            return only, "the only candidate, found by the roster's ORCID"
        if fold(only.name, punctuation=False) == fold(author.name, punctuation=False):
            return only, "the only candidate, and its name matches the roster exactly"
    return None, ""


def format_candidates(candidates: Sequence[Candidate]) -> list[str]:
    """One numbered line per candidate: id, name, affiliation, works count."""
    lines = []
    for number, c in enumerate(candidates, start=1):
        works = f"{c.works_count} works" if c.works_count is not None else "works: not given by the source"
        parts = [c.name, c.affiliation or "no affiliation given", works]
        if c.orcid:
            parts.append(f"ORCID {c.orcid}")
        lines.append(f"{number:>3}. {c.id:<16} " + " | ".join(parts))
    return lines


def set_roster_value(text: str, key: str, field: str, value: str) -> str:
    """``text`` of a roster with ``field = "value"`` set in the ``[[author]]`` table whose key is ``key``.

    Only that table's ``field`` line changes (or one line is added after its last value); comments,
    order and every other line stay as they were. Raises BadInputError when the table cannot be found.
    """
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    key_line = re.compile(r"^\s*key\s*=\s*([\"'])" + re.escape(key) + r"\1\s*(?:#.*)?$")
    field_line = re.compile(r"^(\s*)" + re.escape(field) + r"\s*=")
    value_line = re.compile(r"^\s*[A-Za-z0-9_-]+\s*=")
    start = None
    for number, line in enumerate(lines + [""]):
        if number == len(lines) or _TABLE.match(line):
            if start is not None:
                block = range(start + 1, number)
                if any(key_line.match(lines[i].rstrip("\r\n")) for i in block):
                    return _edit_block(lines, block, field_line, value_line, field, value, newline)
            start = number if number < len(lines) and _AUTHOR_TABLE.match(line.rstrip("\r\n")) else None
    raise BadInputError(f"found no [[author]] table with key = \"{key}\" to edit",
                        f'Add {field} = "{value}" to that author\'s table by hand')


def _edit_block(lines: list[str], block: range, field_line: re.Pattern, value_line: re.Pattern,
                field: str, value: str, newline: str) -> str:
    new_line = f"{field} = {json.dumps(value)}"
    for i in block:
        match = field_line.match(lines[i])
        if match:
            ending = newline if lines[i].endswith(("\n", "\r")) else ""
            lines[i] = match.group(1) + new_line + ending
            return "".join(lines)
    last = max(i for i in block if value_line.match(lines[i]))
    indent = re.match(r"^(\s*)", lines[last]).group(1)
    if not lines[last].endswith(("\n", "\r")):
        lines[last] += newline
    lines.insert(last + 1, indent + new_line + newline)
    return "".join(lines)


def write_id(target: RosterTarget, key: str, source: str, value: str) -> Path:
    """Write ``value`` as the author's id for ``source`` into the roster file (copying the bundled one first)."""
    field = FIELD[source]
    original = (target.copy_from or target.path).read_text(encoding="utf-8")
    edited = set_roster_value(original, key, field, value)
    _check_only_field_changed(original, edited, key, field, value, target.path)
    store.atomic_write_text(target.path, edited)
    load_roster(target.path)  # the result must still be a valid roster
    return target.path


def _check_only_field_changed(original: str, edited: str, key: str, field: str, value: str, path: Path) -> None:
    """Refuse to write unless the edit changed exactly this author's one field."""
    before = tomllib.loads(original)
    try:
        after = tomllib.loads(edited)
    except tomllib.TOMLDecodeError:
        after = None
    expected = copy.deepcopy(before)
    for entry in expected.get("author", []):
        if isinstance(entry, dict) and entry.get("key") == key:
            entry[field] = value
    if after != expected:
        raise OutputError(f"could not edit {path} safely; it was left unchanged",
                          f'Add {field} = "{value}" to the [[author]] table of {key} by hand')


def search(source: str, author: Author, client, environ: Mapping[str, str] | None = None) -> list[Candidate]:
    """Candidates for ``author`` from ``source`` (OpenAlex tries the ORCID first when the roster has one)."""
    if check_source(source) == "openalex":
        from authorstats.sources import openalex

        return openalex.OpenAlexSource(client, openalex.api_key_from_env(environ)).search_authors(
            author.name, orcid=author.orcid)
    from authorstats.sources import dblp

    return dblp.DblpSource(client).search_authors(author.name)


@dataclass(frozen=True)
class Resolution:
    author: Author
    candidates: list[Candidate]
    chosen: Candidate | None  # None: ambiguous, nothing written
    why: str
    target: RosterTarget


def resolve(workspace: store.Workspace, key: str, source: str, roster: Path | None, choice: int | None,
            client, environ: Mapping[str, str] | None = None) -> Resolution:
    """Search ``source`` for roster author ``key`` and write the id when the choice is clear."""
    check_source(source)
    target = roster_target(workspace, roster)
    author = find_author(target, key)
    candidates = search(source, author, client, environ)
    chosen, why = choose(candidates, author, choice)
    if chosen is not None:
        write_id(target, key, source, chosen.id)
    return Resolution(author, candidates, chosen, why, target)
