"""The field verdict model (scanner/fieldmodel.py): each decision on a field of real analysed
values, with its exact verdict and evidence.

Values are invented here with seeded generators; checksummed ones get their check digits from
the project's validators.
"""

from __future__ import annotations

import random

import pytest

from pdaudit.recognizers.checksums import mod11_two_pass
from pdaudit.recognizers.ru_snils import calc_check_digits
from pdaudit.scanner import fieldmodel
from pdaudit.scanner.analysis import Analyzer
from pdaudit.scanner.fieldnames import hints, tokenize
from pdaudit.scanner.policy import NONE, WITHIN, load_policy
from pdaudit.scanner.verdicts import FieldStats, field_verdict

POLICY = load_policy(None)


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer(min_score=0.4)


def verdict(analyzer: Analyzer, container: str, name: str, values: list[str]) -> dict:
    """Analyse a field as the scanner does (its name as context) and give its verdict."""
    fs = FieldStats("db", container, name)
    fs.add_all(values, analyzer.analyze_batch(values, context=tokenize(name)))
    return field_verdict(fs, POLICY, hints=hints(name))


def digits(rng: random.Random, n: int) -> str:
    return str(rng.randint(10 ** (n - 1), 10**n - 1))


def snils(rng: random.Random) -> str:
    body = f"{rng.randint(2000000, 999999999):09d}"
    return body + calc_check_digits(body)


def iin_2000s(rng: random.Random) -> str:
    while True:
        head = f"{rng.randint(0, 12):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}5"
        head += f"{rng.randint(0, 9999):04d}"
        check = mod11_two_pass(head)
        if check is not None:
            return f"{head}{check}"


def summary(v: dict) -> tuple:
    return (
        v["status"],
        [(e["type"], e["matches"], e["evidence"]) for e in v["entities"]],
        v.get("dismissed", []),
    )


def test_chance_rates_come_from_the_recognizers():
    rates = fieldmodel.chance_rates()
    assert set(rates["RU_SNILS"]) == {11}
    assert set(rates["PHONE_NUMBER"]) == {10, 11}
    assert set(rates["CREDIT_CARD"]) <= set(range(13, 20))
    assert 0.005 < rates["RU_SNILS"][11] < 0.02  # a mod-101 check: about 1 in 100


def test_transaction_numbers_are_not_snils_or_phones(analyzer):
    rng = random.Random(1)
    values = [digits(rng, 11) for _ in range(200)]
    v = verdict(analyzer, "payments", "transaction_no", values)
    assert summary(v) == (
        NONE,
        [],
        [
            {
                "type": "PHONE_NUMBER",
                "matches": 8,
                "reason": "chance: 8 of 200 values, 8.0 expected by chance for 200 numbers"
                " of these lengths",
            },
            {
                "type": "RU_SNILS",
                "matches": 3,
                "reason": "chance: 3 of 200 values, 2.2 expected by chance for 200 numbers"
                " of these lengths",
            },
        ],
    )


def test_real_snils_beat_chance(analyzer):
    rng = random.Random(2)
    v = verdict(analyzer, "people", "ref", [snils(rng) for _ in range(100)])
    assert [e["type"] for e in v["entities"]] == ["RU_SNILS"]
    assert [d["type"] for d in v.get("dismissed", [])] in ([], ["PHONE_NUMBER"])


def test_iin_stored_as_integer_is_not_also_snils(analyzer):
    rng = random.Random(3)
    values = [str(int(iin_2000s(rng))) for _ in range(200)]
    v = verdict(analyzer, "people", "iin", values)
    assert [e["type"] for e in v["entities"]] == ["KZ_IIN"]
    assert [d["type"] for d in v.get("dismissed", [])] in ([], ["RU_SNILS"])


def test_passport_numbers_are_not_phones(analyzer):
    rng = random.Random(4)
    values = [f"{rng.randint(1000, 9999)} {rng.randint(100000, 999999)}" for _ in range(150)]
    v = verdict(analyzer, "people", "passport_number", values)
    assert [e["type"] for e in v["entities"]] == ["RU_PASSPORT"]
    (dismissed,) = v["dismissed"]
    assert dismissed["type"] == "PHONE_NUMBER"
    assert dismissed["reason"].startswith(f"chance: {dismissed['matches']} of 150 values")


def test_a_named_phone_column_is_kept_whatever_the_chance(analyzer):
    rng = random.Random(5)
    values = [f"8701{rng.randint(0, 9999999):07d}" for _ in range(50)]
    v = verdict(analyzer, "users", "phone", values)
    assert [(e["type"], e["matches"]) for e in v["entities"]] == [("PHONE_NUMBER", 50)]


def test_repeated_stream_names_are_not_persons(analyzer):
    rng = random.Random(6)
    values = [rng.choice(["Жұлдыз", "Айгерім", "Арман", "Шұғыла"]) for _ in range(60)]
    v = verdict(analyzer, "courses", "stream_name", values)
    assert v["status"] == NONE and v["entities"] == []
    (dismissed,) = v["dismissed"]
    assert dismissed["type"] == "PERSON"
    assert dismissed["reason"] == f"repetition: {dismissed['matches']} matches of 3 distinct words"


@pytest.mark.parametrize(
    ("name", "values", "parts"),
    [
        ("aty", ["Ерлан", "Айгүл", "Нұрлан", "Жұлдыз", "Асель"] * 6, "first 30 of 30"),
        (
            "tegi",
            ["Жұмабеков", "Сейітова", "Нұрланов", "Бекова", "Ахметова"] * 6,
            "surname 30 of 30",
        ),
        (
            "akesinin_aty",
            ["Ерланович", "Нұрланқызы", "Маратұлы", "Болатовна", "Асқарқызы"] * 6,
            "patronymic 30 of 30",
        ),
    ],
)
def test_single_name_parts_are_persons(analyzer, name, values, parts):
    v = verdict(analyzer, "students", name, values)
    assert v["status"] == WITHIN
    (entity,) = v["entities"]
    assert (entity["type"], entity["matches"], entity["confidence"]) == ("PERSON", 30, 0.8)
    assert entity["evidence"] == [f"name parts: {parts}", f"field name: {name}"]
    assert len(entity["examples"]) == 3


def test_a_name_of_a_thing_is_not_a_name_part(analyzer):
    v = verdict(analyzer, "products", "tauar_aty", ["Тетрадь 48 л.", "Вебинар", "Пробный ЕНТ"] * 10)
    assert summary(v) == (NONE, [], [])


def test_role_mailboxes_are_an_organisations_contact(analyzer):
    values = ["info@mektep.kz", "support@edu.kz", "school12@bilim.kz", "kense@mektep.kz"] * 5
    v = verdict(analyzer, "directory", "email", values)
    assert v["status"] == NONE
    (entity,) = v["entities"]
    assert (entity["type"], entity["contact_type"], entity["personal"]) == (
        "ORG_CONTACT",
        "EMAIL_ADDRESS",
        False,
    )
    assert entity["evidence"][-1] == "role mailboxes: 20 of 20"


def test_an_organisations_table_holds_its_contacts(analyzer):
    values = [f"8 (727) 2{i:02d}-45-67" for i in range(20)]
    v = verdict(analyzer, "organisations", "phone", values)
    (entity,) = v["entities"]
    assert (entity["type"], entity["contact_type"]) == ("ORG_CONTACT", "PHONE_NUMBER")
    assert entity["evidence"][-1] == "organisation table: organisations"
    people = verdict(analyzer, "schools", "teacher_phone", values)
    assert [e["type"] for e in people["entities"]] == ["PHONE_NUMBER"]


def test_a_persons_email_stays_personal(analyzer):
    values = [f"aigul.k{i}@gmail.com" for i in range(20)]
    v = verdict(analyzer, "users", "email", values)
    assert [e["type"] for e in v["entities"]] == ["EMAIL_ADDRESS"]


def test_one_value_at_a_time_batch_and_merge_agree(analyzer):
    rng = random.Random(7)
    values = [digits(rng, 11) for _ in range(50)] + ["Ерлан", "info@mektep.kz", "Айгүл"] * 10
    found = analyzer.analyze_batch(values, context=["aty"])
    one = FieldStats("db", "t", "aty")
    for text, ents in zip(values, found, strict=True):
        one.add(text, ents)
    batch = FieldStats("db", "t", "aty")
    batch.add_all(values, found)
    merged = FieldStats("db", "t", "aty")
    for lo, hi in ((0, 40), (40, len(values))):
        part = FieldStats("db", "t", "aty")
        part.add_all(values[lo:hi], found[lo:hi])
        merged.merge(part)
    assert one == batch
    assert one.shapes == merged.shapes == {11: 50}
    assert one.name_parts == merged.name_parts == {"first": 20}
    for fs in (batch, merged):
        assert field_verdict(fs, POLICY, hints=hints("aty")) == field_verdict(
            one, POLICY, hints=hints("aty")
        )


def test_an_organisations_name_column_is_not_a_person(analyzer):
    values = [f"КГУ «Школа-гимназия №{i}»" for i in range(1, 31)]
    v = verdict(analyzer, "organisations", "name", values)
    assert v["status"] == NONE and v["entities"] == []
    assert [(d["type"], d["reason"]) for d in v["dismissed"]] == [
        ("PERSON", "organisation table: organisations")
    ]


def test_a_person_only_the_field_name_argues_for_is_dismissed(analyzer):
    values = [f"otchet_{i}.pdf" for i in range(1, 31)]
    v = verdict(analyzer, "files", "imya_faila", values)
    assert v["status"] == NONE and v["entities"] == []
    assert [(d["type"], d["reason"]) for d in v["dismissed"]] == [
        ("PERSON", "only the field name: imya_faila")
    ]


def test_a_scan_of_real_files_reports_the_field_verdicts(tmp_path):
    import json
    import sqlite3

    from pdaudit.scanner.scan import scan

    rng = random.Random(8)
    db = tmp_path / "school.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE organisations (id INTEGER PRIMARY KEY, email TEXT, phone TEXT)")
        conn.execute("CREATE TABLE students (id INTEGER PRIMARY KEY, iin INTEGER, tegi TEXT)")
        for i in range(40):
            conn.execute(
                "INSERT INTO organisations (email, phone) VALUES (?, ?)",
                (f"school{i}@edu.kz", f"8 (727) 3{i:02d}-45-67"),
            )
            conn.execute(
                "INSERT INTO students (iin, tegi) VALUES (?, ?)",
                (int(iin_2000s(rng)), rng.choice(["Жұмабеков", "Сейітова", "Нұрланов", "Бекова"])),
            )
    conn.close()
    folder = tmp_path / "logs"
    folder.mkdir()
    names = ["Erlan Zhumabekov", "Aigul Seitova", "Nurlan Bekov", "Assel Nurlanova"]
    (folder / "events.jsonl").write_text(
        "".join(json.dumps({"user": {"name": names[i % 4]}}) + "\n" for i in range(40)), "utf-8"
    )
    report = scan([str(db), str(folder)], POLICY)
    got = {
        f"{f['container'].split('/')[-1]}.{f['field']}": (
            f["status"],
            [(e["type"], e.get("contact_type"), e["matches"]) for e in f["entities"]],
        )
        for f in report["fields"]
        if f["field"] != "id"
    }
    assert got == {
        "organisations.email": (NONE, [("ORG_CONTACT", "EMAIL_ADDRESS", 40)]),
        "organisations.phone": (NONE, [("ORG_CONTACT", "PHONE_NUMBER", 40)]),
        # the recognizer restores the leading zero of 11 of the 40 (a value-level matter)
        "students.iin": ("beyond_policy", [("KZ_IIN", None, 11)]),
        "students.tegi": (WITHIN, [("PERSON", None, 40)]),
        "events.jsonl.user.name": (WITHIN, [("PERSON", None, 40)]),
    }


def test_a_few_repeated_full_names_stay_persons(analyzer):
    teachers = ["Ахметов Ерлан", "Смирнова Анна", "Бекова Айгүл"]
    v = verdict(analyzer, "lessons", "teacher", [teachers[i % 3] for i in range(60)])
    assert [(e["type"], e["matches"]) for e in v["entities"]] == [("PERSON", 60)]
    assert "dismissed" not in v


# ---------------------------------------------------------------- template text (issue #19, 1)

PROMO = [
    "Пушкин и Лермонтов: готовимся к сочинению за 5 уроков",
    # Not Абай's «Слова назидания»: the PERSON package itself drops a public figure in a text
    # that names a work (issue #20); the field model must decide the texts it still reports.
    "Сәкен Сейфуллин и Ильяс Жансүгіров: поэты Алаш на вебинаре в пятницу",
    "Чокан Валиханов — первый казахский учёный. Узнайте больше на вебинаре",
]


def test_repeated_texts_about_historical_figures_are_template_text(analyzer):
    v = verdict(analyzer, "promo", "banner_text", [PROMO[i % 3] for i in range(30)])
    assert summary(v) == (
        NONE,
        [],
        [
            {
                "type": "PERSON",
                "matches": 30,
                "reason": "template text: 30 values with a name, 3 distinct texts",
            }
        ],
    )


def test_a_repeated_signature_with_a_name_stays_a_person(analyzer):
    # Two words of prose around the name: a signature, not a template about someone else.
    values = [["С уважением, Цой Аружан", "С уважением, Жанузаков Ислам"][i % 2] for i in range(30)]
    v = verdict(analyzer, "mail", "signature", values)
    assert summary(v) == (WITHIN, [("PERSON", 30, ["surname", "lexicon: first name"])], [])


def test_messages_naming_their_writers_stay_persons(analyzer):
    first = ["Әлихан", "Бекзат", "Аружан", "Зарина", "Ислам", "Ботагөз"]
    sur = ["Қалиев", "Есенов", "Сарсенова", "Цой", "Григорьева", "Жанузаков"]
    values = [
        f"Меня зовут {first[i % 6]} {sur[i // 6 % 6]}, прошу вернуть оплату" for i in range(30)
    ]
    v = verdict(analyzer, "support", "body", values)
    assert summary(v) == (WITHIN, [("PERSON", 30, ["lexicon: first name", "surname"])], [])


def test_template_evidence_is_merged_and_counted_in_batches_alike(analyzer):
    values = [PROMO[i % 3] for i in range(30)]
    found = analyzer.analyze_batch(values, context=["banner", "text"])
    one = FieldStats("db", "promo", "banner_text")
    for text, ents in zip(values, found, strict=True):
        one.add(text, ents)
    merged = FieldStats("db", "promo", "banner_text")
    for lo, hi in ((0, 11), (11, 30)):
        part = FieldStats("db", "promo", "banner_text")
        part.add_all(values[lo:hi], found[lo:hi])
        merged.merge(part)
    for fs in (one, merged):
        assert (fs.types["PERSON"].texts, fs.types["PERSON"].in_prose) == (
            dict.fromkeys(PROMO, True),
            30,
        )


# ---------------------------------------------------------------- vocabulary (issue #19, 2)


@pytest.mark.parametrize(
    ("name", "values", "evidence"),
    [
        (
            "ismi",
            ["Әлихан", "Бекзат", "Аружан", "Зарина", "Санжар"] * 6,
            ["name parts: first 30 of 30", "field name: ismi"],
        ),
        (
            "оқушы_есімі",
            ["Әлихан", "Бекзат", "Аружан", "Зарина", "Санжар"] * 6,
            ["name parts: first 30 of 30", "field name: оқушы_есімі"],
        ),
        (
            "fname",
            ["Alikhan", "Bekzat", "Aruzhan", "Zarina", "Sanzhar"] * 6,
            ["name parts: first 30 of 30", "field name: fname"],
        ),
        (
            "lname",
            ["Kaliyev", "Yessenov", "Sarsenova", "Zhanuzakov", "Mukhamedzhanova"] * 6,
            ["name parts: surname 30 of 30", "field name: lname"],
        ),
        # the recognizers find these themselves; the owner word (profile, rebenka, uchenika)
        # keeps the repetition rule from dismissing a few repeated name parts
        (
            "profile.surname",
            ["Сейтқали", "Омарова", "Байжанов", "Тұрсынбаева", "Абенов"] * 6,
            ["lexicon", "field name: surname"],
        ),
        (
            "familiya_rebenka",
            ["Қалиев", "Есенов", "Сарсенова", "Григорьева", "Жанузаков"] * 6,
            ["lexicon", "field name: familiya"],
        ),
        (
            "otchestvo_uchenika",
            ["Бекзатұлы", "Исламқызы", "Олеговна", "Тимурович", "Ерболұлы"] * 6,
            ["lexicon", "field name: otchestvo"],
        ),
    ],
)
def test_name_part_fields_named_in_other_languages(analyzer, name, values, evidence):
    v = verdict(analyzer, "pupils", name, values)
    assert v["status"] == WITHIN
    (entity,) = v["entities"]
    assert (entity["type"], entity["evidence"]) == ("PERSON", evidence)
    assert entity["matches"] == (24 if name == "profile.surname" else 30)  # Сейтқали: no lexicon
    assert "dismissed" not in v


def test_a_name_of_a_school_under_aty_is_no_name_part(analyzer):
    values = [["№12 мектеп", "№45 гимназия", "Лицей №8"][i % 3] for i in range(30)]
    assert summary(verdict(analyzer, "pupils", "mektep_aty", values)) == (NONE, [], [])


def test_a_kindergartens_contacts_are_an_organisations(analyzer):
    phones = [f"8 (727) 2{i:02d}-45-67" for i in range(20)]
    v = verdict(analyzer, "kindergartens", "phone", phones)
    assert summary(v) == (
        NONE,
        [
            (
                "ORG_CONTACT",
                20,
                ["numbering plan", "field name: phone", "organisation table: kindergartens"],
            )
        ],
        [],
    )
    mail = verdict(
        analyzer, "pupils", "kindergarten_email", [f"balabaksha{i}@bilim.kz" for i in range(20)]
    )
    assert summary(mail) == (
        NONE,
        [("ORG_CONTACT", 20, ["syntax", "field name: email", "role mailboxes: 20 of 20"])],
        [],
    )


# ------------------------------------------------- a contact person's data (issue #19, 3)


@pytest.mark.parametrize(
    ("table", "name", "said"),
    [
        ("organizations", "contact_person_phone", "person"),
        ("detskie_sady", "kontaktnoe_litso_telefon", "litso"),
        ("colleges", "responsible_person_phone", "responsible"),
    ],
)
def test_a_contact_persons_phone_in_an_organisations_table_is_personal(analyzer, table, name, said):
    rng = random.Random(10)
    values = [f"8701{rng.randint(0, 9999999):07d}" for _ in range(20)]
    v = verdict(analyzer, table, name, values)
    (entity,) = v["entities"]
    assert (v["status"], entity["type"], entity["personal"], entity["matches"]) == (
        WITHIN,
        "PHONE_NUMBER",
        True,
        20,
    )
    assert entity["evidence"][-1] == f"person's field: {said}"


def test_a_contact_persons_role_mailbox_is_still_an_organisations(analyzer):
    values = ["info@univer.kz", "priem@univer.kz", "office@univer.kz", "dekanat3@univer.kz"] * 5
    v = verdict(analyzer, "organizations", "contact_person_email", values)
    (entity,) = v["entities"]
    assert (entity["type"], entity["evidence"][-1]) == ("ORG_CONTACT", "role mailboxes: 20 of 20")


# ---------------------------------------------------------------- sequences (issue #19, 4)


def test_sequential_batch_numbers_are_not_phones(analyzer):
    v = verdict(analyzer, "billing", "batch_no", [str(7_000_000_000 + i) for i in range(80)])
    assert summary(v) == (
        NONE,
        [],
        [
            {
                "type": "PHONE_NUMBER",
                "matches": 80,
                "reason": "sequence: 79 of 79 neighbouring numbers 1 to 10 apart",
            }
        ],
    )


def test_near_consecutive_numbers_in_an_integer_column_are_a_sequence(analyzer):
    rng = random.Random(11)
    values = [str(77_771_230_000 + 3 * i + rng.randint(0, 2)) for i in range(60)]
    v = verdict(analyzer, "warehouse", "receipt_seq", values)
    assert v["entities"] == []
    assert [(d["type"], d["reason"]) for d in v["dismissed"]] == [
        ("PHONE_NUMBER", "sequence: 59 of 59 neighbouring numbers 1 to 10 apart")
    ]


def test_sorted_real_phones_are_no_sequence(analyzer):
    rng = random.Random(12)
    values = sorted(f"8701{rng.randint(0, 9999999):07d}" for _ in range(80))
    v = verdict(analyzer, "members", "contact_no", values)
    assert summary(v) == (WITHIN, [("PHONE_NUMBER", 80, ["numbering plan"])], [])


def test_one_repeated_phone_is_no_sequence(analyzer):
    v = verdict(analyzer, "members", "contact_no", ["87019998877"] * 40)
    assert summary(v) == (WITHIN, [("PHONE_NUMBER", 40, ["numbering plan"])], [])


def test_steps_are_counted_across_batches_and_merges(analyzer):
    values = [str(7_000_000_000 + i) for i in range(50)] + ["ул. Абая 5"] + ["87019998877"] * 9
    found = analyzer.analyze_batch(values, context=["batch", "no"])
    one = FieldStats("db", "billing", "batch_no")
    for text, ents in zip(values, found, strict=True):
        one.add(text, ents)
    batch = FieldStats("db", "billing", "batch_no")
    batch.add_all(values, found)
    merged = FieldStats("db", "billing", "batch_no")
    for lo, hi in ((0, 20), (20, 20), (20, 55), (55, 60)):
        part = FieldStats("db", "billing", "batch_no")
        part.add_all(values[lo:hi], found[lo:hi])
        merged.merge(part)
    # 58 neighbouring pairs of the 59 numbers: 49 steps of 1, the jump to the phone, 8 repeats
    for fs in (one, batch, merged):
        assert (fs.pairs, fs.steps, fs.first_number, fs.last_number) == (
            58,
            49,
            7_000_000_000,
            87019998877,
        )


# ---------------------------------------- organisation contacts on a real database (bullet 3)


def test_an_organisations_database_reports_its_contacts_apart(tmp_path):
    import sqlite3

    from pdaudit.scanner.scan import scan

    rng = random.Random(13)
    db = tmp_path / "orgs.db"
    with sqlite3.connect(db) as conn:
        conn.execute(
            "CREATE TABLE kindergartens (id INTEGER PRIMARY KEY, name TEXT, address TEXT,"
            " phone TEXT, email TEXT, contact_person_phone TEXT, batch_no INTEGER)"
        )
        conn.execute("CREATE TABLE parents (id INTEGER PRIMARY KEY, phone TEXT, email TEXT)")
        roles = ["info", "balabaksha12", "priemnaya", "support"]
        for i in range(40):
            conn.execute(
                "INSERT INTO kindergartens (name, address, phone, email, contact_person_phone,"
                " batch_no) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    f"Балабақша №{i + 1} «Айгөлек»",
                    f"г. Алматы, ул. Сатпаева, {i + 1}",
                    f"8 (727) 3{i:02d}-45-67",
                    f"{roles[i % 4]}@bilim.kz",
                    f"8701{rng.randint(0, 9999999):07d}",
                    7_000_000_000 + i,
                ),
            )
            conn.execute(
                "INSERT INTO parents (phone, email) VALUES (?, ?)",
                (f"8777{rng.randint(0, 9999999):07d}", f"aruzhan.k{i}@gmail.com"),
            )
    conn.close()
    report = scan([str(db)], POLICY)
    got = {
        f"{f['container'].split('/')[-1]}.{f['field']}": (
            f["status"],
            [(e["type"], e.get("contact_type"), e["matches"]) for e in f["entities"]],
            [(d["type"], d["reason"]) for d in f.get("dismissed", [])],
        )
        for f in report["fields"]
        if f["field"] != "id"
    }
    assert got == {
        "kindergartens.name": (NONE, [], [("PERSON", "organisation table: kindergartens")]),
        "kindergartens.address": (NONE, [("ORG_CONTACT", "ADDRESS", 40)], []),
        "kindergartens.phone": (NONE, [("ORG_CONTACT", "PHONE_NUMBER", 40)], []),
        "kindergartens.email": (NONE, [("ORG_CONTACT", "EMAIL_ADDRESS", 40)], []),
        "kindergartens.contact_person_phone": (WITHIN, [("PHONE_NUMBER", None, 40)], []),
        "kindergartens.batch_no": (
            NONE,
            [],
            [("PHONE_NUMBER", "sequence: 39 of 39 neighbouring numbers 1 to 10 apart")],
        ),
        "parents.phone": (WITHIN, [("PHONE_NUMBER", None, 40)], []),
        "parents.email": (WITHIN, [("EMAIL_ADDRESS", None, 40)], []),
    }


def test_a_templated_notice_to_many_users_stays_a_person(analyzer):
    # The same sentence with each user's first name: more distinct texts than a template has.
    names = "Ерлан Айгүл Нұрлан Жұлдыз Асель Дәурен Сәуле Бауыржан Гүлнар Қанат Айдана Мұрат Анна"
    first = names.split() + ["Дмитрий", "Ольга"]
    values = [f"Уважаемый(ая) {first[i % 15]}, ваш урок начнётся через 15 минут" for i in range(60)]
    v = verdict(analyzer, "notifications", "body", values)
    # 56: the recognizers miss "Қанат" alone after "Уважаемый(ая)" (a value-level matter)
    assert [(e["type"], e["matches"]) for e in v["entities"]] == [("PERSON", 56)]
    assert "dismissed" not in v


def _random_cells(rng: random.Random, count: int) -> list[str]:
    alphabet = list("0123456789") * 3 + list(" -()+.\u00a0") + ["a", "Б", "²", "١", "\n", "/"]
    cells = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(45))) for _ in range(count)]
    cells += [str(rng.randrange(10**k)) for k in range(1, 22) for _ in range(40)]
    cells += ["+7 (701) 123-45-67", "8 701 123 45 67", "9" * 19, "9" * 20, "+", "(", ""]
    return cells


def test_a_batch_profile_equals_one_value_at_a_time():
    """``add_all`` of batches counts the same shapes, steps and first and last numbers as
    ``add`` one value at a time (random cells, numbers of up to 21 digits)."""
    rng = random.Random(5)
    cells = _random_cells(rng, 3_000) + [str(7_000_000_000 + n) for n in range(600)]
    one, batch = FieldStats("db", "t", "n"), FieldStats("db", "t", "n")
    for cell in cells:
        one.add(cell, [])
    for lo in range(0, len(cells), 1_000):
        batch.add_all(cells[lo : lo + 1_000], [[] for _ in cells[lo : lo + 1_000]])
    assert one == batch
    assert one.steps >= 599 and one.shapes[10] >= 600


def _random_number_texts(rng: random.Random, n: int) -> list[str]:
    """Bare numbers in every form, near misses, and words."""
    pieces = ["7", "0", "12", "4509", "+", "(", ")", "-", " ", ".", "\u00a0", ":", "٣", "²", "a"]
    out = []
    for _ in range(n):
        kind = rng.random()
        if kind < 0.3:
            out.append("".join(rng.choice("0123456789") for _ in range(rng.randint(1, 22))))
        elif kind < 0.8:
            out.append("".join(rng.choice(pieces) for _ in range(rng.randint(0, 25))))
        else:
            out.append(rng.choice(["Ким Ольга", "ул. Абая 5", "a@b.kz", "", " 7", "٣٣"]))
    return out


def _shapes_and_numbers(texts: list[str]) -> tuple[list[int], list[int]]:
    """The per-text definition: ``digit_shape`` and ``bare_numbers``."""
    shapes = [fieldmodel.digit_shape(t) for t in texts]
    return shapes, fieldmodel.bare_numbers(t for t, s in zip(texts, shapes, strict=True) if s)


def test_digit_shapes_equal_digit_shape_and_bare_numbers(monkeypatch):
    """The batch reading agrees with ``digit_shape`` and ``bare_numbers`` text by text, and its
    two shortcuts (no value starts as a number; all plain ASCII numbers) do happen."""
    rng = random.Random(2915)
    apart = fieldmodel._shapes_one_by_one
    calls: list[int] = []

    def one_by_one(texts):
        calls.append(len(texts))
        return apart(texts)

    monkeypatch.setattr(fieldmodel, "_shapes_one_by_one", one_by_one)
    for _ in range(200):
        texts = _random_number_texts(rng, rng.randint(1, 40))
        assert fieldmodel.digit_shapes(texts) == _shapes_and_numbers(texts)
    assert calls
    calls.clear()
    columns = [
        ["Ким Ольга", "ул. Абая 5", "a@b.kz", "", "٣٣", "²"],  # nothing starts as a number
        ["900101300126", "7", "0012"],  # plain ASCII numbers
    ]
    for texts in columns:
        assert fieldmodel.digit_shapes(texts) == _shapes_and_numbers(texts)
    assert calls == []
    for texts in (["12", ""], ["1" * 20, "12"], ["12", "٣"], ["+7 701", "12"]):
        assert fieldmodel.digit_shapes(texts) == _shapes_and_numbers(texts)
    assert len(calls) == 4
