"""PersonRecognizer: full names in every written order, places and titles left alone, junk."""

from __future__ import annotations

import pytest

from pdaudit.recognizers.base import evidence_of
from pdaudit.recognizers.person import PersonRecognizer, needs_ner, skeleton, word_roles

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
    batch = REC.findings(texts, ["PERSON"], None)
    assert [[(r[1], r[2]) for r in rs] for rs in batch] == [[(0, 11)], [], [(0, 19)]]
    single = [REC.analyze(t, ["PERSON"]) for t in texts]
    assert [[(r.start, r.end) for r in rs] for rs in single] == [[(0, 11)], [], [(0, 19)]]
    assert REC.findings(texts, ["EMAIL_ADDRESS"], None) == [[], [], []]


@pytest.mark.parametrize(
    ("word", "roles"),
    [
        ("иванович", {"P", "S"}),
        ("сагинтаева", {"S"}),
        ("айгерим", {"F"}),
        ("айгерім", {"F"}),  # the Kazakh spelling of a lexicon name
        ("мөлдір", {"F"}),
        ("магазин", {"COMMON"}),
        ("алматы", {"F", "STOP"}),
        ("улы", {"K"}),
    ],
)
def test_word_roles(word, roles):
    assert set(word_roles(word)) == roles


# Which texts go to natasha: only free text with a capitalised word the rules leave open.
NEEDS_NER = [
    # dictionary words capitalised for opening a sentence
    ("Здравствуйте! Видео не грузится, подскажите, что делать с уроком.", False),
    ("Оплатил курс, но доступ так и не появился. Прошу проверить заказ № 88318.", False),
    # place names after a cue word
    ("Доставка: г. Алматы, ул. Абая, д. 10, кв. 5, звонить заранее", False),
    ("г. Шымкент, мкр. Самал-2, ул. Кабанбай батыра, д. 24", False),
    ("Адрес: пр. Мухтара Ауэзова, д. 12, подъезд со двора", False),
    # the rules already see the whole name
    ("Меня зовут Айгерім Ахметова, перезвоните мне вечером пожалуйста.", False),
    ("иванов иван пришёл на урок вовремя и сдал тест", False),
    ("Абай Кунанбаев", False),  # a short value: rules only
    # a surname or a lone first name the rules cannot place
    ("Вчера Медведев провёл совещание с губернаторами в Сочи.", True),
    ("Медведев заявил, что встреча пройдёт в понедельник утром.", True),
    ("Курс ведёт Жанар, она отвечает на вопросы по вечерам.", True),
]


@pytest.mark.parametrize(("text", "expected"), NEEDS_NER)
def test_needs_ner(text, expected):
    assert needs_ner(text) is expected


# Free text is read without its lower-case words that cannot be a name part (``_tokenize_lean``):
# these texts need the words kept or the fall-back to every word, and must read as before.
LEAN = [
    # lower-case names inside mixed-case text
    (
        "Вчера звонила айгерим сагинтаева по поводу оплаты курса, просила перезвонить.",
        [("PERSON", 14, 32, 0.9)],
    ),
    # no two name-capable words within three characters: no run is read at all
    ("Спасибо преподавателю, айгерим очень помогла нам с домашним заданием сегодня.", []),
    # three characters apart, but a left-out word between them splits the run; a lexicon first
    # name after a cue word ("ученица") is a lone name all the same
    (
        "Ученица айгерим и сагинтаева пришли на урок вовремя, спасибо за работу.",
        [("PERSON", 8, 15, 0.6)],
    ),
    # the word after a place cue is kept, whatever its case
    ("Живём на ул. абая Кунанбаева уже три года, доставка до двери работает отлично.", []),
    (
        "В г. Алматы Айгерим Сагинтаева открыла новую школу для детей и взрослых.",
        [("PERSON", 12, 30, 0.9)],
    ),
    # a Kazakh particle joins an unknown lower-case father's name: every word is read
    (
        "Заявление написал жандос сабит улы сегодня утром, прошу рассмотреть его побыстрее.",
        [("PERSON", 18, 34, 0.9)],
    ),
    # a label word: every word is read
    (
        "Родитель прислал фамилия: Ахметова, но имя забыли указать в анкете, уточните пожалуйста.",
        [("PERSON", 26, 34, 0.85)],
    ),
    # NER after the lean reading: the headline test gets every word again
    (
        "Вчера Медведев провёл совещание с губернаторами в Сочи и обсудил бюджет.",
        [("PERSON", 6, 14, 0.6)],
    ),
]


@pytest.mark.parametrize(("text", "expected"), LEAN)
def test_lean_reading_changes_nothing(text, expected):
    from pdaudit.recognizers.person.decision import _prepare, _wants_ner

    assert spans(text) == expected
    full, lean = _prepare(text), _prepare(text, lean=True)
    assert lean[1] == full[1] and lean[2] == full[2]
    assert _wants_ner(text, lean[0], [*lean[1], *lean[2].values], lean[2].spans, lean[3]) is (
        _wants_ner(text, full[0], [*full[1], *full[2].values], full[2].spans)
    )


def test_support_message_without_ner():
    text = "Перезвоните мне по номеру 8 702 095 0697. Меня зовут Айгерім Ахметова."
    assert spans(text) == [("PERSON", 53, 69, 0.9)]


def test_skeleton_meets_passport_spellings():
    assert skeleton("SAGINTAYEVA") == skeleton("Sagintaeva")
    assert skeleton("YERZHAN") == skeleton("Erzhan")


# Labelled layouts: ID cards, passports, registration forms. One PERSON span per labelled part
# (the labels between the parts are never inside a name); a whole-name label gives one span.
LABELLED = [
    (
        "Фамилия: АХМЕТОВА\nИмя: АЙГЕРИМ\nОтчество: СЕРИКОВНА",
        [(9, 17, 0.9, "фамилия"), (23, 30, 0.9, "имя"), (41, 50, 0.9, "отчество")],
    ),
    (
        "ТЕГІ / ФАМИЛИЯ\nСАГИНТАЕВА\nАТЫ / ИМЯ\nАЙГЕРИМ\nӘКЕСІНІҢ АТЫ / ОТЧЕСТВО\nСЕРИКҚЫЗЫ",
        [
            (15, 25, 0.9, "тегі / фамилия"),
            (36, 43, 0.9, "аты / имя"),
            (68, 77, 0.9, "әкесінің аты / отчество"),
        ],
    ),
    (
        "Тегі: ЖУМАБЕКОВ  Аты: ЕРЖАН  Әкесінің аты: СЕРИКҰЛЫ",
        [(6, 15, 0.9, "тегі"), (22, 27, 0.9, "аты"), (43, 51, 0.9, "әкесінің аты")],
    ),
    (
        "Surname: SAGINTAYEVA  Given names: AIGERIM",
        [(9, 20, 0.9, "surname"), (35, 42, 0.9, "given names")],
    ),
    (
        "Surname / Тегі / Фамилия\nSAGINTAYEVA\nGiven names / Аты / Имя\nAIGERIM",
        [(25, 36, 0.9, "surname / тегі / фамилия"), (61, 68, 0.9, "given names / аты / имя")],
    ),
    ("Name / Аты / Имя\nAIGERIM", [(17, 24, 0.85, "name / аты / имя")]),
    ("Фамилия :  АХМЕТОВА", [(11, 19, 0.85, "фамилия")]),
    ("Фамилия: ИВАНОВ\n\nИмя: ИВАН", [(9, 15, 0.9, "фамилия"), (22, 26, 0.9, "имя")]),
    ("фамилия: ахметова имя: айгерим", [(9, 17, 0.9, "фамилия"), (23, 30, 0.9, "имя")]),
    ("Фамилия: Иванов, имя: Иван", [(9, 15, 0.9, "фамилия"), (22, 26, 0.9, "имя")]),
    ("Фамилия: Пак-Ким", [(9, 16, 0.85, "фамилия")]),  # not in any lexicon: the label decides
    ("Отчество (при наличии): Ерланович", [(24, 33, 0.85, "отчество")]),
    ("Given name(s): AIGERIM", [(15, 22, 0.85, "given name")]),
    ("Фамилия: АХМЕТОВА   Дата рождения: 14.03.1991", [(9, 17, 0.85, "фамилия")]),
    ("ЭКЕСIНIН АТЫ / ОТЧЕСТВО\nСЕРИКОВНА", [(24, 33, 0.85, "экесiнiн аты / отчество")]),
    ("ФИО: ЖАНГЕЛЬДИН", [(5, 15, 0.85, "фио")]),
    # OCR reads a card's columns as one line and drops the colons
    (
        "ТЕГІ / ФАМИЛИЯ САГИНТАЕВА АТЫ / ИМЯ АЙГЕРИМ ӘКЕСІНІҢ АТЫ / ОТЧЕСТВО СЕРИКҚЫЗЫ",
        [
            (15, 25, 0.9, "тегі / фамилия"),
            (36, 43, 0.9, "аты / имя"),
            (68, 77, 0.9, "әкесінің аты / отчество"),
        ],
    ),
    ("Фамилия Иванов", [(8, 14, 0.85, "фамилия")]),
    ("Surname SMITH", [(8, 13, 0.85, "surname")]),
    # whole-name labels: the rules' evidence and score stand, the label is added
    (
        "Фамилия, имя, отчество: Смирнова Ольга Викторовна",
        [(24, 49, 0.95, "фамилия, имя, отчество")],
    ),
    ("Ф.И.О.: Смирнова Ольга Викторовна", [(8, 33, 0.95, "ф.и.о.")]),
    ("Ф. И. О.: Иванов И.И.", [(10, 21, 0.9, "ф. и. о.")]),
    ("ФИО ребёнка: Ахметов Тимур Ерланович", [(13, 36, 0.95, "фио")]),
    ("ФИО законного представителя: Ахметова Айгерим", [(29, 45, 0.9, "фио")]),
    ("Аты-жөні: Сәрсенбаев Нұрлан Қайратұлы", [(10, 37, 0.95, "аты-жөні")]),
    ("Фамилия Имя Отчество\nИванов Иван Иванович", [(21, 41, 0.95, "фамилия имя отчество")]),
]


@pytest.mark.parametrize(("text", "expected"), LABELLED)
def test_labelled_layouts(text, expected):
    results = REC.analyze(text, ["PERSON"])
    assert [(r.start, r.end, r.score) for r in results] == [(s, e, sc) for s, e, sc, _ in expected]
    assert [evidence_of(r)[-1] for r in results] == [f"label: {lab}" for *_, lab in expected]


def test_labelled_evidence_keeps_the_rules():
    (result,) = REC.analyze("Ф.И.О.: Смирнова Ольга Викторовна", ["PERSON"])
    assert evidence_of(result) == ["surname", "lexicon: first name", "patronymic", "label: ф.и.о."]


LABELLED_NEGATIVE = [
    "Фамилия:",
    "Фамилия Имя Отчество",
    "ТЕГІ / ФАМИЛИЯ\nАТЫ / ИМЯ",
    "ТЕГІ / ФАМИЛИЯ\nАТЫ / ИМЯ\nӘКЕСІНІҢ АТЫ / ОТЧЕСТВО",
    "Фамилия:\nИмя:\nОтчество:",
    "Surname:  Given names:",
    "Имя файла: report.pdf",
    "Имя: report.pdf",
    "Имя пользователя: admin",
    "Name: admin",
    "Name: Mirum Education LLP",
    "Фамилия: ____",
    "Фамилия: Не указано",
    "Фамилия: НЕТ",
    "Имя: Алматы",
    "Имя: report 25.pdf",  # something else follows: not a form value
    "Теги: python, sql",
    "Наименование: ТОО Ромашка",
    # without a colon, a value on the label's line must be made of possible name words
    "Имя пользователя",
    "ИМЯ ПОЛЬЗОВАТЕЛЯ",
    "Имя файла report",
    "ИМЯ ФАЙЛА REPORT.PDF",
    "ФАМИЛИЯ НЕ УКАЗАНА",
]


@pytest.mark.parametrize("text", LABELLED_NEGATIVE)
def test_labels_are_not_names(text):
    assert spans(text) == []


def test_labels_never_inside_a_name_in_prose():
    text = (
        "Клиент сообщил, что его фамилия: Иванов, а имя: Пётр, и попросил перезвонить завтра утром."
    )
    assert spans(text) == [("PERSON", 33, 39, 0.9), ("PERSON", 48, 52, 0.9)]


def test_labelled_value_in_a_name_field():
    assert spans("Фамилия: АХМЕТОВА", ["fio"]) == [("PERSON", 9, 17, 0.9)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "с" is the preposition "with" unless written as the abbreviation "с." (село)
        ("Вчера я поговорил с Айгерим Ахметовой о курсе", [(20, 37)]),
        ("Учится в с. Жана Талап Ерлан Серикович", [(23, 38)]),
        # a street named after a person is still no person
        ("с. Каскелен, ул. Абая 5", []),
    ],
)
def test_short_place_cues_need_their_dot(text, expected):
    from pdaudit.recognizers.person import PersonRecognizer

    found = PersonRecognizer().analyze(text, ["PERSON"])
    assert [(r.start, r.end) for r in found] == expected


# Short cells of plain words, read by the rules alone.
CELLS = [
    (
        "Иванов Иван Иванович",
        None,
        [(0, 20, 0.95, ["surname", "lexicon: first name", "patronymic"])],
    ),
    (
        "Сидоров Иван Иванович",
        None,
        [(0, 21, 0.95, ["surname", "lexicon: first name", "patronymic"])],
    ),
    ("Ахметова Айгерим", None, [(0, 16, 0.9, ["surname", "lexicon: first name"])]),
    ("Сагинтаева Айгерим", None, [(0, 18, 0.9, ["surname", "lexicon: first name"])]),
    (
        "Нурланов Ерлан Серик улы",
        "fio",
        [(0, 24, 0.95, ["surname", "lexicon: first name", "patronymic", "field name: fio"])],
    ),
    ("иван петров", None, [(0, 11, 0.9, ["lexicon: first name", "surname"])]),
    ("Клиент Абай Кунанбаев", None, [(7, 21, 0.9, ["lexicon: first name", "surname"])]),
    # places named after people, by the word before or after
    ("ул Абая Кунанбаева", None, []),
    ("Абая Кунанбаева көшесі", None, []),
    ("Айгерим", "fio", [(0, 7, 0.7, ["lexicon", "field name: fio"])]),
    ("Айгерим", None, []),
    ("Алматы", "name", []),
    ("SAGINTAYEVA AIGERIM", None, [(0, 19, 0.9, ["surname", "lexicon: first name"])]),
]


@pytest.mark.parametrize(("text", "field", "expected"), CELLS)
def test_cells(text, field, expected):
    from pdaudit.recognizers.person.decision import _prepare
    from pdaudit.recognizers.person.labels import NO_LABELS

    context = None if field is None else [field]
    for _ in range(2):  # a second reading finds the same
        found = REC.analyze(text, ["PERSON"], context=context)
        assert [(r.start, r.end, r.score, evidence_of(r)) for r in found] == expected
    tokens, rules, labels, _ = _prepare(text, lean=field is None)
    assert labels == NO_LABELS
    full = REC._decide(text, tokens, rules, labels, None, field)
    assert [(r.start, r.end, r.score, evidence_of(r)) for r in full] == expected


# A text without a blank and without a field cue holds no name unless it has a possible initial
# or a label word; those, and a field cue, take the full path.
@pytest.mark.parametrize(
    ("text", "context", "spaceless", "expected"),
    [
        ("ivan_petrov84@mail.kz", None, True, []),
        ("https://mirum.kz/courses?id=15", None, True, []),
        ("ivan_petrov84@mail.kz", ["name"], True, [(0, 21, 0.8, ["field name: name"])]),
        ("И.Петров", None, False, [(0, 8, 0.85, ["initials", "surname"])]),
        ("фио:петров", None, False, [(4, 10, 0.85, ["label: фио"])]),
    ],
)
def test_spaceless_texts(text, context, spaceless, expected):
    from pdaudit.recognizers.person.shortcuts import _spaceless_nameless

    assert _spaceless_nameless(text) is spaceless
    found = REC.analyze(text, ["PERSON"], context=context)
    assert [(r.start, r.end, r.score, evidence_of(r)) for r in found] == expected


# Texts that differ only in their digits have the same names (natasha aside).
@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (
            ("Иванов И.И., +7 701 123 45 67", "Иванов И.И., +7 777 000 11 22"),
            [(0, 11, 0.9, ["surname", "initials"])],
        ),
        (
            ("ФИО: Ахметова Айгерим, ИИН 900101300123", "ФИО: Ахметова Айгерим, ИИН 851231400456"),
            [(5, 21, 0.9, ["surname", "lexicon: first name", "label: фио"])],
        ),
        (
            (
                "г. Шымкент, пр. Назарбаева, д. 23, кв. 225",
                "г. Шымкент, пр. Назарбаева, д. 41, кв. 108",
            ),
            [],
        ),
    ],
)
def test_texts_of_one_shape(texts, expected):
    for text in texts:
        found = REC.analyze(text, ["PERSON"])
        assert [(r.start, r.end, r.score, evidence_of(r)) for r in found] == expected


def test_bmp_letters_are_letter():
    from pdaudit.recognizers.person.tokens import _BMP_WORD, _WORD, _words_re

    assert all(
        bool(_BMP_WORD.fullmatch(ch)) is bool(_WORD.fullmatch(ch))
        for ch in map(chr, range(0x10000))
    )
    text = "Иванов-Петров И.И., ул. Абая 12, ʼАли o'Brien ²м 𝐀𝐛𝐚𝐲"
    assert _words_re(text) is _WORD  # a character beyond U+FFFF: the plain regex
    assert _BMP_WORD.findall(text[:-5]) == _WORD.findall(text[:-5])


def test_texts_of_one_shape_in_one_batch():
    texts = [
        "Клиент Иванов И.И. оплатил заказ № 4127",
        "Клиент Иванов И.И. оплатил заказ № 5513",
        "Вчера Медведев провёл совещание с губернаторами в Сочи, заказ 412.",
        "Вчера Медведев провёл совещание с губернаторами в Сочи, заказ 977.",
    ]
    found = PersonRecognizer().findings(texts, ["PERSON"], None)
    assert [[(r[1], r[2], r[3], list(r[4])) for r in rs] for rs in found] == [
        [(7, 18, 0.9, ["surname", "initials"])],
        [(7, 18, 0.9, ["surname", "initials"])],
        [(6, 14, 0.6, ["ner", "single word"])],
        [(6, 14, 0.6, ["ner", "single word"])],
    ]


# Issue #20's classes: lone first names a message addresses or introduces, initials in both
# orders, lower case and capitals, and what is no person (greetings, companies, addresses,
# historical figures in teaching material, quoted titles).
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Гульназ, здравствуйте!", [("PERSON", 0, 7, 0.6)]),
        ("Ерасыл 8 жаста, 2 сыныпта оқиды.", [("PERSON", 0, 6, 0.6)]),
        ("Привет, это Әлішер)", [("PERSON", 12, 18, 0.6)]),
        ("Спасибо, Айгерим!", [("PERSON", 9, 16, 0.6)]),
        ("Рахмет, Бауыржан ағай!", [("PERSON", 8, 16, 0.6)]),
        ("меня зовут асель, не могу оплатить картой", [("PERSON", 11, 16, 0.6)]),
        ("Я Ерлан, отец ученика", [("PERSON", 2, 7, 0.6)]),
        ("ученица Ахметова Д.К.", [("PERSON", 8, 21, 0.9)]),
        ("Б. Т. Сейткалиев", [("PERSON", 0, 16, 0.9)]),
        ("жумабаев нұржан тел 87012345678", [("PERSON", 0, 15, 0.9)]),
        ("ШМИДТ ОЛЬГА", [("PERSON", 0, 11, 0.9)]),
        ("ABDIKALYKOV TIMUR", [("PERSON", 0, 17, 0.9)]),
        ("Ассаламуалейкум!", []),
        ("Сәлеметсіз бе!", []),
        ("Отправила документы через Казпочту.", []),
        ("мекенжайы Кокшетау, Абылай хана 12-4", []),
        ("Ашан, Магнум и Смолл уже открыты.", []),
        ("Читаем стихи Мағжана Жұмабаева", []),
        ("Ыбырай Алтынсарин әңгімелері", []),
        ("Тема: Пушкин, «Евгений Онегин», глава 1", []),
        ("Мобильная игра «Алдар Көсе» для детей", []),
        # a private person of the same name is a person: no title word, no quoted work
        ("Клиент Мағжан Жұмабаев оплатил заказ", [("PERSON", 7, 22, 0.9)]),
        ("Ivan,ok", []),  # no blank: no addressee
        ("Гульназ", []),  # one word without a field name saying it holds names
    ],
)
def test_issue_20_classes(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("Овечкин, Фёдоров", [(0, 7), (9, 16)]),
        ("Топалов — Нисипяну", [(0, 7), (10, 18)]),
        ("Джордж Осборн (George Osborne)", [(0, 30)]),  # one span, as Collection5 marks it
        ("Сергей Романов\nГОРНО-АЛТАЙСК", [(0, 14)]),  # a place split off is dropped
    ],
)
def test_ner_spans_split_between_names(text, pieces):
    from pdaudit.recognizers.person import clean_ner_span

    assert clean_ner_span(text, 0, len(text)) == pieces
