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


# ------------------------------------------ the field verdict model's words (configs/fieldmodel.yaml)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        # Russian: Cyrillic, transliterated, with whose name it is
        ("имя", "first"),
        ("имя_ученика", "first"),
        ("imya_kaz", "first"),
        ("familiya_rebenka", "surname"),
        ("otchestvo_uchenika", "patronymic"),
        ("фамилия_родителя", "surname"),
        # Kazakh: Cyrillic and Latin; Uzbek Latin
        ("ismi", "first"),
        ("esimi", "first"),
        ("оқушы_есімі", "first"),
        ("tegi", "surname"),
        ("akesinin_aty", "patronymic"),
        ("әкесінің_аты", "patronymic"),
        ("ákesiniń_aty", "patronymic"),
        ("otasining_ismi", "patronymic"),
        # English: snake, camel, short forms, JSON paths, the value's script
        ("fname", "first"),
        ("lname", "surname"),
        ("studentSurname", "surname"),
        ("profile.surname", "surname"),
        ("account.lastName", "surname"),
        ("member.firstName", "first"),
        ("last_name_lat", "surname"),
        ("father_name", "patronymic"),
        ("family_name", "surname"),
        # a name of a thing
        ("mektep_aty", None),
        ("sinyp_aty", None),
        ("tauar_aty", None),
        ("kurs_aty", None),
        ("imya_faila", None),
        ("event.name", None),
        ("course_name", None),
        ("username", None),
        ("created_at", None),
        ("doc_name", None),
        ("legal_name", None),
        ("official_name", None),
        ("name_text", None),
    ],
)
def test_name_part_kind(name, kind):
    from pdaudit.scanner.fieldmodel import name_part_kind

    assert name_part_kind(tokenize(name)) == kind


@pytest.mark.parametrize(
    ("table", "name", "said"),
    [
        ("organisations", "phone", "organisation table: organisations"),
        ("kindergartens", "phone", "organisation table: kindergartens"),
        ("detskie_sady", "telefon", "organisation table: sady"),
        ("balabaqsha", "email", None),  # an unknown spelling says nothing
        ("balabakshalar", "email", "organisation table: balabakshalar"),
        ("колледжи", "адрес", "organisation table: колледжи"),
        ("universities", "rector_office_email", None),  # the rector is a person
        ("universities", "office_email", "field name: office"),
        ("users", "dekanat_phone", "field name: dekanat"),
        ("organizations", "contact_person_phone", None),
        ("detskie_sady", "kontaktnoe_litso_telefon", None),
        ("colleges", "responsible_person_email", None),
        ("schools", "teacher_phone", None),
    ],
)
def test_org_context(table, name, said):
    from pdaudit.scanner.fieldmodel import org_context

    assert org_context(tokenize(table), tokenize(name)) == said


@pytest.mark.parametrize(
    ("email", "role"),
    [
        ("info@mektep.kz", True),
        ("balabaksha12@bilim.kz", True),
        ("detsad-3@bilim.kz", True),
        ("college7@edu.kz", True),
        ("dekanat@univer.kz", True),
        ("rektorat@kaznu.kz", True),
        ("info2@mektep.kz", True),
        ("Support@Mirum.kz", True),
        ("aruzhan.k12@gmail.com", False),
        ("information.erlan@mail.ru", False),
        ("infosec-anna@mail.ru", False),
        ("school.aigul@gmail.com", False),
    ],
)
def test_role_mailbox(email, role):
    from pdaudit.scanner.fieldmodel import is_role_mailbox

    assert is_role_mailbox(email) is role


def test_fieldmodel_vocabulary_holds_tokens_only():
    """Every word of configs/fieldmodel.yaml is a string that ``tokenize`` can produce (YAML
    reads an unquoted ``no`` as False, ``1`` as an int; "_" and "-" split a field name)."""
    from importlib.resources import files

    import yaml

    data = yaml.safe_load(files("pdaudit.configs").joinpath("fieldmodel.yaml").read_text("utf-8"))
    lists = [v for v in data.values() if isinstance(v, list)]
    lists += [v for group in data.values() if isinstance(group, dict) for v in group.values()]
    for words in lists:
        for word in words if isinstance(words, list) else [words]:
            assert isinstance(word, str), word
            if words is not data["role_mailboxes"]:
                assert tokenize(word) == [word], word
