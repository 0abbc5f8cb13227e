"""Undo the usual OCR confusions in Russian and Kazakh text without moving any character.

Tesseract reading ``rus+kaz+eng`` mixes scripts inside one word (``Иванoв`` with a Latin ``o``,
``mаil`` with a Cyrillic ``а``) and reads letters inside numbers (``9001О1`` with a Cyrillic
``О``), and a dot of an IP address as a comma. Recognizers match on script and digits, so these
are folded back. Every mapping replaces one code point by one code point: offsets found in the
normalised text are offsets in the OCR text too.

>>> normalize_ocr("ИИН 9001О1З00123, Иванoв, ivanov@mаil.ru")
'ИИН 900101300123, Иванов, ivanov@mail.ru'
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

# Latin (and Greek/IPA) letters that look like a Cyrillic one, in a word that is Cyrillic.
_TO_CYRILLIC = {
    "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "K": "К", "M": "М", "O": "О", "P": "Р",
    "T": "Т", "X": "Х", "Y": "У", "a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х",
    "y": "у", "k": "к", "ë": "ё", "Ë": "Ё",
    # Kazakh letters: і, һ, ә, ө are read as their Latin, IPA or Greek twins.
    "i": "і", "I": "І", "h": "һ", "ə": "ә", "Ə": "Ә", "θ": "ө", "Ɵ": "Ө",
}  # fmt: skip
# Cyrillic letters that look like a Latin one, in a word that is Latin (e-mail, URL, name).
_TO_LATIN = {
    "А": "A", "В": "B", "С": "C", "Е": "E", "Н": "H", "К": "K", "М": "M", "О": "O", "Р": "P",
    "Т": "T", "Х": "X", "У": "Y", "а": "a", "с": "c", "е": "e", "о": "o", "р": "p", "х": "x",
    "у": "y", "к": "k", "і": "i", "І": "I", "һ": "h", "ј": "j", "ѕ": "s",
}  # fmt: skip
# Letters read inside a number. ``б`` for 6 only in long runs: ``12б`` is a house number.
_TO_DIGIT = {"O": "0", "o": "0", "О": "0", "о": "0", "З": "3", "з": "3", "l": "1", "I": "1"}
_TO_DIGIT_LONG = {**_TO_DIGIT, "б": "6"}
_LONG_RUN = 4
_CODE_DIGITS = 6

_WORD = re.compile(r"[^\W_]+")
# Four groups of 1-3 digits split by dots, one of which was read as a comma (``87.255.194,16``).
_DOTTED_QUAD = re.compile(r"(?<![\d.,])\d{1,3}(?:[.,]\d{1,3}){3}(?![.,]?\d)")


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def _is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def _fold_number(word: str) -> str | None:
    digits = sum(ch.isdigit() for ch in word)
    letters = len(word) - digits
    if not digits or not letters or digits < letters:
        return None
    table = _TO_DIGIT_LONG if digits >= _LONG_RUN else _TO_DIGIT
    if all(ch.isdigit() or ch in table for ch in word):
        return "".join(table.get(ch, ch) for ch in word)
    return None


@cache
def _word_fixes() -> dict[str, str]:
    """Whole-word OCR fixes from ``recognizers/data/ocr_word_fixes.txt`` (same-length pairs)."""
    text = (
        resources.files("pdaudit.recognizers")
        .joinpath("data", "ocr_word_fixes.txt")
        .read_text("utf-8")
    )
    fixes = {}
    for line in text.splitlines():
        parts = line.split("#", 1)[0].split()
        if len(parts) == 2 and len(parts[0]) == len(parts[1]):
            fixes[parts[0]] = parts[1]
    return fixes


def _fold_word(word: str) -> str:
    fixed = _word_fixes().get(word)
    if fixed is not None:
        return fixed
    folded = _fold_number(word)
    if folded is not None:
        return folded
    cyrillic = [ch for ch in word if _is_cyrillic(ch)]
    foreign = [ch for ch in word if not _is_cyrillic(ch) and ch.isalpha()]
    if cyrillic and sum(ch.isdigit() for ch in word) >= _CODE_DIGITS:
        # A long code (IBAN, account): its letters are Latin.
        if all(ch in _TO_LATIN for ch in cyrillic):
            return "".join(_TO_LATIN.get(ch, ch) for ch in word)
    if not cyrillic or not foreign:
        return word
    to_cyr = all(ch in _TO_CYRILLIC for ch in foreign)
    to_lat = all(ch in _TO_LATIN for ch in cyrillic) and all(_is_latin(ch) for ch in foreign)
    if to_cyr and to_lat:
        # Both readings are possible (``Cаt``): follow the script most letters are in.
        to_lat = len(foreign) > len(cyrillic)
        to_cyr = not to_lat
    if to_cyr:
        return "".join(_TO_CYRILLIC.get(ch, ch) for ch in word)
    if to_lat:
        return "".join(_TO_LATIN.get(ch, ch) for ch in word)
    return word


def _fold_dotted_quad(match: re.Match[str]) -> str:
    quad = match.group()
    groups = re.split(r"[.,]", quad)
    # One comma among dots, every group an octet: ``1.200,50`` or ``12,5`` stay as they are.
    if quad.count(",") != 1 or any(int(g) > 255 for g in groups):
        return quad
    return quad.replace(",", ".")


def normalize_ocr(text: str) -> str:
    """Fold look-alike letters inside words and numbers; the result has the same length.

    >>> normalize_ocr("PОССИЯ, Kазахстан, Шымкeнт")
    'РОССИЯ, Казахстан, Шымкент'
    >>> normalize_ocr("Абaй көшeсi")  # Kazakh і read as Latin i
    'Абай көшесі'
    >>> normalize_ocr("О1.О5.199О, дом 12б, ООО Ромашка, 9001О1б00123")
    '01.05.1990, дом 12б, ООО Ромашка, 900101600123'
    >>> normalize_ocr("Cat Сat mаil.ru Email")
    'Cat Cat mail.ru Email'
    >>> normalize_ocr("К286125К2Т5004100100")  # Cyrillic К and Т in an account number
    'K286125K2T5004100100'
    >>> normalize_ocr("ІР-адрес, ІВАМ: KZ86")  # whole words from data/ocr_word_fixes.txt
    'IP-адрес, IBAN: KZ86'
    >>> normalize_ocr("IP 87.255.194,16, сумма 1.250,50 и 10,5.2,1, 300.1.1,1")  # a comma for a dot
    'IP 87.255.194.16, сумма 1.250,50 и 10,5.2,1, 300.1.1,1'
    >>> normalize_ocr("")
    ''
    """
    if not text:
        return text or ""
    text = _DOTTED_QUAD.sub(_fold_dotted_quad, text)
    return _WORD.sub(lambda m: _fold_word(m.group()), text)


def fold_for_matching(text: str) -> str:
    """Normalise OCR confusions, lower-case and fold ``ё`` to ``е``: for comparing words.

    Same length as the input (lower-casing of the letters involved keeps one code point).

    >>> fold_for_matching("ИИН: 9001О1З00123 Фёдоров")
    'иин: 900101300123 федоров'
    """
    out = normalize_ocr(text)
    lowered = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in out)
    return lowered.replace("ё", "е")


__all__ = ["fold_for_matching", "normalize_ocr"]
