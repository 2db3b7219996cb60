"""The seminar-style table as a picture (<author>_table.png): Topic | Papers, Total first, clean enough for a slide."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

HEADER_FILL = "#e8edf3"
TOTAL_FILL = "#f5f5f5"
LINE = "#b0b0b0"
ROW_INCHES = 0.34  # the picture grows by one row of this height per topic


def table_size(table: pd.DataFrame) -> tuple[float, float]:
    """Inches of the picture of ``table``: a fixed width, a row of ROW_INCHES per line plus title and header."""
    return 5.0, 1.05 + ROW_INCHES * (len(table) + 1)


def draw_table(ax: Axes, table: pd.DataFrame, title: str, subtitle: str = "") -> None:
    """``table`` (Topic, Count; Total first) drawn as a table with the columns Topic and Papers, the Total row bold.

    ``title`` above it (whose and which years), ``subtitle`` under the title (where the data comes from).
    """
    from matplotlib.table import Table

    from authorstats.render import charts

    ax.set_axis_off()
    rows = [("Topic", "Papers")] + [(str(topic), str(int(count))) for topic, count in table.itertuples(index=False)]
    drawn = Table(ax, loc="upper left", bbox=(0.0, 0.0, 1.0, 1.0))  # type: ignore[arg-type]  # a 4-tuple works
    height = 1 / len(rows)
    for row, (topic, papers) in enumerate(rows):
        bold = row == 0 or topic == "Total"
        fill = HEADER_FILL if row == 0 else TOTAL_FILL if topic == "Total" else "white"
        for col, (text, width, loc) in enumerate(((topic, 0.78, "left"), (papers, 0.22, "right"))):
            cell = drawn.add_cell(row, col, width, height, text=text, loc=loc, facecolor=fill, edgecolor=LINE)
            cell.set_linewidth(0.6)
            cell.PAD = 0.04
            cell.get_text().set_fontsize(12)
            if bold:
                cell.get_text().set_fontweight("bold")
    drawn.auto_set_font_size(False)
    ax.add_table(drawn)
    charts.titled(ax, title, subtitle, size=13)
    fig = charts.figure_of(ax)
    charts.place(ax, left=0.15, right=0.15, top=charts.title_height(fig, title, subtitle, size=13), bottom=0.15)
