"""KZ_ID_DOCUMENT and RU_PASSPORT: numbers without a checksum, reported only with context."""

from __future__ import annotations

import pytest
from stdnum.exceptions import InvalidComponent, InvalidFormat, InvalidLength

from pdaudit.recognizers import kz_id_document, ru_passport
from pdaudit.recognizers.base import evidence_of
from pdaudit.recognizers.kz_id_document import KzIdDocumentRecognizer
from pdaudit.recognizers.ru_passport import RuPassportRecognizer

KZ = KzIdDocumentRecognizer()
RU = RuPassportRecognizer()


def found(recognizer, text, context=None):
    return [
        (r.entity_type, r.start, r.end, r.score)
        for r in recognizer.analyze(text, None, None, context=context)
    ]


KZ_VALID = [
    ("Уд. личности: 012345678", None, [("KZ_ID_DOCUMENT", 14, 23, 0.9)]),
    ("удостоверение личности №041234567 выдано МВД РК", None, [("KZ_ID_DOCUMENT", 24, 33, 0.9)]),
    ("Жеке куәлік № 041234567", None, [("KZ_ID_DOCUMENT", 14, 23, 0.9)]),
    ("Төлқұжат N12345678", None, [("KZ_ID_DOCUMENT", 9, 18, 0.9)]),
    ("паспорт N12345678 выдан МВД РК", None, [("KZ_ID_DOCUMENT", 8, 17, 0.9)]),
    ("Паспорт Н12345678", None, [("KZ_ID_DOCUMENT", 8, 17, 0.9)]),  # Cyrillic Н
    ("Passport no. N09876543", None, [("KZ_ID_DOCUMENT", 13, 22, 0.9)]),
    ("Паспорт РК N 07654321", None, [("KZ_ID_DOCUMENT", 11, 21, 0.9)]),
    ("ID card 045678912", None, [("KZ_ID_DOCUMENT", 8, 17, 0.9)]),
    ("номер документа: 034567891", None, [("KZ_ID_DOCUMENT", 17, 26, 0.9)]),
    ("старый паспорт K1234567", None, [("KZ_ID_DOCUMENT", 15, 23, 0.9)]),
    ("012345678", ["udostoverenie", "no"], [("KZ_ID_DOCUMENT", 0, 9, 0.85)]),
    ("N12345678", ["client", "passport"], [("KZ_ID_DOCUMENT", 0, 9, 0.85)]),
    ("012345678", ["doc", "number"], [("KZ_ID_DOCUMENT", 0, 9, 0.85)]),
    ("уд. личности 012345678", ["zhk"], [("KZ_ID_DOCUMENT", 13, 22, 0.95)]),
    (
        "ИИН 900101300123, уд.личности 041234567",
        None,
        [("KZ_ID_DOCUMENT", 30, 39, 0.9)],
    ),
]
KZ_NEAR_MISS = [
    ("Уд. личности: 01234567", None),  # 8 digits
    ("Уд. личности: 0123456789", None),  # 10 digits
    ("Уд. личности: 000000000", None),  # placeholder
    ("Уд. личности: 900101300123", None),  # an IIN
    ("паспорт N1234567890", None),
    ("паспорт ***456789", None),  # masked
    ("удостоверение 01234567a", None),
]
KZ_NO_CONTEXT = [
    ("Заказ 012345678", None),
    ("SKU N12345678", None),
    ("012345678", None),
    ("012345678", ["order", "id"]),
    ("Артикул K1234567 на складе", None),
]


# Identity-card numbers written in groups of three, as printed on the card and read by OCR.
KZ_GROUPED = [
    ("УДОСТОВЕРЕНИЕ ЛИЧНОСТИ № 051 274 893", None, [("KZ_ID_DOCUMENT", 25, 36, 0.9)]),
    ("Номер удостоверения: 027 611 408, выдано МВД", None, [("KZ_ID_DOCUMENT", 21, 32, 0.9)]),
    ("жеке куәлік 039 540 217", None, [("KZ_ID_DOCUMENT", 12, 23, 0.9)]),
    ("уд. личности 039\u00a0540\u00a0217", None, [("KZ_ID_DOCUMENT", 13, 24, 0.9)]),
    ("удостоверение 051-274-893", None, [("KZ_ID_DOCUMENT", 14, 25, 0.9)]),
    ("039 540 217", ["udostoverenie"], [("KZ_ID_DOCUMENT", 0, 11, 0.85)]),
    # never a piece of a longer grouped run
    ("удостоверение 900 101 300 126", None, []),  # an IIN in groups
    ("уд. личности 8 051 274 893", None, []),
    ("удостоверение 051 274 8930", None, []),
    ("удостоверение 051 274-893", None, []),  # mixed separators
    ("удостоверение 051  274  893", None, []),  # double spaces: not one number
    ("Заказ 051 274 893", None, []),
]
# Field names that name an identity card, single tokens and two-token phrases.
KZ_FIELD_NAMES = [
    ("039540217", ["id", "card", "number"], [("KZ_ID_DOCUMENT", 0, 9, 0.85)]),
    ("039540217", ["idcard"], [("KZ_ID_DOCUMENT", 0, 9, 0.85)]),
    ("039540217", ["id", "card", "no"], [("KZ_ID_DOCUMENT", 0, 9, 0.85)]),
    ("039540217", ["nomer", "udostovereniya"], [("KZ_ID_DOCUMENT", 0, 9, 0.85)]),
    ("039540217", ["ud", "no"], [("KZ_ID_DOCUMENT", 0, 9, 0.85)]),
    ("039540217", ["doc", "num"], [("KZ_ID_DOCUMENT", 0, 9, 0.85)]),
    ("039 540 217", ["id", "card", "number"], [("KZ_ID_DOCUMENT", 0, 11, 0.85)]),
    ("039540217", ["card", "number"], []),  # a bank card column
    ("039540217", ["id"], []),
    ("039540217", ["no"], []),
]
# The label nearest before a number decides; a non-document label in between takes it away.
KZ_NEAREST_LABEL = [
    ("паспорт N07318452, номер заказа 051274893", None, [("KZ_ID_DOCUMENT", 8, 17, 0.9)]),
    ("Паспорт: N07318452; счёт 051274893", None, [("KZ_ID_DOCUMENT", 9, 18, 0.9)]),
    ("удостоверение есть, invoice 051274893", None, []),
    ("Уд. личности в архиве. Артикул 051274893", None, []),
    ("жеке куәлік, трек-номер 051 274 893", None, []),
    ("номер заказа 051274893 (паспорт)", None, []),
    ("Order 051274893, passport N07318452", None, [("KZ_ID_DOCUMENT", 26, 35, 0.9)]),
    # a document word after the order label is nearer again
    ("заказ оформлен, удостоверение 051274893", None, [("KZ_ID_DOCUMENT", 30, 39, 0.9)]),
]


@pytest.mark.parametrize(
    ("text", "context", "expected"), KZ_GROUPED + KZ_FIELD_NAMES + KZ_NEAREST_LABEL
)
def test_kz_id_document_grouped_field_names_nearest_label(text, context, expected):
    assert found(KZ, text, context) == expected


@pytest.mark.parametrize(("text", "context", "expected"), KZ_VALID)
def test_kz_id_document_valid(text, context, expected):
    assert found(KZ, text, context) == expected


@pytest.mark.parametrize(("text", "context"), KZ_NEAR_MISS + KZ_NO_CONTEXT)
def test_kz_id_document_not_found(text, context):
    assert found(KZ, text, context) == []


# The quick test is the candidate pattern: timestamps, phones and ИИН hold no number of a
# document's shape, and a grouped number that continues a date's run is none either.
KZ_FAST = [
    ("2024-03-05 12:34:56", None, False, []),
    ("+77051574702", ["udostoverenie", "no"], False, []),
    ("ИИН 900101300126", None, False, []),
    ("уд. личности 12.03.2015 012 345 678", None, False, []),
    ("уд. личности 012345678 от 12.03.2015", None, True, [("KZ_ID_DOCUMENT", 13, 22, 0.9)]),
    ("паспорт N12345678 выдан 2015-03-12", None, True, [("KZ_ID_DOCUMENT", 8, 17, 0.9)]),
    ("выдан 2015-03-12, уд. личности 012 345 678", None, True, [("KZ_ID_DOCUMENT", 31, 42, 0.9)]),
    ("012345678", ["udostoverenie", "no"], True, [("KZ_ID_DOCUMENT", 0, 9, 0.85)]),
    ("012345678", ["comment"], True, []),  # the field word is remembered per field name
    ("012345678", ["id", "card"], True, [("KZ_ID_DOCUMENT", 0, 9, 0.85)]),
]


@pytest.mark.parametrize(("text", "context", "might", "expected"), KZ_FAST)
def test_kz_id_document_fast_paths(text, context, might, expected):
    from pdaudit.recognizers.kz_id_document import _searched
    from pdaudit.scanner.analysis import search_selects

    assert _searched(text) is might  # the quick test before the candidate pattern
    assert search_selects(KZ, [text]) == [True] or not might
    assert found(KZ, text, context) == expected


def test_kz_id_document_evidence_and_kind():
    [result] = KZ.analyze("уд. личности 012345678", None, None, context=["zhk"])
    assert evidence_of(result) == ["context: уд. личности", "field name: zhk"]
    assert result.recognition_metadata["pdaudit_attributes"] == {"document": "id_card"}
    [result] = KZ.analyze("паспорт N12345678", None)
    assert result.recognition_metadata["pdaudit_attributes"] == {"document": "passport"}


RU_VALID = [
    ("Паспорт: 45 06 123456", None, [("RU_PASSPORT", 9, 21, 0.9)]),
    ("паспорт 4506 123456", None, [("RU_PASSPORT", 8, 19, 0.9)]),
    ("паспорт РФ 4506123456", None, [("RU_PASSPORT", 11, 21, 0.9)]),
    ("серия 45 06 № 123456", None, [("RU_PASSPORT", 6, 20, 0.9)]),
    ("паспорт серия 4506 номер 123456 выдан", None, [("RU_PASSPORT", 14, 31, 0.9)]),
    ("Passport 4599 654321", None, [("RU_PASSPORT", 9, 20, 0.9)]),
    ("4506123456", ["pasport", "rf"], [("RU_PASSPORT", 0, 10, 0.85)]),
    ("45 06 123456", ["passport"], [("RU_PASSPORT", 0, 12, 0.85)]),
    ("паспорт 4506 123456", ["seriya", "nomer"], [("RU_PASSPORT", 8, 19, 0.95)]),
]
RU_NEAR_MISS = [
    ("паспорт 4596 123456", None),  # blank year 96: before the 1997 passport
    ("паспорт 0006 123456", None),  # region 00
    ("паспорт 4506 000000", None),
    ("паспорт 4506 12345", None),
    ("паспорт 45061234567", None),
    ("паспорт 4506 12345678", None),
    ("паспорт +7 701 123 45 67", None),
]
RU_NO_CONTEXT = [
    ("Номер заказа 4506123456", None),  # a bare "номер" is not a passport word
    ("4506 123456", None),
    ("4506123456", ["order", "no"]),
    ("ИНН 7707083893", None),
]


@pytest.mark.parametrize(("text", "context", "expected"), RU_VALID)
def test_ru_passport_valid(text, context, expected):
    assert found(RU, text, context) == expected


@pytest.mark.parametrize(("text", "context"), RU_NEAR_MISS + RU_NO_CONTEXT)
def test_ru_passport_not_found(text, context):
    assert found(RU, text, context) == []


def test_kz_and_ru_do_not_claim_each_other():
    text = "паспорт РК N12345678, паспорт РФ 4506 123456"
    assert found(KZ, text) == [("KZ_ID_DOCUMENT", 11, 20, 0.9)]
    assert found(RU, text) == [("RU_PASSPORT", 33, 44, 0.9)]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("012345678", "012345678"),
        (" № 012 345 678 ", "012345678"),
        ("n12345678", "N12345678"),
        ("Н-1234-5678", "N12345678"),
        ("K1234567", "K1234567"),
    ],
)
def test_kz_validate(value, expected):
    assert kz_id_document.validate(value) == expected
    assert kz_id_document.is_valid(value)


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (None, InvalidFormat),
        ("", InvalidLength),
        ("€", InvalidFormat),
        (123456789, InvalidFormat),
        ("12345678", InvalidLength),
        ("A12345678", InvalidFormat),
        ("N123456789", InvalidLength),
        ("000000000", InvalidComponent),
        ("N00000000", InvalidComponent),
    ],
)
def test_kz_validate_errors(value, error):
    with pytest.raises(error):
        kz_id_document.validate(value)
    assert not kz_id_document.is_valid(value)


def test_kz_kind_and_format():
    assert kz_id_document.kind("012345678") == "id_card"
    assert kz_id_document.kind("N12345678") == "passport"
    assert kz_id_document.kind("K1234567") == "old_passport"
    assert kz_id_document.format("n 1234 5678") == "N12345678"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("45 06 123456", "4506123456"), ("4506-123456", "4506123456"), ("97 97 123456", "9797123456")],
)
def test_ru_validate(value, expected):
    assert ru_passport.validate(value) == expected
    assert ru_passport.format(expected) == f"{expected[:2]} {expected[2:4]} {expected[4:]}"


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (None, InvalidFormat),
        ("", InvalidLength),
        ("€", InvalidFormat),
        (4506123456, InvalidFormat),
        ("45 06 12345", InvalidLength),
        ("4596123456", InvalidComponent),
        ("0006123456", InvalidComponent),
        ("4506000000", InvalidComponent),
        ("45O6123456", InvalidFormat),
    ],
)
def test_ru_validate_errors(value, error):
    with pytest.raises(error):
        ru_passport.validate(value)
    assert not ru_passport.is_valid(value)


@pytest.mark.parametrize("recognizer", [KZ, RU])
@pytest.mark.parametrize("junk", [None, "", " ", "\x00\xff\xfe", "№" * 500, 12345])
def test_junk(recognizer, junk):
    assert recognizer.analyze(junk, None, None, context=["pasport"]) == []


@pytest.mark.parametrize("recognizer", [KZ, RU])
def test_other_entities_requested(recognizer):
    assert recognizer.analyze("паспорт N12345678 4506 123456", ["EMAIL_ADDRESS"]) == []
