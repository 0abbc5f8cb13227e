"""PHONE_NUMBER's fast paths give exactly what its general path gives (all numbers invented).

``PhoneRecognizer.findings`` reads a text of one of ``_PLAIN_SHAPES`` that is a valid number as
the whole text and shares one finding among the texts alike; ``_holds_no_number`` turns texts
away before the matcher. Each is held here against the general reading on generated texts.
"""

from __future__ import annotations

import random

import pytest
from phone_forms import written_forms

from pdaudit.recognizers import phone_number
from pdaudit.recognizers.phone_number import PhoneRecognizer

RNG_SEED = 20261206
CONTEXTS = [None, [], ["phone"], ["mobile", "no"], ["comment"], ["tel"], ["client", "iin"]]
# Arabic-Indic, Devanagari and fullwidth digits: ``\d`` and ``isdigit`` but not ASCII.
OTHER_DIGITS = ("\u0660", "\u0966", "\uff10")


def _national(rng: random.Random) -> str:
    """A ten-digit national number: Kazakh mobile and landline starts, Russian ones, others."""
    start = rng.choice(["70", "71", "72", "74", "75", "76", "77", "78", "60", "33", "49", "91"])
    start = start if rng.random() < 0.8 else f"{rng.randrange(100):02d}"
    return start + "".join(rng.choice("0123456789") for _ in range(8))


def _foreign_digits(text: str, rng: random.Random) -> str:
    """``text`` with some of its ASCII digits written in another script."""
    zero = rng.choice(OTHER_DIGITS)
    return "".join(
        chr(ord(zero) + int(c)) if c.isdigit() and rng.random() < 0.3 else c for c in text
    )


def _column_texts(count: int) -> list[str]:
    """A phone column's values: the plain shapes and their near neighbours."""
    rng = random.Random(RNG_SEED)
    texts = []
    for _ in range(count):
        n = _national(rng)
        form = rng.choice(written_forms(n))
        roll = rng.random()
        if roll < 0.08:
            form = _foreign_digits(form, rng)
        elif roll < 0.14:
            form = rng.choice([" ", "тел. ", "+", "8", "a"]) + form
        elif roll < 0.2:
            form += rng.choice([" ", "1", " доб. 12", ",", "*"])
        elif roll < 0.25:
            form = form.replace(" ", rng.choice(["\u00a0", "-", ".", "  "]))
        elif roll < 0.3:
            form = rng.choice(["+7 8", "+7 0", "7", "8 ", "+8"]) + n
        texts.append(form)
    return texts


@pytest.mark.parametrize("context", CONTEXTS)
def test_plain_column_path_equals_the_general_path(context):
    recognizer = PhoneRecognizer()
    texts = _column_texts(6000)
    got = recognizer.findings(texts, None, context)
    assert got == [recognizer._tuples(text, context) for text in texts]
    # The general path read as ``analyze`` does (``findings_of``, Presidio's contract).
    for text, found in zip(texts[:1500], got[:1500], strict=True):
        results = recognizer.analyze(text, None, None, context=context)
        assert [(r.start, r.end, r.score) for r in results] == [f[1:4] for f in found], text
    plain = sum(phone_number._PLAIN_SHAPES.fullmatch(text) is not None for text in texts)
    assert 3000 < plain < len(texts)  # both paths were taken
    assert sum(bool(found) for found in got) > plain // 2


@pytest.mark.parametrize("regions", ["KZ", "RU,KZ", "KZ,US", "US,KZ", "TR"])
def test_plain_column_path_with_other_regions(regions):
    recognizer = PhoneRecognizer(regions)
    texts = _column_texts(1500)
    assert recognizer.findings(texts, None, ["phone"]) == [
        recognizer._tuples(text, ["phone"]) for text in texts
    ]


def test_plain_column_path_shares_its_findings(monkeypatch):
    recognizer = PhoneRecognizer()
    rng = random.Random(RNG_SEED)
    mobiles = ["700", "701", "702", "705", "707", "747", "771", "775", "778"]
    texts = [
        rng.choice(written_forms(rng.choice(mobiles) + f"{rng.randrange(10**7):07d}"))
        for _ in range(3000)
    ]
    calls = []
    general = PhoneRecognizer._tuples

    def counted(self, text, context):
        calls.append(text)
        return general(self, text, context)

    monkeypatch.setattr(PhoneRecognizer, "_tuples", counted)
    got = recognizer.findings(texts, ["PHONE_NUMBER"], ["phone"])
    assert all(len(found) == 1 for found in got)
    # One general reading per written form (six forms, all Kazakh), the rest shared.
    assert len(calls) == 6
    # Each text has its own list: changing one changes no other.
    got[0].clear()
    assert all(got[1:])


def test_plus7_region_equals_phonenumbers_for_every_start():
    """``_plus7_region`` (one pattern a region and length) against ``phonenumbers``, for every
    four-digit start of a ten-digit national number and other lengths (no leading zero: the
    national number is an integer)."""
    import phonenumbers

    rng = random.Random(RNG_SEED)
    numbers = [f"{start}{rng.randrange(10**6):06d}" for start in range(1000, 10000)]
    numbers += [
        str(rng.randrange(10 ** (size - 1), 10**size)) for size in range(1, 16) for _ in "ab"
    ]
    for national in numbers:
        number = phonenumbers.PhoneNumber(country_code=7, national_number=int(national))
        region = phonenumbers.region_code_for_number(number)
        expected = region if phonenumbers.is_valid_number_for_region(number, region) else None
        assert phone_number._plus7_region(national) == expected, national


def _adversarial_column() -> list[str]:
    """Plain shapes with every four-digit start, and their near misses: a column's values with
    other digits, a "+", a trailing new line or space, a letter, a wrong separator."""
    rng = random.Random(RNG_SEED + 1)
    texts = _column_texts(4000)
    for start in range(1000, 10000):
        national = f"{start}{rng.randrange(10**6):06d}"
        texts.append(rng.choice(written_forms(national)))
    near = []
    for text in texts[:3000]:
        roll = rng.randrange(6)
        if roll == 0:
            near.append(text + "\n")
        elif roll == 1:
            near.append("\n" + text)
        elif roll == 2:
            near.append(_foreign_digits(text, rng))
        elif roll == 3:
            at = rng.randrange(len(text) + 1)
            near.append(text[:at] + rng.choice("+ -()7x\u00a0") + text[at:])
        elif roll == 4:
            near.append(text.replace("+", "\uff0b"))
        else:
            near.append(text[: rng.randrange(len(text))])
    return texts + near


def _region_of_key(key: int) -> str | None:
    """The region a key of ``_plain_keys`` names."""
    return None if key < 0 else phone_number._plus7_names()[key // (phone_number._PLAIN_MAX + 1)]


def test_plain_keys_column_equals_plain_key():
    """The column way (NumPy, one reading of ``_plus7_region`` per start of the number) against
    ``_plain_key`` (``_PLAIN_SHAPES`` and ``_plus7_region`` of ``_national``), text by text, on
    texts of every start and near misses; and the keys' regions against ``_plus7_region``."""
    texts = _adversarial_column()
    expected = [phone_number._plain_key(text) for text in texts]
    assert phone_number._plain_keys_column(texts).tolist() == expected
    regions = [
        phone_number._plus7_region(phone_number._national(text))
        if phone_number._PLAIN_SHAPES.fullmatch(text)
        else None
        for text in texts
    ]
    assert list(map(_region_of_key, expected)) == regions
    assert [key % (phone_number._PLAIN_MAX + 1) for key in expected if key >= 0] == [
        len(text) for text, key in zip(texts, expected, strict=True) if key >= 0
    ]
    assert {"KZ", "RU", None} <= set(regions)
    invalid = [
        text
        for text, region in zip(texts, regions, strict=True)
        if region is None and phone_number._PLAIN_SHAPES.fullmatch(text)
    ]
    assert len(invalid) > 100


def test_the_first_six_digits_decide_the_region():
    """What ``_head_digits`` reads from the patterns: ``_plus7_region`` of a ten-digit national
    number is that of any other with the same first six digits (random starts, and every start
    of a Kazakh landline and a Russian mobile number, each with random ends), and the column
    way gives ``phonenumbers``' own answer for those numbers."""
    import phonenumbers

    assert phone_number._head_digits() == 6
    rng = random.Random(RNG_SEED + 2)
    starts = [f"{rng.randrange(10**6):06d}" for _ in range(3000)]
    starts += [f"71{i:04d}" for i in range(0, 10**4, 7)] + [
        f"93{i:04d}" for i in range(0, 10**4, 7)
    ]
    nationals = []
    for start in starts:
        ends = [f"{rng.randrange(10**4):04d}" for _ in range(3)] + ["0000", "9999"]
        regions = {phone_number._plus7_region(start + end) for end in ends}
        assert len(regions) == 1, start
        nationals += [start + end for end in ends]
    texts = [f"+7{n}" if n[0] != "7" else rng.choice(written_forms(n)) for n in nationals]
    texts = [t for t in texts if phone_number._PLAIN_SHAPES.fullmatch(t)]
    got = list(map(_region_of_key, phone_number._plain_keys_column(texts).tolist()))
    for text, region in zip(texts, got, strict=True):
        number = phonenumbers.parse(text, "KZ")
        valid = phonenumbers.is_valid_number(number)
        assert region == (phonenumbers.region_code_for_number(number) if valid else None), text
    assert {"KZ", "RU", None} <= set(got)


def test_head_digits_reads_only_patterns_it_knows():
    """Patterns ``_head_digits`` cannot read (a repetition in leading digits, an alternative
    not ending in ``\\d{m}``, a look-around) make it give up: the column way is then not taken."""
    assert phone_number._longest_match("7[0-9]+") is None
    assert phone_number._longest_match("(?=7)") is None
    assert phone_number._alternatives("7(?:0|1)\\d{7}|8\\d{9}") == ["7(?:0|1)\\d{7}", "8\\d{9}"]
    for pattern in ["7[0-9]{9}", "7\\d{3}[0-9]{6}", "(?=7)\\d{10}", "$\\d{10}", "\\\\d{10}"]:
        tail = phone_number._TAIL.fullmatch(pattern)
        assert (
            tail is None
            or tail.group(1).endswith("\\")
            or phone_number._UNREAD_SYNTAX.search(tail.group(1))
        ), pattern


def test_plain_shapes_are_never_longer_than_plain_max():
    """Each branch of ``_PLAIN_SHAPES`` is one of the written forms, of one length each; the
    longest is ``_PLAIN_MAX`` characters, and a text one longer is no plain one."""
    forms = written_forms("7011234567")
    assert all(phone_number._PLAIN_SHAPES.fullmatch(form) for form in forms)
    assert phone_number._PLAIN_SHAPES.pattern.count("|") == len(forms) - 1
    assert max(map(len, forms)) == phone_number._PLAIN_MAX
    assert not any(phone_number._PLAIN_SHAPES.fullmatch(form + "7") for form in forms)


def test_a_batch_is_judged_as_a_column(monkeypatch):
    """A batch of ``_COLUMN_MIN`` texts or more is judged as a column, a smaller one text by
    text; both give the same findings."""
    texts = _column_texts(phone_number._COLUMN_MIN + 44)
    texts += ["Позвоните мне по номеру +7 701 123 45 67, пожалуйста"] * 3
    column = phone_number._plain_keys_column
    judged = []

    def counted(batch):
        judged.append(len(batch))
        return column(batch)

    monkeypatch.setattr(phone_number, "_plain_keys_column", counted)
    recognizer = PhoneRecognizer()
    small = [recognizer.findings(texts[i : i + 50], None, ["phone"]) for i in range(0, 350, 50)]
    assert judged == []
    got = recognizer.findings(texts, None, ["phone"])
    assert judged == [len(texts)]
    assert got == [found for part in small for found in part]


def test_a_column_with_a_lone_surrogate():
    """A text with a lone surrogate (no UTF-8) is never a plain one, and the column is judged."""
    texts = _column_texts(400) + ["+7701\ud8001234567", "\udcff", "8701123456\ud800"]
    recognizer = PhoneRecognizer()
    assert recognizer.findings(texts, None, ["phone"]) == [
        recognizer._tuples(text, ["phone"]) for text in texts
    ]
