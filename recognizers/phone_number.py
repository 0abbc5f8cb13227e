"""Telephone numbers (номер телефона / телефон нөмірі), Kazakh ones in every written form.

Kazakhstan shares country code +7 with Russia: +7 6xx and +7 7xx are Kazakh, the rest Russian.
Numbers are found and validated against the numbering plans by ``phonenumbers`` (leniency
VALID, default region KZ), which also names the region recorded on each result. Digits inside a
longer number (an ИИН, IBAN, card or order number), masked numbers and URL query values
(``?utm_campaign=77011234567``) are not phones; a ``key=value`` pair is a phone only when the key
says so (``phone=87011234567``). An extension ("доб. 105", "ext. 12") is left out of the span:
the span is the number that reaches a person, and it then equals what the number alone would give.

>>> [(r.start, r.end, r.score) for r in PhoneRecognizer().analyze("тел. +7 (701) 123-45-67", None)]
[(5, 23, 0.95)]
>>> PhoneRecognizer().analyze("+7 7** *** ** 70", None)
[]
>>> [(r.start, r.end) for r in PhoneRecognizer().analyze("8 727 356 05 60 доб. 12", None)]
[(0, 15)]
"""

from __future__ import annotations

import re

import phonenumbers
from presidio_analyzer import EntityRecognizer, RecognizerResult

from recognizers.base import LANGUAGE, context_evidence, fold, load_words, make_result

ENTITY = "PHONE_NUMBER"

_SEPARATORS = " \u00a0-.\t"
_MASKS = frozenset("*•")
_MOBILE = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
#: The fewest digits of a valid number, country code included (+43 1110, +49 1640: a two-digit
#: country code and a four-digit number). ``phonenumbers`` turns each character of a candidate
#: into at most one digit, so shorter candidates (order numbers, "№ 39408") are skipped unparsed.
MIN_DIGITS = 6


class PhoneRecognizer(EntityRecognizer):
    """Finds telephone numbers and records their region.

    Scores: a context word ("тел", "телефон", field ``phone``) 0.95; a number written with "+",
    brackets or separators 0.85; a bare 11-digit number with trunk prefix 8 or 7 0.75; a bare
    10-digit mobile number 0.5 (bare 10-digit landlines are not reported: too many order
    numbers look like them).
    """

    def __init__(self, region: str = "KZ") -> None:
        super().__init__(
            supported_entities=[ENTITY], name="PhoneRecognizer", supported_language=LANGUAGE
        )
        self.region = region

    def load(self) -> None:
        """Nothing to load: the context words are read lazily."""

    def analyze(
        self,
        text: str,
        entities: list[str] | None,
        nlp_artifacts: object = None,
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        """Phone number spans in ``text``; ``context`` holds the field name tokens."""
        if not isinstance(text, str) or not text or (entities and ENTITY not in entities):
            return []
        # Numbers are reported from seven digits in the text on (a six-digit international
        # number such as +43 1110 is too short to tell from other numbers). Seven ``\d`` digits
        # settle it at regex speed; below that the ``isdigit`` count (superscripts too) decides.
        if not _SEVEN_DIGITS.match(text) and sum(map(str.isdigit, text)) < 7:
            return []
        results = []
        matcher = phonenumbers.PhoneNumberMatcher(
            text, self.region, phonenumbers.Leniency.VALID, min_candidate_length=MIN_DIGITS
        )
        for match in matcher:
            start, end = match.start, match.end
            raw = match.raw_string
            if _inside_longer_number(text, start, end) or _masked_nearby(text, start, end):
                continue
            if _query_value(text, start):
                continue
            if match.number.extension:
                end = _main_number_end(text, start, end, len(match.number.extension))
                raw = text[start:end]
            if _DOTTED_QUAD.fullmatch(raw):
                continue  # an IPv4 address ("87.255.194.16"), not a phone
            digits = "".join(c for c in raw if c.isdigit())
            bare = digits == raw
            if bare and not _bare_number_fits(digits, match.number):
                continue
            evidence = ["numbering plan"]
            word = context_evidence(text, start, end, load_words("context_phone_number"), context)
            if word:
                evidence.append(word)
                score = 0.95
            elif not bare:
                score = 0.85
            elif len(digits) == 11:
                score = 0.75
            else:
                score = 0.5
            region = phonenumbers.region_code_for_number(match.number) or "ZZ"
            results.append(
                make_result(ENTITY, start, end, score, self.name, evidence, region=region)
            )
        return results


_SEVEN_DIGITS = re.compile(r"(?:\D*+\d){7}")
_DOTTED_QUAD = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")


def _inside_longer_number(text: str, start: int, end: int) -> bool:
    """Whether the match continues a longer token or a grouped number on either side.

    A short digit group across one separator ("4400 4301 2345 6789", "900 101 300 126") glues;
    a whole number there ("87011234567 87021234567") is only a neighbour.
    """
    if start > 0:
        before = text[start - 1]
        if before.isalnum() or before in "+/_@":
            return True
        if text[start] != "+" and before in _SEPARATORS and _short_group(text, start - 2, -1):
            return True
    if end < len(text):
        after = text[end]
        if after.isalnum() or after in "/_@":
            return True
        if after in _SEPARATORS and _short_group(text, end + 1, 1):
            return True
    return False


_KEY = re.compile(r"([\w.\-\[\]]+)=$")
_KEY_PARTS = re.compile(r"[^\W\d_]+")


def _query_value(text: str, start: int) -> bool:
    """Whether the number is a URL query or ``key=value`` value whose key does not say phone.

    >>> _query_value("utm_campaign=77011234567", 13), _query_value("phone=87011234567", 6)
    (True, False)
    """
    if start == 0:
        return False
    if text[start - 1] in "?&#":
        return True
    key = _KEY.search(text[max(0, start - 40) : start])
    if not key:
        return False
    words = load_words("context_phone_number")
    return not any(fold(part) in words for part in _KEY_PARTS.findall(key.group(1)))


def _main_number_end(text: str, start: int, end: int, extension_digits: int) -> int:
    """End of the number before its extension: one past the last digit before the extension's.

    >>> _main_number_end("+7 701 123 45 67 доб. 105", 0, 25, 3)
    16
    """
    digits = [i for i in range(start, end) if text[i].isdigit()]
    if extension_digits <= 0 or extension_digits >= len(digits):
        return end
    return digits[-extension_digits - 1] + 1


def _short_group(text: str, pos: int, step: int) -> bool:
    """Whether a run of one to four digits starts at ``pos`` going in direction ``step``."""
    count = 0
    while 0 <= pos < len(text) and text[pos].isdigit():
        count += 1
        pos += step
    return 1 <= count <= 4


def _masked_nearby(text: str, start: int, end: int) -> bool:
    """Whether mask characters sit inside or right next to the match ("+7 701 *** 45 67")."""
    return any(c in _MASKS for c in text[max(0, start - 3) : end + 3])


def _bare_number_fits(digits: str, number: phonenumbers.PhoneNumber) -> bool:
    """A bare digit run is a phone only as 11 digits with a trunk prefix or as a 10-digit mobile."""
    if len(digits) == 11:
        return digits[0] in "78"
    if len(digits) == 10:
        return phonenumbers.number_type(number) in _MOBILE
    return False
