"""The fast paths of the number recognizers give exactly what the slow, plain ways give.

Validators of ASCII digits skip ``validate()`` and its exceptions, checksums sum character codes,
a text of digits alone skips the regex runs, and context words are worked out once per field.
Each is held here against the way it replaced, on exact examples and on seeded random numbers.
"""

from __future__ import annotations

import datetime
import random
import re

import phonenumbers
import pytest
from reads import texts_read
from stdnum.exceptions import ValidationError
from stdnum.ru import inn as std_inn

from pdaudit.recognizers import (
    base,
    checksums,
    date_of_birth,
    kz_bin,
    kz_iin,
    phone_number,
    ru_inn,
    ru_passport,
    ru_snils,
)
from pdaudit.recognizers.base import (
    Candidate,
    ContextRecognizer,
    ContextWords,
    Search,
    as_tuple,
    context_evidence,
    digit_runs,
    digits_search,
    evidence_of,
    load_words,
)
from pdaudit.scanner.analysis import Searches


def _selected(search: Search | None, texts: list[str]) -> list[bool]:
    """Whether the analysis's search pass selects each text."""
    (chosen,) = Searches([search]).select(texts)
    picked = set(range(len(texts)) if chosen is None else chosen)
    return [i in picked for i in range(len(texts))]


_DOCUMENT_DIGITS = re.compile(r"\d(?:\d{6}|\d\d[ \u00a0\-]\d{3}[ \u00a0\-]\d{3})")
RNG_SEED = 20240305


def _numbers(count: int, lengths: tuple[int, ...]) -> list[str]:
    rng = random.Random(RNG_SEED)
    return [
        "".join(rng.choice("0123456789") for _ in range(rng.choice(lengths))) for _ in range(count)
    ]


def _with_check(prefix: str) -> str:
    check = checksums.mod11_two_pass(prefix)
    return prefix + str(check if check is not None else 0)


def _slow_mod11(digits: str) -> int | None:
    values = [int(d) for d in digits[:11]]
    for weights in ((1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)):
        check = sum(w * v for w, v in zip(weights, values, strict=True)) % 11
        if check != 10:
            return check
    return None


def _by_exception(validate, number) -> bool:
    try:
        return bool(validate(number))
    except ValidationError:
        return False


def test_mod11_sums_of_codes_equal_weighted_digits():
    for number in _numbers(3000, (11, 12)):
        assert checksums.mod11_two_pass(number) == _slow_mod11(number)
    assert checksums.mod11_two_pass("90010130080") is None
    assert checksums.mod11_is_valid("900101300126") is True
    assert checksums.mod11_is_valid("900101300127") is False


# Birth dates around leap days in each century the century digit names (1800, 1900, 2000).
IIN_PREFIXES = [
    yy + mmdd + century
    for yy in ("00", "96", "97", "04", "99")
    for mmdd in ("0229", "0228", "0230", "0431", "1231", "1301", "0001", "0100")
    for century in "0123456789"
]


@pytest.mark.parametrize("prefix", IIN_PREFIXES)
def test_iin_fast_path_equals_validate(prefix):
    number = _with_check(prefix + "1234")
    assert kz_iin.is_valid(number) == _by_exception(kz_iin.validate, number)
    assert kz_bin.is_valid(number) == _by_exception(kz_bin.validate, number)


def test_iin_leap_days_by_century():
    # 29 February 1900 did not exist (century digit 3), 29 February 2000 did (5).
    assert kz_iin.is_valid(_with_check("00022930123")) is False
    assert kz_iin.is_valid(_with_check("00022950123")) is True
    assert kz_iin.is_valid(_with_check("96022930123")) is True


def test_iin_bin_inn_snils_equal_validate_on_random_numbers():
    for number in _numbers(4000, (10, 11, 12, 13)):
        assert kz_iin.is_valid(number) == _by_exception(kz_iin.validate, number)
        assert kz_bin.is_valid(number) == _by_exception(kz_bin.validate, number)
        assert ru_inn.is_valid(number) == _by_exception(ru_inn.validate, number)
        assert ru_snils.is_valid(number) == _by_exception(ru_snils.validate, number)


def test_inn_check_digits_equal_stdnum():
    for number in _numbers(3000, (10, 12)):
        if len(number) == 10:
            assert ru_inn._check_digits(number)[1] == std_inn.calc_company_check_digit(number)
        else:
            assert ru_inn._check_digits(number) == std_inn.calc_personal_check_digits(number)


def test_snils_check_digits_equal_weighted_digits():
    for number in _numbers(3000, (11,)):
        assert ru_snils._check_digits(number) == ru_snils.calc_check_digits(number)


@pytest.mark.parametrize(
    "junk", [None, "", "€", "１２３４５６７８９０１２", "٣" * 12, "90010130012a", "9001 0130 012"]
)
def test_fast_paths_take_only_ascii_digits(junk):
    for module in (kz_iin, kz_bin, ru_inn, ru_snils):
        assert module.is_valid(junk) is False


@pytest.mark.parametrize(
    ("text", "lengths", "expected"),
    [
        ("900101300126", {12}, [(0, 12, "900101300126")]),
        ("900101300126", {10}, []),
        ("ИИН 900 101 300 126", {12}, [(4, 19, "900101300126")]),
        ("ИНН 7707083893 870112", {10}, [(4, 14, "7707083893")]),
        ("ORD-900101300123", {12}, []),
        ("2024-03-05 12:34:56", {10}, [(0, 13, "2024030512")]),
    ],
)
def test_number_candidates(text, lengths, expected):
    assert [tuple(c) for c in base.number_candidates(text, lengths)] == expected
    assert [tuple(c) for c in digit_runs(text, lengths)] == expected


def test_candidate_is_a_named_tuple_with_grouped():
    found = Candidate(4, 19, "900101300126")
    assert (found.start, found.end, found.value, found.grouped) == (4, 19, "900101300126", True)
    assert Candidate(0, 12, "900101300126").grouped is False


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("900101300126", {12}),
        ("2024-03-05 12:34:56", {2, 4, 10}),
        ("+7 778 802 66 94", {1, 2, 3, 11}),
        ("Иван", set()),
        ("", set()),
        ("٣٣٣", set()),
        ("12\u00a034-5", {1, 2, 5}),
    ],
)
def test_digits_search_selects_every_digit_run(text, expected):
    # Every length digit_runs yields is one ``digits_search`` of that length selects the text for.
    for length in range(1, 20):
        if list(digit_runs(text, {length})):
            assert length in expected
            assert _selected(digits_search(length), [text]) == [True]


@pytest.mark.parametrize(
    ("text", "start", "end", "field"),
    [
        ("900101300126", 0, 12, None),
        ("900101300126", 0, 12, ["client", "iin"]),
        ("900101300126", 0, 12, ["iin_number"]),
        ("ИИН 900101300126", 4, 16, None),
        ("ИИН 900101300126", 4, 16, ["inn"]),
        ("Клиент 900101300126, ЖСН", 7, 19, ["x"]),
        ("иин900101300126", 3, 15, None),
    ],
)
def test_context_words_equal_context_evidence(text, start, end, field):
    words = load_words("context_kz_iin")
    ready = ContextWords(words)
    assert ready.evidence(text, start, end, field) == context_evidence(
        text, start, end, words, field
    )
    assert ready.evidence(text, start, end, field) == ready.evidence(text, start, end, field)


def test_context_words_without_words():
    assert ContextWords([]).evidence("ИИН 900101300126", 4, 16, ["iin"]) is None


def _library_region(national: str) -> str | None:
    number = phonenumbers.PhoneNumber(country_code=7, national_number=int(national))
    region = phonenumbers.region_code_for_number(number)
    return region if phonenumbers.is_valid_number_for_region(number, region) else None


def test_plus7_region_equals_phonenumbers():
    rng = random.Random(RNG_SEED)
    # Every three-digit start of a ten-digit national number, and random numbers of other lengths.
    numbers = [
        f"{prefix:03d}" + "".join(rng.choice("0123456789") for _ in range(7))
        for prefix in range(100, 1000)
    ]
    numbers += [
        str(rng.randrange(1, 10))
        + "".join(rng.choice("0123456789") for _ in range(rng.randrange(5, 14)))
        for _ in range(3000)
    ]
    numbers += ["7011234567", "7001234567", "7271234567", "9161234567", "3361234567", "8001234567"]
    for national in numbers:
        assert phone_number._plus7_region(national) == _library_region(national), national


@pytest.mark.parametrize(
    "text",
    [
        "900101300126",
        "ivan.petrov@mail.kz",
        "Счёт KZ86 125K ZT50 0410 0100 KZT",
        "xKZ86125KZT5004100100",
        "KZ86125KZT5004100100",
        "1KZ86125KZT5004100100",
        "-KZ86125KZT5004100100",
        "Иванов Иван Иванович",
        "DE89 3704 0044 0532 0130 00",
    ],
)
def test_iban_search_holds_the_candidate_search(text):
    from pdaudit.recognizers.iban import _CANDIDATE, IbanRecognizer

    recognizer = IbanRecognizer()
    (selected,) = _selected(recognizer.SEARCH, [text])
    if _CANDIDATE.search(text) is not None or recognizer.analyze(text, None):
        assert selected


MIGHT_TEXTS = [
    "900101300126",
    "87011234567",
    "7011234567",
    "123456",
    "2024-13-05 12:34:56",
    "2024-03-05 12:34:56",
    "3024-03-05 12:34:56",
    "2024-03-05 12:34",
    "+7 701 123 45 67 доб. 1",
    "ivan.petrov1990@mail.kz",
    "call 1-800-FLOWERS",
    "+7 778 802 66 94",
    "1990-01-15",
    "Иванов Иван Иванович",
    "паспорт 45 06 № 123456",
    "4506123456",
    "45 06 номер 123456",
    "45 06 No. 123456",
    "серия 45 06 n 123456, паспорт",
    "x4506123456",
    "-4506 123456",
    "4506-1234567",
    "١٢٣٤٥٦٧٨٩٠١",
    "тел 8 701 123 45 67",
    "Счёт KZ86 125K ZT50 0410 0100",
]


@pytest.mark.parametrize("text", MIGHT_TEXTS)
def test_phone_search_holds_its_tests(text):
    recognizer = phone_number.PhoneRecognizer()
    (selected,) = _selected(recognizer.SEARCH, [text])
    # The search is the seven-digit floor, 10 or 11 digits in a text of ASCII digits alone, no
    # time stamp, and (national forms read as +7 only) a plus sign or a number's digits
    # (``_PLUS7_NUMBER``, read here by Python's ``re``); ``analyze`` rules out the rest itself.
    bare = text.isascii() and text.isdigit()
    expected = (
        phone_number._SEVEN_DIGITS.match(text) is not None
        and (not bare or 10 <= len(text) <= 11)
        and not (text.isascii() and phone_number._TIMESTAMP.fullmatch(text))
        and re.search(phone_number._PLUS7_NUMBER, text) is not None
    )
    assert selected == expected
    if recognizer.analyze(text, None):
        assert selected


@pytest.mark.parametrize("text", MIGHT_TEXTS)
@pytest.mark.parametrize("context", [None, ["pasport"], ["x"]])
def test_passport_early_exit_equals_the_full_reading(text, context):
    recognizer = ru_passport.RuPassportRecognizer()
    recognizer.load()
    named = recognizer.field_word(context)
    fast = recognizer.find(text, named, context)
    full = ContextRecognizer.find(recognizer, text, named, context)
    assert [(r.start, r.end, r.score, r.recognition_metadata) for r in fast] == [
        (r.start, r.end, r.score, r.recognition_metadata) for r in full
    ]


def test_dob_today_is_the_calendar_date():
    # Bracketed by the calendar: a run that crosses midnight sees one of the two days.
    before = datetime.date.today()
    got = date_of_birth._today()
    assert got in (before, datetime.date.today())
    first, second = date_of_birth._today(), date_of_birth._today()
    assert second is first or second == first + datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("text", "context", "expected"),
    [
        ("1996-08-03", ["birth_date"], [(0, 10, 0.85, ["field name: birth"])]),
        ("12/25/1995", ["dob"], [(0, 10, 0.85, ["field name: dob"])]),
        ("1995", ["birth_year"], [(0, 4, 0.75, ["field name: birth"])]),
        ("12 марта 1995", ["birth_date"], [(0, 13, 0.85, ["field name: birth"])]),
        ("2099-01-01", ["birth_date"], []),
        ("1996-08-03", ["created"], []),
        ("дата рождения: 12.03.1995", None, [(15, 25, 0.9, ["context: дата рождения"])]),
        ("12.03.1995 г.р.", None, [(0, 10, 0.9, ["context: г.р."])]),
    ],
)
def test_dob_whole_text_dates(text, context, expected):
    recognizer = date_of_birth.DateOfBirthRecognizer()
    recognizer.load()
    found = recognizer.analyze(text, None, context=context)
    assert [(r.start, r.end, r.score, evidence_of(r)) for r in found] == expected


def test_shapes_keep_what_digit_runs_look_at():
    glue = base._GLUE | base._SOFT_GLUE | {" ", "-"}
    for code in range(128):
        char, shaped = chr(code), chr(base._SHAPE_TABLE[code])
        assert char.isdigit() == shaped.isdigit()
        assert char.isalnum() == shaped.isalnum()
        assert (char in glue) == (shaped in glue)
        if char in glue:
            assert shaped == char


def test_shape_memo_equals_reading_each_text():
    rng = random.Random(RNG_SEED)
    alphabet = "0123456789" * 4 + " -.,_/#+*@\\:;!?()xyzKZ\t"
    texts = [
        "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 40))) for _ in range(4000)
    ]
    # Texts of one shape with different digits and different "other" characters.
    texts += [
        f"{a}-{b:02d}-{c:02d} 12:34:5{d}"
        for a in (1999, 2024)
        for b in (1, 12)
        for c in (3, 31)
        for d in (0, 9)
    ]
    texts += ["2024-03-05!12", "2024-03-05?12", "2024-03-05a12", "2024-03-05_12"]
    for text in texts * 2:  # the second time from the memo
        for lengths in ((10, 12), (11,), (12,), range(13, 20), {7, 8, 9}):
            assert base.number_candidates(text, lengths) == base._number_candidates(
                text, lengths
            ), text


DOCUMENT_TEXTS = [
    "012345678",
    "0123456789",
    "N12345678",
    "n 12345678",
    "A1234567",
    "AB1234567",
    "012 345 678",
    "012-345-678",
    "012-345 678",
    "1 012 345 678",
    "x012345678",
    "_012345678",
    "уд. 012 345 678",
    "+77051574702",
    "2024-03-05 12:34:56",
    "fe80::1",
    "IP 10.2.3.4",
    "a1.2.3.4",
    "1.2.3",
    "12:30:45",
    "1:2:3:4:5:6:7",
    "ivan.petrov1990@mail.kz",
]


def test_document_and_ip_searches_hold_their_candidates():
    from pdaudit.recognizers import ip_address, kz_id_document

    document = kz_id_document.KzIdDocumentRecognizer()
    document.load()
    ip = ip_address.IpAddressRecognizer()
    ip.load()
    rng = random.Random(RNG_SEED)
    texts = DOCUMENT_TEXTS + [
        f"{rng.choice(DOCUMENT_TEXTS)} {rng.choice(DOCUMENT_TEXTS)}" for _ in range(500)
    ]
    variants = [v for text in texts for v in (text, text.upper(), text.lower())]
    for_document = _selected(document.SEARCH, variants)
    for_ip = _selected(ip.SEARCH, variants)
    for variant, doc_selected, ip_selected in zip(variants, for_document, for_ip, strict=True):
        # the quick test as it was: seven digits in a row or three groups of three first
        slow = _DOCUMENT_DIGITS.search(variant) and kz_id_document.CANDIDATE.search(variant)
        # the search now holds the look-arounds too: never more than the old quick test
        if doc_selected:
            assert _DOCUMENT_DIGITS.search(variant) is not None, variant
        if kz_id_document.CANDIDATE.search(variant):
            assert doc_selected, variant
        assert kz_id_document._searched(variant) == (slow is not None), variant
        if slow:
            assert doc_selected, variant
        assert ip_selected == (re.search(ip_address._SEARCH, variant) is not None), variant
        if ip.analyze(variant, None, context=["ip"]):
            assert ip_selected, variant


@pytest.mark.parametrize(
    "text",
    [
        *MIGHT_TEXTS,
        "1995",
        "2007",
        "1895",
        "19950",
        "0199",
        "12.03.95",
        "12/03/1995",
        "заказ № 20345",
        "١٩٩٥",
        "1996-08-03",
        "родился в 1995 году",
    ],
)
def test_dob_search_selects_every_date(text):
    recognizer = date_of_birth.DateOfBirthRecognizer()
    recognizer.load()
    (selected,) = _selected(recognizer.SEARCH, [text])
    for context in (None, ["birth_date"], ["birth_year"]):
        if recognizer.analyze(text, None, context=context):
            assert selected, (text, context)
    if text in ("1995", "12.03.95", "١٩٩٥", "1996-08-03", "родился в 1995 году"):
        assert selected
    if text in ("900101300126", "+7 778 802 66 94", "Иванов Иван Иванович", "1895", "123456"):
        assert not selected


BATCH_TEXTS = [
    *MIGHT_TEXTS,
    *DOCUMENT_TEXTS,
    "",
    "ИИН 900101300126",
    "БИН 050140000656",
    "1996-08-03",
]


@pytest.mark.parametrize("context", [None, ["iin"], ["birth_date"], ["pasport"], ["ip"]])
def test_findings_equal_analyze(context):
    from pdaudit.recognizers.registry import builtin_recognizers

    texts = [t for t in BATCH_TEXTS if t]  # the analysis hands over no empty text
    for recognizer in builtin_recognizers():
        if not isinstance(recognizer, (base.ValidatedRecognizer, ContextRecognizer)):
            continue
        recognizer.load()
        entities = recognizer.supported_entities
        batch = recognizer.findings(texts, entities, context)
        one = [
            [as_tuple(r) for r in recognizer.analyze(t, entities, None, context=context)]
            for t in texts
        ]
        assert batch == one, type(recognizer).__name__
        assert recognizer.findings(texts, ["OTHER"], context) == [[] for _ in texts]


def _lengths_as_before(text: str) -> set[int]:
    """Every digit count of a number ``digit_runs`` may read in ``text``: every run of ``_RUN``."""
    found: set[int] = set()
    for run in base._RUN.finditer(text):
        digits = run.group().replace(" ", "").replace("\u00a0", "").replace("-", "")
        found.add(len(digits))
        if len(digits) != len(run.group()):
            found.update(len(group) for group in re.split(r"[ \u00a0\-]", run.group()))
    return found


def test_digits_search_selects_every_run_of_its_length() -> None:
    rng = random.Random(20261126)
    alphabet = "0123456789" * 4 + " -\u00a0.,:+/()aZбЖ_№#@*\\\t"
    texts = ["0", "1234567890", "2024-03-05 12:34:56", "+7 701 123 45 67", "ИИН 900101300126"]
    for _ in range(20_000):
        texts.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 80))))
    lengths = [_lengths_as_before(text) for text in texts]
    for n in (7, 9, 10, 11, 12, 13):
        selected = _selected(digits_search(n), texts)
        for text, found, chosen in zip(texts, lengths, selected, strict=True):
            if list(digit_runs(text, {n})):
                assert n in found
            # Exactly the texts with a run or a group of n digits.
            assert chosen == (n in found), (n, text)


def test_iin_column_findings_equal_analyze():
    """``KzIinRecognizer.findings`` reads a text of exactly 12 ASCII digits as one candidate
    and gives every valid one the first one's finding: the same entity tuples as ``analyze``
    text by text, with and without a field name, beside texts it reads the usual way."""
    rng = random.Random(15)
    valid = [_with_check(p + f"{rng.randrange(10_000):04d}") for p in IIN_PREFIXES]
    born = [
        datetime.date(1950, 1, 1) + datetime.timedelta(rng.randrange(25_000)) for _ in range(300)
    ]
    valid += [
        _with_check(f"{d:%y%m%d}{rng.choice('3456')}{rng.randrange(10_000):04d}") for d in born
    ]
    texts = valid + _numbers(2000, (11, 12, 13))
    texts += [f"ИИН {valid[0]}", f"{valid[1]} ", f"{valid[2][:6]} {valid[2][6:]}", "١" * 12]
    texts += ["ИИН ребенка " + v for v in valid[:50]]
    assert sum(kz_iin.is_valid(t) for t in texts) > 300
    rec = kz_iin.KzIinRecognizer()
    rec.load()
    for context in (None, ["iin"], ["phone"], ["zhsn", "otca"]):
        expected = [[as_tuple(r) for r in rec.analyze(t, None, None, context)] for t in texts]
        assert rec.findings(texts, None, context) == expected


def test_iin_subclass_that_proves_otherwise_reads_every_text():
    class Stricter(kz_iin.KzIinRecognizer):
        def validate_result(self, value: str) -> bool:
            return super().validate_result(value) and value[0] != "9"

    rec = Stricter()
    rec.load()
    texts = [_with_check("90010130012"), _with_check("88010130012")]
    assert [len(found) for found in rec.findings(texts, None, ["iin"])] == [0, 1]


def test_iin_column_reads_one_valid_number_per_batch(monkeypatch):
    """Of a batch of plain valid ИИН only the first is read through candidates and evidence."""
    read = texts_read(monkeypatch, kz_iin.KzIinRecognizer, "_parts")
    valid = [_with_check(f"900101{c}{n:04d}") for c in "3456" for n in range(25)]
    valid = [v for v in valid if kz_iin.is_valid(v)]
    texts = [*valid, "900101300127", "ИИН 900101300126"]
    rec = kz_iin.KzIinRecognizer()
    rec.load()
    found = rec.findings(texts, None, ["iin"])
    assert [len(f) for f in found] == [1] * len(valid) + [0, 1]
    assert len(valid) > 80 and sorted(read) == sorted([valid[0], "ИИН 900101300126"])
