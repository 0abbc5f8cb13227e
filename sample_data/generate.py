"""Generate the Mirum-like demo database: a small education platform with synthetic people.

Every name and number here is invented; checksummed identifiers (IIN, card numbers, IBANs) are
computed by this script so validators accept them. The output is deterministic: the same
``--seed`` and ``--rows`` give a byte-identical SQLite file.

    python sample_data/generate.py --out sample_data/mirum.db [--rows 300] [--seed 2024]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sqlite3
from decimal import Decimal
from pathlib import Path

DEFAULT_ROWS = 300
DEFAULT_SEED = 2024

SCHEMA = """
CREATE TABLE courses (
    id INTEGER PRIMARY KEY,
    title VARCHAR(200) NOT NULL,
    sku BIGINT NOT NULL,
    price NUMERIC(10, 2) NOT NULL,
    is_published BOOLEAN NOT NULL
);
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    fio VARCHAR(200) NOT NULL,
    email VARCHAR(200),
    phone VARCHAR(40),
    iin VARCHAR(12),
    birth_date DATE,
    address VARCHAR(300),
    settings JSON,
    is_active BOOLEAN NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE TABLE parents (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL,
    parent_fio VARCHAR(200) NOT NULL,
    parent_phone BIGINT,
    parent_iin BIGINT
);
CREATE TABLE payments (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL,
    order_no BIGINT NOT NULL,
    card_number VARCHAR(32),
    card_masked VARCHAR(32),
    iban VARCHAR(40),
    amount NUMERIC(12, 2) NOT NULL,
    paid_at DATETIME NOT NULL
);
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL,
    ip VARCHAR(45) NOT NULL,
    user_agent VARCHAR(300) NOT NULL,
    token VARCHAR(64) NOT NULL,
    started_at DATETIME NOT NULL
);
CREATE TABLE support_tickets (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL,
    subject VARCHAR(200) NOT NULL,
    message TEXT NOT NULL,
    status VARCHAR(20) NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE TABLE teacher_comments (
    id INTEGER PRIMARY KEY,
    course_id INTEGER NOT NULL,
    pupil_id INTEGER NOT NULL,
    teacher_fio VARCHAR(200) NOT NULL,
    comment TEXT NOT NULL
);
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL,
    doc_type VARCHAR(100) NOT NULL,
    udostoverenie_no VARCHAR(9),
    issued_by VARCHAR(100) NOT NULL,
    scan BLOB
);
CREATE TABLE emergency_contacts (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL,
    contact_name VARCHAR(200) NOT NULL,
    contact_phone VARCHAR(40),
    relation VARCHAR(40) NOT NULL
);
CREATE TABLE enrollment_forms (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL,
    fio VARCHAR(200) NOT NULL,
    iin VARCHAR(12),
    phone VARCHAR(40),
    phone_alt VARCHAR(40),
    second_fio VARCHAR(200),
    second_iin VARCHAR(12),
    second_phone VARCHAR(40),
    id_scan BLOB
);
CREATE TABLE chat_messages (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL,
    message TEXT NOT NULL
);
CREATE VIEW user_contacts AS SELECT id, fio, email, phone FROM users;
"""

#: Tables in the order they are created and filled; loaders into other databases use it too.
TABLES = (
    "courses",
    "users",
    "parents",
    "payments",
    "sessions",
    "support_tickets",
    "teacher_comments",
    "documents",
    "emergency_contacts",
    "enrollment_forms",
    "chat_messages",
)

MALE_FIRST = [
    "Айдос",
    "Нұрлан",
    "Ерлан",
    "Қайрат",
    "Дәурен",
    "Иван",
    "Сергей",
    "Тимур",
    "Арман",
    "Ғалым",
    "Дмитрий",
    "Бауыржан",
    "Мұхтар",
    "Алексей",
    "Санжар",
    "Әлихан",
]
FEMALE_FIRST = [
    "Айгерім",
    "Дана",
    "Әсел",
    "Гүлнұр",
    "Мария",
    "Анна",
    "Жансая",
    "Ольга",
    "Мөлдір",
    "Камила",
    "Ұлжан",
    "Екатерина",
    "Аружан",
    "Томирис",
    "Дарья",
]
# (male form, female form): Kazakh surnames in -ов/-ев/-ин decline like Russian ones.
SURNAMES = [
    ("Нұрланов", "Нұрланова"),
    ("Әбілқасымов", "Әбілқасымова"),
    ("Жақсыбеков", "Жақсыбекова"),
    ("Серікбаев", "Серікбаева"),
    ("Иванов", "Иванова"),
    ("Петров", "Петрова"),
    ("Ким", "Ким"),
    ("Цой", "Цой"),
    ("Байжанов", "Байжанова"),
    ("Төлегенов", "Төлегенова"),
    ("Смирнов", "Смирнова"),
    ("Оспанов", "Оспанова"),
    ("Құдайбергенов", "Құдайбергенова"),
    ("Кузнецов", "Кузнецова"),
    ("Сәрсенбаев", "Сәрсенбаева"),
]
FATHER_NAMES = ["Серік", "Марат", "Болат", "Нұрлан", "Қанат", "Ержан", "Ғабит", "Асқар"]
RU_PATRONYMICS = [
    ("Иванович", "Ивановна"),
    ("Сергеевич", "Сергеевна"),
    ("Петрович", "Петровна"),
    ("Алексеевич", "Алексеевна"),
    ("Дмитриевич", "Дмитриевна"),
]
KZ_MOBILE_CODES = ["700", "701", "702", "705", "707", "708", "747", "771", "775", "777", "778"]
CITIES = ["г. Алматы", "г. Астана", "г. Шымкент", "г. Караганда", "г. Актобе", "г. Павлодар"]
STREETS = [
    "ул. Абая",
    "пр. Достык",
    "ул. Сәтпаева",
    "мкр. Самал-2",
    "ул. Кабанбай батыра",
    "пр. Назарбаева",
    "ул. Жібек жолы",
    "ул. Толе би",
]
EMAIL_DOMAINS = ["mail.ru", "gmail.com", "inbox.kz", "yandex.kz", "bk.ru", "mirum.kz"]
TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "i",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "sch",
            "",
            "y",
            "",
            "e",
            "yu",
            "ya",
            "a",
            "g",
            "k",
            "n",
            "o",
            "u",
            "u",
            "h",
            "i",
        ],
        strict=True,
    )
)
COURSES = [
    "Пушкин: лирика",
    "Алгебра 7 класс",
    "Геометрия 8 класс",
    "Қазақ тілі 5 сынып",
    "Физика: механика",
    "Химия 9 класс",
    "История Казахстана",
    "Английский язык A2",
    "Абай: қара сөздер",
    "Информатика: Python",
    "Биология 10 класс",
    "Русский язык ЕНТ",
    "Математическая грамотность",
    "Лермонтов: Герой нашего времени",
    "Всемирная история 6 класс",
    "География Казахстана",
]
USER_AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/123.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4 Safari/605.1.15",
    "MirumApp/3.2.1 (Android 13; Redmi Note 12)",
]
DOC_TYPES = ["удостоверение личности", "свидетельство о рождении", "паспорт РК"]
ISSUERS = ["МВД РК", "Министерство юстиции РК", "ЦОН г. Алматы"]
TICKET_SUBJECTS = [
    "Не могу войти",
    "Вопрос по оплате",
    "Ошибка в профиле",
    "Не открывается урок",
    "Возврат средств",
    "Смена тарифа",
]


def iin_check_digit(first11: str) -> int | None:
    """The IIN's 12th digit (two-pass mod 11), or None when no valid digit exists."""
    digits = [int(c) for c in first11]
    for weights in (range(1, 12), [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]):
        check = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if check != 10:
            return check
    return None


def is_valid_iin(number: str) -> bool:
    """True when twelve digits carry a real date, a century/sex digit 1-6 and a good checksum."""
    if len(number) != 12 or not number.isdigit() or number[6] not in "123456":
        return False
    century = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}[number[6]]
    try:
        dt.date(century + int(number[:2]), int(number[2:4]), int(number[4:6]))
    except ValueError:
        return False
    return iin_check_digit(number[:11]) == int(number[11])


def luhn_complete(partial: str) -> str:
    """``partial`` plus the Luhn check digit."""
    total = 0
    for i, c in enumerate(reversed(partial)):
        d = int(c)
        if i % 2 == 0:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return partial + str((10 - total % 10) % 10)


def kz_iban(bank: str, account: str) -> str:
    """A Kazakh IBAN (KZ, two check digits, 3-digit bank code, 13-character account)."""
    bban = bank + account
    numeric = "".join(str(int(c, 36)) for c in bban + "KZ00")
    return f"KZ{98 - int(numeric) % 97:02d}{bban}"


class Faker:
    """Invents people and numbers from one seeded random generator."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def person(self, female: bool | None = None, born: tuple[int, int] = (1970, 2012)) -> dict:
        rng = self.rng
        female = rng.random() < 0.5 if female is None else female
        first = rng.choice(FEMALE_FIRST if female else MALE_FIRST)
        surname = rng.choice(SURNAMES)[1 if female else 0]
        if rng.random() < 0.5:
            father = rng.choice(FATHER_NAMES)
            middle = father + ("қызы" if female else "ұлы")
            if rng.random() < 0.4:  # the same suffix as people type it without Kazakh letters
                middle = father + ("кызы" if female else "улы")
        else:
            middle = rng.choice(RU_PATRONYMICS)[1 if female else 0]
        birth = dt.date(rng.randint(*born), 1, 1) + dt.timedelta(days=rng.randint(0, 364))
        return {"first": first, "last": surname, "middle": middle, "female": female, "birth": birth}

    def fio(self, p: dict) -> str:
        text = f"{p['last']} {p['first']} {p['middle']}"
        roll = self.rng.random()
        if roll < 0.15:
            return text.upper()
        if roll < 0.22:
            return text.lower()
        if roll < 0.3:
            return f"{p['last']} {p['first']}"
        return text

    def iin(self, p: dict) -> str:
        birth = p["birth"]
        century = "5" if birth.year >= 2000 else "3"
        sex = str(int(century) + (1 if p["female"] else 0))
        while True:
            first11 = f"{birth:%y%m%d}{sex}{self.rng.randint(0, 9999):04d}"
            check = iin_check_digit(first11)
            if check is not None:
                return first11 + str(check)

    def phone(self) -> str:
        code = self.rng.choice(KZ_MOBILE_CODES)
        n = f"{self.rng.randint(0, 9999999):07d}"
        return self.rng.choice(
            [
                f"+7 {code} {n[:3]} {n[3:5]} {n[5:]}",
                f"8({code}){n}",
                f"8{code}{n}",
                f"+7{code}{n}",
                f"7 ({code}) {n[:3]}-{n[3:5]}-{n[5:]}",
                f"8 {code} {n[:3]} {n[3:]}",
            ]
        )

    def email(self, p: dict) -> str:
        login = "".join(TRANSLIT.get(c, c) for c in p["first"].lower())
        last = "".join(TRANSLIT.get(c, c) for c in p["last"].lower())
        sep = self.rng.choice([".", "_", ""])
        return f"{login}{sep}{last}{self.rng.randint(1, 99)}@{self.rng.choice(EMAIL_DOMAINS)}"

    def address(self) -> str:
        rng = self.rng
        return (
            f"{rng.choice(CITIES)}, {rng.choice(STREETS)}, д. {rng.randint(1, 180)}, "
            f"кв. {rng.randint(1, 300)}"
        )

    def order_no(self) -> int:
        # Twelve digits like an IIN, but never one: a checksum or date that fails.
        while True:
            number = f"{self.rng.randint(10**11, 10**12 - 1)}"
            if not is_valid_iin(number):
                return int(number)

    def card(self) -> str:
        prefix = self.rng.choice(["440043", "400303", "517792", "553691", "220070"])
        return luhn_complete(prefix + f"{self.rng.randint(0, 10**9 - 1):09d}")

    def moment(self) -> str:
        start = dt.datetime(2023, 9, 1, 8, 0, 0)
        return (start + dt.timedelta(seconds=self.rng.randint(0, 300 * 86400))).isoformat(" ")


def id_card_pdf(fio_latin: str, doc_no: str, iin: str) -> bytes:
    """A one-page PDF with a text layer (Latin only: the built-in fonts have no Cyrillic)."""
    lines = [
        "REPUBLIC OF KAZAKHSTAN",
        "IDENTITY CARD / UDOSTOVERENIE LICHNOSTI",
        f"No {doc_no}",
        f"IIN {iin}",
        f"NAME {fio_latin}",
    ]
    text = "BT /F1 14 Tf 40 200 Td 18 TL " + " ".join(f"({line}) '" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 260] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(text)} >>\nstream\n{text}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def latin(text: str) -> str:
    return "".join(TRANSLIT.get(c, c) for c in text.lower()).upper()


def build(rows: int = DEFAULT_ROWS, seed: int = DEFAULT_SEED) -> dict[str, list[dict]]:
    """Every table's rows (column -> Python value), ``rows`` users and the rest in proportion."""
    f = Faker(seed)
    rng = f.rng
    data: dict[str, list[dict]] = {name: [] for name in TABLES}

    for i, title in enumerate(COURSES, start=1):
        data["courses"].append(
            {
                "id": i,
                "title": title,
                "sku": rng.randint(10**8, 10**9 - 1),
                "price": Decimal(rng.choice([4990, 9990, 14990, 19990])).quantize(Decimal("0.01")),
                "is_published": rng.random() < 0.8,
            }
        )

    people = []
    for i in range(1, rows + 1):
        p = f.person(born=(1975, 2012))
        people.append(p)
        settings: dict = {
            "theme": rng.choice(["light", "dark"]),
            "lang": rng.choice(["ru", "kk"]),
            "notifications": {"email": rng.random() < 0.5, "sms": rng.random() < 0.3},
        }
        if rng.random() < 0.7:
            settings["contacts"] = {"phone": f.phone()}
        if rng.random() < 0.3:
            settings["passport"] = f"N{rng.randint(0, 10**8 - 1):08d}"
        data["users"].append(
            {
                "id": i,
                "fio": f.fio(p),
                "email": f.email(p) if rng.random() < 0.95 else None,
                "phone": f.phone() if rng.random() < 0.9 else None,
                "iin": f.iin(p) if rng.random() < 0.85 else None,
                "birth_date": p["birth"].isoformat(),
                "address": f.address() if rng.random() < 0.8 else None,
                "settings": json.dumps(settings, ensure_ascii=False, sort_keys=True),
                "is_active": rng.random() < 0.9,
                "created_at": f.moment(),
            }
        )

    for i in range(1, rows * 2 // 3 + 1):
        parent = f.person(born=(1965, 1990))  # born in the 1900s: the IIN has no leading zero
        data["parents"].append(
            {
                "id": i,
                "user_id": rng.randint(1, rows),
                "parent_fio": f.fio(parent),
                "parent_phone": int(
                    f"77{rng.choice(KZ_MOBILE_CODES)[1:]}{rng.randint(0, 9999999):07d}"
                ),
                "parent_iin": int(f.iin(parent)) if rng.random() < 0.8 else None,
            }
        )

    for i in range(1, rows * 4 // 3 + 1):
        card = f.card()
        data["payments"].append(
            {
                "id": i,
                "user_id": rng.randint(1, rows),
                "order_no": f.order_no(),
                "card_number": card if rng.random() < 0.6 else None,
                "card_masked": f"{card[:4]} {card[4:6]}** **** {card[-4:]}",
                "iban": kz_iban(f"{rng.randint(100, 999)}", f"{rng.randint(0, 10**13 - 1):013d}")
                if rng.random() < 0.4
                else None,
                "amount": Decimal(rng.randint(1000, 50000)).quantize(Decimal("0.01")),
                "paid_at": f.moment(),
            }
        )

    for i in range(1, rows * 5 // 3 + 1):
        data["sessions"].append(
            {
                "id": i,
                "user_id": rng.randint(1, rows),
                "ip": rng.choice(
                    [
                        f"{rng.choice([2, 5, 37, 46, 89, 95, 178])}.{rng.randint(0, 255)}."
                        f"{rng.randint(0, 255)}.{rng.randint(1, 254)}",
                        f"2a03:32c0:{rng.randint(0, 0xFFFF):x}::{rng.randint(1, 0xFFFF):x}",
                    ]
                ),
                "user_agent": rng.choice(USER_AGENTS),
                "token": f"{rng.getrandbits(128):032x}",
                "started_at": f.moment(),
            }
        )

    for i in range(1, rows * 2 // 3 + 1):
        uid = rng.randint(1, rows)
        p = people[uid - 1]
        pupil = f.person(born=(2008, 2016))
        message = rng.choice(
            [
                f"Здравствуйте! Меня зовут {p['first']} {p['last']}, не могу войти в личный кабинет. "
                f"Мой телефон {f.phone()}, перезвоните, пожалуйста.",
                f"Прошу исправить ИИН в профиле на {f.iin(p)}, сейчас указан неверно.",
                f"Оплата не прошла, номер заказа {f.order_no()}. Деньги списались дважды.",
                f"Ребенок ({pupil['first']}) не видит курс «{rng.choice(COURSES)}», помогите.",
                "Спасибо, всё работает!",
                f"Добрый день. Пишу по поводу ребёнка, {pupil['first']} {pupil['last']}, "
                f"его ИИН {f.iin(pupil)}. Нужна справка об обучении.",
                "Урок не загружается, висит на 99%. Браузер Chrome.",
                f"Свяжитесь со мной по номеру {f.phone()} или на почту {f.email(p)}.",
            ]
        )
        data["support_tickets"].append(
            {
                "id": i,
                "user_id": uid,
                "subject": rng.choice(TICKET_SUBJECTS),
                "message": message,
                "status": rng.choice(["open", "closed", "pending"]),
                "created_at": f.moment(),
            }
        )

    for i in range(1, rows * 2 // 3 + 1):
        teacher = f.person(born=(1960, 1995))
        pupil = f.person(born=(2008, 2016))
        comment = rng.choice(
            [
                f"{pupil['first']} хорошо справляется с домашними заданиями.",
                f"{pupil['last']} {pupil['first']} пропустил(а) два урока подряд, нужно догнать тему.",
                f"Рекомендую {pupil['first']} больше решать задачи на дроби.",
                "Отличная работа на контрольной, так держать!",
                f"{pupil['first']} {pupil['last']} — активный ученик, помогает одноклассникам.",
                "Тест выполнен на 78%, ошибки в заданиях 4 и 7.",
            ]
        )
        data["teacher_comments"].append(
            {
                "id": i,
                "course_id": rng.randint(1, len(COURSES)),
                "pupil_id": rng.randint(1, rows),
                "teacher_fio": f"{teacher['last']} {teacher['first']} {teacher['middle']}",
                "comment": comment,
            }
        )

    for i in range(1, rows // 2 + 1):
        uid = rng.randint(1, rows)
        p = people[uid - 1]
        doc_no = f"{rng.randint(0, 10**9 - 1):09d}"
        scan = None
        if i % 25 == 1:  # a few rows carry a scan; the rest have none
            scan = id_card_pdf(f"{latin(p['last'])} {latin(p['first'])}", doc_no, f.iin(p))
        data["documents"].append(
            {
                "id": i,
                "user_id": uid,
                "doc_type": rng.choice(DOC_TYPES),
                "udostoverenie_no": doc_no,
                "issued_by": rng.choice(ISSUERS),
                "scan": scan,
            }
        )
    third_parties(data, people, Faker(seed + 1), rows)
    return data


RELATIONS = ["мать", "отец", "бабушка", "дедушка", "тётя", "брат", "сестра", "ата", "әже"]


def third_parties(data: dict, people: list[dict], f: Faker, rows: int) -> None:
    """Section 2.4 cases: other people's data entered by users, and the hard negatives beside
    them. A generator of its own (seed + 1), so the other tables stay as they were."""
    rng = f.rng
    # Emergency contacts: every personal field is someone else's (the table's name says so).
    for i in range(1, rows // 3 + 1):
        contact = f.person(born=(1950, 1995))
        data["emergency_contacts"].append(
            {
                "id": i,
                "user_id": rng.randint(1, rows),
                "contact_name": f"{contact['last']} {contact['first']}",
                "contact_phone": f.phone() if rng.random() < 0.9 else None,
                "relation": rng.choice(RELATIONS),
            }
        )
    # Enrollment forms filled by adults: their own name, IIN, phones, and in most rows a second
    # person (a child) or their own name again in Latin letters.
    adults = [n for n, p in enumerate(people, start=1) if p["birth"].year <= 1990]
    for i in range(1, rows // 2 + 1):
        uid = rng.choice(adults)
        p = people[uid - 1]
        own_iin = f.iin(p)
        row = {
            "id": i,
            "user_id": uid,
            "fio": f"{p['last']} {p['first']} {p['middle']}",
            "iin": own_iin,
            "phone": f.phone(),
            "phone_alt": f.phone() if rng.random() < 0.6 else None,  # the holder's second phone
            "second_fio": None,
            "second_iin": None,
            "second_phone": None,
            "id_scan": None,
        }
        roll = rng.random()
        child = f.person(born=(2010, 2016))
        if roll < 0.4:  # a child registered by the parent
            row["second_fio"] = f"{child['last']} {child['first']}"
            row["second_iin"] = f.iin(child)
            row["second_phone"] = f.phone() if rng.random() < 0.5 else None
        elif roll < 0.7:  # the holder again, in Latin letters (one person, two spellings)
            row["second_fio"] = f"{latin(p['last'])} {latin(p['first'])}"
        if i % 20 == 1:  # a scan of the holder's own identity card
            doc_no = f"{rng.randint(0, 10**9 - 1):09d}"
            row["id_scan"] = id_card_pdf(f"{latin(p['last'])} {latin(p['first'])}", doc_no, own_iin)
        if i == 10:  # one scan of someone else's card (the child's)
            doc_no = f"{rng.randint(0, 10**9 - 1):09d}"
            row["id_scan"] = id_card_pdf(
                f"{latin(child['last'])} {latin(child['first'])}", doc_no, f.iin(child)
            )
        data["enrollment_forms"].append(row)
    # Chat messages: relatives named in Russian and Kazakh, and messages that name a teacher, a
    # school, an organisation or the writer only.
    for i in range(1, rows * 2 // 3 + 1):
        uid = rng.randint(1, rows)
        p = people[uid - 1]
        kid = f.person(born=(2008, 2016), female=False)  # "мой сын", "ұлым": a son
        relative = f.person(born=(1950, 1995), female=True)
        teacher = f.person(born=(1960, 1995), female=True)
        message = rng.choice(
            [
                f"Здравствуйте, мой сын {kid['first']} {kid['last']} не может войти в кабинет.",
                f"Передайте маме {relative['first']} {relative['middle']}, что урок перенесли.",
                f"Бұл менің інімнің нөмірі {f.phone()}, сабақ туралы соған хабарласыңыз.",
                f"Ұлым {kid['first']} бүгін сабаққа келмейді, ауырып қалды.",
                f"Запишите, пожалуйста, мою сестру {relative['first']} {relative['last']} на курс.",
                f"Учитель {teacher['last']} {teacher['first']} не ответила на вопрос по заданию.",
                "Мы учимся в школе имени Абая, 7 класс. Можно ли получить скидку?",
                f"Не приходит код на почту. С уважением, {p['first']} {p['last']}.",
                "ТОО «Білім Орталығы» оплатит курс по счёту, пришлите реквизиты.",
                "Сабақ өте қызықты болды, рахмет!",
            ]
        )
        data["chat_messages"].append({"id": i, "user_id": uid, "message": message})


def write_sqlite(path: Path, rows: int = DEFAULT_ROWS, seed: int = DEFAULT_SEED) -> None:
    """Write a fresh SQLite demo database at ``path`` (replacing any file there)."""
    path.unlink(missing_ok=True)
    data = build(rows, seed)
    con = sqlite3.connect(path)
    try:
        con.executescript(SCHEMA)
        for table in TABLES:
            records = data[table]
            columns = list(records[0])
            sql = (
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                f"({', '.join('?' for _ in columns)})"
            )
            con.executemany(
                sql,
                [
                    tuple(str(v) if isinstance(v, Decimal) else v for v in r.values())
                    for r in records
                ],
            )
        con.commit()
        con.execute("VACUUM")
    finally:
        con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("mirum.db"))
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS, help="number of users")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args()
    write_sqlite(args.out, args.rows, args.seed)


if __name__ == "__main__":
    main()
