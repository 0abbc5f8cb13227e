"""PERSON's shortcuts (ASCII blank-less texts, plain-word cells) against the full path."""

from __future__ import annotations

import random
import re
import string

import pytest
from reads import texts_read

from pdaudit.recognizers.base import evidence_of
from pdaudit.recognizers.person import PersonRecognizer, lexicons, needs_ner, tokenize
from pdaudit.recognizers.person.decision import _prepare, _wants_ner
from pdaudit.recognizers.person.ner import _ner
from pdaudit.recognizers.person.shortcuts import (
    _ascii_active,
    _ascii_nameless,
    _plain_name,
    _spaceless_nameless,
)
from pdaudit.recognizers.person.tokens import (
    _ALL,
    _BMP_WORD,
    _HAS_LETTERS,
    MAX_SHORT_WORDS,
    _word_info,
)

REC = PersonRecognizer()


def full_path(text: str, field: str | None = None) -> list[tuple]:
    """What ``findings`` finds in ``text`` without any of its shortcuts and memos."""
    if not _HAS_LETTERS.search(text):
        return []
    tokens, rules, labels, skipped = _prepare(text, field is None)
    ner = None
    if _wants_ner(text, tokens, [*rules, *labels.values], labels.spans, skipped):
        ner = [(s.start, s.stop, s.type) for s in _ner()(text).spans]
        if skipped:
            tokens = tokenize(text)
    found = REC._decide(text, tokens, rules, labels, ner, field) if tokens else []
    return [(r.start, r.end, r.score, evidence_of(r)) for r in found]


def found(
    texts: list[str], context: list[str] | None = None, rec: PersonRecognizer = REC
) -> list[list[tuple]]:
    return [
        [(start, end, score, list(evidence)) for _, start, end, score, evidence, _ in rs]
        for rs in rec.findings(texts, ["PERSON"], context)
    ]


def test_ascii_active_runs_are_the_label_and_particle_words():
    # Every Latin word the lean tokenizer must read is caught by its first letter run.
    assert b"name" in _ascii_active() and b"uly" in _ascii_active()
    assert b"ivan" not in _ascii_active()
    # the fold of an ASCII run is one-to-one (only "i" changes), so unfolding loses nothing
    folded = {ch.translate(lexicons._LOOKALIKE_FOLD) for ch in string.ascii_lowercase}
    assert len(folded) == 26
    lexicon = lexicons._lexicons()
    words = [w for w in (*lexicon["particles"], *lexicons._label_first_words()) if w.isascii()]
    words += ["name", "names", "surname", "given", "first", "fio", "imya", "aty", "tegi"]
    words += [f"{w}-{x}" for w in words for x in ("ivan", "uly")] + [f"{w}'s" for w in words]
    words += [w for w in lexicon["first_latin"] | lexicon["surnames_latin"] if w.isascii()][:3000]
    for word in words:
        if _word_info(word)[5] == _ALL:
            run = word.split("-")[0].split("'")[0]
            assert run.encode() in _ascii_active(), word


TRICKY_SPACELESS = [
    "tomiris_kudaibergenova84@yandex.kz",
    "darya_tsoi32@mirum.kz",
    "ivan.petrov@mail.ru",
    "aigerim.sagintayeva@gmail.com",
    "serik.uly@mail.kz",  # a particle: the full path
    "serik-uly@mail.kz",
    "name.surname@mail.kz",  # label words: the full path
    "first-name@x.kz",
    "given_names@x.kz",
    "kyzy@x.kz",
    "ulykyzy@x.kz",
    "Ivan.Petrov@mail.ru",  # capitals: the full path
    "I.Petrov@mail.ru",
    "ivan@PETROV.kz",
    "https://mirum.kz/courses/ivan-petrov/aigerim?id=15&name=x",
    "a.b.c.d.e.f.g.h@x.kz",  # more than five words
    "ivan.petrov.serikovich.aigerim.sagintayeva.muratovna@x.kz",
    "o'brien@x.kz",
    "ivan\tpetrov@x.kz",  # a tab: no blank character, but white space
    "ivan\npetrov",
    "ivan\x1cpetrov",
    "ivanpetrov",
    "ivan",
    "ab",
    "a",
    "12345",
    "",
    "иван.петров@mail.kz",  # Cyrillic: the full path
    "әлібек@mail.kz",
    "фио:петров",
    "ismail_aliev@mail.kz",  # "i" folds to the Cyrillic "і" in label keys
    "familiya@x.kz",
    "family@x.kz",
]


@pytest.mark.parametrize("text", TRICKY_SPACELESS)
def test_ascii_nameless_only_where_the_full_path_finds_nothing(text):
    if _ascii_nameless(text):
        assert full_path(text) == []
        if len(_BMP_WORD.findall(text)) <= MAX_SHORT_WORDS:
            assert _spaceless_nameless(text)
    assert found([text]) == [full_path(text)]
    # with a field cue every word is read, e-mail or not
    assert found([text], ["name"]) == [full_path(text, "name")]


def test_ascii_nameless_takes_e_mails_and_leaves_the_rest():
    taken = [t for t in TRICKY_SPACELESS if _ascii_nameless(t)]
    assert taken == [
        "tomiris_kudaibergenova84@yandex.kz",
        "darya_tsoi32@mirum.kz",
        "ivan.petrov@mail.ru",
        "aigerim.sagintayeva@gmail.com",
        "ulykyzy@x.kz",
        "a.b.c.d.e.f.g.h@x.kz",
        "ivan.petrov.serikovich.aigerim.sagintayeva.muratovna@x.kz",
        "o'brien@x.kz",
        "ivanpetrov",
        "ivan",
        "ab",
        "a",
        "12345",
        "",
        "ismail_aliev@mail.kz",
        "familiya@x.kz",
    ]


PLAIN_PIECES = ["ivan", "petrov", "aigerim", "sagintayeva", "serik", "nurlan", "mail", "kz", "x"]
PLAIN_PIECES += ["o'brien", "ab-cd", "muratovna", "ismail", "erlanovich", "kim", "uly-x"]
TRICKY_PIECES = ["uly", "kyzy", "qyzy", "ogly", "name", "surname", "given", "first", "middle"]
TRICKY_PIECES += ["last", "I", "A", "Ivan", "PETROV", "иван", "Ахметова", "ұлы", "фио", "x-name"]


def random_spaceless(rng: random.Random) -> str:
    def piece() -> str:
        return rng.choice(TRICKY_PIECES if rng.random() < 0.1 else PLAIN_PIECES)

    seps = [".", "_", "-", "@", "+", "/", "?", "=", "", "'", "0", "84", ":", "-."]
    seps += ["\t", "\n"]
    out = piece()
    for _ in range(rng.randrange(0, 8)):
        out += rng.choice(seps) + piece()
    return out


def test_random_spaceless_texts_agree_with_the_full_path():
    rng = random.Random(8)
    texts = list(dict.fromkeys(random_spaceless(rng) for _ in range(3000)))
    assert sum(map(_ascii_nameless, texts)) > 300  # the shortcut is taken, and not always
    assert found(texts) == [full_path(t) for t in texts]


CELL_WORDS = [
    *("Иванов", "Иван", "Иванович", "Сагинтаева", "Айгерим", "Муратовна", "Ерлан", "Серик"),
    *("ИВАНОВ", "АЙГЕРИМ", "иванов", "айгерим", "сагинтаева", "муратовна"),
    *("Әлібек", "Нұрсұлтан", "Серікұлы", "Маратқызы", "Гүлнар", "Ержанұлы", "Қайрат", "Өмір"),
    *("Құдайбергенова", "ҚҰДАЙБЕРГЕНОВА", "Һәм", "Іляс", "Үмітжан", "Ғалым", "Ңа", "улы", "ұлы"),
    *("кызы", "қызы", "Кызы", "ул", "Абая", "көшесі", "даңғылы", "им", "курс", "лирика"),
    *("Клиент", "спасибо", "Алматы", "нет", "admin", "SAGINTAYEVA", "AIGERIM", "Ivan", "Petrov"),
    *("Аbай", "Aйгерим", "Иванов-Петров", "И", "Е", "П", "Ким", "Цой", "Пак", "Магазин", "вера"),
]


def test_cells_agree_with_the_full_path():
    rng = random.Random(5)
    texts = []
    for _ in range(4000):
        words = [rng.choice(CELL_WORDS) for _ in range(rng.randrange(1, 6))]
        texts.append(rng.choice([" ", " ", " ", "  "]).join(words))
    texts = list(dict.fromkeys(texts))
    for context, field in ((None, None), (["fio"], "fio")):
        expected = [full_path(t, field) for t in texts]
        assert found(texts, context) == expected
        assert found(texts, context) == expected  # a second reading finds the same


def _name_words(rng: random.Random) -> list[str]:
    """Words of full names from the lexicons, with the tricky words of cells around names."""
    lex = lexicons._lexicons()
    words = rng.sample(sorted(lex["first"]), 300) + sorted(lex["surnames"])
    words += [w + end for w in rng.sample(sorted(lex["first"]), 100) for end in ("ович", "овна")]
    words += [w + end for w in rng.sample(sorted(lex["first_kz"]), 60) for end in KZ_ENDS]
    words += [*CELL_WORDS, "Я", "я", "Клиент", "Меня", "Абай", "Кунанбаев", "Коста", "Рика"]
    words += ["стихи", "курс", "Курс", "Мухтар", "Ауэзов", "Жамбыл", "Жабаев", "Фамилия", "Имя"]
    words += sorted(lex["name_before"]) + sorted(lex["place_before"]) + sorted(lex["place_after"])
    return [w for w in words if " " not in w]


KZ_ENDS = ("улы", "ұлы", "кызы", "қызы", "ович")


def _written(rng: random.Random, word: str) -> str:
    return rng.choice([word.title(), word.title(), word.upper(), word.lower(), word])


def test_plain_names_agree_with_the_full_path():
    """Values of two to five plain words (full names in every case, Kazakh -улы/-қызы, cue,
    place, title and label words among them): ``_plain_name``'s one name is the full path's."""
    rng = random.Random(20261207)
    words = _name_words(rng)
    texts = []
    for _ in range(6000):
        n = rng.choice([2, 3, 3, 3, 3, 4, 5])
        case = rng.choice(["title", "upper", "lower", "any"])
        picked = [rng.choice(words) for _ in range(n)]
        if case == "any":
            texts.append(" ".join(_written(rng, w) for w in picked))
        else:
            texts.append(" ".join(getattr(w, case)() for w in picked))
    lex = lexicons._lexicons()
    firsts, surnames = sorted(lex["first"] | lex["first_kz"]), sorted(lex["surnames"])
    for _ in range(3000):  # "Фамилия Имя Отчество" and its orders, as name columns hold them
        first, surname = rng.choice(firsts), rng.choice(surnames)
        patronymic = rng.choice(firsts) + rng.choice(KZ_ENDS)
        name = rng.choice(
            [[surname, first, patronymic], [first, patronymic, surname], [surname, first]]
        )
        texts.append(" ".join(_written(rng, w) for w in name))
    texts += ["Ахметова Айгерим Серикқызы", "АХМЕТОВ ЕРЛАН СЕРІКҰЛЫ", "ахметов ерлан серикулы"]
    texts += ["Абай Кунанбаев стихи", "Коста Рика", "Я Ерлан Ахметов", "Серик улы Ерлан"]
    texts += ["Иванов Иван Иванович Иванов", "Иван Иванов Петр Петров", "Ким А Б"]
    texts += ["Атым Ерлан", "Дорогой Ерлан Ахметов", "МЕНІҢ Ахметов", "Мұғалім Ерлан Серикович"]
    texts = list(dict.fromkeys(texts))
    taken = [t for t in texts if _plain_name(t) is not None]
    assert 0.25 * len(texts) < len(taken) < len(texts)
    for context, field in ((None, None), (["fio"], "fio"), (["name"], "name")):
        expected = [full_path(t, field) for t in texts]
        assert found(texts, context, PersonRecognizer()) == expected
        assert any(e for t, e in zip(texts, expected, strict=True) if t not in taken)


def test_plain_names_are_not_read_by_the_rules(monkeypatch):
    """A plain full name is found without the tokenizer and the decision; the rest are not."""
    from pdaudit.recognizers.person import decision

    read = texts_read(monkeypatch, decision, "_prepare")
    texts = ["Иванов Иван Иванович", "ИВАНОВА АЙГЕРИМ", "ахметов ерлан серикулы", "Иванов И.И."]
    texts += ["Иванов-Петров Иван", "Ким Серик улы", "Фамилия Иванов", "Я Ерлан Ахметов"]
    assert all(found(texts, ["fio"], PersonRecognizer())[:3])
    assert read == texts[3:]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Клиент Абай Кунанбаев", [(7, 21, 0.9, ["lexicon: first name", "surname"])]),
        ("Айгерим Сагинтаева клиент", [(0, 18, 0.9, ["lexicon: first name", "surname"])]),
        ("ул Абая Кунанбаева", []),
        # two blanks in a row: no cell (an empty word), the full path joins the run all the same
        ("Иванов  Иван", [(0, 12, 0.9, ["surname", "lexicon: first name"])]),
    ],
)
def test_cell_spans_inside_the_cell(text, expected):
    assert found([text]) == [expected] == [full_path(text)]


SHAPED = [
    "г. Караганда, ул. Жібек жолы, д. 156, кв. 2",
    "г. Шымкент, пр. Назарбаева, д. 23, кв. 225",
    "Иванов И.И., +7 701 123 45 67",
    "ФИО: Ахметова Айгерим, ИИН 900101300123",
    "ул. Абая 5, Ищенко Е.П.",
    "мкр. Самал-2, Сагинтаева Айгерим Муратовна",
    "2008 г. Путин",
    "В 2008г. В.Путин",
    "А 1",
    "И. 5",
    "1 2 3",
    "0",
    "Ә 0",
    "a\udcff 1 Иван Петров",  # a lone surrogate (a byte decoded with surrogateescape)
    "١٢٣ Иван Петров",  # Arabic-Indic digits: no shape, the rules read them as no letter
    "Иван Петров ²",
]


def random_short(rng: random.Random) -> str:
    words = [*CELL_WORDS, "И.", "Е.П.", "ул.", "г.", "д.", "кв.", "ФИО:", "Имя:", "А", "Б"]
    words += ["5", "12", "2008", "900101300123", "+7", "№", ",", "-", "Самал-2"]
    return " ".join(rng.choice(words) for _ in range(rng.randrange(1, 7)))


def test_short_texts_with_digits_agree_with_the_full_path():
    rng = random.Random(11)
    texts = [random_short(rng) for _ in range(5000)]
    texts += [re.sub("[0-9]", lambda m: str(rng.randrange(10)), t) for t in texts]
    for context, field in ((None, None), (["fio"], "fio")):
        expected = [full_path(t, field) for t in texts]
        assert found(texts, context) == expected


@pytest.mark.parametrize("text", ["А", "А Б", "И", "Ә Ө", "Ив", "А Иванов", "ab", "a b"])
@pytest.mark.parametrize("context", [None, ["fio"]])
def test_one_letter_words(text, context):
    field = None if context is None else context[0]
    assert found([text], context) == [full_path(text, field)]


def test_findings_are_analyze_as_tuples():
    from pdaudit.recognizers.base import as_tuple

    rng = random.Random(2)
    texts = [*TRICKY_SPACELESS, *SHAPED, *CELL_WORDS, "Ищенко Е.П.", "ул. Абая 5"]
    texts += [random_short(rng) for _ in range(500)]
    texts += [
        "Вчера Медведев провёл совещание с губернаторами в Сочи.",
        "Меня зовут Аружан Оспанова. Когда откроется запись на летний интенсив?",
        "Фамилия: АХМЕТОВА\nИмя: АЙГЕРИМ",
    ]
    texts = [t for t in texts if t]  # the analysis hands over no empty text
    for context in (None, ["fio"], ["body"]):
        for entities in (["PERSON"], ["EMAIL_ADDRESS"], []):
            results = [REC.analyze(t, entities, context=context) for t in texts]
            tuples = REC.findings(texts, entities, context)
            assert tuples == [[as_tuple(r) for r in rs] for rs in results]
    assert any(tuples)


def test_a_subclass_that_changes_results_is_read_with_analyze():
    from pdaudit.recognizers.base import Findings
    from pdaudit.scanner.analysis import Analyzer

    class Fewer(PersonRecognizer):
        def analyze(self, text, entities, nlp_artifacts=None, context=None):
            return super().analyze(text, entities, nlp_artifacts, context)[:0]

    assert Fewer.findings is Findings.findings
    assert Analyzer([Fewer()]).analyze("Иванов Иван Иванович") == []
    assert PersonRecognizer().findings(["Иванов Иван Иванович"], ["PERSON"], None) == [
        [("PERSON", 0, 20, 0.95, ("surname", "lexicon: first name", "patronymic"), ())]
    ]


def _eval_texts_with_digits() -> list[str]:
    import json
    from pathlib import Path

    texts = []
    for path in sorted((Path(__file__).parent.parent / "eval" / "data").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            text = json.loads(line).get("text", "") if line.strip() else ""
            if re.search("[0-9]", text):
                texts.append(text)
    return texts


def test_rules_read_digits_as_digits():
    """``findings`` reads texts of one digit shape once per batch when the rules decide them
    alone: the names found in any text with its digits rewritten at random are those of the
    full path, in one batch with the originals (addresses, forms and messages of the eval data,
    and addresses of every kind of number)."""
    rng = random.Random(20261206)
    texts = _eval_texts_with_digits()
    streets = ["ул. Абая", "пр. Сәтпаева", "ул. Жібек жолы", "мкр. Самал-2", "ул. Марта"]
    texts += [
        f"г. Алматы, {rng.choice(streets)}, д. {rng.randrange(1, 300)}, кв. {rng.randrange(1, 99)}"
        for _ in range(300)
    ]
    texts += ["ул. 8 Марта, 12", "8 Марта Иванова", "Ерасыл 8 жаста", "Ерасыл 18 жаста"]
    rewritten = [re.sub("[0-9]", lambda m: str(rng.randrange(10)), t) for t in texts]
    batch = list(dict.fromkeys(texts + rewritten))
    assert len(batch) > 600
    for context, field in ((None, None), (["address"], None), (["fio"], "fio")):
        expected = [full_path(t, field) for t in batch]
        assert found(batch, context) == expected


def test_one_reading_per_digit_shape(monkeypatch):
    """Addresses that differ only in their numbers are read by the rules once per batch."""
    from pdaudit.recognizers.person import decision

    read = texts_read(monkeypatch, decision, "_prepare")
    texts = [f"г. Алматы, ул. Абая, д. {n}, кв. {n % 7 + 1}" for n in range(10, 60)]
    texts.append("г. Алматы, ул. Абая 5")
    assert found(texts, rec=PersonRecognizer()) == [[] for _ in texts]
    assert read == [texts[0], texts[-1]]


def test_digit_shapes_are_remembered_from_batch_to_batch():
    """The names of a short text the rules decide alone are kept by digit shape and field cue
    from one batch to the next: the same as the full path over many small batches (eval texts
    with digits, with their digits rewritten, addresses), each shape read once per field cue."""
    rng = random.Random(20261207)
    texts = [t for t in _eval_texts_with_digits() if len(t.encode()) <= 400]
    streets = ["ул. Абая", "пр. Сәтпаева", "ул. Жібек жолы", "мкр. Самал-2", "ул. 8 Марта"]
    texts += [
        f"г. {c}, {rng.choice(streets)}, д. {rng.randrange(1, 300)}, кв. {rng.randrange(1, 99)}"
        for c in ("Алматы", "Караганда") * 150
    ]
    texts += ["Иванов Иван 12", "Иванов Иван 37", "Ерасыл 8 жаста", "Ерасыл 9 жаста", "ИИН 1"]
    texts += [re.sub("[0-9]", lambda m: str(rng.randrange(10)), t) for t in texts]
    texts = list(dict.fromkeys(texts))
    rng.shuffle(texts)
    assert len(texts) > 600
    for context, field in ((None, None), (["address"], None), (["fio"], "fio")):
        expected = [full_path(t, field) for t in texts]
        rec = PersonRecognizer()
        got = [f for k in range(0, len(texts), 37) for f in found(texts[k : k + 37], context, rec)]
        assert got == expected
        assert any(expected)
        # a second pass reads from the memo, and still finds the same
        again = [
            f for k in range(0, len(texts), 53) for f in found(texts[k : k + 53], context, rec)
        ]
        assert again == expected


def test_a_shape_read_in_one_batch_is_not_read_again(monkeypatch):
    """A later batch's texts of a shape read before (with the same field cue) are not read."""
    from pdaudit.recognizers.person import decision

    read = texts_read(monkeypatch, decision, "_prepare")
    rec = PersonRecognizer()
    first = ["г. Алматы, ул. Абая, д. 10, кв. 5", "Иванов Иван Иванович, 12 лет"]
    later = ["г. Алматы, ул. Абая, д. 37, кв. 8", "Иванов Иван Иванович, 45 лет"]
    assert found(first, rec=rec) == found(later, rec=rec)
    assert read == first
    found(later, ["fio"], rec)  # another field cue: read anew
    assert read == [*first, *later]
    found(["г. Алматы, ул. Абая, д. 99, кв. 1"], ["fio"], rec)
    assert read == [*first, *later]


# Prose as support messages write it: sentences opened by dictionary words, lower-case words
# that pymorphy3 reads as surnames ("по", "нам"), names in every case, place cues, initials,
# e-mails, capitals and the punctuation around sentence starts.
PROSE_WORDS = [
    *("Здравствуйте", "Прошу", "Оплатил", "Видео", "Когда", "Меня", "Ответ", "Ребёнок", "Спасибо"),
    *("Подскажите", "Списали", "Перезвоните", "Вчера", "Ученица", "Магазин", "Сегодня", "Я"),
    *("Ж", "Б", "Нет", "Q", "Admin"),
    *("по", "нам", "ли", "английскому", "с", "карты", "вернуть", "деньги", "зовут", "и", "о"),
    *("айгерим", "ерлан", "сагинтаева", "иванов", "муратовна", "серик", "жандос", "сабит"),
    *("Айгерим", "Сагинтаева", "Иванов", "Иван", "Иванович", "Ерлан", "Медведев", "Абая", "Цой"),
    *("Жақсыбекова", "Ұлжан", "Құдайбергенов", "Ким", "Кунанбаева", "Алматы", "Назарбаева"),
    *("ИИН", "АЙГЕРИМ", "СЕРИК", "ул.", "г.", "им.", "мкр.", "пр.", "И.", "Е.П.", "Г.", "Н.Е."),
    *("ulzhan.nurlanova21@yandex.kz", "kim", "Ivan", "Petrov", "8 702 095 0697", "900101300123"),
]
PROSE_GAPS = [" "] * 12 + [". ", "! ", "? ", ", ", ": ", "\n", " — ", ' "', " «", "» ", " (", ") "]
PROSE_GAPS += [".", "  ", ".\n", ' "(', ". «", "\t", ";"]


def random_prose(rng: random.Random) -> str:
    out = rng.choice(["", "", "(", "— ", '"'])
    for k in range(rng.randrange(4, 16)):
        out += (rng.choice(PROSE_GAPS) if k else "") + rng.choice(PROSE_WORDS)
    return out + rng.choice([".", "", "!", "?"])


def test_lean_reading_of_prose_agrees_with_every_word():
    """The lean tokenizer leaves out words by where they stand (lower-case surname-like words,
    dictionary words opening a sentence): the rules, the NER test and the decision read from
    its tokens what they read from every word, and it does leave words out."""
    from pdaudit.recognizers.person.tokens import _tokenize_lean

    rng = random.Random(20261207)
    texts = list(dict.fromkeys(random_prose(rng) for _ in range(4000)))
    lean_read = fewer = 0
    for text in texts:
        full = _prepare(text)
        wants = _wants_ner(text, full[0], [*full[1], *full[2].values], full[2].spans)
        expected = REC._decide(text, *full[:3], None, None)
        if _tokenize_lean(text) is None:
            continue
        lean_read += 1
        tokens, rules, labels, skipped = _prepare(text, lean=True)
        fewer += len(tokens) + skipped == len(full[0]) > len(tokens)
        assert rules == full[1] and labels == full[2], text
        assert _wants_ner(text, tokens, [*rules, *labels.values], labels.spans, skipped) is wants
        assert REC._decide(text, tokens, rules, labels, None, None) == expected, text
    assert lean_read > 2000 and fewer > 1500
    # the whole recognizer: natasha reads each text the NER test sends it (a few of them here)
    ner = [t for t in texts if needs_ner(t)]
    texts = [t for t in texts if t not in ner] + ner[:100]
    assert len(texts) > 900
    assert found(texts) == [full_path(t) for t in texts]


def test_words_left_out_of_prose_by_where_they_stand():
    from pdaudit.recognizers.person.tokens import _tokenize_lean

    def kept(text: str) -> list[str]:
        lean = _tokenize_lean(text)
        assert lean is not None
        return [text[t.start : t.end] for t in lean[0]]

    # dictionary words opening a sentence and lower-case surname-like words ("по", "нам")
    text = "Здравствуйте! Прошу вернуть деньги по карте, курс нам не подошёл. Меня зовут Ерлан Цой."
    assert kept(text) == ["Ерлан", "Цой"]
    # not opening a sentence, nor right after a place cue: kept
    assert kept("Спасибо большое Прошу вас") == ["Прошу"]
    assert kept("Живём на ул. Прошу Абая") == ["ул", "Прошу", "Абая"]
    # a lower-case first name in the text: its lower-case neighbours may be a surname
    assert kept("Звонила айгерим по поводу оплаты.") == ["айгерим", "по"]


def _lean_plainly(text: str) -> tuple[list[tuple], int] | None:
    """``tokens._tokenize_lean`` as its docstring says, one word after the other."""
    from pdaudit.recognizers.base import fold
    from pdaudit.recognizers.person import tokens as T

    words = list(T._WORD.finditer(text))
    infos = [_word_info(m.group()) for m in words]
    drop_weak = all(info[5] != T._LOWER_FIRST for info in infos)
    kept: list[tuple] = []
    after_cue = False
    for m, (folded, roles, case, can, _, lean) in zip(words, infos, strict=True):
        word, (start, end) = m.group(), m.span()
        if len(word) == 1 and word.isupper() and text[end : end + 1] == ".":  # an initial
            if lexicons._may_start_label(fold(word)):
                return None
            kept.append((start, end + 1, "init", fold(word)))
            after_cue = fold(word) in lexicons._lexicons()["place_before"]
            continue
        if lean == T._ALL:
            return None
        left_out = (
            lean == T._LEAVE
            or (lean == T._WEAK and drop_weak)
            or (lean == T._OPENER and T._sentence_start(text, start))
        )
        if after_cue or not left_out:
            kept.append((start, end, case, folded, roles, can))
        after_cue = lean == T._CUE
    return kept, len(words) - len(kept)


def _lean_tokens(text: str) -> tuple[list[tuple], int] | None:
    from pdaudit.recognizers.person.tokens import _tokenize_lean

    lean = _tokenize_lean(text)
    if lean is None:
        return None
    tokens, skipped = lean
    return [
        (t.start, t.end, "init", t.folded)
        if t.case == "init"
        else (t.start, t.end, t.case, t.folded, t.roles, t.can)
        for t in tokens
    ], skipped


def test_lean_tokens_are_the_plain_reading():
    """The lean tokenizer marks the words left out by where they stand before it reads the rest:
    it keeps what reading every word in turn keeps, on prose with names in every case
    (ALL-CAPS, lower case, Kazakh -улы/-қызы), initials, place and name cues, label and
    particle words, sentence starts, quotes and brackets."""
    rng = random.Random(34)
    words = [*PROSE_WORDS, *(_written(rng, w) for w in _name_words(rng))]
    words += ["Серик улы", "Айгерім Серікқызы", "НҰРЛАН ЕРЛАНҰЛЫ", "қызы", "В.", "С.", "Ә."]
    gaps = [*PROSE_GAPS, "-", "—", " – ", "'", "’", " 12 ", ".\n\n", "\u00a0"]
    texts = []
    for _ in range(6000):
        text = rng.choice(["", "", "(", "— ", '"', "  ", "1. "])
        for k in range(rng.randrange(1, 20)):
            text += (rng.choice(gaps) if k else "") + rng.choice(words)
        texts.append(text + rng.choice([".", "", "!", "?", ")"]))
    texts += [t.upper() for t in texts[:500]] + [t.lower() for t in texts[500:1000]]
    read = [_lean_tokens(t) for t in texts]
    assert read == [_lean_plainly(t) for t in texts]
    assert 200 < sum(r is None for r in read) < 1500


def _not_a_person_plainly(text: str, start: int, end: int) -> bool:
    """``rules._not_a_person`` as first written: the title search first, every figure tried."""
    from pdaudit.recognizers.base import fold
    from pdaudit.recognizers.person.lexicons import place_word
    from pdaudit.recognizers.person.rules import _TITLE_TEXT_MAX, _WORD, _title_words

    quotes = text[start - 1 : start], text[end : end + 1]
    if quotes == ("«", "»") or (quotes == ('"', '"') and " " in text[start:end]):
        return True
    if text.count(" ", start, end) == 1 and place_word(fold(text[start:end]).replace(" ", "-")):
        return True
    if len(text) > _TITLE_TEXT_MAX:
        return False
    if "«" not in text and not _title_words().search(fold(text)):
        return False
    words = [fold(w) for w in _WORD.findall(text, start, end)]
    for entry in lexicons._lexicons()["figures"]:
        parts = entry.split()
        if all(any(w.startswith(p) and len(w) - len(p) <= 2 for w in words) for p in parts):
            return True
    return False


def test_figures_and_titles_as_first_written():
    """``_not_a_person`` tells the span's figure-like words first and tries only the figures
    whose words' beginnings the span has: the same answers on figures' names in several cases
    and spellings, with and without title words, quotes and a long text around them."""
    from pdaudit.recognizers.person.rules import _not_a_person

    rng = random.Random(7)
    figures = sorted(lexicons._lexicons()["figures"])
    names = [*figures, "айгерим сагинтаева", "ерлан тлеуов", "абай", "абай ахметов", "мухтар"]
    titles = sorted(lexicons._lexicons()["title"])[:20] + ["курс", "стихи", "клиент", "оплатил"]
    texts = []
    for _ in range(3000):
        name = " ".join(
            _written(rng, w + rng.choice(["", "", "а", "ым", "ның", "ов"]))
            for w in rng.choice(names).split()
        )
        before = " ".join(rng.choice(titles) for _ in range(rng.randrange(0, 3)))
        after = rng.choice(["", " «Қара сөздер»", " " + rng.choice(titles), ": жизнь", "»"])
        pad = rng.choice(["", "", "x" * 300, "Клиент оплатил. "])
        quote = rng.choice(["", "", "«", '"'])
        text = f"{pad}{before} {quote}{name}{after}".lstrip()
        start = text.index(name)
        texts.append((text, start, start + len(name)))
    answers = [_not_a_person(*t) for t in texts]
    assert answers == [_not_a_person_plainly(*t) for t in texts]
    assert 200 < sum(answers) < 2800


def test_a_subclass_with_its_own_decision_reads_plain_names_with_it():
    class Louder(PersonRecognizer):
        def _decide_parts(self, text, tokens, rules, labels, ner, field):
            return [
                (s, e, 0.99, ["louder"])
                for s, e, *_ in super()._decide_parts(text, tokens, rules, labels, ner, field)
            ]

    assert found(["Иванов Иван Иванович"], rec=Louder()) == [[(0, 20, 0.99, ["louder"])]]


def _eval_field_values() -> list[tuple[str, list[str]]]:
    """Every text value of the eval's fields with its field name's words (the scan's context)."""
    import json
    from pathlib import Path

    out = []
    for path in sorted((Path(__file__).parent.parent / "eval" / "data").glob("fields*.json")):
        for field in json.loads(path.read_text(encoding="utf-8")):
            context = [w for w in re.split(r"[^a-z0-9]+", field["field"].lower()) if w]
            out += [(v, context) for v in field["values"] if isinstance(v, str) and v]
    return out


def test_eval_field_values_agree_with_the_full_path():
    """The eval's field values (name columns in every layout among ids, notes and addresses),
    each with its field's name as the context: shortcuts and memos find what the full path does."""
    from pdaudit.recognizers.person.rules import _field_cue

    values = _eval_field_values()
    assert len(values) > 3000
    by_context: dict[tuple[str, ...], list[str]] = {}
    for value, context in values:
        by_context.setdefault(tuple(context), []).append(value)
    taken = 0
    for context, texts in by_context.items():
        texts = list(dict.fromkeys(texts))
        expected = [full_path(t, _field_cue(list(context))) for t in texts]
        assert found(texts, list(context), PersonRecognizer()) == expected, context
        taken += sum(_plain_name(t) is not None for t in texts)
    assert taken > 100


def test_corpus_names_as_cells_agree_with_the_full_path():
    """The person mentions of the news corpora (``../shared/corpora``, skipped where absent),
    each as a cell in its own spelling, in capitals and in lower case, with and without a field
    name that says it holds names."""
    import json
    from pathlib import Path

    # ../shared/corpora beside the checkout, or beside a parent folder (a git worktree)
    root = Path(__file__).resolve().parents[1]
    paths = [
        p for d in root.parents for p in sorted((d / "shared" / "corpora").glob("*.persons.jsonl"))
    ]
    if not paths:
        pytest.skip("no ../shared/corpora")
    names: list[str] = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            doc = json.loads(line)
            names += [doc["text"][p["start"] : p["end"]] for p in doc["persons"]]
    names = list(dict.fromkeys(n for n in names if "\n" not in n))
    texts = list(dict.fromkeys([*names, *(n.upper() for n in names), *(n.lower() for n in names)]))
    assert len(texts) > 5000
    for context, field in ((None, None), (["fio"], "fio")):
        expected = [full_path(t, field) for t in texts]
        assert found(texts, context, PersonRecognizer()) == expected
    assert sum(_plain_name(t) is not None for t in texts) > 1000


def test_a_whole_value_is_no_place_or_title():
    """``_plain_name`` leaves out ``is_place_or_title``: a name that is the whole value has no
    word before or after it, the only words that test reads."""
    from pdaudit.recognizers.person.rules import is_place_or_title

    rng = random.Random(3)
    words = _name_words(rng) + ["ул", "им", "көшесі", "университет", "курс", "и", "г", "город"]
    for _ in range(3000):
        text = " ".join(rng.choice(words) for _ in range(rng.randrange(1, 6)))
        assert not is_place_or_title(text, 0, len(text)), text
