"""EMAIL_ADDRESS and PHONE_NUMBER: spans, scores, regions, and what must not be called one.
All addresses and numbers are invented."""

from __future__ import annotations

import pytest
from phone_forms import as_matched, written_forms

from pdaudit.recognizers import email_address
from pdaudit.recognizers.base import attributes_of, evidence_of
from pdaudit.recognizers.email_address import EmailRecognizer
from pdaudit.recognizers.phone_number import PhoneRecognizer
from pdaudit.scanner.analysis import search_selects

LONG = "8" * 10_000
BINARY = "\x00\xff\xfe" * 50 + "\x00+7 701 123 45 67\xff"

PHONE_CASES = [
    # Kazakh numbers in every written form, and the region of each
    ("+7 (701) 123-45-67", [(0, 18, 0.85, "KZ")]),
    ("8 701 123 45 67", [(0, 15, 0.85, "KZ")]),
    ("87011234567", [(0, 11, 0.75, "KZ")]),
    ("+77011234567", [(0, 12, 0.85, "KZ")]),
    ("+7 7172 55 66 77", [(0, 16, 0.85, "KZ")]),
    ("8(727)356-05-60", [(0, 15, 0.85, "KZ")]),
    ("7011234567", [(0, 10, 0.5, "KZ")]),
    ("тел.: 8 701 123 45 67", [(6, 21, 0.95, "KZ")]),
    ("Телефон нөмірі +7 747 555 12 34", [(15, 31, 0.95, "KZ")]),
    ("87011234567, 87021234567", [(0, 11, 0.75, "KZ"), (13, 24, 0.75, "KZ")]),
    # +7 shared with Russia; other countries
    ("+7 495 123-45-67", [(0, 16, 0.85, "RU")]),
    ("8 (495) 123-45-67", [(0, 17, 0.85, "RU")]),
    ("+998 90 123 45 67", [(0, 17, 0.85, "UZ")]),
    ("+49 30 123456", [(0, 13, 0.85, "DE")]),
    # masked numbers
    ("+7 7** *** ** 70", []),
    ("+7 701 *** 45 67", []),
    ("8 701 123 ** 67", []),
    # digits inside other numbers: ИИН, IBAN, card, ИНН, order numbers
    ("ИИН 900101300126", []),
    ("KZ86125KZT5004100100", []),
    ("4400 4301 2345 6789", []),
    ("900 101 300 126", []),
    ("Заказ 87011234567-1", []),
    ("a+77011234567", []),
    ("+7 701 123 45 67 89", []),
    # near misses: a bare 10-digit number that is not a mobile, short numbers, dates
    ("7707083893", []),
    ("1234567", []),
    ("12.03.2024", []),
    # the shortest valid numbers have six digits; the text needs seven before any is reported
    ("+43 1110, заказ 123", [(0, 8, 0.85, "AT")]),
    ("+43 1110", []),
    # order numbers are too short to be candidates; the phone beside them is found
    ("заказ № 39408, тел. 8 701 816 4133", [(20, 34, 0.95, "KZ")]),
    ("Заказ 55261 и 80357. 87024982269", [(21, 32, 0.75, "KZ")]),
    # junk
    ("", []),
    (BINARY, []),
    (LONG, []),
]


@pytest.mark.parametrize(("text", "expected"), PHONE_CASES)
def test_phone_spans_scores_regions(text, expected):
    results = PhoneRecognizer().analyze(text, None)
    got = [(r.start, r.end, r.score, attributes_of(r)["region"]) for r in results]
    assert got == expected
    assert all(r.entity_type == "PHONE_NUMBER" for r in results)


def test_phone_evidence_and_field_context():
    (result,) = PhoneRecognizer().analyze("87011234567", None, None, context=["mobile", "phone"])
    assert (result.start, result.end, result.score) == (0, 11, 0.95)
    assert evidence_of(result) == ["numbering plan", "field name: mobile"]


# URL query values and key=value pairs whose key does not say phone are not phones; an extension
# stays out of the span (the span is the number that reaches a person).
PHONE_URLS_AND_EXTENSIONS = [
    ("https://mirum.kz/?utm_source=fb&utm_campaign=87479001122", []),
    ("utm_term=77019998877", []),
    ("ref=87019998877", []),
    ("?77019998877", []),
    ("&id=87019998877", []),
    ("phone=87019998877", [(6, 17, 0.95)]),
    ("tel=+77019998877", [(4, 16, 0.95)]),
    ("client_phone=87019998877", [(13, 24, 0.95)]),
    ("?phone=87019998877&utm_source=x", [(7, 18, 0.95)]),
    ("Звоните: +7-701-555-12-34 доб. 208, с 10 до 19", [(9, 25, 0.85)]),
    ("+7 727 356 05 60 ext. 12", [(0, 16, 0.85)]),
    ("8 (727) 356-05-60, вн. 1234", [(0, 17, 0.85)]),
    ("тел. +7 701 555 12 34 #77", [(5, 21, 0.95)]),
    ("87019998877 доб 3", [(0, 11, 0.75)]),  # scored as the bare number it is
]


@pytest.mark.parametrize(("text", "expected"), PHONE_URLS_AND_EXTENSIONS)
def test_phone_url_values_and_extensions(text, expected):
    results = PhoneRecognizer().analyze(text, None)
    assert [(r.start, r.end, r.score) for r in results] == expected


EMAIL_CASES = [
    ("ivan.petrov@mail.kz", [(0, 19, 1.0)]),
    ("почта: ivan.petrov@mail.kz.", [(7, 26, 1.0)]),
    ("иван@почта.рф", [(0, 13, 1.0)]),
    ("user@пример.қаз", [(0, 15, 1.0)]),
    ("Ivan <ivan@mail.kz>", [(6, 18, 1.0)]),
    ("ivan@mail.kz,petr@mail.ru", [(0, 12, 1.0), (13, 25, 1.0)]),
    ("a.b+tag@sub.company.co.uk", [(0, 25, 1.0)]),
    # masked addresses
    ("i***@mail.kz", []),
    ("***@mail.kz", []),
    ("iv**n@mail.kz", []),
    # near misses: file names, hashes, broken syntax
    ("icon@2x.png", []),
    ("5d41402abc4b2a76b9719d911017c592", []),
    ("ivan@mail", []),
    ("ivan@@mail.kz", []),
    ("ivan.@mail.kz", []),
    ("a@b", []),
    ("x" * 70 + "@mail.kz", []),
    # junk
    ("", []),
    (BINARY, []),
    ("@" * 10_000, []),
]


@pytest.mark.parametrize(("text", "expected"), EMAIL_CASES)
def test_email_spans_and_scores(text, expected):
    results = EmailRecognizer().analyze(text, None)
    assert [(r.start, r.end, r.score) for r in results] == expected
    assert all(r.entity_type == "EMAIL_ADDRESS" for r in results)


def test_email_evidence():
    (result,) = EmailRecognizer().analyze("E-mail: a.b@mail.kz", None)
    assert evidence_of(result) == ["syntax", "context: e-mail"]
    (result,) = EmailRecognizer().analyze("a.b@mail.kz", None, None, context=["email"])
    assert evidence_of(result) == ["syntax", "field name: email"]


@pytest.mark.parametrize("junk", [None, "", "€", object(), 42, "@"])
def test_email_is_valid_takes_junk(junk):
    assert email_address.is_valid(junk) is False


@pytest.mark.parametrize("cls", [EmailRecognizer, PhoneRecognizer])
@pytest.mark.parametrize("junk", [None, "", 123, object(), "\x00\xff" * 5000])
def test_never_raise(cls, junk):
    assert cls().analyze(junk, None) == []


@pytest.mark.parametrize("cls", [EmailRecognizer, PhoneRecognizer])
def test_skip_unrequested_entities(cls):
    assert cls().analyze("+7 701 123 45 67 ivan@mail.kz", ["KZ_IIN"]) == []


@pytest.mark.parametrize("text", ["сервер 87.255.194.16", "93.184.216.34", "ip: 10.0.0.1"])
def test_dotted_quads_are_not_phones(text):
    from pdaudit.recognizers.phone_number import PhoneRecognizer

    assert PhoneRecognizer().analyze(text, ["PHONE_NUMBER"]) == []


def test_no_valid_number_is_shorter_than_the_candidate_floor():
    """``MIN_DIGITS`` skips candidates unparsed: no region's valid numbers may be shorter."""
    import phonenumbers
    from phonenumbers import PhoneMetadata
    from phonenumbers.phonenumberutil import COUNTRY_CODE_TO_REGION_CODE

    from pdaudit.recognizers.phone_number import MIN_DIGITS

    shortest = min(
        len(str(code)) + min(length for length in meta.general_desc.possible_length if length > 0)
        for code, regions in COUNTRY_CODE_TO_REGION_CODE.items()
        for region in regions
        if (meta := PhoneMetadata.metadata_for_region_or_calling_code(code, region)) is not None
    )
    assert shortest == MIN_DIGITS == 6
    assert phonenumbers.is_valid_number(phonenumbers.parse("+43 1110"))


# Texts that ``_holds_no_number`` settles without ``phonenumbers`` (an ИИН or other digit run,
# an ISO date or time stamp, fewer than nine digits and no plus sign), and their near neighbours
# that still go through it: the spans must be what ``phonenumbers`` alone gives.
PHONE_FAST_PATH_CASES = [
    # digit runs: only a whole text of 10 or 11 digits can be a bare number
    ("900101300126", [], False),
    ("870112345678", [], False),
    ("12345678901234", [], False),
    ("87011234567", [(0, 11, 0.75, "KZ")], True),
    ("77011234567", [(0, 11, 0.75, "KZ")], True),
    ("8701123456", [], True),
    # ISO dates and time stamps, alone and next to a phone
    ("1990-01-15", [], False),
    ("2024-03-05 12:34:56", [], False),
    ("2024-03-05 12:34:56 тел. 87011234567", [(25, 36, 0.95, "KZ")], True),
    ("2024-03-05 12:34", [], True),
    ("2024-03-05T12:34:56", [], True),
    # without a plus sign a number has nine digits or more: 810 and an international number
    ("810 43 1110", [(0, 11, 0.85, "AT")], True),
    ("8 10 43 1110", [(0, 12, 0.85, "AT")], True),
    ("810 43 111", [], False),
    # a phone next to an IBAN
    ("KZ86125KZT5004100100 +7 701 123 45 67", [(21, 37, 0.85, "KZ")], True),
    ("KZ86125KZT5004100100 87011234567", [(21, 32, 0.75, "KZ")], True),
    ("IBAN KZ86125KZT5004100100, тел. 8 (701) 123-45-67", [(32, 49, 0.95, "KZ")], True),
    # +7: Kazakh 7xx, Russian the rest; 6xx is Kazakh but unassigned
    ("+7 (700) 123-45-67", [(0, 18, 0.85, "KZ")], True),
    ("+7 (812) 123-45-67", [(0, 18, 0.85, "RU")], True),
    ("8 (812) 123-45-67", [(0, 17, 0.85, "RU")], True),
    ("+7 (800) 555-35-35", [(0, 18, 0.85, "RU")], True),
    ("+7 (600) 123-45-67", [], True),
    # brackets and hyphens
    ("8(777)0469342", [(0, 13, 0.85, "KZ")], True),
    ("7 (775) 063-61-33", [(0, 17, 0.85, "KZ")], True),
    ("8-701-123-45-67", [(0, 15, 0.85, "KZ")], True),
    ("8 (7172) 55-66-77", [(0, 17, 0.85, "KZ")], True),
    ("[701] 123 45 67", [(0, 15, 0.85, "KZ")], True),
    ("(8 701) 123-45-67", [(0, 17, 0.85, "KZ")], True),
    ("8 701 123 45 67 / 8 702 123 45 67", [(0, 15, 0.85, "KZ"), (18, 33, 0.85, "KZ")], True),
]


@pytest.mark.parametrize(("text", "expected", "might"), PHONE_FAST_PATH_CASES)
def test_phone_fast_path(text, expected, might):
    recognizer = PhoneRecognizer()
    results = recognizer.analyze(text, None)
    assert [(r.start, r.end, r.score, attributes_of(r)["region"]) for r in results] == expected
    # ``might``: the text has seven digits and is not provably no number by ``analyze``'s quick
    # tests; the search selects every text with a number, and none that those tests rule out.
    selected = search_selects(recognizer, [text]) == [True]
    assert (selected or not expected) and (might or not selected)


@pytest.mark.parametrize(("text", "expected"), PHONE_CASES + PHONE_URLS_AND_EXTENSIONS)
def test_phone_prefilter_keeps_every_phone(text, expected):
    assert search_selects(PhoneRecognizer(), [text]) == [True] or not expected


def test_no_number_without_plus_sign_has_fewer_than_nine_digits():
    """The nine-digit floor of ``_holds_no_number`` for numbers written without a plus sign."""
    import itertools

    import phonenumbers
    from phonenumbers import PhoneMetadata

    kz, ru = PhoneMetadata.metadata_for_region("KZ"), PhoneMetadata.metadata_for_region("RU")
    assert kz.international_prefix == "810"
    assert min(kz.general_desc.possible_length) == min(ru.general_desc.possible_length) == 10
    valid = []
    for length in range(6):
        for tail in itertools.product("0123456789", repeat=length):
            try:
                number = phonenumbers.parse("810" + "".join(tail), "KZ")
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(number):
                valid.append(number)
    assert valid == []


def test_plain_shapes_equal_the_matcher():
    """The shapes ``_matches`` parses itself give what the matcher gives, for every prefix."""
    import random

    import phonenumbers

    from pdaudit.recognizers.phone_number import _PLAIN_SHAPES

    rng = random.Random(7)
    recognizer = PhoneRecognizer()
    shortcuts = 0
    for prefix in range(1000):
        for _ in range(2):
            n = f"{prefix:03d}{rng.randrange(10**7):07d}"
            for text in written_forms(n):
                shortcuts += _PLAIN_SHAPES.fullmatch(text) is not None
                matcher = phonenumbers.PhoneNumberMatcher(
                    text, "KZ", phonenumbers.Leniency.VALID, min_candidate_length=6
                )
                expected = [(m.start, m.end, m.raw_string, m.number) for m in matcher]
                got = list(recognizer._matches(text))
                assert list(map(as_matched, got)) == expected, text
                for found in got:
                    number, region = as_matched(found)[3], found[4]
                    assert region in (None, phonenumbers.region_code_for_number(number))
    assert shortcuts == 2 * (2 * 800 + 4 * 100)  # +7 and not 0xx or 8xx; 8 or 7 and 7xx
