"""E-mail addresses (адрес электронной почты / электрондық пошта мекенжайы).

Candidates are validated with ``email-validator`` (syntax only, no DNS), so internationalised
addresses such as ``иван@почта.рф`` count. Masked addresses (``i***@mail.kz``) and file names
such as ``icon@2x.png`` do not.

>>> [(r.start, r.end) for r in EmailRecognizer().analyze("почта: иван@почта.рф.", None)]
[(7, 20)]
>>> EmailRecognizer().analyze("i***@mail.kz", None)
[]
"""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email
from presidio_analyzer import EntityRecognizer, RecognizerResult

from recognizers.base import LANGUAGE, load_words, make_result
from recognizers.checksums import context_evidence

ENTITY = "EMAIL_ADDRESS"

# The local part may not follow mask or address characters: "i***@mail.kz" is no address.
_CANDIDATE = re.compile(
    r"(?<![\w.+%*#•'-])[\w.+%'-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}(?![\w@*])"
)
_FILE_SUFFIXES = frozenset({"png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "ico", "pdf"})


def is_valid(address: str) -> bool:
    """Whether ``address`` is a syntactically valid e-mail address.

    >>> is_valid('user@пример.қаз'), is_valid('icon@2x.png'), is_valid(None)
    (True, False, False)
    """
    if not isinstance(address, str) or address.rsplit(".", 1)[-1].lower() in _FILE_SUFFIXES:
        return False
    try:
        validate_email(address, check_deliverability=False)
    except (EmailNotValidError, ValueError, TypeError):
        return False
    return True


class EmailRecognizer(EntityRecognizer):
    """Finds e-mail addresses; a syntactically valid one scores 1.0."""

    def __init__(self) -> None:
        super().__init__(
            supported_entities=[ENTITY], name="EmailRecognizer", supported_language=LANGUAGE
        )

    def load(self) -> None:
        """Nothing to load: the context words are read lazily."""

    def analyze(
        self,
        text: str,
        entities: list[str] | None,
        nlp_artifacts: object = None,
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        """E-mail address spans in ``text``; ``context`` holds the field name tokens."""
        if not isinstance(text, str) or "@" not in text or (entities and ENTITY not in entities):
            return []
        results = []
        for match in _CANDIDATE.finditer(text):
            start, end = match.span()
            if not is_valid(match.group()):
                continue
            evidence = ["syntax"]
            word = context_evidence(text, start, end, load_words("context_email_address"), context)
            if word:
                evidence.append(word)
            results.append(make_result(ENTITY, start, end, 1.0, self.name, evidence))
        return results
