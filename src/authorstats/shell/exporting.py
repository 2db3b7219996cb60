"""`authorstats export`: the window's works of the workspace (or the bundled snapshot) as BibTeX, RIS, CSL JSON
or CSV, classified as `report` classifies them, or their co-author network as GEXF, GraphML or Pajek; reads the
workspace, writes only the file it is given."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from authorstats.shell import store

if TYPE_CHECKING:
    import networkx as nx

    from authorstats.render.export import Work
    from authorstats.shell.report import ReportRequest


def window_works(workspace: store.Workspace | str | os.PathLike[str], request: ReportRequest) -> list[Work]:
    """The works `report` would count for the request's authors and window, each once, with the topic it gives
    them (manual labels in data/labels.csv applied); no clouds, no comparison."""
    from authorstats.analysis.works import distinct_works
    from authorstats.render import export
    from authorstats.shell.report import prepare, report_data

    ws = workspace if isinstance(workspace, store.Workspace) else store.Workspace(Path(workspace))
    prepared = prepare(dataclasses.replace(request, clouds=False, reference="none"))
    data = report_data(ws, prepared)  # reads only, so it takes no lock
    names = {a.key: a.name for a in prepared.authors}
    return export.works(distinct_works(data.publications), names, prepared.options.venues)


def window_network(workspace: store.Workspace | str | os.PathLike[str], request: ReportRequest) -> nx.Graph:
    """The co-author network of the request's authors in its window, as reports/collaborators.csv has it
    (analysis.network_graph): every roster author and co-author a node, every row an edge."""
    from authorstats.analysis.network_graph import report_graph
    from authorstats.shell.report import prepare, report_data

    ws = workspace if isinstance(workspace, store.Workspace) else store.Workspace(Path(workspace))
    prepared = prepare(dataclasses.replace(request, clouds=False, reference="none"))
    data = report_data(ws, prepared)  # reads only, so it takes no lock
    return report_graph(data)


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
