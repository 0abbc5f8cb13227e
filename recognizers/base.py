"""Shared pieces of the pdaudit recognizers: word lists, context windows, result metadata.

Every pdaudit recognizer is an ordinary Presidio ``EntityRecognizer``; it also accepts an optional
``context`` argument (words from the field name, e.g. ``["udostoverenie", "no"]``) that the pdaudit
analysis passes and a plain Presidio ``AnalyzerEngine`` leaves out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from importlib import resources

from presidio_analyzer import RecognizerResult

#: Key under ``RecognizerResult.recognition_metadata`` holding the evidence strings of a result.
EVIDENCE = "pdaudit_evidence"
#: Key holding extra attributes of a result (e.g. the phone region).
ATTRIBUTES = "pdaudit_attributes"

LANGUAGE = "ru"


@cache
def load_words(name: str) -> frozenset[str]:
    """Read ``recognizers/data/<name>.txt``: one word or phrase a line, ``#`` starts a comment.

    Words are lower-cased and ``ё`` is folded to ``е``.
    """
    text = resources.files("recognizers").joinpath("data", f"{name}.txt").read_text("utf-8")
    words = set()
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.add(fold(line))
    return frozenset(words)


def fold(text: str) -> str:
    """Lower-case and fold ``ё`` to ``е`` (same length as the input)."""
    return text.lower().replace("ё", "е")


_WORD = re.compile(r"\w+", re.UNICODE)


def find_context(
    text: str,
    start: int,
    end: int,
    words: Iterable[str],
    before: int = 60,
    after: int = 20,
    extra: Iterable[str] | None = None,
) -> str | None:
    """Return the first context word found near ``text[start:end]`` or among ``extra``.

    A word matches at a word start in the ``before`` characters before the span or the ``after``
    characters after it; ``extra`` holds already tokenised words (a field name) that must equal
    a context word or start with it.

    >>> find_context("Уд. личности: 012345678", 14, 23, ["уд. личности"])
    'уд. личности'
    >>> find_context("Заказ 012345678", 6, 15, ["уд. личности"]) is None
    True
    >>> find_context("012345678", 0, 9, ["udostoverenie"], extra=["udostoverenie", "no"])
    'udostoverenie'
    """
    words = list(words)
    window = fold(text[max(0, start - before) : start]) + " " + fold(text[end : end + after])
    for word in words:
        idx = window.find(word)
        while idx != -1:
            if idx == 0 or not window[idx - 1].isalnum():
                tail = idx + len(word)
                if tail >= len(window) or not window[tail].isalnum() or not word[-1].isalnum():
                    return word
            idx = window.find(word, idx + 1)
    if extra:
        for token in extra:
            token = fold(token)
            for word in words:
                if token == word or (len(word) >= 4 and token.startswith(word)):
                    return word
    return None


def make_result(
    entity: str,
    start: int,
    end: int,
    score: float,
    recognizer: str,
    evidence: list[str],
    **attributes: str,
) -> RecognizerResult:
    """Build a ``RecognizerResult`` that carries pdaudit evidence and attributes.

    The recognizer *identifier* is left out on purpose: Presidio's engine fills in the instance's
    ``recognizer.id`` and keeps only results whose identifier matches it.
    """
    metadata = {
        RecognizerResult.RECOGNIZER_NAME_KEY: recognizer,
        EVIDENCE: list(evidence),
        ATTRIBUTES: dict(attributes),
    }
    return RecognizerResult(entity, start, end, round(score, 2), recognition_metadata=metadata)


def evidence_of(result: RecognizerResult) -> list[str]:
    """The evidence strings of a result (empty for foreign recognizers)."""
    return list((result.recognition_metadata or {}).get(EVIDENCE, []))


def attributes_of(result: RecognizerResult) -> dict[str, str]:
    """The extra attributes of a result (empty for foreign recognizers)."""
    return dict((result.recognition_metadata or {}).get(ATTRIBUTES, {}))
