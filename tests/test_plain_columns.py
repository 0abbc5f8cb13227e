"""Columns of plain values read by their cheap test first give exactly what the general path gives.

A text that is exactly a number of the right length is read by its checksum worked out for the
whole batch (ИНН, СНИЛС, ИИН); a wrong one holds nothing. Each shortcut is held here against
the general path (``ValidatedRecognizer._read`` / ``analyze`` text by text) on many
generated texts: random and valid numbers, non-ASCII digits, separators, words around them and
context words in the field name.
"""

from __future__ import annotations

import random
import re
import string

import pytest
from reads import texts_read

from pdaudit.recognizers import (
    checksums,
    date_of_birth,
    email_address,
    kz_iin,
    ru_inn,
    ru_snils,
)
from pdaudit.recognizers.base import ContextRecognizer, ValidatedRecognizer, as_tuple

SEED = 20261206
FIELDS = [None, ["inn"], ["client", "inn"], ["snils"], ["phone"], ["iin"], ["created", "at"]]
# Digits that ``str.isdigit`` takes and that are not ASCII: Arabic-Indic, fullwidth, Devanagari.
FOREIGN_DIGITS = "\u0661\u0662\u0663\uff11\uff12\u0967\u0968"


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _inn(rng: random.Random, length: int) -> str:
    """A valid ИНН of ``length`` (10 or 12) digits."""
    head = _digits(rng, length - 2)
    if length == 10:
        head += rng.choice("0123456789")
        return head[:9] + ru_inn._check_digits(head + "0")[-1]
    return head + ru_inn._check_digits(head + "00")


def _snils(rng: random.Random) -> str:
    head = _digits(rng, 9)
    return head + ru_snils.calc_check_digits(head)


def _iin(rng: random.Random) -> str:
    head = f"{rng.randrange(100):02d}{rng.randrange(1, 13):02d}{rng.randrange(1, 32):02d}"
    head += rng.choice("0123456789") + _digits(rng, 4)
    check = checksums.mod11_two_pass(head)
    return head + str(check if check is not None else rng.randrange(10))


def _variants(rng: random.Random, number: str) -> list[str]:
    """``number`` as it stands and written every other way a column may hold it."""
    foreign = list(number)
    foreign[rng.randrange(len(number))] = rng.choice(FOREIGN_DIGITS)
    cut = rng.randrange(1, len(number))
    return [
        number,
        "".join(foreign),
        f"{number[:cut]} {number[cut:]}",
        f"{number[:cut]}-{number[cut:]}",
        f"{number[:3]}-{number[3:6]}-{number[6:9]} {number[9:]}",
        f"{number[:3]} {number[3:6]} {number[6:9]} {number[9:]}",
        f"{number[:cut]}  {number[cut:]}",
        f"{number[:cut]} - {number[cut:]}",
        f"{number[:cut]}\u00a0{number[cut:]}",
        f"{number[:cut]} {number[cut:]} ",
        f"-{number[:cut]} {number[cut:]}",
        f" {number}",
        f"{number}\n",
        f"+{number}",
        f"ИНН {number}",
        f"СНИЛС: {number}",
        f"ИИН {number}",
        f"{number}/770701001",
        f"ИНН/КПП {number}/770701001",
        number[:-1],
        number + rng.choice("0123456789"),
    ]


def _texts(seed: int) -> list[str]:
    rng = random.Random(seed)
    numbers = [_digits(rng, rng.choice((9, 10, 11, 12, 13))) for _ in range(1500)]
    numbers += [_inn(rng, 10) for _ in range(150)] + [_inn(rng, 12) for _ in range(150)]
    numbers += [_snils(rng) for _ in range(150)] + [_iin(rng) for _ in range(150)]
    numbers += ["0" * 10, "0" * 11, "0" * 12, "00100199812", "87011234567", "77011234567"]
    texts = list(numbers)
    for number in numbers[::5]:
        texts += _variants(rng, number)
    return list(dict.fromkeys(texts))


def _general(recognizer: ValidatedRecognizer, texts: list[str], context) -> list[list]:
    """The general path, text by text: ``ValidatedRecognizer._read`` and ``analyze``."""
    by_parts = [recognizer._read([t], context)[0] for t in texts]
    by_analyze = [[as_tuple(r) for r in recognizer.analyze(t, None, None, context)] for t in texts]
    assert by_parts == by_analyze
    return by_parts


def test_the_texts_hold_valid_and_wrong_plain_numbers():
    texts = _texts(SEED)
    assert sum(ru_inn.is_valid(t) for t in texts) > 300
    assert sum(ru_snils.is_valid(t) for t in texts) > 150
    assert sum(len(t) in (10, 11, 12) and t.isdigit() and not t.isascii() for t in texts) > 50
    grouped = [t for t in texts if re.fullmatch(r"[0-9]+(?:[ -][0-9]+)+", t)]
    assert sum(ru_snils.is_valid(t) for t in grouped) > 20
    assert sum(len(t.replace(" ", "").replace("-", "")) == 11 for t in grouped) > 200


@pytest.mark.parametrize("module", [ru_inn, ru_snils, kz_iin])
def test_plain_validity_equals_is_valid(module):
    rng = random.Random(SEED)
    texts = _texts(SEED + 1)
    texts += [_digits(rng, rng.choice((10, 11, 12))) for _ in range(20_000)]
    lengths = {ru_inn: (10, 12), ru_snils: (11,), kz_iin: (12,)}[module]
    expected = [
        module.is_valid(t) if t.isascii() and t.isdigit() and len(t) in lengths else None
        for t in texts
    ]
    if module is ru_snils:  # also one run of groups joined by single ASCII separators
        for i, t in enumerate(texts):
            digits = t.replace(" ", "").replace("-", "")
            if re.fullmatch(r"[0-9]+(?:[ -][0-9]+)*", t, re.ASCII) and len(digits) == 11:
                expected[i] = module.is_valid(digits)
    assert sum(v is not None for v in expected) > 5_000
    assert module.plain_validity(texts) == expected
    assert module.plain_validity([]) == []


def _plain_expected(module, texts: list[str]) -> list[bool | None]:
    """What ``plain_validity`` must say, from ``is_valid`` text by text."""
    lengths = {ru_inn: (10, 12), ru_snils: (11,), kz_iin: (12,)}[module]
    expected = []
    for t in texts:
        digits = t.replace(" ", "").replace("-", "")
        if t.isascii() and t.isdigit() and len(t) in lengths:
            expected.append(module.is_valid(t))
        elif (
            module is ru_snils
            and re.fullmatch(r"[0-9]+(?:[ -][0-9]+)*", t, re.ASCII)
            and len(digits) == 11
        ):
            expected.append(module.is_valid(digits))
        else:
            expected.append(None)
    return expected


@pytest.mark.parametrize("module", [ru_inn, ru_snils, kz_iin])
def test_plain_validity_of_whole_columns(module):
    """A batch of plain numbers of one length (an ID column, read all at once by
    ``plain_numbers``) and the same batch spoilt by one other text, of every kind."""
    rng = random.Random(SEED + 2)
    makers = {ru_inn: (lambda: _inn(rng, rng.choice((10, 12)))), ru_snils: (lambda: _snils(rng))}
    make = makers.get(module, lambda: _iin(rng))
    valid = 0
    for length in (10, 11, 12):
        column = [_digits(rng, length) for _ in range(300)] + [make() for _ in range(300)]
        column = [t for t in column if len(t) == length] or column[:1]
        rng.shuffle(column)
        for odd in [None, *_variants(rng, column[0]), _digits(rng, length + 1), "", "x" * length]:
            batch = list(column) if odd is None else [*column[:7], odd, *column[7:]]
            assert module.plain_validity(batch) == _plain_expected(module, batch), odd
        valid += sum(v is True for v in _plain_expected(module, column))
    assert valid > 150


@pytest.mark.parametrize(
    "recognizer", [ru_inn.RuInnRecognizer, ru_snils.RuSnilsRecognizer, kz_iin.KzIinRecognizer]
)
@pytest.mark.parametrize("context", FIELDS)
def test_plain_column_findings_equal_the_general_path(recognizer, context):
    rec = recognizer()
    rec.load()
    texts = _texts(SEED)
    found = rec.findings(texts, None, context)
    assert found == _general(rec, texts, context)
    assert sum(bool(f) for f in found) > 100
    assert rec.findings(texts, ["OTHER"], context) == [[] for _ in texts]
    assert rec.findings(texts, [rec.ENTITY], context) == found


@pytest.mark.parametrize(
    ("recognizer", "wrong", "right"),
    [
        (ru_inn.RuInnRecognizer, "7707083894", "7707083893"),
        (ru_snils.RuSnilsRecognizer, "11223344596", "11223344595"),
    ],
)
def test_a_wrong_plain_number_is_read_no_further(monkeypatch, recognizer, wrong, right):
    """Only the texts whose checksum does not fail are read through candidates and evidence."""
    read = texts_read(monkeypatch, recognizer, "_parts")
    rec = recognizer()
    rec.load()
    texts = [wrong, right, f"номер {wrong}"]
    assert [len(f) for f in rec.findings(texts, None, ["inn", "snils"])] == [0, 1, 0]
    assert read == [right, f"номер {wrong}"]


@pytest.mark.parametrize(
    ("recognizer", "counts"),
    [(ru_inn.RuInnRecognizer, [1, 0, 1]), (ru_snils.RuSnilsRecognizer, [0, 1, 0])],
)
def test_a_subclass_that_proves_otherwise_reads_every_text(recognizer, counts):
    class Lenient(recognizer):  # type: ignore[misc, valid-type]
        def validate_result(self, value: str) -> bool | None:
            return None  # nothing proven, nothing wrong: the context word decides

    rec = Lenient()
    rec.load()
    texts = ["7707083894", "11223344596", "500100732250"]
    assert [len(f) for f in rec.findings(texts, None, ["inn", "snils"])] == counts


# --- DATE_OF_BIRTH: a text without a birth word, when the field name has none either ---

DOB_FIELDS = [
    None,
    ["created", "at"],
    ["created_at"],
    ["birth", "datetime"],
    ["birth_datetime"],
    ["dob"],
    ["data", "rozhdeniya"],
    ["born"],
]
BIRTH_WORDS = [
    "born", "Born", "BORN", "b\u043ern", "DOB", "d.o.b.", "Date of Birth", "birthday",
    "year of birth", "Дата рождения", "г.р.", "туған күні", "д/р", "Year Of Birth",
]  # fmt: skip


def _dob_texts(seed: int) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(3000):
        y, m, d = rng.randrange(1890, 2040), rng.randrange(1, 13), rng.randrange(1, 29)
        stamp = f"{y}-{m:02d}-{d:02d} {rng.randrange(24):02d}:{rng.randrange(60):02d}:00"
        date = rng.choice([stamp, stamp[:10], f"{d:02d}.{m:02d}.{y}", f"{d} марта {y}", str(y)])
        word = rng.choice(BIRTH_WORDS)
        texts.append(
            rng.choice(
                [
                    date,
                    f"{word}: {date}",
                    f"{date} {word}",
                    f"{word.upper()} {date}",
                    f"id {rng.randrange(10**6)} {date}",
                    f"{date}\u00a0",
                    f"{date} \u212a",  # the Kelvin sign: lower-cases to an ASCII "k"
                ]
            )
        )
    return list(dict.fromkeys(texts))


def test_saying_birth_equals_the_skeleton_search():
    rec = date_of_birth.DateOfBirthRecognizer()
    rng = random.Random(SEED)
    alphabet = "0123456789 .-:/abcdeoprxyBDOKTS\u0430\u0441\u0435\u043e\u0440\u0434\u0433\u212a"
    texts = _dob_texts(SEED)
    texts += [
        "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 30))) for _ in range(5000)
    ]
    texts += [rng.choice(BIRTH_WORDS) for _ in range(50)]
    expected = [rec._any_birth.search(date_of_birth._skeleton(t)) is not None for t in texts]
    assert rec._saying_birth(texts) == expected
    assert 500 < sum(expected) < len(texts) - 500


def test_saying_birth_of_ascii_batches_equals_the_skeleton_search():
    """Batches of ASCII texts (told at once when none holds a word) against the per-text
    search: time stamps alone, one word among them, a word cut by a new line or split over two
    texts, texts holding new lines, a non-ASCII text among them."""
    rec = date_of_birth.DateOfBirthRecognizer()
    rng = random.Random(SEED)
    stamps = [
        f"2024-{rng.randrange(1, 13):02d}-01 12:{rng.randrange(60):02d}:00" for _ in range(300)
    ]
    batches = [
        stamps,
        [*stamps, "dob"],
        [*stamps[:100], "id 5 Born 1990", *stamps[100:]],
        [*stamps, "bo\nrn", "bo", "rn", "d.o.\nb."],
        [*stamps, "b", "orn", "birth\n", "\nday"],
        [*stamps, "\u212a 1990"],
        [*stamps, "Дата рождения 1990"],
        [*stamps, "х"],
        [],
    ]
    for texts in batches:
        expected = [rec._any_birth.search(date_of_birth._skeleton(t)) is not None for t in texts]
        assert rec._saying_birth(texts) == expected, texts[len(stamps) :]


def test_an_ascii_batch_without_a_birth_word_is_one_search(monkeypatch):
    rec = date_of_birth.DateOfBirthRecognizer()
    searched = []
    words = rec._any_birth_ascii

    class Counted:
        def search(self, text):
            searched.append(text)
            return words.search(text)

    monkeypatch.setattr(rec, "_any_birth_ascii", Counted())
    stamps = [f"2024-05-{day:02d} 13:37:56" for day in range(1, 29)]
    assert rec._saying_birth(stamps) == [False] * len(stamps)
    assert len(searched) == 1
    searched.clear()
    assert rec._saying_birth([*stamps, "born"]) == [False] * len(stamps) + [True]
    assert len(searched) == 1 + len(stamps) + 1  # the whole batch, then text by text


@pytest.mark.parametrize("context", DOB_FIELDS)
def test_dob_findings_equal_the_general_path(context):
    rec = date_of_birth.DateOfBirthRecognizer()
    texts = _dob_texts(SEED)
    found = rec.findings(texts, None, context)
    by_find = [ContextRecognizer.findings(rec, [t], None, context)[0] for t in texts]
    by_analyze = [[as_tuple(r) for r in rec.analyze(t, None, None, context)] for t in texts]
    assert found == by_find == by_analyze
    assert sum(bool(f) for f in found) > 100
    assert rec.findings(texts, ["OTHER"], context) == [[] for _ in texts]


def test_dob_texts_without_a_birth_word_are_not_read(monkeypatch):
    read = texts_read(monkeypatch, date_of_birth.DateOfBirthRecognizer, "find")
    rec = date_of_birth.DateOfBirthRecognizer()
    texts = ["2024-05-28 13:37:56", "born 1990-01-02", "Дата рождения 02.01.1990", "1990-01-02"]
    assert [len(f) for f in rec.findings(texts, None, ["created", "at"])] == [0, 1, 1, 0]
    assert read == texts[1:3]
    read.clear()
    assert [len(f) for f in rec.findings(texts, None, ["birth", "datetime"])] == [1, 1, 1, 1]
    assert read == texts


# --- EMAIL_ADDRESS: a text that is one address and nothing else ---

EMAIL_FIELDS = [None, ["email"], ["contact", "pochta"], ["phone"]]
DOMAINS = [
    "mail.kz", "a-b.kz", "-a.kz", "localhost", "ex.test", "почта.рф", "a_b.kz", "2x.png",
    "icon.PDF", "a..b", "1.2", "xn--80a.kz", "d" * 63 + ".kz", "d" * 64 + ".kz", "a.b.c.d.e.f.g.h.i.j",
]  # fmt: skip


def _email_texts(seed: int) -> list[str]:
    rng = random.Random(seed)
    alphabet = string.ascii_letters + string.digits + "._+-'%!#*•иЖ"
    texts = []
    for _ in range(2500):
        n = rng.choice([1, 3, 8, 20, 63, 64, 65])
        local = "".join(rng.choice(alphabet) for _ in range(n))
        if rng.random() < 0.5:
            local = "".join(rng.choice(string.ascii_lowercase + "._") for _ in range(n)).strip(".")
        domain = rng.choice([*DOMAINS, *["mail.kz", "gmail.com", "bk.ru", "почта.рф"] * 5])
        address = f"{local or 'x'}@{domain}"
        texts.append(
            rng.choice(
                [
                    address,
                    address,
                    address.upper(),
                    f"почта: {address}",
                    f"{address}.",
                    f"{address} ",
                    f"{address},{address}",
                    f"{address}@x.kz",
                    f"i***{address}",
                    f"<{address}>",
                ]
            )
        )
    return list(dict.fromkeys(texts))


def test_whole_validity_equals_the_candidates():
    texts = _email_texts(SEED)
    rec = email_address.EmailRecognizer()
    expected = []
    for text in texts:
        found = list(rec.candidates(text))
        whole = [(c.start, c.end) for c in found] == [(0, len(text))]
        expected.append(email_address.is_valid(text) if whole else None)
    assert email_address.whole_validity(texts) == expected
    assert sum(v is True for v in expected) > 300
    assert sum(v is False for v in expected) > 80
    assert sum(v is None for v in expected) > 600


@pytest.mark.parametrize("context", EMAIL_FIELDS)
def test_email_findings_equal_the_general_path(context):
    rec = email_address.EmailRecognizer()
    texts = _email_texts(SEED)
    found = rec.findings(texts, None, context)
    assert found == _general(rec, texts, context)
    assert rec.findings(texts, ["OTHER"], context) == [[] for _ in texts]


def test_whole_addresses_share_one_reading(monkeypatch):
    read = texts_read(monkeypatch, email_address.EmailRecognizer, "_parts")
    rec = email_address.EmailRecognizer()
    texts = ["ivan@mail.kz", "icon@2x.png", "anna.k@mail.ru", "почта: ivan@mail.kz"]
    found = rec.findings(texts, None, ["email"])
    assert [len(f) for f in found] == [1, 0, 1, 1]
    assert found[2][0][1:3] == (0, len("anna.k@mail.ru"))
    assert sorted(read) == ["ivan@mail.kz", "почта: ivan@mail.kz"]


def test_iin_plain_validity_on_every_month_and_day():
    """The date test for the whole batch against ``is_valid`` on every month 00-13 and day
    00-32 of leap and other years in every century digit, with right and wrong check digits."""
    numbers = []
    for yy in ("00", "04", "96", "99", "01", "00"):
        for month in range(14):
            for day in range(33):
                for century in "0123456789":
                    head = f"{yy}{month:02d}{day:02d}{century}1234"
                    check = checksums.mod11_two_pass(head)
                    numbers.append(head + str(check if check is not None else 0))
                    numbers.append(head + str(((check or 0) + 1) % 10))
    expected = [kz_iin.is_valid(n) for n in numbers]
    assert kz_iin.plain_validity(numbers) == expected
    assert 1000 < sum(expected) < len(numbers) // 2


def test_luhn_equals_stdnum():
    from stdnum import luhn

    rng = random.Random(SEED)
    numbers = ["", "0", "00", "a", "12a4", " 1234", "\u0661\u0662", "4111111111111111"]
    numbers += [_digits(rng, rng.randrange(1, 40)) for _ in range(100_000)]
    numbers += [_digits(rng, 15) + rng.choice("0123456789 -x\u0661") for _ in range(5_000)]
    expected = [isinstance(n, str) and n.isascii() and luhn.is_valid(n) for n in numbers]
    assert [checksums.luhn_is_valid(n) for n in numbers] == expected
    assert sum(expected) > 9_000
