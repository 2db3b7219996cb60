"""The taxonomy as text for the terminal (`authorstats topics`): each topic's name, description and example terms."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

from authorstats.config.groupings import Grouping
from authorstats.config.taxonomy import Taxonomy, Term

EXAMPLES = 6  # terms shown per topic: its strongest ones


@dataclass(frozen=True)
class TopicListing:
    name: str
    description: str
    examples: tuple[str, ...]  # the strongest terms, written as a reader would type them
    terms: int  # how many terms the topic has in all


def readable_term(pattern: str) -> str:
    """A term pattern without regex notation where it has a plain reading: 'generat\\w*' -> 'generat*',
    'gflownets?' -> 'gflownet(s)'; other patterns are shown as written."""
    text = re.sub(r"\\w[*+]", "*", pattern)
    return re.sub(r"([a-z])s\?(?=$|[\s\-|)])", r"\1(s)", text)


def _strongest(terms: tuple[Term, ...], count: int) -> tuple[str, ...]:
    ranked = sorted(enumerate(terms), key=lambda item: (-item[1].weight, item[0]))  # ties: file order
    return tuple(readable_term(term.pattern) for _, term in ranked[:count])


def topic_listing(taxonomy: Taxonomy, examples: int = EXAMPLES) -> list[TopicListing]:
    """One entry per topic, in the taxonomy's order."""
    return [TopicListing(t.name, t.description, _strongest(t.terms, examples), len(t.terms)) for t in taxonomy.topics]


def format_listing(listing: list[TopicListing], source: str, width: int = 80) -> str:
    """The listing as wrapped plain text, headed by where the taxonomy came from (``source``)."""
    width = max(width, 40)
    lines = [f"{len(listing)} topics ({source}):"]
    for item in listing:
        lines.append("")
        lines.append(item.name)
        if item.description:
            lines.extend(
                textwrap.wrap(
                    item.description, width, initial_indent="  ", subsequent_indent="  ", break_on_hyphens=False
                )
            )
        if item.examples:
            more = f" (of {item.terms})" if item.terms > len(item.examples) else ""
            lines.extend(
                textwrap.wrap(
                    f"terms{more}: " + ", ".join(item.examples),
                    width,
                    initial_indent="  ",
                    subsequent_indent="    ",
                    break_on_hyphens=False,
                )
            )
        else:
            lines.append("  terms: none (what no other topic matches)")
    return "\n".join(lines) + "\n"


def format_grouping(grouping: Grouping, source: str, width: int = 80) -> str:
    """One grouping of the taxonomy as wrapped plain text: each category and the topics it takes."""
    width = max(width, 40)
    lines = [f"Grouping {grouping.name} of the {source}: {len(grouping.categories)} categories"]
    if grouping.description:
        lines.extend(textwrap.wrap(grouping.description, width, break_on_hyphens=False))
    for category, topics in grouping.categories:
        lines.append("")
        lines.append(category)
        lines.extend(
            textwrap.wrap(
                "takes: " + ", ".join(topics),
                width,
                initial_indent="  ",
                subsequent_indent="    ",
                break_on_hyphens=False,
            )
        )
    return "\n".join(lines) + "\n"
