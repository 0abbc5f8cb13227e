"""PersonRecognizer on news and chat prose (issue #20, accuracy): the spans it must give.

Every text is invented; each case lists the exact PERSON spans ``(start, end, type)`` expected,
or none.
"""

from __future__ import annotations

import pytest

from pdaudit.recognizers.person import PersonRecognizer, clean_ner_span

REC = PersonRecognizer()


def found(text: str) -> list[tuple[int, int, str]]:
    return sorted((r.start, r.end, r.entity_type) for r in REC.analyze(text, ["PERSON"]))


def at(text: str, *names: str) -> list[tuple[int, int, str]]:
    """The spans of ``names`` in ``text`` (each the first occurrence after the previous one)."""
    out, pos = [], 0
    for name in names:
        start = text.index(name, pos)
        out.append((start, start + len(name), "PERSON"))
        pos = start + len(name)
    return out


CASES = [
    # A weak pattern at the first word gives way to a stronger one at the next (``patterns``).
    ("ИП Бекова Сауле Маратовна, тел. 8 (7212) 40-11-22", ["Бекова Сауле Маратовна"]),
    ("Оқушы Төлеген Назерке тестті тапсырды.", ["Төлеген Назерке"]),
    ("Ұстаз Серік Жақсыбеков сабақты 16:00-ге ауыстырды.", ["Серік Жақсыбеков"]),
    ("Contoso Б.Жаркынов", ["Б.Жаркынов"]),
    # but a village of two first names stays a place: "с. Жана Талап" (``test_person``)
    # natasha's span split at a conjunction
    ("Бекжан мен Ардақ бір топта оқиды.", ["Бекжан", "Ардақ"]),
]


@pytest.mark.parametrize(("text", "names"), CASES)
def test_person_spans(text: str, names: list[str]) -> None:
    assert found(text) == at(text, *names)


@pytest.mark.parametrize(
    ("span", "pieces"),
    [
        ("Тлеуов и Жакупов", ["Тлеуов", "Жакупов"]),
        ("Сарсен или Бекзат Омаров", ["Сарсен", "Бекзат Омаров"]),
        ("Данияр мен Әлия", ["Данияр", "Әлия"]),
        # a one-word name and a Cyrillic word in brackets are two people
        ("Мергенов (Капаров)", ["Мергенов", "Капаров"]),
        # a full name with another surname, or its Latin spelling, in brackets is one span
        ("Арман Серикович (Мергенов)", ["Арман Серикович (Мергенов)"]),
        ("Ерлан Мергенов (Yerlan Mergenov)", ["Ерлан Мергенов (Yerlan Mergenov)"]),
        ("Ерлан Мергенов (КЗХ)", ["Ерлан Мергенов"]),
        # two names that begin with one surname
        ("Пака Ен Су Пак Чен Хо", ["Пака Ен Су", "Пак Чен Хо"]),
        ("Али Абдель Карим Али", ["Али Абдель Карим Али"]),
        ("Кубка-2031", []),
        ("Ерлан -10", ["Ерлан"]),
    ],
)
def test_ner_span_pieces(span: str, pieces: list[str]) -> None:
    assert [span[s:e] for s, e in clean_ner_span(span, 0, len(span))] == pieces
