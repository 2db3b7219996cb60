"""`authorstats slides`: the report of the workspace as a deck (render/slides.py), written whole or not at all,
and as PDF through LibreOffice when asked."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from authorstats.errors import BadInputError, OutputError
from authorstats.shell import store
from authorstats.shell.report import ReportRequest

DECK = "authorstats.pptx"  # under reports/ unless -o says otherwise
CONVERT_SECONDS = 300  # LibreOffice's conversion of a deck; a larger deck than any seen here takes under a minute
LIBREOFFICE = ("soffice", "libreoffice")
INSTALL_LIBREOFFICE = (
    "Install LibreOffice (Debian or Ubuntu: apt-get install libreoffice-impress), or leave --format pdf out"
)


@dataclass(frozen=True)
class SlideOptions:
    """Where the deck goes and how: ``output`` None is reports/authorstats.pptx (.pdf with fmt "pdf")."""

    output: Path | None = None
    template: Path | None = None
    fmt: str = "pptx"  # pptx, or pdf (LibreOffice converts the deck)
    workers: int | None = None  # processes drawing the pictures; None: one per CPU


@dataclass(frozen=True)
class SlidesResult:
    path: Path
    slides: int
    authors_with_slides: int
    authors: int


def held_out_check(taxonomy: object) -> tuple[tuple[int, int], str] | None:
    """How many of the bundled held-out titles the taxonomy tags as labelled (strict), for the methods slide;
    None when the file is not shipped."""
    from importlib import resources

    from authorstats.analysis.evaluate import evaluate
    from authorstats.config.taxonomy import Taxonomy
    from authorstats.shell.csv_files import read_labels_csv

    path = Path(str(resources.files("authorstats") / "data" / "holdout_labels.csv"))
    if not isinstance(taxonomy, Taxonomy) or not path.is_file():
        return None
    result = evaluate(read_labels_csv(path), taxonomy)
    right = round(result.strict * result.count)
    note = f"{result.count} titles (2023+ papers of the three laureates and field classics), never used to tune it"
    return (right, result.count), note


def write_slides(
    workspace: store.Workspace | str | os.PathLike[str],
    request: ReportRequest = ReportRequest(),
    options: SlideOptions = SlideOptions(),
    *,
    bar: Callable[[int, str], AbstractContextManager[Callable[[int], None]]] | None = None,
) -> SlidesResult:
    """The deck of the report `report` would write for ``request`` (the same pipeline: prepare, report_data),
    with its pictures drawn small enough for slides; the file is replaced whole or not at all."""
    from authorstats.render import pictures as drawing
    from authorstats.render import slides
    from authorstats.shell import lock
    from authorstats.shell.painter import Painter
    from authorstats.shell.report import generation_time, package_versions, prepare, report_data

    if options.fmt not in ("pptx", "pdf"):
        raise BadInputError(f"--format {options.fmt!r} is not pptx or pdf", "Use --format pptx or --format pdf")
    ws = workspace if isinstance(workspace, store.Workspace) else store.Workspace(Path(workspace))
    template = _read_template(options.template)
    converter = _libreoffice() if options.fmt == "pdf" else None
    prepared = prepare(request)
    target = options.output or ws.reports / (DECK if options.fmt == "pptx" else Path(DECK).with_suffix(".pdf").name)
    generated = generation_time()
    store.require_workspace(ws)
    with lock.workspace_lock(ws, "slides"):
        data = report_data(ws, prepared, bar)
        shown = slides.PER_AUTHOR_SLIDES_LIMIT
        jobs = drawing.report_pictures(
            data,
            cloud_size=(1600, 900),
            dpi=150,
            fmt="png",
            author_charts="all" if len(data.authors) <= shown else "top40",
        )
        drawn: dict[tuple[str, str], bytes] = {}
        with Painter(options.workers, clouds=data.options.clouds) as painter:
            for job, picture in zip(jobs, painter.draw([j.job for j in jobs])):
                drawn[job.key, job.part] = picture
        held = held_out_check(prepared.taxonomy)
        facts = slides.DeckFacts(
            generated=generated,
            version=package_versions(("authorstats",))["authorstats"],
            taxonomy=request.taxonomy.name if request.taxonomy else "bundled taxonomy",
            held_out=held[0] if held else None,
            held_out_note=held[1] if held else "",
        )
        deck = slides.build_deck(data, drawn, facts, template)
        if converter is None:
            content = deck
        else:
            content = _convert(converter, deck)
        path = _write(target, content, user_named=options.output is not None)
    count = slides.slide_count(deck)
    with_slides = len(data.authors) if len(data.authors) <= shown else min(shown, len(data.overview))
    return SlidesResult(path, count, with_slides, len(data.authors))


def _write(target: Path, content: bytes, *, user_named: bool) -> Path:
    """The deck at ``target``: a path the user named is written as `-o` files are; reports/ atomically."""
    return store.write_output_bytes(target, content) if user_named else store.atomic_write_bytes(target, content)


def _read_template(path: Path | None) -> bytes | None:
    if path is None:
        return None
    try:
        content = Path(path).read_bytes()
    except OSError as exc:
        raise BadInputError(
            f"cannot read the template {path}: {exc.strerror}", "Give a .pptx file that exists"
        ) from None
    if not content.startswith(b"PK"):
        raise BadInputError(
            f"{path} is not a PowerPoint file (.pptx)", "Give a .pptx saved by PowerPoint, Keynote or LibreOffice"
        )
    return content


def _libreoffice() -> str:
    for name in LIBREOFFICE:
        found = shutil.which(name)
        if found:
            return found
    raise BadInputError("--format pdf needs LibreOffice, which is not installed", INSTALL_LIBREOFFICE)


def _convert(program: str, deck: bytes) -> bytes:
    """The PDF LibreOffice makes of ``deck`` (headless, in a scratch folder with its own profile)."""
    with tempfile.TemporaryDirectory(prefix="authorstats-slides-") as scratch:
        folder = Path(scratch)
        source = folder / DECK
        source.write_bytes(deck)
        command = [
            program,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=CONVERT_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            raise OutputError(
                f"LibreOffice did not convert the deck to PDF within {CONVERT_SECONDS} s",
                "Write the deck as .pptx (leave --format pdf out) and export it from your slide tool",
            ) from None
        pdf = source.with_suffix(".pdf")
        if done.returncode != 0 or not pdf.is_file():
            said = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
            raise OutputError(
                f"LibreOffice could not convert the deck to PDF ({said[-1] if said else f'exit {done.returncode}'})",
                "Write the deck as .pptx (leave --format pdf out) and export it from your slide tool",
            )
        return pdf.read_bytes()
