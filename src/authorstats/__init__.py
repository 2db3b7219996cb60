"""authorstats: what do these researchers publish about, in these years? The public Python API (docs/library.md).

Every name is imported on first use, so ``import authorstats`` (and the command line's start-up) loads
neither pandas nor matplotlib.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from authorstats.version import __version__ as __version__

# Public name -> (module, attribute): where each name of the API lives.
_API: dict[str, tuple[str, str]] = {
    # configuration and data: the bundled files by default, or your own
    "load_taxonomy": ("authorstats.shell.config_files", "load_taxonomy"),
    "load_roster": ("authorstats.shell.config_files", "load_roster"),
    "load_labels": ("authorstats.shell.config_files", "load_labels"),
    "load_stopwords": ("authorstats.shell.config_files", "load_stopwords"),
    "load_venues": ("authorstats.shell.config_files", "load_venues"),
    "load_reference": ("authorstats.shell.config_files", "load_reference"),
    "snapshot_records": ("authorstats.sources.snapshot", "read_snapshot"),
    "read_export": ("authorstats.shell.importer", "read_export_file"),
    # the pipeline's pure stages
    "compute_report": ("authorstats.analysis.report", "compute_report"),
    "report_options": ("authorstats.shell.report", "report_options"),  # ReportOptions with the bundled word lists
    "classify": ("authorstats.classification.engine", "classify"),
    "classify_frame": ("authorstats.classification.engine", "classify_frame"),  # per partition: docs/scale.md
    "specialisation": ("authorstats.analysis.specialisation", "specialisation"),  # activity index vs a baseline
    "rank_authors": ("authorstats.analysis.expertise", "rank_authors"),  # `who`: authors ranked for a query
    "coauthor_graph": ("authorstats.analysis.network_graph", "report_graph"),  # a ReportData's network (networkx)
    "network_text": ("authorstats.render.network_files", "encode"),  # a graph as GEXF, GraphML or Pajek text
    # the commands' work, on a workspace folder
    "fetch": ("authorstats.shell.fetch", "run"),
    "run_report": ("authorstats.shell.report", "run_report"),
    # values
    "Author": ("authorstats.models", "Author"),
    "Publication": ("authorstats.models", "Publication"),
    "YearWindow": ("authorstats.models", "YearWindow"),
    "Taxonomy": ("authorstats.config.taxonomy", "Taxonomy"),
    "Classification": ("authorstats.classification.engine", "Classification"),
    "ReportData": ("authorstats.analysis.report", "ReportData"),
    "AuthorData": ("authorstats.analysis.report", "AuthorData"),
    "ReportOptions": ("authorstats.analysis.report", "ReportOptions"),
    "ReportRequest": ("authorstats.shell.report", "ReportRequest"),
    "SaveOptions": ("authorstats.shell.report", "SaveOptions"),
    "ReportResult": ("authorstats.shell.report", "ReportResult"),
    "FetchOptions": ("authorstats.shell.fetch_state", "FetchOptions"),
    "FetchReport": ("authorstats.shell.fetch", "RunReport"),
    "Provenance": ("authorstats.analysis.selection", "Provenance"),
    "Reference": ("authorstats.config.reference", "Reference"),
    "Comparison": ("authorstats.analysis.reference", "Comparison"),
    # errors: one root, each with a hint saying how to fix it
    "AuthorstatsError": ("authorstats.errors", "AuthorstatsError"),
    "BadInputError": ("authorstats.errors", "BadInputError"),
    "SourceUnavailableError": ("authorstats.errors", "SourceUnavailableError"),
    "OutputError": ("authorstats.errors", "OutputError"),
    "WorkspaceBusyError": ("authorstats.errors", "WorkspaceBusyError"),
}

__all__ = sorted(_API)


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _API[name]
    except KeyError:
        raise AttributeError(f"module 'authorstats' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value  # the next lookup does not come here
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if TYPE_CHECKING:  # what type checkers and editors see; at run time the names load on first use
    from authorstats.analysis.expertise import rank_authors
    from authorstats.analysis.network_graph import report_graph as coauthor_graph
    from authorstats.analysis.reference import Comparison
    from authorstats.analysis.report import AuthorData, Provenance, ReportData, ReportOptions, compute_report
    from authorstats.analysis.specialisation import specialisation
    from authorstats.classification.engine import Classification, classify, classify_frame
    from authorstats.config.reference import Reference
    from authorstats.config.taxonomy import Taxonomy
    from authorstats.errors import (
        AuthorstatsError,
        BadInputError,
        OutputError,
        SourceUnavailableError,
        WorkspaceBusyError,
    )
    from authorstats.models import Author, Publication, YearWindow
    from authorstats.render.network_files import encode as network_text
    from authorstats.shell.config_files import (
        load_labels,
        load_reference,
        load_roster,
        load_stopwords,
        load_taxonomy,
        load_venues,
    )
    from authorstats.shell.fetch import RunReport as FetchReport
    from authorstats.shell.fetch import run as fetch
    from authorstats.shell.fetch_state import FetchOptions
    from authorstats.shell.importer import read_export_file as read_export
    from authorstats.shell.report import ReportRequest, ReportResult, SaveOptions, report_options, run_report
    from authorstats.sources.snapshot import read_snapshot as snapshot_records
