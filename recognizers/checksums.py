"""Checksums shared by several identifiers.

* ``mod11_two_pass`` — the check digit of the Kazakh ИИН/ЖСН and БИН (weights 1..11, then
  3..11,1,2 when the first pass gives 10).
* ``luhn_is_valid`` — the Luhn (mod 10) check of payment card numbers (``stdnum.luhn``).
* ``mod97_is_valid`` — the ISO 7064 mod 97-10 check of IBANs (``stdnum.iso7064.mod_97_10``).

>>> mod11_two_pass('90010130012')
6
>>> luhn_is_valid('4111111111111111'), luhn_is_valid('4111111111111112')
(True, False)
>>> mod97_is_valid('KZ86125KZT5004100100')
True

The digit-run scanning the checksummed recognizers share lives in ``pdaudit.recognizers.base``;
``digit_runs``, ``is_glued`` and ``context_evidence`` are importable from here as well.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from stdnum import luhn
from stdnum.exceptions import InvalidChecksum
from stdnum.iso7064 import mod_97_10
from stdnum.util import clean

# Re-exported: recognizers and tests written before the scanning moved import them from here.
from pdaudit.recognizers.base import context_evidence, digit_runs, is_glued

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "compact_digits",
    "context_evidence",
    "digit_runs",
    "is_glued",
    "luhn_is_valid",
    "mod11_is_valid",
    "mod11_two_pass",
    "mod97_is_valid",
    "by_index",
    "plain_numbers",
]

_DIGITS = "0123456789"


def compact_digits(number: str, separators: str = " -\u00a0") -> str:
    """``number`` without ``separators`` and surrounding blanks (``stdnum.util.clean``).

    Candidates found in text are already bare ASCII digits: those are returned as they are,
    without ``clean``'s character-by-character pass.

    >>> compact_digits('900101300126'), compact_digits(' 900 101-300126 ')
    ('900101300126', '900101300126')
    """
    if isinstance(number, str) and number.isascii() and number.isdigit():
        return number
    return clean(number, separators).strip()


def mod11_two_pass(digits: str) -> int | None:
    """The check digit over the first 11 digits of an ИИН/БИН, or ``None`` if none exists.

    A number whose second pass also gives 10 is never issued.

    >>> mod11_two_pass('90010130080') is None
    True
    >>> mod11_two_pass('abc') is None
    True
    """
    if not isinstance(digits, str) or len(digits) < 11 or not digits[:11].isascii():
        return None
    if not digits[:11].isdigit():
        return None
    return _mod11_ascii(digits)


def _mod11_ascii(digits: str) -> int | None:
    """``mod11_two_pass`` of a string whose first 11 characters are ASCII digits."""
    # Sums of character codes: each code is its digit plus 48, and 48 times either set of
    # weights (both add up to 66) is a multiple of 11, so the remainders are the digits' own.
    d = digits.encode()
    check = (
        d[0] + 2 * d[1] + 3 * d[2] + 4 * d[3] + 5 * d[4] + 6 * d[5]
        + 7 * d[6] + 8 * d[7] + 9 * d[8] + 10 * d[9] + 11 * d[10]
    ) % 11  # fmt: skip
    if check != 10:
        return check
    check = (
        3 * d[0] + 4 * d[1] + 5 * d[2] + 6 * d[3] + 7 * d[4] + 8 * d[5]
        + 9 * d[6] + 10 * d[7] + 11 * d[8] + d[9] + 2 * d[10]
    ) % 11  # fmt: skip
    return check if check != 10 else None


def mod11_is_valid(number: str) -> bool:
    """Whether 12 ASCII digits end in their ИИН/БИН check digit (``check_mod11`` raises not).

    >>> mod11_is_valid('900101300126'), mod11_is_valid('900101300127')
    (True, False)
    """
    check = _mod11_ascii(number)
    return check is not None and _DIGITS[check] == number[11]


def check_mod11(number: str) -> None:
    """Raise ``InvalidChecksum`` unless the 12th digit of an ИИН/БИН is its check digit.

    >>> check_mod11('900101300126')
    >>> check_mod11('900101300127')
    Traceback (most recent call last):
      ...
    stdnum.exceptions.InvalidChecksum: The number's checksum or check digit is invalid.
    """
    check = mod11_two_pass(number)
    if check is None or str(check) != number[11:12]:
        raise InvalidChecksum()


def luhn_is_valid(digits: str) -> bool:
    """Whether a string of digits passes the Luhn check (``stdnum.luhn``).

    >>> luhn_is_valid('79927398713'), luhn_is_valid('79927398710'), luhn_is_valid('')
    (True, False, False)
    """
    if not isinstance(digits, str) or not digits.isascii():
        return False
    if not digits.isdigit():
        return luhn.is_valid(digits)
    # Every other digit from the last one as it is, the ones between doubled with the digits of
    # the double added up ("7" -> 14 -> 5): sums of character codes, each its digit plus 48.
    kept = digits[::-1].encode()
    total = sum(kept[::2]) + sum(kept[1::2].translate(_DOUBLED)) - 48 * len(digits)
    return total % 10 == 0


# A digit's code -> the code of the digit sum of its double (digits 0-4: 0 2 4 6 8, 5-9: 1 3 5 7 9).
_DOUBLED = bytes.maketrans(b"0123456789", b"0246813579")


def mod97_is_valid(iban: str) -> bool:
    """Whether a compact IBAN passes the mod 97-10 check (country and check digits moved last)."""
    if not isinstance(iban, str) or len(iban) < 5 or not iban.isascii() or not iban.isalnum():
        return False
    return mod_97_10.is_valid(iban[4:] + iban[:4])


def plain_numbers(
    texts: Sequence[str], length: int, grouped: bool = False
) -> tuple[list[int], np.ndarray]:
    """The indexes of the ``texts`` that are exactly ``length`` ASCII digits (a column of plain
    numbers), and those texts' digits as the rows of an integer array, for checksums worked
    out over a whole batch at once. With ``grouped``, also the texts that are one run of
    ``length`` ASCII digits in groups joined by single spaces or hyphens ("8 747 695 1035"),
    which ``number_candidates`` reads as one number too. The indexes are in increasing order.

    The texts are told apart by their characters' codes, all texts of a batch at once (numpy):
    no Python step per text but its length.

    (numpy is imported here, not when the module loads: a process sets its threads up before
    numpy loads.)

    >>> index, digits = plain_numbers(["7707083893", "ИНН 7707083893", "77070838931"], 10)
    >>> index, digits.tolist()
    ([0], [[7, 7, 0, 7, 0, 8, 3, 8, 9, 3]])
    >>> plain_numbers(["770 708-3893", "770  7083893", "7707083893 ", "-7707083893"], 10, True)[0]
    [0]
    """
    import numpy as np

    sizes = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    # A grouped number of ``length`` digits has at most ``length - 1`` separators.
    fits = (sizes >= length) & (sizes < 2 * length) if grouped else sizes == length
    index = np.flatnonzero(fits)
    if not len(index):
        return [], np.zeros((0, length), dtype=np.int64)
    chosen = texts if len(index) == len(texts) else [texts[i] for i in index.tolist()]
    # Each character's code point, the texts one after another.
    codes = np.frombuffer("".join(chosen).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    sizes = sizes[index]
    starts = np.cumsum(sizes) - sizes
    digit = (codes >= 48) & (codes <= 57)
    digits = np.add.reduceat(digit, starts)
    if grouped:
        # One run of digit groups joined by single separators: digits and separators only, a
        # digit first and last, no two separators side by side.
        sep = (codes == 32) | (codes == 45)
        twice = np.zeros(len(codes), dtype=bool)
        twice[1:] = sep[1:] & sep[:-1]
        plain = (
            (np.add.reduceat(sep, starts) + digits == sizes)
            & digit[starts]
            & digit[starts + sizes - 1]
            & ~np.logical_or.reduceat(twice, starts)
        )
    else:
        plain = digits == sizes
    plain &= digits == length
    rows = np.repeat(plain, sizes) & digit
    matrix = (codes[rows].astype(np.int64) - 48).reshape(-1, length)
    return index[plain].tolist(), matrix


def by_index(size: int, index: Sequence[int], valid: np.ndarray) -> list[bool | None]:
    """A list of ``size`` answers: ``valid[k]`` at ``index[k]`` (``plain_numbers``' texts),
    ``None`` elsewhere. (A numpy object array costs more than this loop: 570 against 340 us
    over 4,096 texts.)

    >>> import numpy as np
    >>> by_index(4, [1, 3], np.array([True, False]))
    [None, True, None, False]
    """
    out: list[bool | None] = [None] * size
    for i, ok in zip(index, valid.tolist(), strict=True):
        out[i] = ok
    return out
