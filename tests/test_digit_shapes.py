"""The declared searches over digit shapes (``pdaudit.scanner.analysis.Searches``): which
patterns cannot tell one ASCII digit from another (``digit_blind_parts``, ``reads_digits``),
their digit-blind supersets (``digit_superset``), and ``Searches.hits`` held to
``Searches.hits_direct`` (every pattern over the texts themselves) on adversarial batches."""

from __future__ import annotations

import random
import re

import pytest

from pdaudit.recognizers.base import Search, digits_search, free_digits_search
from pdaudit.recognizers.registry import all_recognizers
from pdaudit.scanner.analysis import Analyzer, Searches, search_of
from pdaudit.scanner.digit_blind import (
    digit_blind_parts,
    digit_superset,
    distinct_shapes,
    reads_digits,
)

# Patterns that cannot tell one ASCII digit from another.
BLIND = [
    r"\d",
    r"\D",
    r"[0-9]",
    r"[^0-9]",
    r"\w+",
    r"\W",
    r"\s\S",
    r".",
    r"[0-9A-Fa-f]{1,4}:",
    r"[^0-9 \u00a0-]",
    "[^0-9 \u00a0-]",  # the no-break space as itself
    r"[^\D0-9]",
    r"[^\d5]",  # \d holds every digit, 5 too
    r"[\x00-\x7F]",
    r"[A-Za-z]|[^\x00-\x7F]",
    r"[ -~]",  # space to tilde: every digit
    r"[/-:]",  # "/" to ":": every digit
    r"\d{12}",
    r"[0-9]{2,}",
    r"[0-9]{1,12}?",
    r"(?:^|[^0-9])\d{10,11}(?:[^0-9]|$)",
    r"(?i)ул\.|пр-т",
    r"(?i:№|N|No\.?|номер)",
    r"(?P<year>\d{4})",
    r"(?<num>\d+)",
    r"@",
    r"<<|«",
    r"\x41\u0410\u{1F600}",  # code escapes naming no digit
    r"[\-.,]",
    r"[٠-٩]",  # Arabic-Indic digits: no ASCII one
    r"\bab\B",
    r"^$",
    "",
    "a|",
    r"\.\*\+\?\(\)\[\]\{\}\|\^\$\\",
]
# Patterns that can (or that the check cannot read: they count as reading digits).
READING = [
    "1",
    r"(?:19|20)\d\d",
    r"[01]",
    r"[0-5]",
    r"[4-6][0-3]",
    r"[^0-3]",
    r"[5\D]",
    r"[a-z5]",
    r"\x35",  # "5"
    r"\u0037",
    r"\x{38}",
    r"\U00000039",
    r"[\x30-\x34]",
    r"(\d)\1",  # a back-reference
    r"\0",
    r"(?<!\w)\d",  # look-arounds: not read
    r"(?=\d)",
    r"(?x) 1 # comment",
    r"(?#comment)",
    r"\p{N}",  # Unicode classes: not read
    r"\pN",
    r"[[:digit:]]",  # nested / POSIX classes: not read
    r"[0-9&&[^5]]",
    r"[0-9--5]",
    r"a{x}",  # a brace that is no quantifier
    r"\d{2",
    "(",
    ")",
    "[0-9",
    "\\",
    r"\k<n>",
    r"[\b]",
    r"a(?i)b|1",
    r"^[12][0-9]{3}-[01][0-9]-[0-3][0-9] [0-2][0-9](?::[0-5][0-9]){2}$",
]


@pytest.mark.parametrize("pattern", BLIND)
def test_digit_blind_patterns(pattern):
    assert reads_digits(pattern) is False
    assert digit_blind_parts(pattern) == (pattern, None)
    assert digit_superset(pattern) == pattern


@pytest.mark.parametrize("pattern", READING)
def test_digit_reading_patterns(pattern):
    assert reads_digits(pattern) is True


def test_alternatives_are_taken_apart():
    assert digit_blind_parts(r"(?:19|20)\d\d|\d{2}\.\d{2}|[^\D0-9]") == (
        r"\d{2}\.\d{2}|[^\D0-9]",
        r"(?:19|20)\d\d",
    )
    assert digit_blind_parts(r"a|1|b|2") == ("a|b", "1|2")
    # Inside a group, or under a top-level flag group that reaches across "|": whole.
    assert digit_blind_parts(r"(?:a|1)") == (None, r"(?:a|1)")
    assert digit_blind_parts(r"(?i)a|1") == (None, r"(?i)a|1")
    assert digit_blind_parts(r"(?i)a|b") == (r"(?i)a|b", None)
    assert digit_blind_parts(r"(?i:a)|1") == (r"(?i:a)", "1")
    # What the check cannot read goes to the reading part whole.
    assert digit_blind_parts(r"a|(?<!x)b") == (None, r"a|(?<!x)b")


def test_supersets():
    assert digit_superset("(?:19|20)") == "(?:[0-9][0-9]|[0-9][0-9])"
    assert digit_superset("[4-6][01a]") == "[0-94-6][0-901a]"
    assert digit_superset(r"\x35{2}") == "[0-9]{2}"
    assert digit_superset("x{1,3}1") == "x{1,3}[0-9]"
    for cannot in ("[^0-3]", "[-5]", "[]5]", r"(?<!a)1", r"\p{N}"):
        assert digit_superset(cannot) is None, cannot
    for pattern in READING:
        superset = digit_superset(pattern)
        if superset is not None:
            assert not reads_digits(superset), pattern


def _random_texts(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    alphabet = "0123456789" * 4 + " -./:+()@№«<abcXYZАбвӘқ\u00a0\u0660\u0669\uff10\U0001e4f0_,"
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24))) for _ in range(count)]


def test_supersets_select_every_text_the_pattern_does():
    texts = _random_texts(seed=5, count=4000)
    patterns = [
        r"(?:19|20)\d\d",
        r"[4-6][0-3]",
        r"^[12][0-9]{3}-[01][0-9]",
        "1 2|3",
        r"\x35[0-4]",
        *(p for p in READING if digit_superset(p) is not None),
    ]
    for pattern in patterns:
        try:
            compiled = re.compile(pattern)
        except re.error:
            continue
        wide = re.compile(digit_superset(pattern))  # type: ignore[arg-type]
        for text in texts:
            if compiled.search(text):
                assert wide.search(text), (pattern, text)


def test_distinct_shapes_replace_ascii_digits_only():
    texts = ["a1b2", "0", "", "٣ 9", "ИИН 900101300126", "\U0001e4f1 5", "a1b2", "x"]
    shapes, codes = distinct_shapes(texts)
    assert shapes == ["a0b0", "0", "", "٣ 0", "ИИН 000000000000", "\U0001e4f1 0", "x"]
    assert codes is not None and codes.tolist() == [0, 1, 2, 3, 4, 5, 0, 6]
    assert distinct_shapes(["abc", "", "0"]) == (["abc", "", "0"], None)
    shapes, codes = distinct_shapes(["a\x001", "", "\x00", "a\x007", "12"])  # NUL in a text
    assert shapes == ["a\x000", "", "\x00", "00"] and codes.tolist() == [0, 1, 2, 0, 3]
    with pytest.raises(UnicodeEncodeError):
        distinct_shapes(["1", "\ud800"])


def _adversarial(seed: int) -> list[str]:
    """Texts that differ in their digits, with the characters that trip searches up."""
    rng = random.Random(seed)
    seeds = [
        "ИИН 900101300126",
        "900101300126",
        "050140000656",  # a БИН (its type digit is read)
        "+7 701 123 45 67",
        "8(702)1234567",
        "2023-09-01 08:00:00",
        "1990-05-12",
        "родился 12.03.1995",
        "родился ١٢.٠٣.١٩٩٠",  # Arabic-Indic digits
        "тел. ８７０１１２３４５６７",  # full-width digits
        "\U0001e4f1\U0001e4f2 1990",  # Nag Mundari digits (Unicode 15)
        "г. Алматы, ул. Абая, д. 12, кв. 5",
        "паспорт 45 09 № 123456",
        "ИНН/КПП 7707083893/770701001",
        "192.168.10.25",
        "KZ86125KZT5004100100",
        "4400 4301 2345 6789",
        "a@b1.kz",
        "",
        "0",
        "x" * 3000 + " 1999 " + "7" * 2000,
        "a\x00b 900101300126\x00",
    ]
    texts = []
    for text in seeds:
        texts.append(text)
        for _ in range(6):
            texts.append("".join(rng.choice("0123456789") if c.isascii() and c.isdigit() else c
                                 for c in text))  # fmt: skip
    texts += _random_texts(seed, 300)
    return list(dict.fromkeys(texts))


SEARCHES = [search_of(r) for r in all_recognizers()] + [
    Search(r"(?:19|20)\d\d"),
    Search(r"[4-6]\d", also="a|1", unless=r"^0"),
    Search(r"1|\d{3}|[^\D0-9]", min_len=3, max_len=12),
    Search(None, min_len=2),
    Search(r"[[:digit:]]5|[0-9&&[^5]]a"),  # not read: runs over the texts
    Search(r"\p{N}"),
    free_digits_search(12, digits={12: "[0-9][0-9][01][0-9][4-6][0-3]" + "[0-9]" * 6}),
    digits_search(10, 12),
]


@pytest.mark.parametrize("seed", range(4))
def test_shapes_select_what_the_texts_do(seed):
    texts = _adversarial(seed)
    rng = random.Random(seed)
    for share in (1.0, 0.5):
        searches = Searches(SEARCHES, shape_share=share, long_texts=1e9)
        for _ in range(3):  # a second batch reads remembered shapes
            batch = rng.sample(texts, len(texts) // 2)
            assert searches.hits(batch) == searches.hits_direct(batch)


def test_unencodable_texts_pass_every_search_over_shapes():
    searches = Searches(SEARCHES, shape_share=1.0, long_texts=1e9)
    texts = ["\ud800 1990", "1990", "ab", "\udfff", "12.03.1995", "2023-09-01 08:00:00"]
    hits = searches.hits(texts)
    assert hits == searches.hits_direct(texts)
    assert all({0, 3} <= set(found) for found in hits)


def test_the_shapes_are_searched_once():
    """A batch of phones of one shape runs the digit-blind patterns over one text, and a next
    batch of that shape over none; a digit-reading pattern runs over the texts only where its
    superset selects their shape."""
    searches = Analyzer()._searches
    phones = [f"+7 701 {n:03d} {n % 97:02d} {n % 89:02d}" for n in range(100, 1000)]
    hits = searches.hits(phones)
    assert hits == searches.hits_direct(phones)
    assert searches.shapes_searched == 1
    stamps = [f"2023-09-{d:02d} 08:{m:02d}:00" for d in range(1, 29) for m in range(60)]
    assert searches.hits(stamps) == searches.hits_direct(stamps)
    assert searches.shapes_searched == 2
    before = searches.texts_searched
    searches.hits(phones[::-1])
    assert searches.shapes_searched == 2
    assert searches.texts_searched == before  # no phone's shape holds a year or a БИН
    searches.hits(stamps[::2])
    assert searches.texts_searched == before + len(stamps[::2])  # the year, the time stamp
