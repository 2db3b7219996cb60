"""The batch engine sorts a batch's texts into plain ASCII, ASCII with a '-', and others: by numpy over their code
points for many texts, in Python for a few; both ways give the same groups."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from authorstats.classification import batching

_TEXT = st.one_of(
    st.text(alphabet="ab -:", max_size=8),
    st.text(max_size=8),  # any code point: accents, lone surrogates, the engine's own separator
    st.sampled_from(["", "-", "\x01", "é", "\ud800", "a-\u00e9", "x\x01-"]),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_TEXT, max_size=40))
def test_numpy_and_python_sort_texts_alike(texts):
    assert batching.groups(texts, by_numpy_from=0) == batching.groups(texts, by_numpy_from=len(texts) + 1)


def test_the_groups_of_a_large_batch():
    texts = ["plain words", "self-supervised", "caf\u00e9", "sep\x01arated", "", "\ud800-x"] * 300
    plain, dashed, other = batching.groups(texts)
    assert plain == [i for i in range(1800) if i % 6 in (0, 4)]
    assert dashed == [i for i in range(1800) if i % 6 == 1]
    assert other == [i for i in range(1800) if i % 6 in (2, 3, 5)]
