"""pdaudit.scanner.fieldnames: tokens of a field name and the entity types it argues for and against."""

from __future__ import annotations

import dataclasses

import pytest

from pdaudit.scanner.fieldnames import FieldHints, hints, tokenize

IDS = [
    "KZ_ID_DOCUMENT",
    "RU_PASSPORT",
    "PHONE_NUMBER",
    "KZ_IIN",
    "KZ_BIN",
    "RU_INN",
    "RU_SNILS",
    "CREDIT_CARD",
    "IBAN_CODE",
]


@pytest.mark.parametrize(
    ("name", "tokens"),
    [
        ("udostoverenie_no", ["udostoverenie", "no"]),
        ("dateOfBirth", ["date", "of", "birth"]),
        ("DateOfBirth", ["date", "of", "birth"]),
        ("IINNumber", ["iin", "number"]),
        ("userIPAddress", ["user", "ip", "address"]),
        ("client-phone", ["client", "phone"]),
        ("$.client.passport[0].no", ["client", "passport", "0", "no"]),
        ("address2", ["address", "2"]),
        ("phone2mobile", ["phone", "2", "mobile"]),
        ("Дата_рождения", ["дата", "рождения"]),
        ("ДатаРождения", ["дата", "рождения"]),
        ("ИИН", ["иин"]),
        ("туған_күні", ["туған", "күні"]),
        ("Ёлка ФИО", ["елка", "фио"]),
        ("FULL NAME", ["full", "name"]),
        ("__id__", ["id"]),
        ("", []),
        (None, []),
        ("€!?", []),
    ],
)
def test_tokenize(name, tokens):
    assert tokenize(name) == tokens


@pytest.mark.parametrize(
    ("name", "boost"),
    [
        ("fio", {"PERSON": "fio"}),
        ("familiya", {"PERSON": "familiya"}),
        ("imya", {"PERSON": "imya"}),
        ("otchestvo", {"PERSON": "otchestvo"}),
        ("full_name", {"PERSON": "name"}),
        ("Фамилия", {"PERSON": "фамилия"}),
        ("telefon", {"PHONE_NUMBER": "telefon"}),
        ("phone_number", {"PHONE_NUMBER": "phone"}),
        ("tel", {"PHONE_NUMBER": "tel"}),
        ("mobilePhone", {"PHONE_NUMBER": "mobile"}),
        ("Телефон", {"PHONE_NUMBER": "телефон"}),
        ("email", {"EMAIL_ADDRESS": "email"}),
        ("e-mail", {"EMAIL_ADDRESS": "e_mail"}),
        ("pochta", {"EMAIL_ADDRESS": "pochta"}),
        ("iin", {"KZ_IIN": "iin"}),
        ("zhsn", {"KZ_IIN": "zhsn"}),
        ("ИИН", {"KZ_IIN": "иин"}),
        ("bin", {"KZ_BIN": "bin"}),
        ("inn", {"RU_INN": "inn"}),
        ("snils", {"RU_SNILS": "snils"}),
        ("tugan_kuni", {"DATE_OF_BIRTH": "tugan"}),
        ("туған_күні", {"DATE_OF_BIRTH": "туған"}),
        ("data_rozhdeniya", {"DATE_OF_BIRTH": "rozhdeniya"}),
        ("Дата_рождения", {"DATE_OF_BIRTH": "рождения"}),
        ("dob", {"DATE_OF_BIRTH": "dob"}),
        ("birthday", {"DATE_OF_BIRTH": "birthday"}),
        ("dateOfBirth", {"DATE_OF_BIRTH": "birth"}),
        ("dr", {"DATE_OF_BIRTH": "dr"}),
        ("adres", {"ADDRESS": "adres"}),
        ("home_address", {"ADDRESS": "address"}),
        ("Адрес проживания", {"ADDRESS": "адрес"}),
        ("pasport", {"KZ_ID_DOCUMENT": "pasport", "RU_PASSPORT": "pasport"}),
        ("passport_rf", {"KZ_ID_DOCUMENT": "passport", "RU_PASSPORT": "passport"}),
        ("udostoverenie", {"KZ_ID_DOCUMENT": "udostoverenie"}),
        ("ud_lichnosti", {"KZ_ID_DOCUMENT": "ud_lichnosti"}),
        ("doc_no", {"KZ_ID_DOCUMENT": "doc"}),
        ("id_card", {"KZ_ID_DOCUMENT": "id_card"}),
        ("id_card_number", {"KZ_ID_DOCUMENT": "id_card"}),
        ("idCardNo", {"KZ_ID_DOCUMENT": "id_card"}),
        ("idcard", {"KZ_ID_DOCUMENT": "idcard"}),
        ("nomer_udostovereniya", {"KZ_ID_DOCUMENT": "udostovereniya"}),
        ("ud_no", {"KZ_ID_DOCUMENT": "ud_no"}),
        ("nomer_ud", {"KZ_ID_DOCUMENT": "nomer_ud"}),
        ("doc_num", {"KZ_ID_DOCUMENT": "doc"}),
        ("tuylgan_kuni", {"DATE_OF_BIRTH": "tuylgan"}),
        ("tuilgan_kuni", {"DATE_OF_BIRTH": "tuilgan"}),
        ("tugan_kun", {"DATE_OF_BIRTH": "tugan"}),
        ("ud", {}),
        ("card_number", {"CREDIT_CARD": "card"}),
        ("karta", {"CREDIT_CARD": "karta"}),
        ("iban", {"IBAN_CODE": "iban"}),
        ("schet", {"IBAN_CODE": "schet"}),
        ("ip", {"IP_ADDRESS": "ip"}),
        ("customer_id", {}),
        ("comment", {}),
    ],
)
def test_boost(name, boost):
    assert hints(name).boost == boost


@pytest.mark.parametrize(
    ("name", "boost", "suppress"),
    [
        ("sku", {}, {t: "sku" for t in IDS}),
        ("order_id", {}, {t: "order" for t in IDS}),
        ("article", {}, {t: "article" for t in IDS}),
        ("amount", {}, {t: "amount" for t in IDS}),
        ("price", {}, {t: "price" for t in IDS}),
        ("qty", {}, {t: "qty" for t in IDS}),
        ("version", {}, {**{t: "version" for t in IDS}, "IP_ADDRESS": "version"}),
        ("app_version", {}, {**{t: "version" for t in IDS}, "IP_ADDRESS": "version"}),
        ("build", {}, {**{t: "build" for t in IDS}, "IP_ADDRESS": "build"}),
        ("sborka", {}, {**{t: "sborka" for t in IDS}, "IP_ADDRESS": "sborka"}),
        # a type the name names outright stays boosted
        (
            "order_phone",
            {"PHONE_NUMBER": "phone"},
            {t: "order" for t in IDS if t != "PHONE_NUMBER"},
        ),
        ("lesson_date", {}, {"DATE_OF_BIRTH": "lesson"}),
        ("created_at", {}, {"DATE_OF_BIRTH": "created"}),
        ("product_name", {}, {"PERSON": "product_name"}),
        ("username", {}, {"PERSON": "username"}),
        ("ip_address", {"IP_ADDRESS": "ip_address"}, {"ADDRESS": "ip_address"}),
        ("client_ip_address", {"IP_ADDRESS": "ip_address"}, {"ADDRESS": "ip_address"}),
        ("email_address", {"EMAIL_ADDRESS": "email_address"}, {"ADDRESS": "email_address"}),
        ("mac_address", {}, {"ADDRESS": "mac_address"}),
    ],
)
def test_suppress(name, boost, suppress):
    result = hints(name)
    assert result.boost == boost
    assert result.suppress == suppress


def test_hints_shape():
    result = hints("udostoverenie_no")
    assert result == FieldHints(
        boost={"KZ_ID_DOCUMENT": "udostoverenie"}, suppress={}, tokens=["udostoverenie", "no"]
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.boost = {}  # type: ignore[misc]
    assert hints(None) == FieldHints()
