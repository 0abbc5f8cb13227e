"""Write ``eval/data/identifiers_context.jsonl``: labelled texts for the context-only types.

KZ_ID_DOCUMENT, RU_PASSPORT, DATE_OF_BIRTH, ADDRESS and IP_ADDRESS, all synthetic, generated here
with a fixed seed, in short cells ("short"), form lines and sentences ("form") and hard negatives
("negative": lesson dates, version strings, SKUs, order numbers, lone city names, course titles,
masked values). A record may carry ``context``: the tokens of the field the value came from, as
the scan passes them to the recognizers. Spans are code-point offsets. Run:

    .venv/bin/python eval/make_identifiers_context.py
"""

from __future__ import annotations

import datetime
import json
import random
from pathlib import Path

SEED = 20240312
OUT = Path(__file__).resolve().parent / "data" / "identifiers_context.jsonl"

rng = random.Random(SEED)

SURNAMES = ["Жаксыбеков", "Омарова", "Петренко", "Сулейменов", "Ким", "Абдрахманова", "Волкова"]
INITIALS = ["А.Б.", "Е.С.", "Д.Т.", "М.К.", "И.И."]
CITIES = ["Алматы", "Астана", "Шымкент", "Караганда", "Павлодар", "Актобе", "Костанай"]
STREETS = ["Абая", "Достык", "Сатпаева", "Толе би", "Жандосова", "Кабанбай батыра", "Гагарина",
           "Розыбакиева", "Тимирязева", "8 Марта", "Ленина", "Пушкина"]  # fmt: skip
KZ_STREETS = ["Абай", "Достық", "Сәтбаев", "Төле би", "Тәуке хан", "Қабанбай батыр"]
MICRO = ["Самал-2", "Аксай-4", "Орбита-3", "Мамыр-1", "5", "12"]
RU_MONTHS = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
             "сентября", "октября", "ноября", "декабря"]  # fmt: skip
KZ_MONTHS = ["қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз",
             "қыркүйек", "қазан", "қараша", "желтоқсан"]  # fmt: skip
EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]  # fmt: skip
COURSES = ["Город и улица: урбанистика", "Как выбрать квартиру", "Python для аналитиков",
           "Дизайн интерьера: дом мечты", "Основы SQL"]  # fmt: skip

records: list[dict] = []


def add(kind: str, *parts: str | tuple[str, str], context: list[str] | None = None) -> None:
    """Join ``parts``; a ``(type, value)`` part is a labelled span."""
    text, entities = "", []
    for part in parts:
        if isinstance(part, tuple):
            entities.append({"type": part[0], "start": len(text), "end": len(text) + len(part[1])})
            text += part[1]
        else:
            text += part
    record: dict = {"text": text, "entities": entities, "kind": kind}
    if context:
        record["context"] = context
    records.append(record)


def name() -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(INITIALS)}"


def kz_id() -> str:
    return "0" + "".join(rng.choice("0123456789") for _ in range(8))


def kz_passport() -> str:
    return "N" + "".join(rng.choice("0123456789") for _ in range(8))


def ru_passport(style: int) -> str:
    region = rng.choice(["45", "46", "50", "77", "78", "40", "63", "02", "16", "66"])
    year = f"{rng.choice([*range(97, 100), *range(0, 25)]):02d}"
    number = f"{rng.randrange(1, 10**6):06d}"
    return [f"{region} {year} {number}", f"{region}{year} {number}", f"{region}{year}{number}"][
        style % 3
    ]


def birth_date() -> datetime.date:
    start = datetime.date(1950, 1, 1).toordinal()
    return datetime.date.fromordinal(rng.randrange(start, datetime.date(2008, 12, 31).toordinal()))


def date_text(d: datetime.date, style: int) -> str:
    return [
        d.strftime("%d.%m.%Y"),
        d.strftime("%d/%m/%Y"),
        d.isoformat(),
        f"{d.day} {RU_MONTHS[d.month - 1]} {d.year}",
        f"{d.year} жылғы {d.day} {KZ_MONTHS[d.month - 1]}",
        f"{d.day} {EN_MONTHS[d.month - 1]} {d.year}",
        f"{EN_MONTHS[d.month - 1]} {d.day}, {d.year}",
    ][style % 7]


def lesson_date() -> str:
    d = datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randrange(600))
    return rng.choice(
        [d.strftime("%d.%m.%Y"), d.isoformat(), f"{d.day} {RU_MONTHS[d.month - 1]} {d.year}"]
    )


def house() -> str:
    return rng.choice(
        [
            str(rng.randrange(1, 200)),
            f"{rng.randrange(1, 90)}а",
            f"{rng.randrange(1, 60)}/{rng.randrange(1, 9)}",
        ]
    )


def address(style: int) -> str:
    city, street, h = rng.choice(CITIES), rng.choice(STREETS), house()
    flat = rng.randrange(1, 300)
    return [
        f"г. {city}, ул. {street} {h}, кв. {flat}",
        f"{rng.choice(['050000', '010000', '160000', '100000'])}, г. {city}, пр. {street}, д. {h}",
        f"{city}, мкр. {rng.choice(MICRO)}, д. {h}, кв. {flat}",
        f"{city} қаласы, {rng.choice(KZ_STREETS)} көшесі, {h} үй, {flat} пәтер",
        f"ул. {street}, {h}",
        f"A{rng.randrange(10, 99)}C{rng.randrange(10)}X{rng.randrange(10)}, г. {city}, ул. {street} {h}",
        f"Алматинская обл., Карасайский р-н, с. Каскелен, ул. {street} {h}",
        f"г.{city}, пр-т {street} {h}, кв.{flat}",
    ][style % 8]


def ipv4(style: int) -> str:
    if style % 3 == 0:
        return f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
    return f"{rng.choice([31, 37, 46, 77, 85, 89, 95, 178, 185, 212])}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"


def ipv6() -> str:
    groups = [f"{rng.randrange(1, 0xFFFF):x}" for _ in range(4)]
    return f"2a00:{groups[0]}:{groups[1]}::{groups[2]}:{groups[3]}"


# ---- positives: forms and sentences ----------------------------------------------------------

for i in range(40):
    d = birth_date()
    ds = date_text(d, i)
    label = rng.choice(["Дата рождения: ", "д.р. ", "Дата рожд. ", "родился ", "родилась "])
    if i % 7 == 4:
        label = rng.choice(["Туған күні: ", "туған күні "])
    if i % 7 in (5, 6):
        label = rng.choice(["Date of birth: ", "DOB: ", "born "])
    add("form", f"{name()}, {label}", ("DATE_OF_BIRTH", ds), rng.choice(["", ", Алматы", "."]))

for i in range(25):
    num = kz_id() if i % 2 else kz_passport()
    label = rng.choice(
        ["уд. личности № ", "Удостоверение личности: ", "ЖК № ", "Жеке куәлік № ", "паспорт ",
         "Төлқұжат ", "ID card ", "номер документа: "]
    )  # fmt: skip
    if num.startswith("N"):
        label = rng.choice(["паспорт ", "Паспорт РК ", "Төлқұжат ", "Passport no. "])
    add(
        "form",
        f"{name()}; {label}",
        ("KZ_ID_DOCUMENT", num),
        rng.choice(["", " выдан МВД РК", ";"]),
    )

for i in range(25):
    num = ru_passport(i)
    label = rng.choice(
        ["Паспорт: ", "паспорт РФ ", "паспорт серия ", "Паспортные данные: ", "серия и номер "]
    )
    add("form", f"{name()}, {label}", ("RU_PASSPORT", num), rng.choice(["", ", выдан ОВД", "."]))

for i in range(30):
    addr = address(i)
    lead = rng.choice(["Адрес: ", f"{name()}, ", "Проживает по адресу: ", "Мекенжайы: ", ""])
    add("form", lead, ("ADDRESS", addr), rng.choice(["", ". Тел. уточнить", ";"]))

for i in range(25):
    ip = ipv6() if i % 5 == 0 else ipv4(i)
    lead = rng.choice(
        ["Вход с IP ", "IP-адрес клиента: ", "remote_addr=", "Подключение с ", "host "]
    )
    add("form", lead, ("IP_ADDRESS", ip), rng.choice(["", " в 12:30:45", ", порт 443"]))

# several types in one text
for i in range(20):
    d, addr, num = birth_date(), address(i + 3), kz_id()
    add(
        "form",
        f"Анкета: {name()}, дата рождения ",
        ("DATE_OF_BIRTH", date_text(d, 0)),
        ", уд. личности ",
        ("KZ_ID_DOCUMENT", num),
        ", адрес: ",
        ("ADDRESS", addr),
        ", IP ",
        ("IP_ADDRESS", ipv4(i + 1)),
    )

# ---- positives: short cells --------------------------------------------------------------------

for i in range(12):
    add("short", ("ADDRESS", address(i)))
for i in range(8):
    add("short", ("IP_ADDRESS", ipv4(i + 1)))
for _ in range(6):
    add("short", "д.р. ", ("DATE_OF_BIRTH", date_text(birth_date(), 0)))
for i in range(10):  # only the field name tells: the scan passes its tokens as context
    add("short", ("DATE_OF_BIRTH", date_text(birth_date(), i % 3)),
        context=rng.choice([["data", "rozhdeniya"], ["dob"], ["tugan", "kuni"], ["birth", "date"]]))  # fmt: skip
for i in range(8):
    add("short", ("KZ_ID_DOCUMENT", kz_id() if i % 2 else kz_passport()),
        context=rng.choice([["udostoverenie", "no"], ["doc", "number"], ["passport"], ["zhk"]]))  # fmt: skip
for i in range(8):
    add(
        "short",
        ("RU_PASSPORT", ru_passport(i)),
        context=rng.choice([["pasport", "rf"], ["passport"]]),
    )

# ---- hard negatives ------------------------------------------------------------------------------

for _ in range(15):
    add(
        "negative",
        rng.choice(["Урок ", "Дата занятия: ", "Вебинар ", "Экзамен ", "Оплачено "])
        + lesson_date(),
    )
for _ in range(5):
    add("negative", f"Урок {lesson_date()}", context=["lesson", "date"])
for _ in range(5):
    add("negative", lesson_date(), context=["created", "at"])
for _ in range(12):
    v = ".".join(str(rng.randrange(0, 20)) for _ in range(4))
    add("negative", rng.choice([f"version {v}", f"v{v}", f"Обновите до {v}-beta", f"Версия: {v}",
                                f"п. {v} договора", f"OID 1.3.6.1.4.1.{rng.randrange(9999)}",
                                f"сборка {v}", f"{v}.{rng.randrange(9)}"]))  # fmt: skip
for _ in range(12):
    n9 = "".join(rng.choice("0123456789") for _ in range(9))
    n10 = "".join(rng.choice("0123456789") for _ in range(10))
    add("negative", rng.choice([f"Заказ № {n9}", f"SKU {n9}", f"Артикул N{n9[:8]}", f"Номер заказа {n10}",
                                f"Счет № {n10} от 12.03.2024", f"Трек-номер {n9}", f"Штрихкод {n9}"]))  # fmt: skip
for _ in range(4):
    add("negative", "".join(rng.choice("0123456789") for _ in range(9)), context=["sku"])
    add("negative", "".join(rng.choice("0123456789") for _ in range(10)), context=["order", "id"])
for city in CITIES:
    add("negative", rng.choice([f"г. {city}", city, f"Филиал: г. {city}", f"Онлайн-курс, {city}",
                                f"050000, г. {city}", f"{city} қаласы"]))  # fmt: skip
for course in COURSES:
    add("negative", f"Курс «{course}» стартует {lesson_date()}")
for masked in ["уд. личности ******789", "паспорт 45 ** ******", "д.р. **.**.****", "IP 192.168.*.*",
               "ул. ***, д. **", "Паспорт: **** ******", "Дата рождения: скрыто",
               "уд. личности 0*******8", "IP-адрес: x.x.x.x", "г. ***, ул. ***"]:  # fmt: skip
    add("negative", masked)
for text in ["12.03.1995", "Договор от 12.03.2015", "Паспорт выдан 12.03.2015",
             "Действителен до 12.03.2030", "Иванов и др. 12.03.2020", "1.2.3.4.5",
             "256.300.1.1", "Время 12:30:45", "std::vector<int>", "Адрес сайта: mirum.kz",
             "Улица Абая — главная улица города", "Дом культуры, 10 кв. м",
             "ИИН 900101300123", "Номер телефона 87011234567", "Сумма 4506123456 тенге",
             "Переулок в романе «Дом у дороги»"]:  # fmt: skip
    add("negative", text)

# ---- hand-written: phrasings the generators above do not produce --------------------------------

HAND: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        "form",
        "Сотрудник Омарова Е.С. (д/р 03.11.1987) зачислена на курс",
        [("DATE_OF_BIRTH", "03.11.1987")],
    ),
    (
        "form",
        "Ученик: Ким Д.Т., 14 лет, дата рождения 2011-05-09, урок 12.03.2025",
        [("DATE_OF_BIRTH", "2011-05-09")],
    ),
    ("form", "Родился(ась): 7 февраля 1979 г.", [("DATE_OF_BIRTH", "7 февраля 1979")]),
    ("form", "ДАТА РОЖДЕНИЯ 22.08.1990", [("DATE_OF_BIRTH", "22.08.1990")]),
    ("form", "Date of Birth 05/14/1992 (MM/DD/YYYY)", [("DATE_OF_BIRTH", "05/14/1992")]),
    ("form", "Туылған күні: 09.09.1999", [("DATE_OF_BIRTH", "09.09.1999")]),
    ("form", "Студент 1998 года рождения, группа 3", [("DATE_OF_BIRTH", "1998")]),
    (
        "form",
        "Дата рождения: 1 сентября 2005 года; дата записи: 1 сентября 2023 года",
        [("DATE_OF_BIRTH", "1 сентября 2005")],
    ),
    (
        "form",
        "Паспорт гражданина РФ: серия 4511 № 654321, выдан 12.05.2012",
        [("RU_PASSPORT", "4511 № 654321")],
    ),
    ("form", "паспорт: 4512-123456", [("RU_PASSPORT", "4512-123456")]),
    (
        "form",
        "Документ: удостоверение личности № 043215678 от 05.06.2019",
        [("KZ_ID_DOCUMENT", "043215678")],
    ),
    ("form", "ЖК: 038765432, ИИН: 850101300123", [("KZ_ID_DOCUMENT", "038765432")]),
    ("form", "Паспорт РК N 07654321 действителен до 2030 года", [("KZ_ID_DOCUMENT", "N 07654321")]),
    ("form", "Жеке куәліктің нөмірі 045612378", [("KZ_ID_DOCUMENT", "045612378")]),
    (
        "form",
        "Адрес регистрации: 050012, Республика Казахстан, г. Алматы, ул. Богенбай батыра, д. 86, кв. 14",
        [
            (
                "ADDRESS",
                "050012, Республика Казахстан, г. Алматы, ул. Богенбай батыра, д. 86, кв. 14",
            )
        ],
    ),
    (
        "form",
        "Доставка: Астана, пр. Мангилик Ел 55/20, офис 301",
        [("ADDRESS", "Астана, пр. Мангилик Ел 55/20, офис 301")],
    ),
    (
        "form",
        "Проживает: Карагандинская область, г. Темиртау, ул. Мира, дом 7",
        [("ADDRESS", "Карагандинская область, г. Темиртау, ул. Мира, дом 7")],
    ),
    (
        "form",
        "мкр. Жетысу-3, д. 21, кв. 40, Алматы",
        [("ADDRESS", "мкр. Жетысу-3, д. 21, кв. 40, Алматы")],
    ),
    (
        "form",
        "Мекенжайы: Шымкент қаласы, Республика даңғылы, 12 үй",
        [("ADDRESS", "Шымкент қаласы, Республика даңғылы, 12 үй")],
    ),
    (
        "form",
        "Сергеев А.Б., 630099, г. Новосибирск, ул. Советская, 18-45",
        [("ADDRESS", "630099, г. Новосибирск, ул. Советская, 18-45")],
    ),
    ("form", "Клиент живёт на улице Абая, дом 150", [("ADDRESS", "улице Абая, дом 150")]),
    ("form", "Встреча: кафе на углу ул. Абая и пр. Достык", []),
    (
        "form",
        "Failed login for admin from 185.22.174.9 port 51234 ssh2",
        [("IP_ADDRESS", "185.22.174.9")],
    ),
    (
        "form",
        "X-Forwarded-For: 95.56.12.201, 10.0.0.5",
        [("IP_ADDRESS", "95.56.12.201"), ("IP_ADDRESS", "10.0.0.5")],
    ),
    (
        "form",
        "Клиент подключился с адреса fe80:0:0:0:a00:27ff:fe4e:66a1",
        [("IP_ADDRESS", "fe80:0:0:0:a00:27ff:fe4e:66a1")],
    ),
    ("form", "ip=2a02:2168:8a1:c100::1 ua=Mozilla/5.0", [("IP_ADDRESS", "2a02:2168:8a1:c100::1")]),
    ("negative", "Урок №12 состоится 15.03.2025 в 19:00, кабинет 305", []),
    ("negative", "Дата начала курса: 01.09.2024", []),
    ("negative", "Сертификат выдан 20.12.2023", []),
    ("negative", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0.6099.109", []),
    ("negative", "Библиотека requests 2.31.0.1 обновлена", []),
    ("negative", "Раздел 3.1.2.4 методички", []),
    ("negative", "Заказ 123456789 от 12.03.2024 доставлен", []),
    ("negative", "Тариф: 4 500 тенге, 12 занятий", []),
    ("negative", "Курс «Дом, улица, город: урбанистика для начинающих»", []),
    ("negative", "Город Алматы — крупнейший город Казахстана", []),
    ("negative", "г. Астана, 2024 год", []),
    ("negative", "Номер удостоверения: скрыт", []),
    ("negative", "Серия урока: 4, номер: 12", []),
    ("negative", "Приходите 5 мая в 18:00", []),
    ("negative", "ИНН 7707083893, КПП 770701001", []),
    ("negative", "Дом 5 по улице", []),
]

for kind, text, labels in HAND:
    parts: list[str | tuple[str, str]] = []
    at = 0
    for entity, value in labels:
        i = text.index(value, at)
        parts.extend([text[at:i], (entity, value)])
        at = i + len(value)
    parts.append(text[at:])
    add(kind if labels or kind == "negative" else "negative", *[p for p in parts if p])


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"{len(records)} records -> {OUT}")


if __name__ == "__main__":
    main()
