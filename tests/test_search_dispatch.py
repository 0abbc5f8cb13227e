"""The analysis' shortcuts around the searches and the recognizers (``scanner/analysis.py``):
a batch of one shape, held to the general path."""

from __future__ import annotations

import pytest
from test_digit_shapes import SEARCHES, _adversarial

from pdaudit.scanner.analysis import Searches
from pdaudit.scanner.digit_blind import distinct_shapes


@pytest.mark.parametrize("seed", range(3))
def test_one_shape_batches_select_what_the_texts_do(seed):
    """Batches whose texts all share one digit shape (the shortcut of ``distinct_shapes``)."""
    searches = Searches(SEARCHES, long_texts=1e9)
    texts = _adversarial(seed)
    by_shape: dict[str, list[str]] = {}
    for text in texts:
        try:
            (shape,), _ = distinct_shapes([text])
        except UnicodeEncodeError:
            continue
        by_shape.setdefault(shape, []).append(text)
    for group in by_shape.values():
        shapes, codes = distinct_shapes(group)
        assert len(shapes) == 1
        assert codes is None or codes.tolist() == [0] * len(group)
        assert searches.hits(group) == searches.hits_direct(group)


def test_one_shape_needs_every_text_of_it():
    shapes, codes = distinct_shapes(["12", "34", "5a"])
    assert shapes == ["00", "0a"] and codes.tolist() == [0, 0, 1]
    shapes, codes = distinct_shapes(["12", "34", "567"])
    assert shapes == ["00", "000"] and codes.tolist() == [0, 0, 1]
    shapes, codes = distinct_shapes(["1", "2"])
    assert shapes == ["0"] and codes.tolist() == [0, 0]
    shapes, codes = distinct_shapes(["1\x002", "3\x004"])  # a NUL inside: split another way
    assert shapes == ["0\x000"] and codes.tolist() == [0, 0]
    shapes, codes = distinct_shapes(["1", "2", "1\x002"])
    assert shapes == ["0", "0\x000"] and codes.tolist() == [0, 0, 1]
