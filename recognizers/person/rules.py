"""Rules around the patterns: what a name is next to.

* ``is_place_or_title``: a name after a place cue ("ул.", "им.", "г.") or before one
  ("көшесі", "атындағы"), or next to a title word ("курс", "стихи"), is no person.
* ``rule_matches``: the patterns' matches in the runs of a text, places and titles removed.
* ``addressed_names``: a lone first name that a message addresses or introduces ("Гульназ,
  здравствуйте!", "меня зовут Асель", "Жанар апай", "Ерасыл 8 жаста").
* ``_trim_cue``, ``_not_a_person``: cue words cut from a span's start ("Я Ерлан"); titles in
  guillemets and historical figures of teaching material dropped.
* ``_headline_subjects``, ``_field_only``: a surname opening a headline, a short value of a field
  whose name says it holds names.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from functools import cache

from pdaudit.recognizers.base import (
    find_context,
    fold,
)
from pdaudit.recognizers.person.lexicons import (
    _KZ_FOLD,
    COMMON,
    FIRST,
    INIT,
    PART,
    PATR,
    STOP,
    SURN,
    _lexicons,
    first_name_form,
    place_word,
    verb_form,
    word_roles,
)
from pdaudit.recognizers.person.patterns import Match, _match_run
from pdaudit.recognizers.person.tokens import (
    _LETTER,
    _WORD,
    Token,
    _merge_particles,
    _runs,
    tokenize,
)

# Possessive runs: no character of a word or of the blanks after it can end the window
# (``search`` tries each start; a word's characters given back one by one never reach the end).
_PREVIOUS_WORD = re.compile(rf"(?<![\w-])({_LETTER}[\w\-]*+)(\.?)[ \t]*+$")
_NEXT_WORD = re.compile(rf"[ \t]*({_LETTER}[\w\-]*)")


def _previous_word(text: str, start: int) -> str:
    # The word just before, on the same line ("ул. Абая"), not a year's "г." ("2008г. В.Путин").
    if not start:  # a name opening the text (most cells)
        return ""
    window = text[max(0, start - 30) : start]
    m = _PREVIOUS_WORD.search(window)
    if not m:
        return ""
    word = fold(m.group(1))
    if not _cue_written_as_cue(window, m.start(1), word, bool(m.group(2))):
        return ""
    return word


#: One- and two-letter place cues that are also prepositions or parts of dates: "с" (село) is
#: "with" ("поговорил с Айгерим"), "г." after a number is a year ("В 2008 г. Путин").
_SHORT_CUES = frozenset({"с", "г", "ш", "п", "д"})


def _cue_written_as_cue(text: str, start: int, word: str, dotted: bool) -> bool:
    """Whether a short cue word is written as an abbreviation ("с. Каскелен", "г. Алматы")."""
    if word not in _SHORT_CUES:
        return True
    if not dotted:
        return False
    return not re.search(r"\d[ \t]*$", text[max(0, start - 8) : start])


def _next_word(text: str, end: int) -> str:
    if end >= len(text):  # a name closing the text (most cells)
        return ""
    m = _NEXT_WORD.match(text[end : end + 30])
    return fold(m.group(1)) if m else ""


#: The two words after a name, blanks only between them.
_NEXT_TWO = re.compile(rf"[ \t]+({_LETTER}[\w\-]*)[ \t]+({_LETTER}[\w\-]*)")
#: A name (initials and capitalised words) and "и" just before another name.
_NAME_AND = re.compile(
    r"(?<!\w)(?:[А-ЯЁ]\.[ \t]?)*[А-ЯЁ][\w-]+(?:[ \t][А-ЯЁ][\w-]+)*[ \t]+и[ \t]+$"
)

#: Place cues after which an office holder is named as often as a place: "мэр города Игорь
#: Тлеуов", "главы Северного АО Ержан Мусин", "губернатора Южной обл. А.Бекова". A city or a
#: region is not named by a first name and a surname (nor by initials and a surname), a street
#: or an institution often is ("ул. Мухтара Ауэзова", "имени Ержана Тлеубаева"), a village too
#: ("с. Жана Талап"): only these cues give way to a full name.
_OFFICE_OF_CUES = frozenset({"город", "города", "обл", "области", "ао"})
_NAME_WORD = re.compile(rf"{_LETTER}[\w\-]*\.?")


def _full_name(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` reads as a person's full name: a first name (the lexicons or
    pymorphy3's ``Name``) or initials, then a capitalised word that is no stop word, nor a
    common word after initials ("Игорь Тлеуов", "Виктор Сафьянов", "А.Бекова"; not "Сергиев
    Посад", "Н.Новгород")."""
    words = _NAME_WORD.findall(text, start, end)
    if len(words) < 2 or not all(w[:1].isupper() for w in words):
        return False
    head, tail = words[0], words[1:]
    initials = len(head) == 2 and head.endswith(".")
    if not initials and FIRST not in word_roles(fold(head)):
        return False
    last = [w for w in tail if not (len(w) == 2 and w.endswith("."))]
    no = {STOP, COMMON} if initials else {STOP}
    return bool(last) and not any(word_roles(fold(w.rstrip("."))) & no for w in last)


#: Longest text whose "Name: ..." may be a course or book title.
_TITLE_TEXT_MAX = 300


def is_place_or_title(text: str, start: int, end: int) -> bool:
    """Whether the name at ``text[start:end]`` names a street, a city, an institution or a course.

    >>> is_place_or_title("ул. Мухтара Ауэзова 12", 4, 19)
    True
    >>> is_place_or_title("Абай Кунанбаев: жизнь и творчество", 0, 14)
    True
    >>> is_place_or_title("Клиент Абай Кунанбаев", 7, 21)
    False
    """
    lex = _lexicons()
    before, after = _previous_word(text, start), _next_word(text, end)
    if before in lex["place_before"] and not (
        before in _OFFICE_OF_CUES and _full_name(text, start, end)
    ):
        return True
    if after in lex["place_after"]:
        return True
    if after and (m := _NEXT_TWO.match(text, end)) and fold(m.group(2)) in lex["place_after"]:
        # an epithet or a last name part between the name and the street word: "Бұқар жырау
        # даңғылы", "Тәуке хан көшесі", "Қожа Ахмет Ясауи даңғылы"
        return True
    if before == "и" and (m := _NAME_AND.search(text, max(0, start - 60), start)):
        # the second of two eponyms: "академия им. Н.Е.Жуковского и Ю.А.Гагарина"
        return _previous_word(text, m.start()) in lex["place_before"]
    if before in lex["title"]:
        return True
    if text[end : end + 1] == ":" and len(text) <= _TITLE_TEXT_MAX:
        # "Абай Кунанбаев: жизнь и творчество" is a title; in a long text a name before a colon
        # is a speaker ("Мустафа Джемилев: Да, всё верно").
        words = {fold(w) for w in _WORD.findall(text)}
        return bool(words & lex["title"])
    return False


def rule_matches(
    text: str,
    tokens: list[Token] | None = None,
    blocked: Sequence[tuple[int, int]] = (),
) -> list[Match]:
    """Names the rules find in ``text``, places and titles removed; ``blocked`` spans (labels
    such as "Аты:") split runs and are never part of a name.

    >>> [(m.start, m.end, m.score) for m in rule_matches("Иванов И.И., +7 701 123 45 67")]
    [(0, 11, 0.9)]
    """
    tokens = tokenize(text) if tokens is None else tokens
    runs = _runs(text, tokens)
    if blocked:
        runs = [piece for run in runs for piece in _split_at(run, blocked)]
    out = []
    for run in runs:
        if len(run) < 2:  # every pattern takes two words or more
            continue
        run = _merge_particles(run)
        for first, last, score, evidence in _match_run(run):
            start, end = run[first].start, run[last].end
            if not is_place_or_title(text, start, end):
                out.append(Match(start, end, score, evidence))
    return out


def _inside(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    """Whether ``start:end`` overlaps one of ``spans`` (sorted, not overlapping each other)."""
    i = bisect.bisect_left(spans, (end,)) - 1
    return i >= 0 and spans[i][1] > start


def _split_at(run: list[Token], blocked: Sequence[tuple[int, int]]) -> list[list[Token]]:
    """Pieces of a run between the blocked tokens."""
    pieces: list[list[Token]] = [[]]
    for tok in run:
        if _inside(tok.start, tok.end, blocked):
            pieces.append([])
        else:
            pieces[-1].append(tok)
    return [p for p in pieces if p]


#: An age after a lone first name: "Ерасыл 8 жаста", "Тимур, 9 лет".
_AGE_AFTER = re.compile(r"[ \t]*,?[ \t]*\d{1,2}[ \t]*(?:жаста|жас|лет|года|годика)(?!\w)")
#: A first name set off as an addressee: "Гульназ, здравствуйте!", "Спасибо, Асель!" (not
#: before a colon: "Абай: қара сөздер" is a course title as often as "Карина:" is a speaker).
_ADDRESSEE_AFTER = re.compile(r"[ \t]*(?:[,!?)]|\.?$)")


def _addressee_before(text: str, start: int) -> bool:
    """The text starts here or a comma, a bracket or the end of a sentence comes just before."""
    before = text[max(0, start - 40) : start].rstrip(" \t")
    return (
        start == 0
        or (not before and start <= 40)
        or before[-1:] in (",", "!", "?", ":", ";", "(", "\n")
    )


def _opens_sentence(text: str, start: int) -> bool:
    """Whether a word at ``start`` opens the text or a sentence (quotes aside)."""
    before = text[max(0, start - 4) : start].rstrip(" \t\"«'(")
    if before[-2:-1].isupper() and before[-1] == "." and not before[-3:-2].isalpha():
        return False  # the dot of an initial: "Б.Асад"
    return not before or before[-1] in ".!?\n"


#: A lower-case word right after a name, blanks only between.
_LOWER_AFTER = re.compile(r"[ \t]+([а-яё]+)(?![\w-])")


def _verb_after(text: str, end: int) -> bool:
    """Whether the word after a name is a verb in the past or present tense: the name is the
    subject of its sentence ("Ерлан рассказал", "Айгерим пишет")."""
    m = _LOWER_AFTER.match(text, end)
    return m is not None and verb_form(m.group(1))


def addressed_names(
    text: str, tokens: list[Token], taken: Sequence[tuple[int, int]] = ()
) -> list[Match]:
    """Lone first names that a message addresses or introduces, which no pattern of two words
    finds: after a cue word ("меня зовут Асель", "сын Тимур", "оқушы Айбек",
    ``person_name_cues.txt``), before a form of address or an age ("Жанар апай", "Ерасыл 8
    жаста"), set off by punctuation as an addressee ("Гульназ, здравствуйте!"), or opening a
    sentence before its verb ("Ерлан рассказал, что...").
    In lower case ("это ерасыл") only a lexicon first name after a cue word counts. Words inside
    the ``taken`` spans (names found otherwise) are skipped.

    >>> [(m.start, m.end) for m in addressed_names("Спасибо, Асель!", tokenize("Спасибо, Асель!"))]
    [(9, 14)]
    """
    if " " not in text or not any(FIRST in t.roles for t in tokens):
        return []  # a single word is no name without a field name saying so
    lex = _lexicons()
    out = []
    for tok in tokens:
        roles = tok.roles
        if FIRST not in roles or roles & {STOP, COMMON, INIT, PART} or len(tok.folded) < 3:
            continue
        if any(s < tok.end and tok.start < e for s, e in taken):
            continue  # part of a name found already
        if tok.folded in lex["name_before"] or place_word(tok.folded):  # "Рахмет", "(Израиль)"
            continue
        before = _previous_word(text, tok.start)
        cue = before in lex["name_before"]
        if tok.case == "lower":
            if (
                not cue
                or tok.folded not in lex["first"]
                and (tok.folded.translate(_KZ_FOLD) not in lex["first_kz"])
                and not first_name_form(tok.folded)
            ):
                continue
        elif tok.case not in ("title", "upper"):
            continue
        elif not (
            cue
            or _next_word(text, tok.end) in lex["name_after"]
            or _AGE_AFTER.match(text, tok.end)
            or (_addressee_before(text, tok.start) and _ADDRESSEE_AFTER.match(text, tok.end))
            or (_opens_sentence(text, tok.start) and _verb_after(text, tok.end))
        ):
            continue
        if is_place_or_title(text, tok.start, tok.end):
            continue
        out.append(Match(tok.start, tok.end, 0.6, ("first name", "addressed")))
    return out


def _trim_cue(
    text: str, item: tuple[int, int, float, list[str]]
) -> tuple[int, int, float, list[str]] | None:
    """A span without the cue word it starts with ("Я Ерлан" -> "Ерлан", "Оқушы Төлеген")."""
    s, e, score, evidence = item
    cues = _lexicons()["name_before"]
    while (m := _WORD.match(text, s)) and fold(m.group()) in cues:
        s = m.end()
        while s < e and not text[s].isalpha():
            s += 1
        if e - s < 2:
            return None
    return s, e, score, evidence


@cache
def _figure_heads() -> frozenset[str]:
    """The first three letters of every word of ``person_public_figures.txt``."""
    return frozenset(w[:3] for entry in _lexicons()["figures"] for w in entry.split())


@cache
def _figures() -> tuple[tuple[frozenset[str], tuple[str, ...]], ...]:
    """Each entry of ``person_public_figures.txt`` as its words and the first three letters of
    those of three letters or more, which a word that begins with it begins with too."""
    entries = (tuple(entry.split()) for entry in sorted(_lexicons()["figures"]))
    return tuple((frozenset(p[:3] for p in parts if len(p) >= 3), parts) for parts in entries)


@cache
def _title_words() -> re.Pattern[str]:
    """Any word of ``person_title_cues.txt``, as a whole word of a folded text."""
    words = sorted(_lexicons()["title"], key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, words)) + r")(?![\w-])")


def _not_a_person(text: str, start: int, end: int) -> bool:
    """A title in quotes («Евгений Онегин», «Алдар Көсе», "Салават Юлаев") or a historical or public figure
    named in a short text that a title word or a quoted work marks as teaching material
    (``person_public_figures.txt``, ``person_title_cues.txt``): "Клиент Абай Кунанбаев" is a
    client, "Абай Кунанбаев «Қара сөздер»" a lesson."""
    quotes = text[start - 1 : start], text[end : end + 1]
    if quotes == ("«", "»") or (quotes == ('"', '"') and " " in text[start:end]):
        return True  # a nickname in straight quotes stays a person ("Руби")
    if text.count(" ", start, end) == 1 and place_word(fold(text[start:end]).replace(" ", "-")):
        return True  # a place written without its hyphen: "Коста Рика", "Эль Сальвадор"
    if len(text) > _TITLE_TEXT_MAX:  # an article, not a lesson title or course description
        return False
    # Told first: the span's words are fewer than the text's, and most names begin like no
    # figure's name.
    words = [fold(w) for w in _WORD.findall(text, start, end)]
    heads = {w[:3] for w in words}
    if heads.isdisjoint(_figure_heads()):
        return False  # no word of the span begins like a figure's name (most names)
    # Teaching material says so: a title word ("стихи", "роман", "әңгімелері") or a quoted work.
    if "«" not in text and not _title_words().search(fold(text)):
        return False
    for needed, parts in _figures():
        if needed <= heads and all(
            any(w.startswith(p) and len(w) - len(p) <= 2 for w in words) for p in parts
        ):
            return True
    return False


def _headline_subjects(text: str, tokens: list[Token]) -> list[Match]:
    """A surname opening a headline ("Обама назначил ...") that natasha's news model skips."""
    found = []
    for i, tok in enumerate(tokens[:-1]):
        line_start = text.rfind("\n", 0, tok.start) + 1
        line_end = text.find("\n", tok.end)
        line_end = len(text) if line_end == -1 else line_end
        if text[line_start : tok.start].strip() or line_end - line_start > 150:
            continue
        nxt = tokens[i + 1]
        if (
            tok.case == "title"
            and tok.fits(SURN)
            and not tok.roles & {FIRST, COMMON}
            and (nxt.case == "lower" or text[tok.end : tok.end + 1] == ":")
            and nxt.start < line_end
        ):
            found.append(Match(tok.start, tok.end, 0.6, ("surname", "headline subject")))
    return found


def _field_cue(context: Sequence[str] | None) -> str | None:
    if not context:
        return None
    return find_context("", 0, 0, _lexicons()["fields"], extra=list(context))


def _field_only(tokens: list[Token], field: str) -> list[tuple[int, int, float, list[str]]]:
    """In a name field, a short value of name-like words is a name even without a pattern."""
    words = [t for t in tokens if t.case != "init"]
    if not 1 <= len(words) <= 4 or any({STOP, COMMON} & t.roles for t in words):
        return []
    if len(words) == 1:
        if not words[0].roles & {FIRST, SURN, PATR}:
            return []
        return [(tokens[0].start, tokens[-1].end, 0.7, ["lexicon", f"field name: {field}"])]
    return [(tokens[0].start, tokens[-1].end, 0.8, [f"field name: {field}"])]
