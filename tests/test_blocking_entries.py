"""blocking._entries, computed on arrays of code points, against its definition written out plainly: each title's
Q * max_distance(len) + 1 rarest trigrams (in the fewest titles, ties by the trigram), coded rank * room + place + 1,
place being the trigram's first place in the title, -1 when it occurs there more than once."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from authorstats.analysis import blocking


def plain_entries(titles, years, room):
    places = {}
    for position, (title, year) in enumerate(zip(titles, years)):
        if len(title) >= blocking.Q and year is not None:
            grams = [title[k : k + blocking.Q] for k in range(len(title) - blocking.Q + 1)]
            counts = Counter(grams)
            places[position] = {g: (grams.index(g) if counts[g] == 1 else -1) for g in counts}
    frequency = Counter(g for found in places.values() for g in found)
    rank = {g: number for number, g in enumerate(sorted(frequency, key=lambda g: (frequency[g], g)))}
    entries, owners = [], []
    for position, found in places.items():
        width = blocking.Q * blocking.max_distance(len(titles[position])) + 1
        coded = sorted(rank[g] * room + k + 1 for g, k in found.items())[:width]
        entries += coded
        owners += [position] * len(coded)
    return sorted(zip(owners, entries))


# a small alphabet, so that titles share and repeat trigrams; accents, a Greek letter, a character beyond the BMP
TITLE = st.text(alphabet="ab é-ωz\U0001d400", min_size=0, max_size=60)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(TITLE, st.sampled_from([2021, 2022, None])), max_size=30))
def test_the_entries_are_the_rarest_trigrams_as_defined(rows):
    titles = [t for t, _ in rows]
    years = [y for _, y in rows]
    room = max((len(t) for t in titles), default=0) + 2
    codes, owners = blocking._entries(titles, years, room)
    assert sorted(zip(owners.tolist(), codes.tolist())) == plain_entries(titles, years, room)


def test_a_lone_surrogate_in_a_title_is_a_character_like_any_other():
    titles = ["ab\ud800cd", "ab\ud800ce", "xyz"]
    room = 7
    codes, owners = blocking._entries(titles, [2021, 2021, 2021], room)
    assert sorted(zip(owners.tolist(), codes.tolist())) == plain_entries(titles, [2021, 2021, 2021], room)
