"""The report's CSVs beyond topic counts (co-authors, venues, citations, impact over time, specialisation), each
written whole or not at all, with its header even when a table is empty."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from authorstats.shell import store

if TYPE_CHECKING:
    from authorstats.analysis.report import ReportData


def write_analysis_tables(workspace: store.Workspace, data: ReportData) -> list[Path]:
    """reports/collaborators.csv, venues.csv, impact.csv, impact_by_year.csv, impact_normalised.csv and
    specialisation.csv, and data/processed/name_merges.csv (issues 14, 28)."""
    import pandas as pd

    from authorstats.analysis import collaborators, impact, impact_time, specialisation, venues
    from authorstats.shell.csv_files import csv_text

    def table(frame: pd.DataFrame | None, columns: list[str]) -> str:
        return csv_text(frame if frame is not None else pd.DataFrame(columns=columns))

    collab = data.collaboration
    over = data.impact_over_time
    return [
        store.atomic_write_text(
            workspace.reports / "collaborators.csv", table(collab.table if collab else None, collaborators.COLUMNS)
        ),
        store.atomic_write_text(
            workspace.processed / "name_merges.csv",
            table(collab.merges if collab else None, collaborators.MERGE_COLUMNS),
        ),
        store.atomic_write_text(workspace.reports / "venues.csv", table(data.venues, venues.COLUMNS)),
        store.atomic_write_text(
            workspace.reports / "impact.csv", table(data.impact.table if data.impact else None, impact.COLUMNS)
        ),
        store.atomic_write_text(
            workspace.reports / "impact_by_year.csv",
            table(over.by_year if over else None, impact_time.BY_YEAR_COLUMNS),
        ),
        store.atomic_write_text(
            workspace.reports / "impact_normalised.csv",
            table(over.normalised if over else None, impact_time.NORMALISED_COLUMNS),
        ),
        store.atomic_write_text(
            workspace.reports / "specialisation.csv",
            table(data.specialisation.table if data.specialisation else None, specialisation.COLUMNS),
        ),
    ]
