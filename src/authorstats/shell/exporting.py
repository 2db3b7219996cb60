"""`authorstats export`: the window's works of the workspace (or the bundled snapshot) as BibTeX, RIS, CSL JSON
or CSV, classified as `report` classifies them; reads the workspace, writes only the file it is given."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from authorstats.shell import store

if TYPE_CHECKING:
    from authorstats.config.taxonomy import Taxonomy
    from authorstats.config.venues import VenueAliases
    from authorstats.models import Author, YearWindow
    from authorstats.render.export import Work


def window_works(
    workspace: store.Workspace, authors: Sequence[Author], taxonomy: Taxonomy, window: YearWindow, venues: VenueAliases
) -> list[Work]:
    """The works `report` would count for ``authors`` in ``window``, each once, with the topic it gives them
    (manual labels in data/labels.csv applied)."""
    from authorstats.analysis.report import ReportOptions, compute_report
    from authorstats.analysis.works import distinct_works
    from authorstats.render import export
    from authorstats.shell import config_files
    from authorstats.shell.report import read_records

    gathered = read_records(workspace, authors)
    labels = config_files.load_labels(workspace.labels, taxonomy.names)
    data = compute_report(
        gathered.records,
        roster=authors,
        taxonomy=taxonomy,
        years=window,
        labels=labels,
        options=ReportOptions(clouds=False, venues=venues),
        sources=gathered.sources,
    )
    return export.works(distinct_works(data.publications), {a.key: a.name for a in authors}, venues)


def export_text(items: Sequence[Work], fmt: str) -> str:
    """The works as the text of one file in ``fmt`` (bibtex, ris, csljson or csv)."""
    from authorstats.render import export

    if fmt == "csv":
        from authorstats.shell.csv_files import csv_text  # spreadsheet-safe: no cell runs as a formula

        return csv_text(export.table(items))
    return export.encode(items, fmt)


def write_export(text: str, output: Path) -> Path:
    """Write the export to ``output`` (whole or not at all; a link, FIFO or /dev/stdout written through)."""
    return store.write_output_text(output, text)
