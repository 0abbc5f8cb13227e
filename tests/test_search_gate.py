"""``Searches._run_whole`` (``hits_direct``): the long patterns run only over the texts where
their union holds, but those that held often in the field's last batch. Held to every search
run alone over every text, and counted."""

from __future__ import annotations

import random

import numpy as np
import polars as pl
import pytest
from test_digit_shapes import SEARCHES, _adversarial
from test_search_dispatch import _emails

from pdaudit.recognizers.base import Search
from pdaudit.scanner import analysis
from pdaudit.scanner.analysis import GATED_PATTERN, Analyzer, Searches

_LONG = "(?:" + "|".join(f"q{k}z" for k in range(12)) + ")"
# Long patterns with flags, anchors and classes that a union must not spread to its neighbours.
GATE_SEARCHES = [
    *SEARCHES,
    Search(f"(?i)abc{_LONG}?$"),
    Search(f"^ABC{_LONG}?x"),
    Search(f"(?m)^[0-9]{{3}}{_LONG}?$", also=f"(?s)a.b{_LONG}?", min_len=4),
    Search("@", unless=f"(?i)^[a-z]+{_LONG}?@x"),
    Search(f"(?-u:\\w)+{_LONG}?é", max_len=9),
]


def _alone(searches: list[Search], texts: list[str]) -> list[list[int]]:
    """Each search by itself over every text, as the searches were run before the gate."""
    frame = pl.DataFrame({"t": texts}, schema={"t": pl.String})
    text = pl.col("t")
    found = []
    for search in searches:
        mask = np.ones(len(texts), dtype=bool)
        for pattern in (search.pattern, search.also):
            if pattern is not None:
                mask &= frame.select(text.str.contains(pattern)).to_series().to_numpy()
        if search.unless is not None:
            mask &= ~frame.select(text.str.contains(search.unless)).to_series().to_numpy()
        lengths = np.array([len(t) for t in texts])
        mask &= lengths >= search.min_len
        if search.max_len is not None:
            mask &= lengths <= search.max_len
        found.append(np.flatnonzero(mask).tolist())
    return found


def _held(searches: Searches, texts: list[str]) -> int:
    """How many texts hold a long pattern of the searches."""
    frame = pl.DataFrame({"t": texts}, schema={"t": pl.String})
    long = [p for p in searches._whole_patterns() if len(p) > GATED_PATTERN]
    return int(
        frame.select(pl.any_horizontal(pl.col("t").str.contains(p) for p in long)).sum().item()
    )


def test_the_adversarial_searches_have_long_patterns():
    long = {p for s in GATE_SEARCHES for p in (s.pattern, s.also, s.unless) if p}
    assert sum(len(p) > GATED_PATTERN for p in long) > 15


@pytest.mark.parametrize("frequent_share", [0.25, 0.0, -1.0])  # as set; some alone; all alone
@pytest.mark.parametrize("seed", range(4))
def test_gated_searches_select_what_each_search_alone_does(seed, frequent_share, monkeypatch):
    monkeypatch.setattr(analysis, "FREQUENT_SHARE", frequent_share)
    rng = random.Random(seed)
    texts = _adversarial(seed) + [
        "ABC", "abc", "AbCq3z", "ABCq11zx", "ABCx", "x\n123", "123\nx", "a\nb", "aéb",
        "ab@x", "AB@x", "abq1z@x", "é", "aé", "ééé", "zé", "é" * 10, "a" * 8 + "é",
    ] + _emails(rng, 200)  # fmt: skip
    texts = list(dict.fromkeys(texts))
    expected = Searches(GATE_SEARCHES)
    searches = Searches(GATE_SEARCHES)
    gated = []
    for _ in range(3):  # the next batches run the often-holding long patterns alone
        batch = rng.sample(texts, len(texts) // 2)
        assert searches.hits_direct(batch, ["f"]) == _alone(expected.searches, batch)
        gated.append(searches.texts_gated)
    assert gated[0] > 0
    if frequent_share < 0:  # every long pattern runs alone after the first batch
        assert gated[2] == gated[0]


def test_the_long_patterns_run_only_where_their_union_holds():
    searches = Analyzer()._searches
    emails = _emails(random.Random(3), 500)
    assert searches.hits_direct(emails) == _alone(searches.searches, emails)
    assert searches.texts_searched == 500
    # Few e-mails hold a digit run, a date or an address: ("ab" + "x66": an extension)
    assert searches.texts_gated == _held(searches, emails) < 50
    gated = searches.texts_gated
    mixed = [*emails[:100], "ИИН 900101300126", "a@b.kz +7 701 123 45 67", "1990-05-12"]
    assert searches.hits_direct(mixed) == _alone(searches.searches, mixed)
    assert (
        searches.texts_gated - gated == _held(searches, mixed) == _held(searches, emails[:100]) + 3
    )


def test_a_long_pattern_that_held_often_in_a_field_runs_alone():
    """The address pattern holds in every address: after a field's first batch it runs over
    every text by itself, and the other long patterns (which hold in none) over no text."""
    searches = Analyzer()._searches
    addresses = [f"г. Алматы, ул. Абая, д. {k}, кв. {k % 7 + 1}" for k in range(1, 60)]
    assert searches.hits_direct(addresses, ["address"]) == _alone(searches.searches, addresses)
    assert searches.texts_gated == len(addresses)
    assert searches.hits_direct(addresses[::-1], ["address"]) == _alone(
        searches.searches, addresses[::-1]
    )
    assert searches.texts_gated == len(addresses)
    searches.hits_direct(addresses, ["другое поле"])  # another field: gated again
    assert searches.texts_gated == 2 * len(addresses)
    messages = ["Здравствуйте! " * 20 + f"ИИН 90010130012{k}" for k in range(10)]
    assert searches.hits_direct(messages) == _alone(searches.searches, messages)


def test_a_union_too_big_for_the_regex_engine_runs_each_pattern_alone():
    """Long patterns that each compile but whose union exceeds the regex size limit (eight
    copies of the built-in ones) run one by one over every text, with the same answers."""
    builtin = Analyzer()._searches.searches
    many = [
        Search(f"{s.pattern}|zz{k}zz", min_len=s.min_len)
        for k in range(8)
        for s in builtin
        if s.pattern is not None and len(s.pattern) > GATED_PATTERN
    ]
    searches = Searches(many)
    texts = ["ИИН 900101300126", "a@b.kz", "г. Алматы, ул. Абая, д. 5", "zz3zz", "1990-05-12"]
    assert searches.hits_direct(texts) == _alone(many, texts)
    assert not searches._unions
    assert searches.texts_gated == 0
    assert searches.texts_searched == len(texts)
    assert searches.hits_direct(texts[::-1]) == _alone(many, texts[::-1])
