"""The side-by-side with a reference table as pictures, page parts and Markdown: data in, bytes and text out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from authorstats.render import markdown
from authorstats.render.jobs import Chart, Picture, PictureJob

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.ticker import MaxNLocator

    from authorstats.analysis.reference import AuthorComparison, Comparison
    from authorstats.analysis.report import ReportData

PART = "reference"  # the pictures' part name: <key>_reference.<fmt>
REFERENCE_COLOR, OURS_COLOR = "#bab0ac", "#4e79a7"
NOT_IN_TAXONOMY = "not a topic of the taxonomy"


def draw_reference_bars(
    ax: Axes, rows: Sequence[tuple[str, int, int]], labels: tuple[str, str], title: str, subtitle: str = ""
) -> None:
    """Grouped horizontal bars: per topic (first on top) the reference's count and authorstats' side by side.

    ``rows``: (topic, reference count, authorstats count); ``labels``: the two tables' names for the legend.
    """
    from authorstats.render import charts

    topics = [t for t, _, _ in rows][::-1]
    positions = list(range(len(topics)))
    height = 0.38
    theirs = ax.barh(
        [p + height / 2 for p in positions],
        [r for _, r, _ in rows][::-1],
        height,
        color=REFERENCE_COLOR,
        label=labels[0],
    )
    ours = ax.barh(
        [p - height / 2 for p in positions], [o for _, _, o in rows][::-1], height, color=OURS_COLOR, label=labels[1]
    )
    for bars in (theirs, ours):
        ax.bar_label(bars, padding=3, fontsize=10)
    ax.set_yticks(positions, topics, fontsize=11)
    ax.set_xlabel("papers", fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    ax.margins(x=0.12)
    cast("MaxNLocator", ax.xaxis.get_major_locator()).set_params(integer=True)
    legend = ax.legend(loc="lower right", fontsize=10, frameon=False)
    fig = charts.figure_of(ax)
    left = charts.extent(fig, topics or [""], 11)[0] + 0.22
    room = fig.get_size_inches()[0] - left - charts._PAD  # from the axes' left edge to the picture's right
    title, subtitle = charts.wrapped(fig, title, 14, room), charts.wrapped(fig, subtitle, charts.SUBTITLE_SIZE, room)
    charts.titled(ax, title, subtitle)
    legend.set_loc("lower right")
    charts.place(
        ax,
        left=left,
        right=0.35,
        top=charts.title_height(fig, title, subtitle),
        bottom=charts.extent(fig, ["0123456789"], 10)[1] + charts.extent(fig, ["papers"], 11)[1] + 0.34,
    )


def comparison_pictures(data: ReportData, *, dpi: int = 150, fmt: str = "png") -> list[PictureJob]:
    """One grouped bar chart per author whose reference table has topics."""
    if data.comparison is None:
        return []
    out = []
    sources = {a.author.key: a.source_note for a in data.authors}
    for item in data.comparison.authors:
        if not item.topics:
            continue
        rows = tuple(
            (t.topic if t.in_taxonomy else f"{t.topic} (not in taxonomy)", t.reference, t.ours) for t in item.topics
        )
        title = f"{item.name}, {data.window}: {short_name(data.comparison)} against authorstats"
        counted = (
            f"counted in the taxonomy's {data.comparison.grouping!r} grouping"
            if data.comparison.grouping
            else "counted in the report's topics"
        )
        subtitle = (
            f"Totals {item.reference_total} and {item.ours_total}, {counted}; "
            f"agreement of the topic shares {item.agreement_text}"
        )
        # where each side's numbers come from, as on every chart
        subtitle += f"\n{short_name(data.comparison)}: {data.comparison.name}\nauthorstats: {sources.get(item.key, '')}"
        labels = (f"{short_name(data.comparison)} ({item.reference_total})", f"authorstats ({item.ours_total})")
        out.append(
            PictureJob(
                item.key,
                PART,
                f"{item.key}_reference.{fmt}",
                reference_alt(item, short_name(data.comparison)),
                Chart(draw_reference_bars, (rows, labels, title, subtitle), (8, 2.0 + 0.45 * len(rows)), dpi, fmt),
            )
        )
    return out


def reference_alt(item: AuthorComparison, reference: str) -> str:
    """The grouped bars' alt text: the two totals, the agreement and the largest differences, with numbers."""
    text = (
        f"Grouped bars of {item.name}'s topics, {reference} against authorstats: "
        f"totals {item.reference_total} and {item.ours_total}"
    )
    text += f", agreement {item.agreement_text}"
    differing = sorted((t for t in item.topics if t.ours != t.reference), key=lambda t: -abs(t.ours - t.reference))
    if differing:
        text += "; largest differences: " + ", ".join(f"{t.topic} {t.reference} and {t.ours}" for t in differing[:3])
    return text


def short_name(comparison: Comparison) -> str:
    """The reference as a chart or column names it: "seminar" for the bundled seminar's tables."""
    return "seminar" if "seminar" in comparison.description else "reference"


@dataclass(frozen=True)
class AuthorView:
    """One author's side-by-side as the page shows it."""

    key: str
    name: str
    reference_total: int | None
    ours_total: int
    agreement: str  # "58%", or "" when not comparable
    agreement_taxonomy: str  # in the full taxonomy's topics when compared in a grouping's categories, else ""
    explanation: str
    rows: tuple[tuple[str, int, int, str, bool], ...]  # topic, reference, authorstats, difference (signed), in taxonomy
    picture: Picture | None


@dataclass(frozen=True)
class View:
    """The page's comparison section."""

    description: str
    origin: str
    reference_label: str
    authors: tuple[AuthorView, ...]
    unmatched: tuple[str, ...]
    grouping: str = ""  # the taxonomy's grouping the comparison counts in


def page_view(comparison: Comparison | None, pictures: Mapping[tuple[str, str], Picture]) -> View | None:
    if comparison is None:
        return None
    label = short_name(comparison)
    authors = tuple(
        AuthorView(
            a.key,
            a.name,
            a.reference_total,
            a.ours_total,
            a.agreement_text,
            "" if a.agreement_taxonomy is None else f"{a.agreement_taxonomy:.0%}",
            a.explanation(_named(comparison)),
            tuple((t.topic, t.reference, t.ours, f"{t.difference:+d}", t.in_taxonomy) for t in a.topics),
            pictures.get((a.key, PART)),
        )
        for a in comparison.authors
    )
    return View(comparison.description, comparison.origin, label, authors, comparison.unmatched, comparison.grouping)


def _named(comparison: Comparison) -> str:
    return "the seminar" if short_name(comparison) == "seminar" else "the reference"


def _author_markdown(item: AuthorComparison, comparison: Comparison) -> list[str]:
    label = short_name(comparison)
    out = [f"### {markdown.cell(item.name)}", ""]
    if item.reference_total is not None:
        agreement = item.agreement_text
        rows: list[list[object]] = [
            [markdown.Markdown("**Total**"), item.reference_total, item.ours_total, f"{item.coverage_gap:+d}"]
        ]
        rows += [
            [t.topic if t.in_taxonomy else f"{t.topic} ({NOT_IN_TAXONOMY})", t.reference, t.ours, f"{t.difference:+d}"]
            for t in item.topics
        ]
        both = (
            "" if item.agreement_taxonomy is None else f"; {item.agreement_taxonomy:.0%} in the full taxonomy's topics"
        )
        out += [
            markdown.table(["Topic", label, "authorstats", "Difference"], rows, [False, True, True, True]),
            "",
            f"Agreement of the topic shares: {agreement}{both}.",
            "",
        ]
    out += [markdown.cell(item.explanation(_named(comparison))), ""]
    return out


def markdown_section(comparison: Comparison | None) -> str:
    """summary.md's comparison section ("" without a reference)."""
    if comparison is None:
        return ""
    out = [
        f"## Compared with {markdown.cell(comparison.name)}",
        "",
        f"Reference: {markdown.cell(comparison.origin)}. Agreement = 1 - total variation distance between the "
        "two topic distributions; the totals are compared separately." + grouping_sentence(comparison),
        "",
    ]
    for item in comparison.authors:
        out += _author_markdown(item, comparison)
    if comparison.unmatched:
        out += [f"Not in this report: {markdown.cell(', '.join(comparison.unmatched))}.", ""]
    return "\n".join(out).rstrip() + "\n"


def grouping_sentence(comparison: Comparison) -> str:
    """ " Counted in the categories of the taxonomy's grouping NAME (...)." ("" when compared in the report's
    tables)."""
    if not comparison.grouping:
        return ""
    return (
        f" Counted in the categories of the taxonomy's {comparison.grouping!r} grouping (as `--group-by "
        f"{comparison.grouping}` counts them), each author's topics rolled up into {_named(comparison)}'s "
        "categories; the agreement in the full taxonomy's topics is given too."
    )
