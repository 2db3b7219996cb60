"""Author identity: search a source for a roster entry's person, pick one candidate only when it is
unambiguous (or the user chose it), and write its id into the user's roster file with tomlkit, changing
only that field of that one ``[[author]]`` table, under the workspace lock when the file is the workspace's."""

from __future__ import annotations

import contextlib
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import tomlkit
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import Table

from authorstats.config.roster import parse_roster
from authorstats.errors import BadInputError, OutputError
from authorstats.models import Author
from authorstats.shell import lock, store
from authorstats.shell.config_files import default_roster_path, load_roster
from authorstats.sources.http import Candidate
from authorstats.text import fold

if TYPE_CHECKING:
    import httpx

SOURCES = ("openalex", "dblp")
FIELD = {"openalex": "openalex", "dblp": "dblp"}  # roster field that holds each source's id


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
    raise BadInputError(
        f"unknown author {key!r} in {where}",
        f"Use one of {', '.join(sorted(a.key for a in authors))}, or add it to your roster",
    )


def check_source(name: str) -> str:
    if name not in SOURCES:
        raise BadInputError(f"--source {name!r} cannot look up authors", f"Use one of {', '.join(SOURCES)}")
    return name


def choose(candidates: Sequence[Candidate], author: Author, choice: int | None) -> tuple[Candidate | None, str]:
    """The candidate to write and why; (None, "") when the user must choose with --choose N."""
    if not candidates:
        raise BadInputError(
            f"no candidates found for {author.name!r}", "Check the name's spelling in the roster, or add the id by hand"
        )
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

    Edited with tomlkit, which keeps comments, order and layout: an existing ``field`` line is changed in
    place, or one line is added after the table's last value (before any comment or blank line that
    leads to the next table), indented and ended like the lines around it. Raises BadInputError when
    there is no such table.
    """
    try:
        document = tomlkit.parse(text)
    except TOMLKitError as exc:
        raise BadInputError(f"the roster is not valid TOML: {exc}", "Fix the syntax at that line") from None
    entries = document.get("author")
    tables = entries if isinstance(entries, list) else []
    for index, entry in enumerate(tables):
        if isinstance(entry, dict) and str(entry.get("key", "")).strip() == key:
            if field in entry or not isinstance(entry, Table):
                entry[field] = value
            else:
                tables[index] = _with_new_line(entry, field, value, "\r\n" if "\r\n" in text else "\n")
            return tomlkit.dumps(document)
    raise BadInputError(
        f'found no [[author]] table with key = "{key}" to edit',
        f'Add {field} = "{value}" to that author\'s table by hand',
    )


def _with_new_line(table: Table, field: str, value: str, newline: str) -> Table:
    """A copy of ``table`` with ``field = "value"`` on a new line just after its last value."""
    body = table.value.body  # (key, item) pairs; comments and blank lines have no key
    last = max(number for number, (name, _) in enumerate(body) if name is not None)
    line = tomlkit.item(value)
    line.trivia.indent = body[last][1].trivia.indent
    line.trivia.trail = newline
    rebuilt = tomlkit.table()
    for part in ("indent", "comment_ws", "comment", "trail"):  # the [[author]] header line, as it was
        setattr(rebuilt.trivia, part, getattr(table.trivia, part))
    for number, (name, item) in enumerate(body):
        if number == last and not item.trivia.trail.endswith(("\n", "\r")):
            item.trivia.trail += newline  # the file's last line had no line ending
        rebuilt.raw_append(name, item)
        if number == last:
            rebuilt.raw_append(field, line)
    return rebuilt


def write_id(target: RosterTarget, key: str, source: str, value: str, workspace: store.Workspace | None = None) -> Path:
    """Write ``value`` as the author's id for ``source`` into the roster file (copying the bundled one first);
    ``workspace``: the workspace whose own ``authors.toml`` it is (None: a roster the user named).

    The edited text is checked before it replaces the file: it must be a valid roster, and the only
    change a TOML reader sees must be that author's one field.
    """
    field = FIELD[source]
    origin = target.copy_from or target.path
    original = store.read_input_text(origin, "roster file")
    edited = set_roster_value(original, key, field, value)
    _check_only_field_changed(original, edited, key, field, value, target.path)
    store.atomic_write_text(target.path, edited, workspace=workspace)
    return target.path


def _check_only_field_changed(original: str, edited: str, key: str, field: str, value: str, path: Path) -> None:
    """Refuse to write unless the edit is a valid roster that differs from the original in exactly this one field."""
    refused = OutputError(
        f"could not edit {path} safely; it was left unchanged",
        f'Add {field} = "{value}" to the [[author]] table of {key} by hand',
    )
    try:
        after = tomllib.loads(edited)
    except tomllib.TOMLDecodeError:
        raise refused from None
    expected = tomllib.loads(original)
    for entry in expected.get("author", []):
        if isinstance(entry, dict) and str(entry.get("key", "")).strip() == key:
            entry[field] = value
    if after != expected:
        raise refused
    try:
        parse_roster(edited, path)
    except BadInputError as exc:
        raise OutputError(
            f"writing {field} = {value!r} for {key} would make {path} an invalid roster ({exc.message}); "
            "it was left unchanged",
            exc.hint,
        ) from None


def search(
    source: str, author: Author, client: httpx.Client, environ: Mapping[str, str] | None = None
) -> list[Candidate]:
    """Candidates for ``author`` from ``source`` (OpenAlex tries the ORCID first when the roster has one)."""
    if check_source(source) == "openalex":
        from authorstats.sources import openalex

        return openalex.OpenAlexSource(client, openalex.api_key_from_env(environ)).search_authors(
            author.name, orcid=author.orcid
        )
    from authorstats.sources import dblp

    return dblp.DblpSource(client).search_authors(author.name)


@dataclass(frozen=True)
class Resolution:
    author: Author
    candidates: list[Candidate]
    chosen: Candidate | None  # None: ambiguous, nothing written
    why: str
    target: RosterTarget


def resolve(
    workspace: store.Workspace,
    key: str,
    source: str,
    roster: Path | None,
    choice: int | None,
    client: httpx.Client,
    environ: Mapping[str, str] | None = None,
) -> Resolution:
    """Search ``source`` for roster author ``key`` and write the id when the choice is clear.

    Writing the workspace's own roster holds the workspace lock, and decides under it whether the
    bundled roster must be copied first: two runs never both copy it, losing one's id.
    """
    check_source(source)
    target = roster_target(workspace, roster)
    author = find_author(target, key)
    candidates = search(source, author, client, environ)
    chosen, why = choose(candidates, author, choice)
    if chosen is not None:
        with _workspace_lock_for(workspace, target):
            target = roster_target(workspace, roster)
            write_id(target, key, source, chosen.id, workspace if roster is None else None)
    return Resolution(author, candidates, chosen, why, target)


def _workspace_lock_for(workspace: store.Workspace, target: RosterTarget) -> contextlib.AbstractContextManager[object]:
    """The workspace lock when ``target`` is the workspace's ``authors.toml``; a roster elsewhere needs none."""
    if Path(target.path).resolve() != Path(workspace.roster).resolve():
        return contextlib.nullcontext()
    return lock.workspace_lock(workspace, "authors resolve")
