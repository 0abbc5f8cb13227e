"""PersonRecognizer: full names in every written order, places and titles left alone, junk."""

from __future__ import annotations

import pytest

from recognizers.base import evidence_of
from recognizers.person import PersonRecognizer, skeleton, word_roles

REC = PersonRecognizer()


def spans(text, context=None):
    return [
        (r.entity_type, r.start, r.end, r.score)
        for r in REC.analyze(text, ["PERSON"], context=context)
    ]


VALID = [
    ("Иванов Иван Иванович", 0, 20, 0.95),
    ("Иван Иванович Иванов", 0, 20, 0.95),
    ("айгерим сагинтаева муратовна", 0, 28, 0.95),
    ("Сагинтаева Айгерим", 0, 18, 0.9),
    ("Айгерим Сагинтаева", 0, 18, 0.9),
    ("Иванов И. И.", 0, 12, 0.9),
    ("Иванов И.И.", 0, 11, 0.9),
    ("И.О. Иванов", 0, 11, 0.9),
    ("ИВАНОВ ИВАН ИВАНОВИЧ", 0, 20, 0.95),
    ("иванов иван", 0, 11, 0.9),
    ("Жумабеков Ержан Серикулы", 0, 24, 0.95),
    ("Әлібек Нұрсұлтан Серікұлы", 0, 25, 0.9),
    ("Әбдірахманова Гүлнар Маратқызы", 0, 30, 0.95),
    ("Нурланов Ерлан Серик улы", 0, 24, 0.95),
    ("Айгерим Жумабек", 0, 15, 0.9),
    ("Ким Алексей", 0, 11, 0.9),
    ("Пак Елена Викторовна", 0, 20, 0.95),
    ("Цой Виктор", 0, 10, 0.9),
    ("Мадина Ерболатовна", 0, 18, 0.9),
    ("SAGINTAYEVA AIGERIM", 0, 19, 0.9),
    ("AIGERIM ZHUMABEK", 0, 16, 0.9),
    ("Иванов И.И., +7 701 123 45 67", 0, 11, 0.9),
    ("Здравствуйте, меня зовут Айгерим Сагинтаева, хочу узнать про курс.", 25, 43, 0.9),
    ("ЗАЯВЛЕНИЕ. Я, ДОСМАГАМБЕТОВ САНЖАР БЕКОВИЧ, ПРОШУ ПРИНЯТЬ МЕНЯ НА РАБОТУ.", 14, 42, 0.95),
]


@pytest.mark.parametrize(("text", "start", "end", "score"), VALID)
def test_valid(text, start, end, score):
    assert spans(text) == [("PERSON", start, end, score)]


NEGATIVE = [
    None,
    "",
    "Иванов",
    "Айгерим",
    "Спасибо, Айгерим!",
    "Астана",
    "Алматы, ул. Абая 10",
    "пр. Абая, 52",
    "ул. Мухтара Ауэзова 12",
    "Абая көшесі, 45",
    "Казахтелеком",
    "Назарбаев Университет",
    "Казахский национальный университет имени аль-Фараби",
    "Пушкин: лирика",
    "Абай Кунанбаев: жизнь и творчество",
    "Творчество Льва Толстого",
    "Урок 5. Степени и корни",
    "Магазин Айгерим",
    "Новый клиент",
    "+7 7** *** ** 70",
    "Заказ № 4587123",
    "\x00\x01\xff\xfe binary \x80",
    "я" * 10_000,
    "Аб " * 3_400,
]


@pytest.mark.parametrize("text", NEGATIVE)
def test_negative(text):
    assert spans(text) == []


def test_two_names_in_one_form():
    text = "Договор подписан директором Шевченко А.Н. и бухгалтером Ковальчук Т.С."
    assert spans(text) == [("PERSON", 28, 41, 0.9), ("PERSON", 56, 70, 0.9)]


@pytest.mark.parametrize(
    ("text", "context", "expected"),
    [
        ("Айгерим", ["client", "name"], [("PERSON", 0, 7, 0.7)]),
        ("Иванов Иван", ["fio"], [("PERSON", 0, 11, 0.95)]),
        ("Айгерим", ["comment"], []),
    ],
)
def test_field_name(text, context, expected):
    assert spans(text, context) == expected


def test_evidence():
    (result,) = REC.analyze("Иванов Иван Иванович", ["PERSON"])
    assert evidence_of(result) == ["surname", "lexicon: first name", "patronymic"]


def test_batch_matches_single_and_respects_entities():
    texts = ["Иванов И.И.", "Алматы", "SAGINTAYEVA AIGERIM"]
    batch = REC.analyze_batch(texts, ["PERSON"])
    assert [[(r.start, r.end) for r in rs] for rs in batch] == [[(0, 11)], [], [(0, 19)]]
    assert REC.analyze_batch(texts, ["EMAIL_ADDRESS"]) == [[], [], []]


@pytest.mark.parametrize(
    ("word", "roles"),
    [
        ("иванович", {"P", "S"}),
        ("сагинтаева", {"S"}),
        ("айгерим", {"F"}),
        ("магазин", {"COMMON"}),
        ("алматы", {"F", "STOP"}),
        ("улы", {"K"}),
    ],
)
def test_word_roles(word, roles):
    assert set(word_roles(word)) == roles


def test_skeleton_meets_passport_spellings():
    assert skeleton("SAGINTAYEVA") == skeleton("Sagintaeva")
    assert skeleton("YERZHAN") == skeleton("Erzhan")
