"""ИИН, БИН, card, IBAN, ИНН and СНИЛС: validators and recognizers on valid, bad-checksum,
near-miss and junk input. Every number here is synthetic, generated with the check digits."""

from __future__ import annotations

import pytest
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    ValidationError,
)

from pdaudit.recognizers import checksums, credit_card, iban, kz_bin, kz_iin, ru_inn, ru_snils
from pdaudit.recognizers.base import attributes_of, evidence_of
from pdaudit.recognizers.credit_card import CreditCardRecognizer
from pdaudit.recognizers.iban import IbanRecognizer
from pdaudit.recognizers.kz_bin import KzBinRecognizer
from pdaudit.recognizers.kz_iin import KzIinRecognizer
from pdaudit.recognizers.ru_inn import RuInnRecognizer
from pdaudit.recognizers.ru_snils import RuSnilsRecognizer
from pdaudit.scanner.analysis import Analyzer

IIN = "900101300126"  # 1990-01-01, man
IIN_F = "051215600006"  # 2005-12-15, woman
IIN_ALSO_INN = "750101300410"  # passes the ИИН and the 12-digit ИНН checks
BIN = "050140000656"
CARD = "4400430123456789"
AMEX = "370000000000002"
IBAN_KZ = "KZ86125KZT5004100100"
IBAN_DE = "DE89370400440532013000"
INN10 = "7707083893"
INN12 = "500100732259"
SNILS = "11223344595"

JUNK = [None, "", "€", object(), 12345, b"900101300126"]
LONG = "7" * 10_000
BINARY = "\x00\xff\xfe" * 50 + "\x00900101300126\xff"


def spans(results):
    return [(r.entity_type, r.start, r.end, r.score) for r in results]


# ---- validators -------------------------------------------------------------------------------

VALIDATORS = [kz_iin, kz_bin, credit_card, iban, ru_inn, ru_snils]


@pytest.mark.parametrize("module", VALIDATORS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("junk", JUNK, ids=repr)
def test_validators_reject_junk_cleanly(module, junk):
    assert module.is_valid(junk) is False
    with pytest.raises(ValidationError):
        module.validate(junk)


@pytest.mark.parametrize(
    ("module", "number", "error"),
    [
        (kz_iin, "900101300127", InvalidChecksum),
        (kz_iin, "90010130012", InvalidLength),
        (kz_iin, "90010130012X", InvalidFormat),
        (kz_iin, "901301300126", InvalidComponent),  # month 13
        (kz_iin, "900230300126", InvalidComponent),  # 30 February
        (kz_iin, "900101700126", InvalidComponent),  # century digit 7
        (kz_iin, "900101300080", InvalidChecksum),  # second pass gives 10: never issued
        (kz_bin, "050140000657", InvalidChecksum),
        (kz_bin, "051340000656", InvalidComponent),  # month 13
        (kz_bin, "050170000656", InvalidComponent),  # type digit 7
        (kz_bin, "050147000656", InvalidComponent),  # division digit 7
        (kz_bin, IIN, InvalidComponent),  # an ИИН is not a БИН
        (credit_card, "4400430123456781", InvalidChecksum),
        (credit_card, "440043012345", InvalidLength),
        (iban, "KZ87125KZT5004100100", InvalidChecksum),
        (iban, "KZ86125KZT50041001", InvalidChecksum),
        (iban, "8612 5KZT", InvalidFormat),
        (ru_inn, "7707083894", InvalidChecksum),
        (ru_inn, "77070838", InvalidLength),
        (ru_snils, "11223344596", InvalidChecksum),
        (ru_snils, "1122334459", InvalidLength),
    ],
)
def test_validators_raise_precise_errors(module, number, error):
    with pytest.raises(error):
        module.validate(number)
    assert module.is_valid(number) is False


@pytest.mark.parametrize(
    ("module", "written", "compact", "formatted"),
    [
        (kz_iin, "900 101 300 126", IIN, IIN),
        (kz_iin, IIN_F, IIN_F, IIN_F),
        (kz_bin, "0501 4000 0656", BIN, BIN),
        (credit_card, "4400-4301-2345-6789", CARD, "4400 4301 2345 6789"),
        (credit_card, AMEX, AMEX, "3700 000000 00002"),
        (iban, "kz86 125k zt50 0410 0100", IBAN_KZ, "KZ86 125K ZT50 0410 0100"),
        (iban, IBAN_DE, IBAN_DE, "DE89 3704 0044 0532 0130 00"),
        (ru_inn, INN10, INN10, INN10),
        (ru_inn, INN12, INN12, INN12),
        (ru_snils, "112-233-445 95", SNILS, "112-233-445 95"),
        (ru_snils, "00100199800", "00100199800", "001-001-998 00"),  # issued before the check
    ],
)
def test_validators_accept_and_format(module, written, compact, formatted):
    assert module.validate(written) == compact
    assert module.is_valid(written) is True
    assert module.format(compact) == formatted


def test_iin_components():
    assert kz_iin.get_birth_date(IIN_F).isoformat() == "2005-12-15"
    assert kz_iin.get_gender(IIN_F) == "F"
    assert kz_iin.get_gender(IIN) == "M"
    assert kz_bin.get_entity_type(BIN) == "resident legal entity"
    assert credit_card.get_brand(AMEX) == "amex"
    assert credit_card.get_brand("9990000000000000") is None
    assert ru_inn.is_personal(INN12) and not ru_inn.is_personal(INN10)


@pytest.mark.parametrize("junk", [None, "", "€", "1234567890", "abcdefghijk", object()])
def test_checksum_helpers_take_junk(junk):
    assert checksums.mod11_two_pass(junk) is None
    assert checksums.luhn_is_valid(junk) is False
    assert checksums.mod97_is_valid(junk) is False
    assert list(checksums.digit_runs(junk, {12})) == []


# ---- recognizers ------------------------------------------------------------------------------

IIN_CASES = [
    # valid
    (IIN, [("KZ_IIN", 0, 12, 0.95)]),
    (f"ИИН {IIN}", [("KZ_IIN", 4, 16, 1.0)]),
    (f"ЖСН: {IIN_F}.", [("KZ_IIN", 5, 17, 1.0)]),
    ("ИИН 900 101 300 126", [("KZ_IIN", 4, 19, 1.0)]),
    ("900101 300126", [("KZ_IIN", 0, 13, 0.95)]),
    ("900\u00a0101\u00a0300\u00a0126", [("KZ_IIN", 0, 15, 0.95)]),
    (f"({IIN}), {IIN_F}", [("KZ_IIN", 1, 13, 0.95), ("KZ_IIN", 16, 28, 0.95)]),
    (f"{IIN} 87011234567", [("KZ_IIN", 0, 12, 0.95)]),
    # bad checksum, impossible date or century
    ("900101300127", []),
    ("900 101 300 127", []),
    ("901301300126", []),
    ("900101700126", []),
    # near misses: БИН, glued into longer tokens, inside longer digit runs
    (BIN, []),
    (f"ORD-{IIN}", []),
    (f"ID{IIN}", []),
    (f"{IIN}-2", []),
    (f"scan_{IIN}.jpg", []),
    (f"1{IIN}", []),
    ("900 101 300 126 45", []),
    ("4400 9001 0130 0126", []),
    (f"******{IIN[-6:]}", []),
    # junk
    ("", []),
    (BINARY, []),
    (LONG, []),
]

BIN_CASES = [
    (BIN, [("KZ_BIN", 0, 12, 0.95)]),
    (f"БИН {BIN}", [("KZ_BIN", 4, 16, 1.0)]),
    (f"ИИН: {BIN}", [("KZ_BIN", 5, 17, 0.95)]),  # a БИН in an ИИН field is still a БИН
    ("050140000657", []),
    (IIN, []),
    (f"BIN{BIN}", []),
    (BINARY, []),
    (LONG, []),
]

CARD_CASES = [
    (CARD, [("CREDIT_CARD", 0, 16, 1.0)]),
    ("Карта 4400 4301 2345 6789", [("CREDIT_CARD", 6, 25, 1.0)]),
    ("4400-4301-2345-6789, до 08/27", [("CREDIT_CARD", 0, 19, 1.0)]),
    ("Amex 3700 000000 00002", [("CREDIT_CARD", 5, 22, 1.0)]),
    # Luhn-valid outside every issuer range: only with a context word
    ("9990000000000003", []),
    ("Номер карты: 9990000000000003", [("CREDIT_CARD", 13, 29, 0.9)]),
    # bad checksum
    ("4400 4301 2345 6781", []),
    # near misses: masked, too short, inside a longer run
    ("4400 43** **** 1234", []),
    ("4400 4301 **** 6789", []),
    ("440043012345", []),
    ("4400 4301 2345 6789 1234 5", []),
    (f"TX{CARD}", []),
    (BINARY, []),
    (LONG, []),
]

IBAN_CASES = [
    (IBAN_KZ, [("IBAN_CODE", 0, 20, 1.0)]),
    ("ИИК KZ86 125K ZT50 0410 0100 в АО «Банк»", [("IBAN_CODE", 4, 28, 1.0)]),
    ("KZ86 125K ZT50 0410 0100 KZT", [("IBAN_CODE", 0, 24, 1.0)]),
    (f"IBAN: {IBAN_DE}.", [("IBAN_CODE", 6, 28, 1.0)]),
    ("DE89 3704 0044 0532 0130 00", [("IBAN_CODE", 0, 27, 1.0)]),
    ("KZ87125KZT5004100100", []),
    ("KZ86125KZT500410010", []),
    ("KZ** **** **** **** 0100", []),
    (f"X{IBAN_KZ}", []),
    (f"{IBAN_KZ}A", []),
    ("kz86125kzt5004100100", []),
    (BINARY, []),
    (LONG, []),
]

INN_CASES = [
    (f"ИНН {INN10}", [("RU_INN", 4, 14, 1.0)]),
    (f"ИНН/КПП {INN10}/770701001", [("RU_INN", 8, 18, 1.0)]),
    (f"INN: {INN12}", [("RU_INN", 5, 17, 1.0)]),
    (INN12, [("RU_INN", 0, 12, 0.9)]),
    # a bare 10-digit number: one in ten passes, so never without context
    (INN10, []),
    (f"ИНН {INN10[:-1]}4", []),
    (f"ИНН {INN12[:-1]}8", []),
    (IIN_ALSO_INN, []),  # left to the ИИН recognizer
    (f"ИНН {IIN_ALSO_INN}", [("RU_INN", 4, 16, 1.0)]),
    ("ИНН 7707 083893", []),
    (f"ИНН A{INN10}", []),
    (BINARY, []),
    (LONG, []),
]

SNILS_CASES = [
    ("112-233-445 95", [("RU_SNILS", 0, 14, 1.0)]),
    ("112 233 445 95", [("RU_SNILS", 0, 14, 1.0)]),
    (f"СНИЛС {SNILS}", [("RU_SNILS", 6, 17, 1.0)]),
    (SNILS, [("RU_SNILS", 0, 11, 0.9)]),
    # unchecked old numbers only with context
    ("001-001-998 00", []),
    ("СНИЛС 001-001-998 00", [("RU_SNILS", 6, 20, 1.0)]),
    ("112-233-445 96", []),
    # a plain 11-digit number that is a valid phone is left to the phone recognizer
    ("87011234567", []),
    ("112-233-445 95 7", []),
    (f"№{SNILS}", []),
    (BINARY, []),
    (LONG, []),
]

RECOGNIZER_TABLES = [
    (KzIinRecognizer, IIN_CASES),
    (KzBinRecognizer, BIN_CASES),
    (CreditCardRecognizer, CARD_CASES),
    (IbanRecognizer, IBAN_CASES),
    (RuInnRecognizer, INN_CASES),
    (RuSnilsRecognizer, SNILS_CASES),
]
CASES = [
    pytest.param(cls, text, expected, id=f"{cls.__name__}-{text[:30]!r}")
    for cls, table in RECOGNIZER_TABLES
    for text, expected in table
]


@pytest.mark.parametrize(("cls", "text", "expected"), CASES)
def test_recognizer_spans_and_scores(cls, text, expected):
    assert spans(cls().analyze(text, None)) == expected


@pytest.mark.parametrize("cls", [c for c, _ in RECOGNIZER_TABLES])
@pytest.mark.parametrize("junk", [None, "", 123, object(), "\x00\xff" * 5000])
def test_recognizers_never_raise(cls, junk):
    assert cls().analyze(junk, None) == []


@pytest.mark.parametrize("cls", [c for c, _ in RECOGNIZER_TABLES])
def test_recognizers_skip_unrequested_entities(cls):
    assert cls().analyze(f"ИИН {IIN} ИНН {INN10}", ["PERSON"]) == []


@pytest.mark.parametrize(
    ("cls", "text", "field", "expected", "evidence"),
    [
        (
            KzIinRecognizer,
            IIN,
            ["client", "iin"],
            ("KZ_IIN", 0, 12, 1.0),
            ["checksum", "field name: iin"],
        ),
        (
            KzBinRecognizer,
            BIN,
            ["org", "bin"],
            ("KZ_BIN", 0, 12, 1.0),
            ["checksum", "field name: bin"],
        ),
        (RuInnRecognizer, INN10, ["inn"], ("RU_INN", 0, 10, 1.0), ["checksum", "field name: inn"]),
        (
            RuSnilsRecognizer,
            SNILS,
            ["snils"],
            ("RU_SNILS", 0, 11, 1.0),
            ["checksum", "field name: snils"],
        ),
        (
            CreditCardRecognizer,
            "9990000000000003",
            ["card", "no"],
            ("CREDIT_CARD", 0, 16, 0.9),
            ["checksum", "field name: card"],
        ),
        (
            IbanRecognizer,
            IBAN_KZ,
            ["iban"],
            ("IBAN_CODE", 0, 20, 1.0),
            ["checksum", "field name: iban"],
        ),
    ],
)
def test_field_name_context(cls, text, field, expected, evidence):
    (result,) = cls().analyze(text, None, None, context=field)
    assert spans([result]) == [expected]
    assert evidence_of(result) == evidence
    assert attributes_of(result) == {}


def test_evidence_names_the_context_word():
    (result,) = KzIinRecognizer().analyze(f"Жеке сәйкестендіру нөмірі: {IIN}", None)
    assert evidence_of(result) == ["checksum", "context: жеке сәйкестендіру нөмірі"]
    (result,) = CreditCardRecognizer().analyze("Карта 4400 4301 2345 6789", None)
    assert evidence_of(result) == ["checksum", "issuer: visa", "context: карта"]


ANALYZER = Analyzer(
    recognizers=[cls() for cls, _ in RECOGNIZER_TABLES],
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a 12-digit number valid both ways: "ИНН" makes it an ИНН, otherwise an ИИН
        (f"ИНН {IIN_ALSO_INN}", [("RU_INN", 4, 16, 1.0)]),
        (IIN_ALSO_INN, [("KZ_IIN", 0, 12, 0.95)]),
        (f"ИИН {IIN_ALSO_INN}", [("KZ_IIN", 4, 16, 1.0)]),
        (
            f"ИИН {IIN}, БИН {BIN}, IBAN {IBAN_KZ}",
            [("KZ_IIN", 4, 16, 1.0), ("KZ_BIN", 22, 34, 1.0), ("IBAN_CODE", 41, 61, 1.0)],
        ),
    ],
)
def test_types_do_not_collide_in_analysis(text, expected):
    assert [(e.type, e.start, e.end, e.score) for e in ANALYZER.analyze(text)] == expected
