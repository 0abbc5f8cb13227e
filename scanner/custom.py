"""What a user adds without Python: recognizers in Presidio's YAML form, and an allow list.

An allow list holds values that are never reported, e.g. the company's own support phone or
e-mail. A found value is compared after normalisation: a phone by its ten national digits after
``+7``/``8``, a value holding five or more digits (and no letters) by its digits, anything else
case-folded with runs of spaces made one. The values come from the user's configuration and are
never written into a report or a log: only how many there are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pdaudit.scanner.config_schema import (
    ConfigError,
    CustomRecognizer,
    Located,
    RecognizersFile,
    load,
)

_NON_DIGIT = re.compile(r"\D")
_LETTER = re.compile(r"[^\W\d_]")


def _phone_key(value: str) -> str | None:
    digits = _NON_DIGIT.sub("", value)
    if len(digits) == 11 and digits[0] in "78":
        return digits[1:]
    return digits if len(digits) == 10 else None


def _digits_key(value: str) -> str | None:
    if _LETTER.search(value):
        return None
    digits = _NON_DIGIT.sub("", value)
    return digits if len(digits) >= 5 else None


def _text_key(value: str) -> str:
    return " ".join(value.casefold().replace("ё", "е").split())


class AllowList:
    """Values never reported, compared after normalisation.

    >>> allow = AllowList(["+7 (727) 350-00-00", "Support@Mirum.kz"])
    >>> allow.allows("PHONE_NUMBER", "8 727 3500000"), allow.allows("EMAIL_ADDRESS", "support@mirum.kz")
    (True, True)
    >>> allow.allows("PHONE_NUMBER", "+7 727 350 00 01")
    False
    """

    def __init__(self, values: Iterable[str]) -> None:
        values = [v for v in values if v.strip()]
        self.size = len(set(values))
        self._phones = {k for k in map(_phone_key, values) if k}
        self._digits = {k for k in map(_digits_key, values) if k}
        self._texts = {_text_key(v) for v in values}

    def __len__(self) -> int:
        return self.size

    def __repr__(self) -> str:  # never the values themselves
        return f"AllowList({self.size} values)"

    def allows(self, entity_type: str, value: str) -> bool:
        """Whether a found value of ``entity_type`` is on the list."""
        if entity_type == "PHONE_NUMBER":
            key = _phone_key(value)
            if key is not None and key in self._phones:
                return True
        key = _digits_key(value)
        if key is not None and key in self._digits:
            return True
        return _text_key(value) in self._texts


def read_allow_file(path: str | Path) -> list[str]:
    """An ``--allow-list`` file: one value a line; blank lines and lines opening with ``#`` are
    skipped."""
    try:
        text = Path(path).read_text("utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the allow list ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: the allow list is not UTF-8 text") from None
    return [s for line in text.splitlines() if (s := line.strip()) and not s.startswith("#")]


def read_recognizers_file(path: str | Path) -> tuple[CustomRecognizer, ...]:
    """The enabled recognizers of a ``--recognizers`` file (Presidio's YAML form), checked."""
    data, located = load(path, RecognizersFile, "recognizers file")
    return checked(data.recognizers, located, ("recognizers",))


def checked(
    specs: Sequence[CustomRecognizer], located: Located, loc: tuple
) -> tuple[CustomRecognizer, ...]:
    """The enabled ``specs``; each needs patterns or a deny list, and a name of its own."""
    names: set[str] = set()
    for i, spec in enumerate(specs):
        if not spec.patterns and not spec.deny_list:
            line = located.line((*loc, i))
            raise ConfigError(
                located.at(line, f"recognizer {spec.name!r} needs patterns or a deny_list")
            )
        if spec.name in names:
            line = located.line((*loc, i, "name"))
            raise ConfigError(located.at(line, f"recognizer {spec.name!r} is given twice"))
        names.add(spec.name)
    return tuple(s for s in specs if s.enabled)


def build_recognizers(specs: Iterable[CustomRecognizer]) -> list[Any]:
    """Presidio pattern recognizers for the checked specs."""
    from pdaudit.recognizers.custom import build

    return [build(spec.model_dump()) for spec in specs]


def custom_entities(specs: Iterable[CustomRecognizer]) -> list[str]:
    """The entity types the specs report."""
    return sorted({spec.supported_entity for spec in specs})


def make_analyzer(
    entities: Iterable[str] | None = None,
    min_score: float = 0.0,
    specs: Iterable[CustomRecognizer] = (),
    allow_values: Iterable[str] = (),
    phone_regions: Sequence[str] | None = None,
) -> Any:
    """A ``pdaudit.scanner.analysis.Analyzer`` with pdaudit's recognizers, plugins', the custom ones of
    ``specs``, the allow list, and the regions whose national phone forms are read (None: KZ, RU)."""
    from pdaudit.recognizers.registry import all_recognizers
    from pdaudit.scanner.analysis import Analyzer

    specs = tuple(specs)
    recognizers = all_recognizers() + build_recognizers(specs) if specs else None
    allow = AllowList(allow_values)
    return Analyzer(
        recognizers,
        entities=list(entities) if entities else None,
        min_score=min_score,
        allow=allow if len(allow) else None,
        phone_regions=phone_regions,
    )
