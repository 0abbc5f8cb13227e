"""Shortcuts for free text (support messages, comments) give exactly what the slow paths give.

Each shortcut is held against the way it replaces, on exact examples and on seeded random prose
that mixes filler sentences with phones, ИИН, card and order numbers, e-mails, documents,
addresses, dates and names, glued to letters, brackets and signs as people type them.
All values are invented.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import phonenumbers
import pytest
from phone_forms import written_forms

from pdaudit.recognizers import phone_number
from pdaudit.recognizers.base import attributes_of, evidence_of
from pdaudit.recognizers.phone_number import PhoneRecognizer
from pdaudit.scanner.analysis import search_selects

RNG_SEED = 20261126

FILLER = [
    "Здравствуйте, не могу открыть урок по математике, пишет ошибку загрузки.",
    "Видео тормозит по вечерам, интернет в порядке, браузер обновлён.",
    "Оплатил курс, но доступ так и не появился, прошу проверить заказ",
    "Когда откроется запись на летний интенсив по английскому языку?",
    "Сәлеметсіз бе, сабақ ашылмайды.",
    "Hello, the lesson does not open (error 504).",
    "Спасибо!",
    "Ответ пришлите на",
    "Перезвоните мне по номеру",
    "Меня зовут",
    "ИИН ученика",
    "Списали с карты",
    "доб.",
    "паспорт",
    "уд. личности",
    "дата рождения",
    "ул. Абая 10, кв. 5",
    "г. Алматы, мкр. Самал-2, д. 33",
]
NAMES = ["Аружан Оспанова", "Иванов Иван Иванович", "Ерлан К.", "Petrov A."]
GLUE = [" ", " ", " ", ", ", ". ", "\n", "(", ")", "-", " - ", "/", "$", "%", "a", "Ж", "№ ", ": "]


def _digits(rng: random.Random, size: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(size))


def _number(rng: random.Random) -> str:
    """A phone in one of its written forms, or a number that is none (or is one in disguise)."""
    n = rng.choice(["701", "702", "705", "747", "727", "717", "495", "916", "800", "600"])
    n += _digits(rng, 7)
    forms = [
        *written_forms(n),
        f"8 ({n[:3]}) {n[3:6]} {n[6:]}",
        f"+7 ({n[:3]}) {n[3:6]}-{n[6:8]}-{n[8:]}",
        f"7{n}",
        n,
        f"+998 90 {_digits(rng, 3)} {_digits(rng, 2)} {_digits(rng, 2)}",
        f"+49 30 {_digits(rng, 6)}",
        f"810 49 30 {_digits(rng, 7)}",
        f"81049{_digits(rng, 9)}",
        f"78{n}",
        f"7 {n[:3]} {n[3:6]} {n[6:8]} {n[8:]}",
        _digits(rng, rng.randrange(6, 21)),
        "٨٧٠١" + _digits(rng, 7),
        f"{_digits(rng, 4)} {_digits(rng, 4)} {_digits(rng, 4)} {_digits(rng, 4)}",
        f"{_digits(rng, 3)} {_digits(rng, 3)} {_digits(rng, 3)}",
        f"N{_digits(rng, 8)}",
        f"{rng.randrange(1, 29):02d}.{rng.randrange(1, 13):02d}.{rng.randrange(1950, 2020)}",
        f"2024-03-05 12:{rng.randrange(60):02d}",
        f"{_digits(rng, 2)}/{_digits(rng, 2)}/{_digits(rng, 2)}",
        f"user{_digits(rng, 2)}@mail.ru",
        f"+7 701 *** {_digits(rng, 2)} {_digits(rng, 2)}",
        f"8 {n[:3]} {n[3:6]} {n[6:]} доб. {_digits(rng, 3)}",
        f"8 {n[:3]} {n[3:6]} {n[6:]}/8 {n[:3]} {n[3:6]} {n[6:]}",
        f"?utm={n}",
        f"phone={n}",
    ]
    return rng.choice(forms)


def prose(rng: random.Random) -> str:
    """A support message: filler, names and numbers, glued the ways people type them."""
    parts = []
    for _ in range(rng.randrange(1, 9)):
        kind = rng.random()
        if kind < 0.45:
            parts.append(rng.choice(FILLER))
        elif kind < 0.55:
            parts.append(rng.choice(NAMES))
        else:
            parts.append(_number(rng))
        parts.append(rng.choice(GLUE))
    return "".join(parts[:-1] if rng.random() < 0.5 else parts)


def texts(count: int, seed: int = RNG_SEED) -> Iterator[str]:
    rng = random.Random(seed)
    for _ in range(count):
        yield prose(rng)


def _found(results: list) -> list[tuple]:
    return [
        (r.entity_type, r.start, r.end, r.score, evidence_of(r), attributes_of(r)) for r in results
    ]


# PHONE_NUMBER ----------------------------------------------------------------------------------


class LibraryMatcherPhones(PhoneRecognizer):
    """PHONE_NUMBER as it was: every text that is no plain shape goes to the library's matcher."""

    def _matches(self, text: str):  # noqa: ANN202 (the same iterator as the parent's)
        if phone_number._PLAIN_SHAPES.fullmatch(text):
            yield from super()._matches(text)
            return
        matcher = phonenumbers.PhoneNumberMatcher(
            text, "KZ", phonenumbers.Leniency.VALID, min_candidate_length=phone_number.MIN_DIGITS
        )
        for match in matcher:
            yield match.start, match.end, match.raw_string, match.number, None


PHONE_PROSE = [
    (
        "Перезвоните мне по номеру 7 (705) 347-31-98. ИИН ученика 830106459382.",
        [("PHONE_NUMBER", 26, 43, 0.85, ["numbering plan"], {"region": "KZ"})],
    ),
    (
        "Списали с карты 4400438039472295 дважды, звоните 8(701)1234567 или +7 747 555 12 34.",
        [
            ("PHONE_NUMBER", 49, 62, 0.85, ["numbering plan"], {"region": "KZ"}),
            ("PHONE_NUMBER", 67, 83, 0.85, ["numbering plan"], {"region": "KZ"}),
        ],
    ),
    # a Latin letter or a currency sign beside a number turns it away; "(" and "+" lead it
    ("abc8 701 123 4567, 8 701 123 4567$ и $87011234567", []),
    ("тел(+7 701 123 45 67)", []),
    (
        "тел. (+7 701 123 45 67)",
        [("PHONE_NUMBER", 5, 22, 0.95, ["numbering plan", "context: тел."], {"region": "KZ"})],
    ),
    # a 12-digit run opening with 78 parses as +7 8…: a bare number of that length is no phone
    ("код 787011234567 и ИИН 900101300126", []),
    # an invalid number of a plain shape: its digit groups are tried too, none is a phone
    ("номер 8 799 123 4567 не отвечает", []),
]


@pytest.mark.parametrize(("text", "expected"), PHONE_PROSE)
def test_phone_in_prose(text: str, expected: list[tuple]) -> None:
    assert _found(PhoneRecognizer().analyze(text, None, None, ["body"])) == expected
    assert _found(LibraryMatcherPhones().analyze(text, None, None, ["body"])) == expected


@pytest.mark.parametrize("context", [None, ["body"], ["phone"]])
def test_phone_in_random_prose_equals_the_library_matcher(context: list[str] | None) -> None:
    quick, library = PhoneRecognizer(), LibraryMatcherPhones()  # plain shapes aside: the same
    found = 0
    for text in texts(1500):
        expected = _found(library.analyze(text, None, None, context))
        assert _found(quick.analyze(text, None, None, context)) == expected, text
        found += len(expected)
    assert found > 300


# KZ_ID_DOCUMENT ---------------------------------------------------------------------------------

DOCUMENT_PROSE = [
    "уд. личности 043812765, выдано МВД",
    "паспорт N 12345678 и н12345678, старый A1234567",
    "паспорт Н12345678",
    "номер 043 812 765 и 043-812-765, но не 900 101 300 126 и не 8 701 123 456 78",
    "043 812-765",
    "ИИН 900101300126, карта 4400438039472295, заказ № 43617",
    "x043812765 043812765x _043812765",
    "N123456789 AB1234567 a1234567",
    "٠٤٣٨١٢٧٦٥",
    "N 1234567 8",
    "",
]


@pytest.mark.parametrize("text", DOCUMENT_PROSE)
def test_document_search_before_runs_equals_the_pattern_search(text: str) -> None:
    from pdaudit.recognizers import kz_id_document

    expected = kz_id_document.CANDIDATE.search(text) is not None
    assert kz_id_document._searched(text) == expected
    if expected and text.isprintable():
        assert search_selects(kz_id_document.KzIdDocumentRecognizer(), [text]) == [True]


def test_document_search_on_prose_holds_the_pattern_search() -> None:
    from pdaudit.recognizers import kz_id_document

    document = kz_id_document.KzIdDocumentRecognizer()
    rng = random.Random(RNG_SEED + 2)
    seen = set()
    variants = []
    for text in texts(1500, seed=RNG_SEED + 2):
        cut = rng.randrange(len(text) + 1)
        variants += [text, text[:cut], text[cut:], text.upper()]
    for variant, selected in zip(variants, search_selects(document, variants), strict=True):
        expected = kz_id_document.CANDIDATE.search(variant) is not None
        assert kz_id_document._searched(variant) == expected, variant
        assert selected or not expected, variant
        seen.add(expected)
    assert seen == {True, False}


# ADDRESS ----------------------------------------------------------------------------------------

ADDRESS_PROSE = [
    ("ул. Абая 10", True),
    ("Живу на ул. Абая 10, кв. 5", True),
    ("(ул.Абая 10)", True),
    ("62-үй-кв.5", True),
    ("«мкр» Самал", True),
    ("1мкр Самал", True),
    ("\U0001f600ул Абая", True),  # a sign beyond U+FFFF before the marker
    ("\u0483ул Абая", True),  # a combining mark is no letter
    ("бул Абая", False),
    ("Здравствуйте, не могу открыть урок по математике.", False),
    ("Ǆул Абая", False),  # a letter outside Latin and Cyrillic glued to the marker
    ("\U00010400ул", False),  # a letter beyond U+FFFF
    ("УЛ. АБАЯ", True),
    ("İул", True),  # lower-cased, İ ends in a combining dot: the folded text decides
]


@pytest.mark.parametrize(("text", "expected"), ADDRESS_PROSE)
def test_address_has_marker_in_prose(text: str, expected: bool) -> None:
    from pdaudit.recognizers import address
    from pdaudit.recognizers.base import fold

    assert address.has_marker(text) is expected
    assert (address._marker_search().search(fold(text)) is not None) is expected


def test_address_sure_letters_are_letters() -> None:
    import re

    from pdaudit.recognizers import address

    letter = re.compile(address._LETTER)
    sure = re.compile(f"[{address._SURE_LETTERS}]")
    assert all(letter.match(chr(code)) for code in range(0x10000) if sure.match(chr(code)))


def test_address_has_marker_on_prose_equals_the_marker_search() -> None:
    from pdaudit.recognizers import address
    from pdaudit.recognizers.base import fold

    rng = random.Random(RNG_SEED + 3)
    seen = set()
    glue = [
        "",
        " ",
        "-",
        "(",
        "1",
        "\u00ab",
        "\U0001f600",
        "\U0001d400",
        "a",
        "Ж",
        "\n",
        "ǅ",
        "\u0301",
    ]
    for text in texts(1500, seed=RNG_SEED + 3):
        cut = rng.randrange(len(text) + 1)
        variant = text[:cut] + rng.choice(glue) + text[cut:]
        for candidate in (text, variant, text[cut:], variant.upper()):
            expected = address._marker_search().search(fold(candidate)) is not None
            assert address.has_marker(candidate) is expected, candidate
            seen.add(expected)
    assert seen == {True, False}


# PERSON -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "abc",
        "Иванов Иван",
        "\ud800",
        "a\udfff b",
        "Ж\ud83d",
        "\uffff",
        "a\U0001f600",
        "\U00010400",
    ],
)
def test_person_beyond_bmp_equals_the_astral_search(text: str) -> None:
    from pdaudit.recognizers.person import tokens as person

    assert person._beyond_bmp(text) == (person._ASTRAL.search(text) is not None)


def test_person_beyond_bmp_on_prose_equals_the_astral_search() -> None:
    from pdaudit.recognizers.person import tokens as person

    rng = random.Random(RNG_SEED + 4)
    for text in texts(500, seed=RNG_SEED + 4):
        cut = rng.randrange(len(text) + 1)
        for extra in ("", "\U0001f600", "\ud83d", "\U00010400"):
            variant = text[:cut] + extra + text[cut:]
            assert person._beyond_bmp(variant) == (person._ASTRAL.search(variant) is not None)
