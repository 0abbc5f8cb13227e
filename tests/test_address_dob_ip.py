"""DATE_OF_BIRTH, ADDRESS and IP_ADDRESS: exact spans and scores, near misses, junk."""

from __future__ import annotations

import datetime

import pytest
from stdnum.exceptions import InvalidComponent, InvalidFormat

from pdaudit.recognizers import address, date_of_birth, ip_address
from pdaudit.recognizers.address import AddressRecognizer
from pdaudit.recognizers.base import evidence_of
from pdaudit.recognizers.date_of_birth import DateOfBirthRecognizer
from pdaudit.recognizers.ip_address import IpAddressRecognizer

DOB = DateOfBirthRecognizer()
ADDR = AddressRecognizer()
IP = IpAddressRecognizer()


def found(recognizer, text, context=None):
    return [
        (r.entity_type, r.start, r.end, r.score)
        for r in recognizer.analyze(text, None, None, context=context)
    ]


def spans(recognizer, text, context=None):
    return [text[r.start : r.end] for r in recognizer.analyze(text, None, None, context=context)]


# --- DATE_OF_BIRTH -------------------------------------------------------------------------------

D = "DATE_OF_BIRTH"
DOB_VALID = [
    ("Дата рождения: 12.03.1995", None, [(D, 15, 25, 0.9)]),
    ("д.р. 12/03/1995", None, [(D, 5, 15, 0.9)]),
    ("д/р 1995-03-12", None, [(D, 4, 14, 0.9)]),
    ("д.р. 12.03.85", None, [(D, 5, 13, 0.9)]),
    ("родился 12 марта 1995 г. в Алматы", None, [(D, 8, 21, 0.9)]),
    ("Родилась 1 янв. 2001", None, [(D, 9, 20, 0.9)]),
    ("Туған күні: 1995 жылғы 12 наурыз", None, [(D, 12, 32, 0.9)]),
    ("туған күні 12 наурыз 1995 ж.", None, [(D, 11, 25, 0.9)]),
    ("DOB: March 12, 1995", None, [(D, 5, 19, 0.9)]),
    ("Date of birth: 12 March 1995", None, [(D, 15, 28, 0.9)]),
    ("born 12/25/1995", None, [(D, 5, 15, 0.9)]),  # month/day the American way
    ("12.03.1995 г.р.", None, [(D, 0, 10, 0.9)]),
    ("dob 1995-03-12T00:00:00", None, [(D, 4, 14, 0.9)]),
    ("Иванов, 1985 г.р.", None, [(D, 8, 12, 0.8)]),
    ("Год рождения: 1985", None, [(D, 14, 18, 0.8)]),
    ("12.03.1995", ["data", "rozhdeniya"], [(D, 0, 10, 0.85)]),
    ("1995-03-12", ["date", "of", "birth"], [(D, 0, 10, 0.85)]),
    ("12.03.1995", ["tugan", "kuni"], [(D, 0, 10, 0.85)]),
    ("12.03.1995", ["dr"], [(D, 0, 10, 0.85)]),
    ("1985", ["birth", "year"], [(D, 0, 4, 0.75)]),
    ("Дата рождения: 12.03.1995", ["dob"], [(D, 15, 25, 0.95)]),
    (
        "Дата рождения: 12.03.1995, дата выдачи: 01.02.2015",
        None,
        [(D, 15, 25, 0.9)],
    ),
    ("родился 12.03.1995, урок 12.03.2024", None, [(D, 8, 18, 0.9)]),
    ("Дата: 12.03.1995", ["dob"], [(D, 6, 16, 0.85)]),  # a bare "дата" is neutral
    (
        "Дата рождения: 1 сентября 2005 года; дата записи: 1 сентября 2023 года",
        None,
        [(D, 15, 30, 0.9)],
    ),
]
DOB_NOT_FOUND = [
    ("Урок 12.03.2024", None),
    ("Дата занятия: 12.03.2024", None),
    ("Урок 12.03.2024", ["dob"]),  # the text's own word wins over the field name
    ("Дата рождения 12.03.2099", None),  # in the future
    ("Дата рождения 12.03.1899", None),
    ("Дата рождения 31.02.1995", None),
    ("Дата рождения 1.2.3.4", None),
    ("Дата рождения 12.03.1995.1", None),
    ("12.03.1995", None),  # no context
    ("12.03.1995", ["created", "at"]),
    ("Заказ от 12 марта 1995", None),
    ("Иванов и др. 12.03.1995", None),
    ("1985", None),
    ("Курс 2024 года", ["dob"]),
    ("паспорт выдан 12.03.2015, дата рождения неизвестна", None),
]


# Verb forms of "born", spaced OCR dates, Kazakh transliterated column names.
DOB_FORMS = [
    ("рождён 07/11/2006, Шымкент", None, [(D, 7, 17, 0.9)]),
    ("Рождена 5 мая 1999 г.", None, [(D, 8, 18, 0.9)]),
    ("родилcя 14.08.1987", None, [(D, 8, 18, 0.9)]),  # Latin "c" inside a Cyrillic word
    ("Ученик 2011 г.р.", None, [(D, 7, 11, 0.8)]),
    ("born on 3 June 2004", None, [(D, 8, 19, 0.9)]),
    ("Дата рождения 09 11 1988", None, [(D, 14, 24, 0.9)]),
    ("ИИН 8 8 1 1 0 9 дата рождения 09  11  1988", None, [(D, 30, 42, 0.9)]),
    ("09 11 1988", ["dob"], [(D, 0, 10, 0.85)]),
    ("09 11 1988", None, []),  # a spaced date needs a birth word too
    ("тел 8 701 09 11 1988", None, []),
    ("дата рождения 8 701 09 11 1988", None, []),  # a piece of a longer spaced run
    ("05.06.2001", ["tuylgan", "kuni"], [(D, 0, 10, 0.85)]),
    ("05.06.2001", ["tuilgan", "kuni"], [(D, 0, 10, 0.85)]),
    ("05.06.2001", ["tugan", "kun"], [(D, 0, 10, 0.85)]),
]
# A birth word speaks for the first date after it (or a list right behind it), never across
# another date, label, sentence end or ";"; a greeting labels no date.
DOB_REACH = [
    (
        "Дата рождения: 2004-07-19; дата последнего входа: 2025-01-10 09:15:00",
        None,
        [(D, 15, 25, 0.9)],
    ),
    ("Born: July 19, 2004; enrolled: February 2, 2024", None, [(D, 6, 19, 0.9)]),
    ("Born: July 19, 2004, joined February 2, 2024", None, [(D, 6, 19, 0.9)]),
    ("С днём рождения, школа! Открыта 01.09.2015", None, []),
    ("С днем рождения! Основана 01.09.2015", ["dob"], []),
    ("Поздравляем с днем рождения, бонус до 12.05.2025", None, []),
    ("Туған күніңмен! Тіркелген 12.05.2020", None, []),
    (
        "Даты рождения детей: 12.03.2010, 05.06.2012 и 01.01.2015",
        None,
        [(D, 21, 31, 0.9), (D, 33, 43, 0.9), (D, 46, 56, 0.9)],
    ),
    ("Дата рождения неизвестна. Оплачено 12.03.2024", None, []),
    ("Дата рождения: 12.03.2010, дата первого урока 01.09.2023", None, [(D, 15, 25, 0.9)]),
    ("Дата рождения: 12.03.1995 Дата: 01.09.2023", None, [(D, 15, 25, 0.9)]),
    ("Зачислен 01.09.2023, дата рождения 12.03.2010", None, [(D, 35, 45, 0.9)]),
    ("Год рождения: 1985, поступил в 2003", None, [(D, 14, 18, 0.8)]),
    ("родился в г. Алматы 12.03.1995", None, [(D, 20, 30, 0.9)]),  # "г." is no sentence end
    ("Дата рождения (по паспорту): 12.03.1995", None, [(D, 29, 39, 0.9)]),
    ("12.03.1995 (д.р.)", None, [(D, 0, 10, 0.9)]),
]


@pytest.mark.parametrize(("text", "context", "expected"), DOB_FORMS + DOB_REACH)
def test_dob_forms_and_reach(text, context, expected):
    assert found(DOB, text, context) == expected


@pytest.mark.parametrize(("text", "context", "expected"), DOB_VALID)
def test_dob_valid(text, context, expected):
    assert found(DOB, text, context) == expected


@pytest.mark.parametrize(("text", "context"), DOB_NOT_FOUND)
def test_dob_not_found(text, context):
    assert found(DOB, text, context) == []


def test_dob_evidence():
    [result] = DOB.analyze("Дата рождения: 12.03.1995", None, None, context=["dob"])
    assert evidence_of(result) == ["context: дата рождения", "field name: dob"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.03.1995", datetime.date(1995, 3, 12)),
        ("12 марта 1995 г.", datetime.date(1995, 3, 12)),
        ("1995 жылғы 12 наурыз", datetime.date(1995, 3, 12)),
        ("March 12, 1995", datetime.date(1995, 3, 12)),
        ("12.03.07", datetime.date(2007, 3, 12)),
        ("12.03.95", datetime.date(1995, 3, 12)),
    ],
)
def test_dob_parse(text, expected):
    assert date_of_birth.parse(text, today=datetime.date(2026, 1, 1)) == expected
    assert date_of_birth.format(expected) == expected.strftime("%d.%m.%Y")


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (None, InvalidFormat),
        ("", InvalidFormat),
        ("€", InvalidFormat),
        (19950312, InvalidFormat),
        ("версия 1.2.3", InvalidFormat),
        ("31.02.1995", InvalidComponent),
        ("12.03.2099", InvalidComponent),
        ("01.01.1899", InvalidComponent),
    ],
)
def test_dob_validate_errors(text, error):
    with pytest.raises(error):
        date_of_birth.validate(text, today=datetime.date(2026, 1, 1))
    assert not date_of_birth.is_valid(text)


# --- ADDRESS -------------------------------------------------------------------------------------

A = "ADDRESS"
ADDR_VALID = [
    (
        "Иванов И.И., г. Алматы, ул. Абая 10, кв. 5",
        None,
        ["г. Алматы, ул. Абая 10, кв. 5"],
        [(A, 13, 42, 0.95)],
    ),
    (
        "050000, г. Алматы, ул. Абая, д. 10, кв. 5",
        None,
        ["050000, г. Алматы, ул. Абая, д. 10, кв. 5"],
        [(A, 0, 41, 0.95)],
    ),
    (
        "A05C9X8, Алматы қаласы, Абай даңғылы, 10 үй, 5 пәтер",
        None,
        ["A05C9X8, Алматы қаласы, Абай даңғылы, 10 үй, 5 пәтер"],
        [(A, 0, 52, 0.95)],
    ),
    ("ул. Абая 10", None, ["ул. Абая 10"], [(A, 0, 11, 0.85)]),
    ("ул. Абая, 10", None, ["ул. Абая, 10"], [(A, 0, 12, 0.85)]),
    ("ул. 8 Марта 12", None, ["ул. 8 Марта 12"], [(A, 0, 14, 0.85)]),
    ("ул. Кабанбай батыра 15", None, ["ул. Кабанбай батыра 15"], [(A, 0, 22, 0.85)]),
    ("Абая көшесі 10", None, ["Абая көшесі 10"], [(A, 0, 14, 0.85)]),
    ("мкр. 5, д. 12, кв. 3", None, ["мкр. 5, д. 12, кв. 3"], [(A, 0, 20, 0.9)]),
    ("мкр Аксай-4, 15, кв 3", None, ["мкр Аксай-4, 15, кв 3"], [(A, 0, 21, 0.9)]),
    ("г.Астана, пр.Туран 37, кв.101", None, ["г.Астана, пр.Туран 37, кв.101"], [(A, 0, 29, 0.95)]),
    ("г алматы ул абая 10 кв 5", None, ["г алматы ул абая 10 кв 5"], [(A, 0, 24, 0.95)]),
    (
        "Шымкент қ., Тәуке хан даңғылы, 5",
        None,
        ["Шымкент қ., Тәуке хан даңғылы, 5"],
        [(A, 0, 32, 0.9)],
    ),
    (
        "Алматинская обл., Карасайский р-н, с. Каскелен, ул. Толе би 15",
        None,
        ["Алматинская обл., Карасайский р-н, с. Каскелен, ул. Толе би 15"],
        [(A, 0, 62, 0.9)],
    ),
    (
        "Россия, 123456, г. Москва, ул. Ленина, д. 1, корп. 2, кв. 3",
        None,
        ["Россия, 123456, г. Москва, ул. Ленина, д. 1, корп. 2, кв. 3"],
        [(A, 0, 59, 0.95)],
    ),
    (
        "Адрес: 050010 г. Алматы ул. Жандосова 58 кв 12. Тел. 8 701",
        None,
        ["050010 г. Алматы ул. Жандосова 58 кв 12"],
        [(A, 7, 46, 0.95)],
    ),
    ("с. Каскелен, д. 5", None, ["с. Каскелен, д. 5"], [(A, 0, 17, 0.75)]),
    (
        "Клиент живёт на улице Абая, дом 150",
        None,
        ["улице Абая, дом 150"],
        [(A, 16, 35, 0.85)],
    ),
    ("г. Алматы, ул. Абая", None, ["г. Алматы, ул. Абая"], [(A, 0, 19, 0.7)]),
    ("Проживает: ул. Абая", None, ["ул. Абая"], [(A, 11, 19, 0.7)]),
    ("ул. Абая", ["adres"], ["ул. Абая"], [(A, 0, 8, 0.7)]),
    ("ул. Абая 10", ["home", "address"], ["ул. Абая 10"], [(A, 0, 11, 0.9)]),
    (
        "ул. Абая 10; пр. Достык 5",
        None,
        ["ул. Абая 10; пр. Достык 5"],  # a semicolon joins parts too
        [(A, 0, 25, 0.85)],
    ),
    (
        "ул. Абая 10\nпр. Достык 5",
        None,
        ["ул. Абая 10", "пр. Достык 5"],
        [(A, 0, 11, 0.85), (A, 12, 24, 0.85)],
    ),
]
ADDR_NOT_FOUND = [
    ("г. Алматы", None),  # a city alone is not an address
    ("Алматы", ["adres"]),
    ("050000, г. Алматы", None),
    ("Алматинская область", None),
    ("ул. Абая", None),  # a street name alone, no house, no city
    ("Абая 10", None),
    ("д. 10, кв. 5", None),
    ('Курс "Город и улица" стартует', None),
    ("Жил на ул. Абая с 1990 по 2000 год", None),
    ("Приходите на урок в 10:00", None),
    ("Иванов Иван Иванович", None),
]


# Kazakh markers: қ./қаласы, көшесі, даңғылы, "-үй" and "-пәтер" glued to their numbers,
# шағын/ықшам ауданы, ауылы; street names of several words up to the comma or house number.
ADDR_KAZAKH_AND_LONG_NAMES = [
    (
        "мекенжайы: Павлодар қ., Сәтбаев даңғылы, 41-үй, 9-пәтер",
        None,
        ["Павлодар қ., Сәтбаев даңғылы, 41-үй, 9-пәтер"],
        [(A, 11, 55, 0.95)],
    ),
    (
        "Тараз қ., Жамбыл жырау көшесі, 5-үй",
        None,
        ["Тараз қ., Жамбыл жырау көшесі, 5-үй"],
        [(A, 0, 35, 0.9)],
    ),
    (
        "Алматы қ., Самал-2 шағын ауданы, 58-үй, 12-пәтер",
        None,
        ["Алматы қ., Самал-2 шағын ауданы, 58-үй, 12-пәтер"],
        [(A, 0, 48, 0.95)],
    ),
    (
        "Астана қ., Көктал ықшам ауданы, 4-үй",
        None,
        ["Астана қ., Көктал ықшам ауданы, 4-үй"],
        [(A, 0, 36, 0.9)],
    ),
    ("Абай көшесі, 10-үй, 5-пәтер", None, ["Абай көшесі, 10-үй, 5-пәтер"], [(A, 0, 27, 0.9)]),
    (
        "Шымкент қаласы, Төле би көшесі, 17-үй, 3-пәтер",
        ["address"],
        ["Шымкент қаласы, Төле би көшесі, 17-үй, 3-пәтер"],
        [(A, 0, 46, 0.95)],
    ),
    (
        "г. Костанай, пр-т Аль-Фараби хана, 56, кв. 18",
        None,
        ["г. Костанай, пр-т Аль-Фараби хана, 56, кв. 18"],
        [(A, 0, 45, 0.95)],
    ),
    (
        "г. Алматы, ул. Толе би угол Байзакова 101",
        None,
        ["г. Алматы, ул. Толе би угол Байзакова 101"],
        [(A, 0, 41, 0.9)],
    ),
    # lower-case words join a street name only up to a comma or a house number
    ("г. Алматы, ул. Абая рядом с рынком", None, ["г. Алматы, ул. Абая"], [(A, 0, 19, 0.7)]),
    ("Жил на ул. Абая около 1990 года", None, [], []),
    ("Офис на ул. Абая напротив школы № 5", None, [], []),
    ("10-үй", None, [], []),  # a house alone
]


@pytest.mark.parametrize(("text", "context", "texts", "expected"), ADDR_KAZAKH_AND_LONG_NAMES)
def test_address_kazakh_and_long_names(text, context, texts, expected):
    assert spans(ADDR, text, context) == texts
    assert found(ADDR, text, context) == expected


@pytest.mark.parametrize(("text", "context", "texts", "expected"), ADDR_VALID)
def test_address_valid(text, context, texts, expected):
    assert spans(ADDR, text, context) == texts
    assert found(ADDR, text, context) == expected


@pytest.mark.parametrize(("text", "context"), ADDR_NOT_FOUND)
def test_address_not_found(text, context):
    assert found(ADDR, text, context) == []


def test_address_parts_and_evidence():
    kinds = [p.kind for p in address.parts("050000, г. Алматы, ул. Абая, д. 10, корп. 2, кв. 5")]
    assert kinds == ["postal", "city", "street", "house", "building", "flat"]
    [result] = ADDR.analyze("Адрес: г. Алматы, ул. Абая 10", None, None, context=["adres"])
    assert evidence_of(result) == [
        "address parts: city, street, house",
        "context: адрес",
        "field name: adres",
    ]
    assert result.score == 0.95


@pytest.mark.parametrize(
    ("code", "expected"),
    [("A05C9X8", True), ("A01P3K4", True), ("a05c9x8", False), ("A05C9X", False), (None, False)],
)
def test_kazpost_code(code, expected):
    assert address.is_kazpost_code(code) is expected


# --- IP_ADDRESS ----------------------------------------------------------------------------------

I = "IP_ADDRESS"  # noqa: E741
IP_VALID = [
    ("IP: 192.168.1.10", None, [(I, 4, 16, 0.9)]),
    ("вход с 93.184.216.34 в 12:30:45", None, [(I, 7, 20, 0.9)]),
    ("93.184.216.34", None, [(I, 0, 13, 0.75)]),
    ("10.0.0.1.", None, [(I, 0, 8, 0.75)]),
    ("10.0.0.1:8080", None, [(I, 0, 8, 0.75)]),
    ("Сеть 10.0.0.0/24", None, [(I, 5, 16, 0.75)]),  # the CIDR prefix belongs to the span
    ("8.8.8.8", None, [(I, 0, 7, 0.5)]),  # single-digit octets: maybe a section number
    ("8.8.8.8", ["client", "ip"], [(I, 0, 7, 0.85)]),
    ("2001:db8:85a3::8a2e:370:7334", None, [(I, 0, 28, 0.8)]),
    ("[2001:db8::1]:443", None, [(I, 1, 12, 0.8)]),
    ("IPv6 2001:db8::1", None, [(I, 5, 16, 0.9)]),
    ("127.0.0.1", ["ip"], [(I, 0, 9, 0.4)]),  # loopback points at no person
    ("ip 10.1.1.1 и 10.1.1.2", ["remote", "addr"], [(I, 3, 11, 0.95), (I, 14, 22, 0.95)]),
]
IP_NOT_FOUND = [
    ("v1.2.3.4", None),
    ("version 1.2.3.4", None),
    ("версия: 10.2.3.4", None),
    ("1.2.3.4-beta", None),
    ("1.2.3.4.5", None),
    ("OID 1.3.6.1.4.1.311", None),
    ("п. 1.2.3.4", None),
    ("1.12.2023", None),
    ("256.1.1.1", None),
    ("192.168.001.1", None),
    ("MAC 00:1A:2B:3C:4D:5E", None),
    ("12:30:45", None),
    ("std::vector", None),
    ("abc::def", None),
]


# Four-part versions: the nearest of the three words before the number that says IP or version
# decides; a product name is a version word; a field named version/build holds versions.
IP_VERSIONS = [
    ("OpenSSL 3.1.4.2, nginx 1.24.0", None, []),
    ("версия клиента 3.4.1.7", None, []),
    ("версия мобильного клиента 5.2.0.11", None, []),
    ("Chrome/120.0.1.2 Safari", None, []),
    ("build 10.4.12.2", None, []),
    ("Сборка: 2.14.0.3", None, []),
    ("Модуль 1.22.3.4 загружен", None, []),
    ("Пакет numpy 1.26.4.1 установлен", None, []),  # a software word two words back
    ("10.4.12.2", ["app", "version"], []),
    ("10.4.12.2", ["build", "no"], []),
    ("10.4.12.2", ["firmware"], []),
    ("IP клиента 10.2.3.4", None, [(I, 11, 19, 0.9)]),
    ("Подключение из 185.22.65.1, версия 3.4.1.7", None, [(I, 15, 26, 0.75)]),
    ("Python 3.11.8 на хосте 10.1.2.3", None, [(I, 23, 31, 0.75)]),
    ("ip 10.4.12.2", ["app", "version"], [(I, 3, 12, 0.9)]),  # the text says IP
    ("10.4.12.2", ["ip", "version"], [(I, 0, 9, 0.85)]),
    ("http://10.20.30.40/login", None, [(I, 7, 18, 0.75)]),
]
# Short IPv6 forms (under three groups) count without context too, as in Presidio; an IP word
# raises the score of one that is not special-purpose.
IP_SHORT_V6 = [
    ("Вход с fe80::1", None, [(I, 7, 14, 0.4)]),  # link-local: special-purpose score
    ("fe80::1", ["ip"], [(I, 0, 7, 0.4)]),
    ("::1", ["remote", "addr"], [(I, 0, 3, 0.4)]),
    ("IPv6: 2001:db8::7", None, [(I, 6, 17, 0.9)]),
    ("fe80::1", None, [(I, 0, 7, 0.4)]),
    ("2a00::1", None, [(I, 0, 7, 0.5)]),  # short and global: the score of a short form
    ("2001:db8::7", None, [(I, 0, 11, 0.8)]),  # three groups: not a short form
    ("std::vector", ["ip"], []),
    ("a::b", ["ip"], []),
]


# The forms Presidio's own tests hold (issue #22), with Presidio's spans: compressed IPv6, zone
# ids, CIDR prefixes (a prefix out of range is left out), the bare unspecified address "::" (at
# Presidio's score 0.1, below the scan's floor), the first four of five dotted numbers.
IP_PRESIDIO_FORMS = [
    ("fe80::1", None, [(I, 0, 7, 0.4)]),
    ("Loopback ::1", None, [(I, 9, 12, 0.4)]),
    ("Multicast ff02::1", None, [(I, 10, 17, 0.4)]),
    ("fe80::1%eth0", None, [(I, 0, 12, 0.4)]),
    ("fe80::1%eth0/64", None, [(I, 0, 15, 0.4)]),
    ("2001:db8::%eth0/128", None, [(I, 0, 19, 0.5)]),
    ("2001:db8::/32", None, [(I, 0, 13, 0.5)]),
    ("Use 2001:db8::/32.", None, [(I, 4, 17, 0.5)]),
    ("2001:db8::/9999", None, [(I, 0, 10, 0.5)]),
    ("::ffff:192.168.1.0/96", None, [(I, 0, 21, 0.4)]),
    ("::1/128", None, [(I, 0, 7, 0.4)]),
    ("192.168.1.0/24", None, [(I, 0, 14, 0.75)]),
    ("Route is 10.0.0.0/8.", None, [(I, 9, 19, 0.75)]),
    ("0.0.0.0/0", None, [(I, 0, 9, 0.4)]),
    ("10.0.0.0/123", None, [(I, 0, 8, 0.75)]),
    ("10.0.0.0/33", None, [(I, 0, 8, 0.75)]),
    ("Unspecified ::", None, [(I, 12, 14, 0.1)]),
    ("src=:: dst=::1", None, [(I, 4, 6, 0.1), (I, 11, 14, 0.4)]),
    ("::/0", None, [(I, 0, 4, 0.1)]),
    ("Главная :: Курсы", None, []),  # a separator between two words
    (":::", None, []),
    ("std::cout", None, []),
    ("192.168.1.1.1", None, [(I, 0, 11, 0.75)]),
    ("1.3.6.1.4", None, []),  # an OID: five small parts
    ("192.168.1.1.1.1", None, []),  # six parts
]


@pytest.mark.parametrize(("text", "context", "expected"), IP_PRESIDIO_FORMS)
def test_ip_presidio_forms(text, context, expected):
    assert found(IP, text, context) == expected


@pytest.mark.parametrize(("text", "context", "expected"), IP_VERSIONS + IP_SHORT_V6)
def test_ip_versions_and_short_ipv6(text, context, expected):
    assert found(IP, text, context) == expected


@pytest.mark.parametrize(("text", "context", "expected"), IP_VALID)
def test_ip_valid(text, context, expected):
    assert found(IP, text, context) == expected


@pytest.mark.parametrize(("text", "context"), IP_NOT_FOUND)
def test_ip_not_found(text, context):
    assert found(IP, text, context) == []


def test_ip_attributes():
    [result] = IP.analyze("93.184.216.34", None)
    assert result.recognition_metadata["pdaudit_attributes"] == {"version": "4", "scope": "global"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [("10.0.0.1", "10.0.0.1"), (" [2001:DB8::1] ", "2001:db8::1"), ("::1", "::1")],
)
def test_ip_validate(value, expected):
    assert ip_address.validate(value) == expected


@pytest.mark.parametrize("value", [None, "", "€", 167772161, "256.1.1.1", "1.2.3", "01.2.3.4"])
def test_ip_validate_errors(value):
    with pytest.raises(InvalidFormat):
        ip_address.validate(value)
    assert not ip_address.is_valid(value)


# --- junk ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("recognizer", [DOB, ADDR, IP])
@pytest.mark.parametrize(
    "junk", [None, "", " ", "\x00\xff\xfe", "г." * 300, "ул. " * 300, "1." * 500, 42]
)
def test_junk(recognizer, junk):
    results = recognizer.analyze(junk, None, None, context=["adres", "dob", "ip"])
    assert all(0 <= r.start < r.end <= len(junk) for r in results)


@pytest.mark.parametrize("recognizer", [DOB, ADDR, IP])
def test_other_entities_requested(recognizer):
    text = "Дата рождения: 12.03.1995, г. Алматы, ул. Абая 10, IP 93.184.216.34"
    assert recognizer.analyze(text, ["EMAIL_ADDRESS"]) == []


# --- fast paths: quick tests and early exits find exactly what the full reading finds ----------

# Timestamps fill whole columns: a date in one is a birth date only by a birth word in the text
# or the field name; look-alike Latin letters still spell the word.
DOB_FAST = [
    ("2024-03-05 12:34:56", None, []),
    ("2024-03-05 12:34:56", ["created", "at"], []),
    ("1995-03-12 00:00:00", ["birth", "date"], [(D, 0, 10, 0.85)]),
    ("dob 1995-03-12 00:00:00", None, [(D, 4, 14, 0.9)]),
    ("2024-03-05 12:34:56, д.р. 1995-03-12", None, [(D, 26, 36, 0.9)]),
    ("создан 1995-03-12 00:00:00", ["dob"], []),  # the label nearest before the date decides
    ("12.03.1995 12:34", ["dob"], [(D, 0, 10, 0.85)]),
    ("родилcя 12.03.1995", None, [(D, 8, 18, 0.9)]),  # Latin "c"
    ("РОДИЛСЯ 12.03.1995", None, [(D, 8, 18, 0.9)]),
    ("x12.03.1995", ["dob"], []),  # glued to a letter
    ("12.03.1995г.р.", None, []),
    ("12 03 1995", ["dob"], [(D, 0, 10, 0.85)]),  # no letter: the month-name patterns are skipped
    ("1985", ["created"], []),
]


@pytest.mark.parametrize(("text", "context", "expected"), DOB_FAST)
def test_dob_fast_paths(text, context, expected):
    assert found(DOB, text, context) == expected


def test_dob_field_word_per_field():
    """The field-name word is remembered per field name, never carried over to another one."""
    recognizer = DateOfBirthRecognizer()
    assert found(recognizer, "12.03.1995", ["dob"]) == [(D, 0, 10, 0.85)]
    assert found(recognizer, "12.03.1995", ["created"]) == []
    assert found(recognizer, "12.03.1995", None) == []
    assert found(recognizer, "12.03.1995", ["dob"]) == [(D, 0, 10, 0.85)]


# IP_ADDRESS.SEARCH: four dotted numbers, "::" or six "hex:" groups.
IP_MIGHT = [
    ("2024-03-05 12:34:56", False),
    ("12:30:45", False),
    ("MAC 00:1A:2B:3C:4D:5E", False),  # five colons
    ("v1.2.3", False),
    ("10.0.0.1", True),
    ("fe80::1", True),
    ("1:2:3:4:5:6:7:8", True),
    ("::ffff:10.0.0.1", True),
    ("std::vector", True),  # passes the quick test, then found to be no address
]


@pytest.mark.parametrize(("text", "expected"), IP_MIGHT)
def test_ip_search(text, expected):
    from pdaudit.scanner.analysis import search_selects

    assert search_selects(IP, [text]) == [expected]
    if not expected:
        assert found(IP, text, ["ip"]) == []


IP_FAST = [
    ("12:30:45 10.2.3.4", None, [(I, 9, 17, 0.75)]),
    ("2024-03-05T12:34:56 fe80::1", ["ip"], [(I, 20, 27, 0.4)]),
    ("2024-03-05T12:34:56 fe80::1", None, [(I, 20, 27, 0.4)]),
    ("ip 2001:db8:0:0:0:0:0:7", None, [(I, 3, 23, 0.9)]),
    ("версия 1.2.3.4 от 2024-03-05", None, []),
    ("1.2.3.4", ["build"], []),
    ("1.2.3.4", ["ip"], [(I, 0, 7, 0.85)]),
    ("1.2.3.4", ["build"], []),  # the field words are remembered per field name
]


@pytest.mark.parametrize(("text", "context", "expected"), IP_FAST)
def test_ip_fast_paths(text, context, expected):
    assert found(IP, text, context) == expected


# ADDRESS: a marker word that no letter touches, in the folded text. The parser
# cuts a house marker off its number ("62-үй"), so a hyphen before or after a marker is allowed.
ADDR_MIGHT = [
    ("Иванов Иван, +7 701 123 45 67", False, []),
    ("2024-03-05 12:34:56", False, []),
    ("ul. Abaya 10, kv. 5", False, []),  # ASCII: no marker word is written in Latin letters
    ("aidos.k@mail.kz", False, []),
    ("Поступил на курс в г Алматы", True, []),
    ("Алматы 62-үй-Абая", True, [(A, 0, 12, 0.75)]),
    ("62-үй-кв.5\u00a0Алматы", True, [(A, 6, 17, 0.75)]),
    ("УЛ. АБАЯ 10", True, [(A, 0, 11, 0.85)]),
]


@pytest.mark.parametrize(("text", "might", "expected"), ADDR_MIGHT)
def test_address_has_marker(text, might, expected):
    assert address.has_marker(text) is might
    assert found(ADDR, text) == expected


def test_address_markers_outside_ascii():
    assert address._markers_outside_ascii()
    assert address.has_marker("2 ул. 5") and not address.has_marker("2 ul. 5")


# The parser is asked once per shape of a text (its digits but 0 turned into 0): texts of one
# shape get the same spans and scores, and the words before the address are still read from
# each text itself.
ADDR_SHAPES = [
    ("г. Алматы, ул. Абая, д. 58, кв. 10", None, [(A, 0, 34, 0.95)]),
    ("г. Алматы, ул. Абая, д. 13, кв. 97", None, [(A, 0, 34, 0.95)]),
    ("050010 г. Алматы, ул. 8 Марта 5", None, [(A, 0, 31, 0.9)]),  # a number in the name
    ("ул. 9 Марта, 15", None, [(A, 0, 15, 0.85)]),
    ("мкр. Самал-2, д. 4", None, [(A, 0, 18, 0.85)]),
    ("мкр. Самал-3, д. 4", ["address"], [(A, 0, 18, 0.9)]),
    ("A05C9X8, г. Алматы, ул. Абая 10", None, [(A, 0, 31, 0.9)]),
    ("ул. Абая с 1990 по 2000 год", ["adres"], [(A, 0, 8, 0.7)]),  # "с 1990" is a year
    ("Адрес: ул. Абая 17", None, [(A, 7, 18, 0.9)]),
    ("Город: ул. Абая 17", None, [(A, 7, 18, 0.85)]),  # same shape, no address word
    ("Иванов И.И., Абай даңғылы, 62-үй", None, [(A, 13, 32, 0.85)]),
]


@pytest.mark.parametrize(("text", "context", "expected"), ADDR_SHAPES)
def test_address_shapes(text, context, expected):
    assert address.parts(address.shape(text)) == address.parts(text)
    assert found(ADDR, text, context) == expected
    # a text too long to be cached by its shape is parsed as it stands, with the same results
    pad = "\n" * address._SHAPE_MAX
    assert found(ADDR, pad + text, context) == [
        (a, start + len(pad), end + len(pad), score) for a, start, end, score in expected
    ]


def test_address_scored_runs():
    assert address.scored_runs("г. Алматы, ул. Абая, д. 58, кв. 10") == (
        (0, 34, 0.95, 0.95, "address parts: city, street, house, flat"),
    )
    assert address.scored_runs("ул. Абая 10\nг. Алматы") == (
        (0, 11, 0.85, 0.9, "address parts: street, house"),
    )  # a city alone scores with no word, so it is left out
    assert address.scored_runs("") == ()
    assert address._words_without_digits()  # else every text is parsed as it stands
    assert address.is_address("ул. Абая 10") and not address.is_address("ул. Абая")
    assert not address.is_address(None)


# How a token looks (folded form, marker) is worked out once per token text and reused: "с." is a
# settlement marker and "с" a preposition wherever they stand, "шағын" starts a marker only
# before "ауданы", and "үй" is the same marker glued to its number and standing alone.
ADDR_TOKEN_LOOKS = [
    ("с. Каскелен, д. 5", [("settlement", 0, 11), ("house", 13, 17)]),
    ("ул. Абая с 1990 года", [("street", 0, 8)]),
    ("Абай даңғылы, 62-үй, 14-пәтер", [("street", 0, 12), ("house", 14, 19), ("flat", 21, 29)]),
    ("Самал шағын ауданы, 5 үй", [("micro", 0, 18), ("house", 20, 24)]),
    ("Самал шағын, 5 үй", [("house", 13, 17)]),
]


@pytest.mark.parametrize(("text", "expected"), ADDR_TOKEN_LOOKS)
def test_address_token_looks(text, expected):
    assert address.parts(text) == [address.Part(*part) for part in expected]
    assert address.parts(text) == address.parts(text)  # the second time from the looks cache
