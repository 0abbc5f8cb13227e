"""Word lists and what a word can be: first name, surname, patronymic, particle, stop word.

The lists are data files, ``recognizers/data/person_*.txt`` (one entry a line, lower case, ``ё``
as ``е``), read once per process by ``_lexicons``. ``word_roles`` combines them with pymorphy3's
dictionary tags (``Name``, ``Surn``, ``Patr``; its guesses for unknown words are ignored) and
with the shapes of Russian and Kazakh surnames and patronymics (``SURNAME_SHAPE``,
``PATRONYMIC_SHAPE``: ``-ов/-ева/-ин/-ский/-енко/-баев``, ``-ович/-евна/-улы/-ұлы/-кызы/-қызы``).
Latin spellings meet the Cyrillic lists through ``skeleton`` of a transliteration. The label
words of forms ("Фамилия", "Аты") are looked up here too, since the tokenizer asks about them.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from pdaudit.recognizers.base import (
    load_words,
)

# Roles a word can play. ``A``: an adjective of a place that is also a surname ("Клинский"),
# a surname only right after a first name or initials.
FIRST, SURN, PATR, INIT, PART, STOP, COMMON = "F", "S", "P", "I", "K", "STOP", "COMMON"
ADJ_SURN = "A"
_CYRILLIC = re.compile(r"^[а-яёәғқңөұүһі\-‐'’]+$")
_LATIN = re.compile(r"^[a-z\-‐'’]+$")

SURNAME_SHAPE = re.compile(
    r"(?:[оеё]в|[иы]н)(?:а|у|ым|ой|ою|ом|е|ых|ыми|ы)?$"
    r"|(?:ск|цк)(?:ий|ого|ому|им|ом|ая|ой|ую|ие|их)$"
    r"|(?:енко|ченко|ук|юк|чук|вич|ян|янц|дзе|швили|их|ых)$"
)
#: A surname that is also an adjective: singular forms of ``-ский``/``-цкий``.
_ADJECTIVE_SURNAME = re.compile(r"(?:ск|цк)(?:ий|ого|ому|им|ом|ая|ой|ую)$")
PATRONYMIC_SHAPE = re.compile(
    r"(?:ович|евич|ьич)(?:а|у|ем|е)?$"
    r"|(?:овн|евн|ичн)(?:а|ы|е|у|ой)$"
    r"|(?:улы|ұлы|уулу|оглы|кызы|қызы)$"
)
LATIN_SURNAME_SHAPE = re.compile(
    r"(?:ov|ev|yev|iev|in|yn)a?$|(?:sky|skiy|skii|skaya|enko|chuk|ovich|evich|yan|dze|shvili)$"
)
LATIN_PATRONYMIC_SHAPE = re.compile(r"(?:ovich|evich|ovna|evna|ichna|uly|kyzy|qyzy|ogly)$")

_TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі",
        "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch - y - e yu ya a g k n o u u"
        " h i".split(),
        strict=True,
    )
)
_TRANSLIT["ъ"] = _TRANSLIT["ь"] = ""


@cache
def _lexicons() -> dict[str, frozenset[str]]:
    first = load_words("person_first_names")
    surnames = load_words("person_surnames") | load_words("person_korean_surnames")
    stop = load_words("person_stop_words")
    return {
        "first": first,
        "surnames": surnames,
        "stop": stop,
        "particles": load_words("person_kz_particles"),
        "place_before": load_words("person_place_cues"),
        "place_after": load_words("person_place_cues_after"),
        "title": load_words("person_title_cues"),
        "fields": load_words("person_field_names"),
        "name_before": load_words("person_name_cues"),
        "name_after": load_words("person_name_cues_after"),
        "figures": frozenset(load_words("person_public_figures")),
        "places": load_words("address_countries") | load_words("address_cities"),
        "first_latin": frozenset(skeleton(_translit(w)) for w in first),
        "first_kz": frozenset(w.translate(_KZ_FOLD) for w in first),
        "surnames_latin": frozenset(skeleton(_translit(w)) for w in surnames),
        "stop_latin": frozenset(skeleton(_translit(w)) for w in stop),
    }


# Kazakh letters to the Russian ones names are also spelled with ("Айгерім" / "Айгерим").
_KZ_FOLD = str.maketrans("әғқңөұүһі", "агкноуухи")


def _translit(word: str) -> str:
    return "".join(_TRANSLIT.get(ch, ch) for ch in word)


def skeleton(word: str) -> str:
    """A spelling-insensitive key of a Latin name, so that passport spellings meet.

    >>> skeleton("SAGINTAYEVA") == skeleton("sagintaeva") == skeleton(_translit("сагинтаева"))
    True
    >>> skeleton("Yerlan") == skeleton("Erlan")
    True
    """
    s = word.lower().replace("-", "")
    for a, b in (("kh", "h"), ("gh", "g"), ("q", "k"), ("w", "v"), ("x", "ks"), ("ph", "f")):
        s = s.replace(a, b)
    s = s.replace("j", "zh").replace("y", "i")
    s = re.sub(r"(.)\1+", r"\1", s)
    return re.sub(r"i(?=[aeou])", "", s)


@cache
def _morph():  # noqa: ANN202
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=200_000)
def word_roles(word: str) -> frozenset[str]:
    """Roles a folded (lower-case) word can play: first name, surname, patronymic, stop word...

    >>> sorted(word_roles("иванович"))  # -вич is also a surname ending (Янукович)
    ['P', 'S']
    >>> sorted(word_roles("сагинтаева"))
    ['S']
    >>> sorted(word_roles("магазин"))
    ['COMMON']
    """
    lex = _lexicons()
    roles: set[str] = set()
    if word in lex["particles"]:
        return frozenset({PART})
    if _LATIN.match(word):
        key = skeleton(word)
        if key in lex["first_latin"]:
            roles.add(FIRST)
        if key in lex["surnames_latin"] or LATIN_SURNAME_SHAPE.search(word):
            roles.add(SURN)
        if LATIN_PATRONYMIC_SHAPE.search(word):
            roles.add(PATR)
        if word in lex["stop"] or (key in lex["stop_latin"] and not roles):
            roles.add(STOP)
        return frozenset(roles)
    if not _CYRILLIC.match(word):
        return frozenset()
    if (
        word in lex["first"]
        # "Айгерім", "Нұрлан": a Kazakh spelling of a name the lexicon writes the Russian way
        or (word != (kz := word.translate(_KZ_FOLD)) and kz in lex["first_kz"])
        or first_name_form(word)
    ):
        roles.add(FIRST)
    if word in lex["surnames"]:
        roles.add(SURN)
    parses = _morph().parse(word)
    known = parses if _morph().word_is_known(word) else []
    if not known:
        parses = []  # pymorphy3's guesses for unknown words ("Нурланова" as an adjective) mislead
    tags: set[str] = set()
    for p in known:
        grammemes = p.tag.grammemes
        if "Name" in grammemes and len(word) > 2:
            tags.add(FIRST)
            if p.normal_form in lex["first"]:
                roles.add(FIRST)
        if "Surn" in grammemes:
            tags.add(SURN)
        if "Patr" in grammemes:
            tags.add(PATR)
    top = parses[0].tag.grammemes if parses else frozenset()
    common = bool(known) and not top & {"Name", "Surn", "Patr", "Geox", "Orgn", "Abbr"}
    place = bool(known) and bool(top & {"Geox", "Orgn"})
    if common and parses[0].score >= 0.5:
        roles.add(COMMON)
    roles |= tags
    if (not common and not place) or SURN in tags:
        if SURNAME_SHAPE.search(word):
            roles.add(SURN)
    elif common and _ADJECTIVE_SURNAME.search(word):
        # "Клинский", "Камская": an adjective of a place is a surname as often, but only after
        # a first name or initials ("Лонгин Клинский"; not "Клинский район", "Войска
        # Польского Франтишек", nor a headline's "Брянского сенатора").
        roles.add(ADJ_SURN)
    if PATRONYMIC_SHAPE.search(word) and (not known or PATR in tags or SURN in tags):
        roles.add(PATR)
    if word in lex["stop"] or (known and top & {"Geox", "Orgn"} and not roles & {FIRST, SURN}):
        if word not in lex["first"] and word not in lex["surnames"]:
            roles.add(STOP)
    if roles & {FIRST, SURN, PATR} and COMMON in roles and word not in lex["first"]:
        # "вера", "слава", "роза": a common word first; a name only next to strong evidence.
        roles.discard(FIRST)
    return frozenset(roles)


# Folds OCR's look-alikes to one letter, for the quick test of whether a text may hold a label.
_LOOKALIKE_FOLD = str.maketrans("әэёiңқғұүөһ", "ееeінкгууох")


def _label_key(word: str) -> str:
    return re.split(r"[-‐'’.]", word.translate(_LOOKALIKE_FOLD), maxsplit=1)[0]


@cache
def _label_first_words() -> frozenset[str]:
    words = set()
    for line in load_words("person_labels"):
        kind, _, label = line.partition(" ")
        if kind != "qualifier":
            words.add(_label_key(re.split(r"[\s,]", label.strip(), maxsplit=1)[0]))
    return frozenset(words)


@lru_cache(maxsize=100_000)
def _may_start_label(folded: str) -> bool:
    return _label_key(folded) in _label_first_words()


@lru_cache(maxsize=100_000)
def _common_word(word: str) -> bool:
    """Whether pymorphy3 knows ``word`` and its likeliest reading is a common word ("видео")."""
    if not _CYRILLIC.match(word) or not _morph().word_is_known(word):
        return False
    return not _morph().parse(word)[0].tag.grammemes & {"Name", "Surn", "Patr"}


#: Parts of speech that are never a name: verbs, participles, adverbs, function words (not
#: adjectives: "Печёный", "Горелых", "Ровенский" are surnames in the news).
_NOT_NAME_POS = frozenset(
    {"VERB", "INFN", "PRTF", "PRTS", "GRND", "ADVB", "COMP"}
    | {"CONJ", "PRCL", "PREP", "PRED", "INTJ", "NPRO"}
)


#: Participles: no name in any position ("Лью" is a verb form and a surname).
_PARTICIPLES = frozenset({"PRTF", "PRTS", "GRND"})


@lru_cache(maxsize=10_000)
def not_a_noun(word: str, participle: bool = False) -> bool:
    """Whether pymorphy3 knows the folded ``word`` and reads it only as a verb, participle, adverb
    or function word ("сегодня", "отметим"), never as a name; with ``participle``, only as a
    participle ("подана", "возглавлявший").

    >>> not_a_noun("подана", True), not_a_noun("сегодня"), not_a_noun("иванов")
    (True, True, False)
    """
    if not _CYRILLIC.match(word) or not _morph().word_is_known(word):
        return False
    kinds = _PARTICIPLES if participle else _NOT_NAME_POS
    return all(
        p.tag.POS in kinds and not p.tag.grammemes & {"Name", "Surn", "Patr"}
        for p in _morph().parse(word)
    )


@lru_cache(maxsize=10_000)
def place_word(word: str) -> bool:
    """Whether a folded word is a place in pymorphy3's likeliest reading or in the address lists
    ("израиль" is a country first and a first name after; "айдару" the other way round)."""
    if word in _lexicons()["places"]:
        return True
    if not _CYRILLIC.match(word) or not _morph().word_is_known(word):
        return False
    return "Geox" in _morph().parse(word)[0].tag.grammemes


#: Stems of compound abbreviations of institutions ("Рыбохрана" = рыб(ная) охрана, "Главмосстрой",
#: "Минобрнауки", "Нацфронт"): a word made of them and a dictionary word names no person.
_ABBREVIATION_STEMS = (
    *("рос", "нац", "гос", "мин", "глав", "зам", "край", "обл", "мос", "фед", "спец"),
    *("рыб", "обр", "оборон", "информ", "инж", "пром", "строй", "торг", "проф", "мед", "соц"),
)


@lru_cache(maxsize=10_000)
def compound_abbreviation(word: str) -> bool:
    """Whether a folded word pymorphy3 does not know is made of abbreviation stems and a common
    dictionary word of five letters or more, and has no surname's shape.

    >>> compound_abbreviation("рыбохраны"), compound_abbreviation("главмосинжстрой")
    (True, True)
    >>> compound_abbreviation("мосолова"), compound_abbreviation("медведев")
    (False, False)
    """
    if not _CYRILLIC.match(word) or SURNAME_SHAPE.search(word) or _morph().word_is_known(word):
        return False
    return _stems_and_word(word, 3)


def _stems_and_word(word: str, depth: int) -> bool:
    for stem in _ABBREVIATION_STEMS:
        if word.startswith(stem):
            tail = word[len(stem) :]
            if len(tail) >= 5 and _common_word(tail):
                return True
            if depth > 1 and len(tail) > 5 and _stems_and_word(tail, depth - 1):
                return True
    return False


@lru_cache(maxsize=10_000)
def verb_form(word: str) -> bool:
    """Whether pymorphy3 reads a folded word first as a verb in the past or present tense.

    >>> verb_form("рассказал"), verb_form("пишет"), verb_form("рассказать"), verb_form("дом")
    (True, True, False, False)
    """
    if not _CYRILLIC.match(word) or not _morph().word_is_known(word):
        return False
    tag = _morph().parse(word)[0].tag
    return tag.POS == "VERB" and tag.tense in ("past", "pres")


#: Case endings of first names, longest first, and what the lexicon's form may end with in
#: their place: "Ерлана" -> "ерлан", "Даной" -> "дана", "Сергея" -> "сергей", "Асели" -> "асель".
_FIRST_ENDINGS = ("ой", "ей", "ом", "ем", "ым", "а", "я", "у", "ю", "е", "ы", "и")
_FIRST_STEM_ENDS = ("", "а", "я", "й", "ь")


@lru_cache(maxsize=100_000)
def first_name_form(word: str) -> bool:
    """Whether a folded word is a case form of a lexicon first name that is not itself in the
    lexicon (pymorphy3 does not know most Kazakh names): "ерназару", "диаса", "айгерима".

    >>> first_name_form("ерназару"), first_name_form("диаса"), first_name_form("ерлан")
    (True, True, False)
    """
    first = _lexicons()["first"]
    if word in first:
        return False
    for ending in _FIRST_ENDINGS:
        stem = word[: -len(ending)]
        if word.endswith(ending) and len(stem) >= 3:
            if any(stem + end in first for end in _FIRST_STEM_ENDS):
                return True
    return False
