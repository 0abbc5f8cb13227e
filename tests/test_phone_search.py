"""PHONE_NUMBER's declared search where national forms are read as +7 only (``_PLUS7_NUMBER``)
selects every text ``analyze`` finds a number in, and turns away the support messages that hold
only an ИИН, a card number, order numbers and the like (all numbers invented)."""

from __future__ import annotations

import random

import phonenumbers
import pytest
from phone_forms import written_forms

from pdaudit.recognizers.base import WORDISH
from pdaudit.recognizers.phone_number import _KZ_SEARCH, PhoneRecognizer
from pdaudit.scanner.analysis import search_selects

RNG_SEED = 29
SENTENCES = [
    "Здравствуйте, не могу открыть урок по математике.",
    "Меня зовут Айгерім Сәрсенбаева.",
    "Подскажите, как сменить тариф на семейный?",
    "Ответ пришлите на dana.serikbaeva80@inbox.kz.",
    "Call me, thanks",
    "Видео тормозит по вечерам",
]
# Characters set around the numbers: separators, brackets, plus signs, glue, "x", "ー", marks.
AROUND = list(" \u00a0-.,;:()[]/#№*+_@=?&\t\n\uff08\uff3b\uff0b\u30fcxX\u2013\u00ad\u0301") + [
    "",
    " ",
    ". ",
    " - ",
    " (",
    ") ",
    " доб. ",
    " ext. ",
]
OTHER_ZEROS = ("\u0660", "\u0966", "\uff10")


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _foreign(rng: random.Random, text: str) -> str:
    zero = rng.choice(OTHER_ZEROS)
    return "".join(
        chr(ord(zero) + int(c)) if c.isdigit() and rng.random() < 0.5 else c for c in text
    )


def _number(rng: random.Random) -> str:
    """An ИИН, a card, an order number, a phone in one of its forms, a date, or a run."""
    kind = rng.randrange(9)
    if kind == 0:
        return _digits(rng, 12)
    if kind == 1:
        card = _digits(rng, 16)
        if rng.random() < 0.3:
            return " ".join(card[i : i + 4] for i in range(0, 16, 4))
        return card
    if kind == 2:
        return "№ " + _digits(rng, rng.randint(3, 6))
    if kind in (3, 4):
        start = rng.choice(["70", "77", "74", "71", "91", "49", "80"])
        return rng.choice(written_forms(start + _digits(rng, 8)))
    if kind == 5:
        return f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{rng.randint(1950, 2030)}"
    if kind == 6:
        return "8 10 " + rng.choice(["49 30 ", "1 212 ", "90 532 "]) + _digits(rng, 7)
    return _digits(rng, rng.randint(5, 20))


def _message(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(1, 4)):
        parts.append(rng.choice(SENTENCES))
        number = _number(rng)
        if rng.random() < 0.1:
            number = _foreign(rng, number)
        parts.append(rng.choice(AROUND) + number + rng.choice(AROUND))
    return rng.choice(["", " "]).join(parts)


def _assert_holds(texts: list[str]) -> int:
    """Each text the search turns away holds no number; the count turned away."""
    recognizer = PhoneRecognizer()
    assert recognizer.SEARCH == _KZ_SEARCH
    selected = search_selects(recognizer, texts)
    away = [text for text, chosen in zip(texts, selected, strict=True) if not chosen]
    for text in away:
        assert recognizer.analyze(text, None) == [], text
    assert all(not found for found in recognizer.findings(away, None, ["body"]))
    return len(away)


def test_the_search_holds_analyze_on_messages():
    rng = random.Random(RNG_SEED)
    texts = [_message(rng) for _ in range(6000)]
    away = _assert_holds(texts)
    assert 1000 < away < 5000  # it turns texts away, not every one


def test_the_search_holds_analyze_next_to_every_character():
    """A lone run of 9 to 13 digits, or a phone, beside each character of several blocks."""
    rng = random.Random(RNG_SEED)
    chars = [chr(code) for code in range(0x20, 0x250)] + list("\u2010\u2015\u2212\u30fc\uff0d")
    chars += [chr(code) for code in range(0xFF01, 0xFF20)] + list("\u2060\u200b\u3000\u2053")
    texts = []
    for c in chars:
        for _ in range(3):
            number = rng.choice([_digits(rng, rng.randint(9, 13)), _number(rng)])
            texts.append(rng.choice(["ИИН ", "a", "Тел", ""]) + c + number + rng.choice(AROUND))
            texts.append("карта " + number + c + rng.choice(["", " ", "1", "12", " 12"]))
            texts.append(f"x{c}{number}{c} текст")
    assert _assert_holds(texts) > 500


@pytest.mark.parametrize(
    ("text", "selected"),
    [
        ("ИИН ученика 860111476721. Заказ № 6839.", False),
        ("Списали с карты 5536918482713067 дважды.", False),
        ("Ответ на dana.serikbaeva80@inbox.kz, заказ № 71121", False),
        ("Перезвоните мне по номеру 7 (708) 652-89-79.", True),
        ("Перезвоните: 87011234567", True),
        ("ИИН 860111476721 87011234567", True),
        ("тел. +7 701 1234567", True),
        ("карта 5536 9184 8271 3067", True),  # groups: the matcher reads them (and finds none)
        ("(860111476", True),
        ("12x860111476721", True),
        # Digits of Unicode 15-16 (Nag Mundari, Kawi, Kirat Rai): polars' ``\d`` holds them,
        # this Python's does not, so the ten ASCII digits between them are a bare number.
        ("а\U0001e4f07011234567\U0001e4f0", True),
        ("тел \U00011f5087011234567\U00011f50", True),
        ("Заказ \U00016d707011234567\U00016d70 оплачен", True),
    ],
)
def test_the_search_selects_numbers_only(text, selected):
    assert search_selects(PhoneRecognizer(), [text]) == [selected]


def test_matcher_reads_letters_apart():
    """``_JOINED``: of the letters the search reads as ending a number, ``phonenumbers``' matcher
    puts none inside a number it finds, even at its loosest (it takes "x" and "X" for punctuation)."""
    letters = [c for c in WORDISH.replace("0-9", "").replace("A-Za-z", "") if c != "-"]
    letters += [chr(code) for code in range(0x410, 0x450)]
    letters += [chr(code) for code in (*range(0x41, 0x5B), *range(0x61, 0x7B))] + ["_"]
    joined = []
    for c in letters:
        for text in (f"+7 701 123{c}45 67", f"+7 701 123 {c} 45 67", f"8 701 123{c}4567"):
            matcher = phonenumbers.PhoneNumberMatcher(text, "KZ", phonenumbers.Leniency.POSSIBLE)
            for match in matcher:
                if not match.number.extension and c in match.raw_string:
                    joined.append(c)
    assert sorted(set(joined)) == ["X", "x"]
