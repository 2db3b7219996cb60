"""The batch engine's scoring: spec.score of one title's weighted matches, worked out from topic numbers.

``batch.py`` turns titles into lists of (topic index, value, text) matches; a :class:`Scorer` turns one such
list into its :class:`Classification` exactly as ``spec.score`` does (tests/test_classify_spec.py holds it there).
"""

from __future__ import annotations

from authorstats.classification.spec import ABSTRACT, HINTED, NOTHING, Classification, confidence
from authorstats.config.taxonomy import Taxonomy

Match = tuple[int, float, str]  # (topic index, value or weight, matched text)


def _classification(fields: tuple[str, float, tuple[str, ...], tuple[tuple[str, float], ...], float]) -> Classification:
    """Classification(*fields) without the named tuple's __new__, a Python function: a quarter of a result's cost."""
    return tuple.__new__(Classification, fields)


class Scorer:
    """A taxonomy's settings, topic names and boosts, with the powers of its decay and the confidences of the score
    pairs met so far (scores have two decimals, so a few thousand pairs at most; bounded all the same)."""

    def __init__(self, taxonomy: Taxonomy, bound: int) -> None:
        self.settings = settings = taxonomy.settings
        self.names = taxonomy.names
        self.boosts = [t.boost for t in taxonomy.topics]
        self.threshold = settings["threshold"]
        self.strong_score = settings["strong_score"]
        self.powers = [settings["decay"] ** rank for rank in range(16)]  # more matches of a topic: computed
        self.confidences: dict[tuple[float, float], float] = {}
        self.bound = bound

    def decay(self, rank: int) -> float:
        return self.powers[rank] if rank < len(self.powers) else self.settings["decay"] ** rank

    def score(self, matches: list[Match]) -> Classification:
        """spec.score of one list of matches (in title order, then abstract order)."""
        if not matches:
            return NOTHING
        boosts = self.boosts
        if len(matches) == 1:  # one match: its topic's score is its value
            topic_index, value, text = matches[0]
            top_score = round(value * boosts[topic_index], 2)
            if top_score < self.threshold:
                return HINTED
            name = self.names[topic_index]
            return _classification((name, top_score, (text,), ((name, top_score),), self.confidence(top_score, 0.0)))
        per_topic: dict[int, list[Match]] = {}  # in the order each topic is first matched
        for match in matches:
            found = per_topic.get(match[0])
            if found is None:
                per_topic[match[0]] = [match]
            else:
                found.append(match)
        scores = []
        seen = 0
        for topic_index, found in per_topic.items():
            if len(found) == 1:
                total = found[0][1]
            elif len(found) == 2 and found[0][1] > 0.0 and found[1][1] > 0.0:  # the sum below, for two matches
                (_, first, text), (_, other, more) = found
                if first < other:
                    first, other = other, first
                same = text.removesuffix(ABSTRACT) == more.removesuffix(ABSTRACT)
                total = first if same else first + other * self.powers[1]
            else:
                best: dict[str, float] = {}  # a text counts once per topic, at its best weight
                for _, value, text in found:
                    key = text.removesuffix(ABSTRACT)
                    if value > best.get(key, 0.0):
                        best[key] = value
                values = sorted(best.values(), reverse=True)
                total = sum([v * self.decay(rank) for rank, v in enumerate(values)])
            # equal scores: the topic named first in the title wins (the title's own claim), then taxonomy order
            scores.append((-round(total * boosts[topic_index], 2), seen, topic_index))
            seen += 1
        if seen > 1:
            scores.sort()
        threshold = -self.threshold
        names = self.names
        kept = tuple([(names[t], -s) for s, _, t in scores if s <= threshold])
        if not kept:
            return HINTED  # terms matched, none reached the threshold
        top_index = scores[0][2]
        top_score = kept[0][1]
        second = -scores[1][0] if seen > 1 else 0.0
        found = per_topic[top_index]
        evidence = (found[0][2],) if len(found) == 1 else tuple(dict.fromkeys([m[2] for m in found]))
        return _classification((names[top_index], top_score, evidence, kept, self.confidence(top_score, second)))

    def confidence(self, top: float, second: float) -> float:
        """spec.confidence, once per pair of scores."""
        known = self.confidences.get((top, second))
        if known is None:
            known = confidence(top, second, self.strong_score)
            if len(self.confidences) < self.bound:
                self.confidences[top, second] = known
        return known
