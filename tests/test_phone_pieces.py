"""PHONE_NUMBER hands ``phonenumbers``' matcher only the pieces of a text that can hold a number
it keeps (``_number_islands``), and reads a piece of one of ``_PLAIN_SHAPES`` itself; what it
finds there equals what the matcher finds in the whole text (all numbers invented)."""

from __future__ import annotations

import random

import phonenumbers
import pytest
from phone_forms import as_matched, written_forms
from test_phone_search import _digits

from pdaudit.recognizers import phone_number
from pdaudit.recognizers.phone_number import MIN_DIGITS, PhoneRecognizer, _number_islands

RNG_SEED = 20261207
CONTEXTS = [None, ["phone"]]
OTHER_ZEROS = ("\u0660", "\u0966", "\uff10", "\U0001d7ce")  # \d, not ASCII (the last: math)
# Between two numbers: walls (two words), and what is no wall: one word, an extension word,
# punctuation, Latin letters glued on, currency and percent signs, brackets and plus signs.
GAPS = [
    " ",
    ". ",
    ", ",
    " - ",
    "; ",
    "\n",
    "\t",
    "\u00a0",
    " доб ",
    " доб. ",
    ", ext. ",
    " ext ",
    " x ",
    "#",
    " # ",
    " anexo ",
    " int ",
    "extension ",
    "exte\u0301nsion ",  # a combining mark between two letters: no wall without white space
    ",,,,,,,,доб ",
    " \t, доб: -  ",
    ":30 ",
    ":3",
    "%",
    " ₸ ",
    " $",
    "abc",
    "(",
    ") ",
    " (",
    "+",
    " +",
    "/",
    " x y ",
    " доб ещё ",
    ". Перезвоните мне ",
    " ИИН ",
    " Списали с карты ",
    "; ИИН ребёнка: ",
    " тел. ",
    " Tel ",
    " phone: ",
    " на номер ",
    " и ещё ",
    ", спасибо ",
    "\u3000ｅｘｔ\u3000",
    " ｘ ",
]


def _foreign(rng: random.Random, text: str) -> str:
    zero = rng.choice(OTHER_ZEROS)
    return "".join(
        chr(ord(zero) + int(c)) if c.isdigit() and rng.random() < 0.5 else c for c in text
    )


def _number(rng: random.Random) -> str:
    """An ИИН, a card, an IBAN, a phone in one of its forms (KZ, RU, foreign), a date, a time
    stamp, a run of digits, an extension."""
    kind = rng.randrange(13)
    if kind == 0:
        return _digits(rng, 12)
    if kind == 1:
        card = _digits(rng, 16)
        return " ".join(card[i : i + 4] for i in range(0, 16, 4)) if rng.random() < 0.3 else card
    if kind == 2:
        return "KZ" + _digits(rng, 2) + "125KZT" + _digits(rng, 10)
    if kind in (3, 4, 5):
        start = rng.choice(["70", "77", "74", "71", "72", "91", "98", "49", "80", "33"])
        return rng.choice(written_forms(start + _digits(rng, 8)))
    if kind == 6:
        start = rng.choice(["+90 532 ", "+1 212 ", "+49 30 ", "8 10 49 30 ", "+44 20 ", "+7 "])
        number = start + _digits(rng, rng.choice([7, 8]))
        return number.replace(" ", "") if rng.random() < 0.5 else number  # "+905321234567"
    if kind == 7:
        return f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{rng.randint(1950, 2030)}"
    if kind == 8:
        return f"{rng.randint(1990, 2030)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)} 1{rng.randint(0, 9)}"
    if kind == 9:
        return _digits(rng, rng.randint(1, 14))
    if kind == 10:
        return rng.choice(["8701", "+7", "(701)", "87011234567"]) + rng.choice(["", " ", "-"])
    if kind == 11:
        return f"+7 (7{_digits(rng, 2)}) {_digits(rng, 3)}-{_digits(rng, 2)}-{_digits(rng, 2)}"
    return f"{_digits(rng, 3)}-{_digits(rng, 3)} ({_digits(rng, 4)}"


def _text(rng: random.Random) -> str:
    parts = [rng.choice(["", "Здравствуйте", "Hello", "a", "+"])]
    for _ in range(rng.randint(1, 6)):
        number = _number(rng)
        if rng.random() < 0.1:
            number = _foreign(rng, number)
        parts.append(rng.choice(GAPS) + number)
    parts.append(rng.choice(GAPS + [""]))
    return "".join(parts)


def _texts(count: int) -> list[str]:
    rng = random.Random(RNG_SEED)
    return [_text(rng) for _ in range(count)]


def _whole(text: str) -> list[tuple[int, int]]:
    return [(0, len(text))]


def _matches(text: str, region: str) -> list[tuple[int, int, str, phonenumbers.PhoneNumber]]:
    matcher = phonenumbers.PhoneNumberMatcher(
        text, region, phonenumbers.Leniency.VALID, min_candidate_length=MIN_DIGITS
    )
    return [(m.start, m.end, m.raw_string, m.number) for m in matcher]


def _pieces(text: str) -> list[tuple[int, int]]:
    """The spans handed to the matcher: each island, one character before it, four after it."""
    return [(start - 1 if start else 0, end + 4) for start, end in _number_islands(text)]


def _left_out(text: str, found: tuple) -> bool:
    """Whether a number the matcher ``found`` lies in a left-out island: a lone run of digits
    (not 10 or 11 of them) or a part of one."""
    start, end, raw = found[:3]
    bare = raw.isdigit() and not 10 <= len(raw) <= 11
    glued = start > 0 and text[start - 1].isdigit()
    glued = glued or end < len(text) and text[end].isdigit()
    return bare or glued


@pytest.mark.parametrize("region", ["KZ", "US", "TR"])
def test_the_pieces_give_the_whole_texts_matches(region):
    """In each piece the matcher finds what it finds in that part of the whole text; what it
    finds outside the pieces lies in lone runs of digits of other lengths than 10 or 11."""
    texts = _texts(2500)
    split = 0
    for text in texts:
        pieces = _pieces(text)
        split += pieces != _whole(text)
        whole = _matches(text, region)
        for low, high in pieces:
            assert low == 0 or not text[low].isdigit(), (text, low)
            found = [
                (s + low, e + low, raw, n) for s, e, raw, n in _matches(text[low:high], region)
            ]
            assert found == [m for m in whole if low <= m[0] < high], (text, text[low:high])
        for found in whole:
            if not any(low <= found[0] < high for low, high in pieces):
                assert _left_out(text, found), (text, found)
    assert split > len(texts) // 2  # the texts were split


# Before and after a number, in a wall: what ``_plain_match`` takes, and what it leaves to the
# matcher (Latin and Cyrillic letters, "x", marks, currency and percent signs, "#", "=").
AROUND = list(" \t\n\u00a0\u3000:,;.!?%$€₸#=&/_@*-xXaéжД\u0301\u00b2")


def test_matches_equal_the_matcher(monkeypatch):
    """``_matches_in`` gives what the matcher gives in the whole text, but for the numbers in
    left-out islands, and reads the pieces of ``_PLAIN_SHAPES`` itself."""
    plain = []
    plain_match = phone_number._plain_match

    def counted(text, start, end):
        plain.append(text[start:end])
        return plain_match(text, start, end)

    monkeypatch.setattr(phone_number, "_plain_match", counted)
    rng = random.Random(RNG_SEED)
    texts = _texts(1500)
    for before in AROUND:
        for after in AROUND:
            number = rng.choice(
                written_forms(rng.choice(["70", "77", "91", "33"]) + _digits(rng, 8))
            )
            texts.append(f"Перезвоните мне{before}{number}{after}спасибо вам")
    recognizer = PhoneRecognizer()
    for text in texts:
        got = list(recognizer._matches(text))
        pieces = _pieces(text)
        whole = _matches(text, "KZ")
        inside = [m for m in whole if any(low <= m[0] < high for low, high in pieces)]
        assert all(_left_out(text, m) for m in whole if m not in inside), text
        assert list(map(as_matched, got)) == inside, text
        for found in got:
            number, where = as_matched(found)[3], found[4]
            assert where in (None, phonenumbers.region_code_for_number(number))
    assert len(plain) > 50  # the shortcut was taken


@pytest.mark.parametrize("regions", [None, "KZ,RU", "KZ,US", "US,KZ", "TR"])
def test_the_pieces_leave_analyze_as_it_was(monkeypatch, regions):
    texts = _texts(1000)
    recognizer = PhoneRecognizer(regions)
    for context in CONTEXTS:
        got = recognizer.findings(texts, None, context)
        results = [recognizer.analyze(text, None, None, context) for text in texts[:200]]
        with monkeypatch.context() as patched:
            patched.setattr(phone_number, "_number_islands", _whole)
            assert recognizer.findings(texts, None, context) == got
            assert [recognizer.analyze(text, None, None, context) for text in texts[:200]] == (
                results
            )
    assert sum(map(bool, got)) > len(texts) // 10  # numbers were found


@pytest.mark.parametrize(
    ("text", "islands"),
    [
        ("ИИН ученика 900101300126. Заказ № 6839.", ["900101300126. Заказ № 6839."]),
        ("ИИН ученика 900101300126. Заказ номер 6839.", []),
        ("мой ИИН (900101300126) спасибо вам", ["(900101300126"]),  # a bracket
        ("мой ИИН 900101300126) спасибо вам", []),
        ("Списали с карты 4400430123456789 дважды. Тел 87011234567 спасибо вам", ["87011234567"]),
        ("С карты 4400 4301 2345 6789 два раза", ["4400 4301 2345 6789"]),
        ("8 701 123 45 67 доб 12", ["8 701 123 45 67 доб 12"]),  # one word: no wall
        ("8 701 123 45 67 доб ещё 12", ["8 701 123 45 67"]),
        ("прошу звонить +7 701 123 45 67", ["+7 701 123 45 67"]),
        ("звонить +7 701 123 45 67", ["звонить +7 701 123 45 67"]),  # no wall: the whole text
        ("87011234567", ["87011234567"]),
        ("Здравствуйте, позвоните", []),  # a wall alone
    ],
)
def test_islands(text, islands):
    assert [text[start:end] for start, end in _number_islands(text)] == islands


def test_the_matcher_is_handed_only_the_pieces(monkeypatch):
    handed = []
    matcher = phonenumbers.PhoneNumberMatcher

    def counted(text, *args, **kwargs):
        handed.append(text)
        return matcher(text, *args, **kwargs)

    monkeypatch.setattr(phonenumbers, "PhoneNumberMatcher", counted)
    text = (
        "ИИН ученика 900101300126. Списали с карты 4400430123456789 дважды. Заказ № 6839. "
        "Перезвоните мне по номеру 8 705 215 78 91. Ответ на dana80@inbox.kz"
    )
    found = PhoneRecognizer().analyze(text, None)
    assert [text[r.start : r.end] for r in found] == ["8 705 215 78 91"]
    assert handed == [" 8 705 215 78 91. От"]
    # A number of one of ``_PLAIN_SHAPES`` between walls is not handed to it.
    handed.clear()
    found = PhoneRecognizer().analyze(text.replace("8 705 215 78 91", "8 705 215 7891"), None)
    assert [(r.end - r.start, r.score) for r in found] == [(14, 0.85)]
    assert handed == []
    # A text longer than ``_MAX_SPLIT`` is handed whole.
    handed.clear()
    long_text = text + " и ещё" * 1000
    assert len(long_text) > phone_number._MAX_SPLIT
    assert len(PhoneRecognizer().analyze(long_text, None)) == 1
    assert handed == [long_text]
