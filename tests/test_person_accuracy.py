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
    # a club in quotes is no person; a nickname in quotes is one
    ('Хоккейный клуб "Ержан Тлеубаев" уволил главного тренера, сообщили в лиге.', []),
    # a monument is to a person ("памятник X" in the dative); "имени X" stays an institution
    ("В сквере у школы открыли памятник Ержану Тлеубаеву.", ["Ержану Тлеубаеву"]),
    ("Занятия проходят в лицее имени Ержана Тлеубаева.", []),
    # an epithet or a last name part between a name and the street word: a place
    ("Адрес: Түркістан, Бөген Ахмет Тұрсын даңғылы 1, кеңсе 4", []),
    ("мекенжайы: Қарағанды қ., Бөген жырау даңғылы, 62-үй", []),
    # the second of two eponyms of an institution
    ("В академии им.Н.Кожахметова и Ю.Тлеубаева начались занятия для студентов.", []),
    # an office holder after "города", "обл.", "АО" is a person, a city or a village is not
    ("Вчера мэр города Игорь Тлеуов открыл новую школу.", ["Игорь Тлеуов"]),
    ("Отставку главы Южной обл. В.Жаркынова обсуждали весь вечер.", ["В.Жаркынова"]),
    ("Префект Северного АО Ержан Мусин подписал распоряжение.", ["Ержан Мусин"]),
    # with a surname that is also a common word after a first name
    ("Прежний глава города Сергей Дудка ушёл в отставку, сообщает КазТАГ.", ["Сергей Дудка"]),
    (
        "Жители города Сергиев Посад вышли на субботник с мэром Иваном Тлеуовым.",
        ["Иваном Тлеуовым"],
    ),
    # an adjective of a place is a surname after a first name or initials, not before one
    ("Службу провёл архиепископ Ерлан Клинский (РПЦ) в воскресенье.", ["Ерлан Клинский"]),
    ("Брянского сенатора сместили за прогулы", []),
    # a country written without its hyphen is no person
    ("Участники: • Чили • Коста Рика • Эквадор • Эль Сальвадор • Грузия", []),
    # a case form of a lexicon first name that pymorphy3 does not know is a first name
    ("Передайте Ерназару, что урок переносится.", ["Ерназару"]),
    # a lone first name opening a sentence before its verb
    ("Ерасыл пишет, что урок перенесли на пятницу.", ["Ерасыл"]),
    ("Вопрос решён. Айгерим рассказала, что тест уже открыт.", ["Айгерим"]),
    # a compound abbreviation of an institution is no person
    ("Проверку провели сотрудники Рыбохраны и Главстройнадзора в понедельник.", []),
    ("Об этом сообщается в заявлении Нацфронта, распространённом в понедельник.", []),
    # a surname named in full before, again alone in another case, with initials, next to a
    # name found; not where the whole is an eponym
    (
        "Вице-премьер Ерлан Тлеуов прилетел в Астану. Вопросы о Тлеуове задали журналисты.",
        ["Ерлан Тлеуов", "Тлеуове"],
    ),
    (
        "Глава банка Ерлан Тлеуов выступил. Позже Е.Тлеуов сменил на посту Б.Жаркынова.",
        ["Ерлан Тлеуов", "Е.Тлеуов", "Б.Жаркынова"],
    ),
    (
        "Директор фонда Алия Тлеуова выступила. Фонд имени Алии Тлеуовой работает пять лет.",
        ["Алия Тлеуова"],
    ),
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


def with_ner(text: str, ner: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    """The spans decided for ``text`` when natasha reads ``ner`` (words and their types)."""
    from pdaudit.recognizers.person.decision import _prepare

    spans = []
    for words, kind in ner:
        start = text.index(words)
        spans.append((start, start + len(words), kind))
    tokens, rules, labels, _ = _prepare(text)
    parts = REC._decide_parts(text, tokens, rules, labels, spans, None)
    return sorted((s, e, "PERSON") for s, e, *_ in parts)


@pytest.mark.parametrize(
    ("text", "ner", "names"),
    [
        # a common word opening a sentence is no one-word name, unless the text names a
        # person with it in full
        ("Супруга бизнесмена подала иск в суд.", [("Супруга", "PER")], []),
        (
            "Губернатор Ерлан Дудка ушёл. Дудка подал в отставку вчера.",
            [("Ерлан Дудка", "PER"), ("Дудка", "PER")],
            ["Ерлан Дудка", "Дудка"],
        ),
        (
            "Академик Е.Тлеуов так считает. Академик не исключил перемен.",
            [("Академик Е.Тлеуов", "PER")],
            ["Академик Е.Тлеуов"],
        ),
        # also a word with many readings of one common word
        (
            "Маэстро не видит звёзд.\n\nКонкурс пройдёт без Аллы Тлеуовой.",
            [("Маэстро", "PER"), ("Аллы Тлеуовой", "PER")],
            ["Аллы Тлеуовой"],
        ),
        # a first name named in full elsewhere, alone or with a surname after it
        (
            "Прошли акции памяти Ерлана Тлеуова. На плакате надпись «40 дней без Ерлана».",
            [("Ерлана Тлеуова", "PER")],
            ["Ерлана Тлеуова", "Ерлана"],
        ),
        (
            "Министр Сергей Тлеуов выступил. Правительство Сергея Шухно ушло в отставку.",
            [("Сергей Тлеуов", "PER")],
            ["Сергей Тлеуов", "Сергея Шухно"],
        ),
        # a plural adjective before its noun is no one-word name
        (
            "На прошедших Тлеуовских чтениях выступили учёные.",
            [("Тлеуовских", "PER")],
            [],
        ),
        # a surname again only in another case of it: "Новая" is no form of "Новак"
        (
            "Министр Ерлан Новак приехал. Новая станция открыта, Новака встретили.",
            [("Ерлан Новак", "PER")],
            ["Ерлан Новак", "Новака"],
        ),
        # a surname named in full elsewhere joins the name natasha found next to it
        (
            "Глава палаты Ерлан Тлеуов выступил. Тлеуов Ерлан Серикович ушёл в отставку.",
            [("Ерлан Тлеуов", "PER"), ("Ерлан Серикович", "PER")],
            ["Ерлан Тлеуов", "Тлеуов Ерлан Серикович"],
        ),
        # a strong pattern joins natasha's one-word pieces
        (
            "Ахметова Дана Маратовна и Кравченко Олег записаны на курс",
            [("Ахметова Дана Маратовна", "PER"), ("Кравченко", "PER"), ("Олег", "PER")],
            ["Ахметова Дана Маратовна", "Кравченко Олег"],
        ),
        # and stands against natasha's ORG or LOC reading
        (
            "Поддержку Бахытжану Тлеубаеву выразили 40 федераций.",
            [("Бахытжану Тлеубаеву", "ORG")],
            ["Бахытжану Тлеубаеву"],
        ),
        (
            "Отставку принял Б.Тлеубаев вслед за мэром.",
            [("Б.", "PER")],
            ["Б.Тлеубаев"],
        ),
        # one word that is a verb or adverb opening a sentence, or a participle anywhere
        ("Отметим также, что заседание перенесли.", [("Отметим", "PER")], []),
        ("Сегодня, 5 мая, комиссия собралась.", [("Сегодня", "PER")], []),
        ("Совет всех опередил Подана первая заявка", [("Подана", "PER")], []),
        # an adjective may be a surname
        ("Заседание открыл Печёный в пятницу.", [("Печёный", "PER")], ["Печёный"]),
        # an unknown word with initials does not
        ("Деньги вложены в U.S. Contoso и другие банки.", [("U.S. Contoso", "ORG")], []),
    ],
)
def test_strong_rules_against_natasha(
    text: str, ner: list[tuple[str, str]], names: list[str]
) -> None:
    assert with_ner(text, ner) == at(text, *names)
