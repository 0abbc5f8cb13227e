"""The policy: which entity types a privacy policy allows, and per-field exceptions."""

from __future__ import annotations

from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from importlib.resources import files
from pathlib import Path

import yaml

# Shipped as package data (``pdaudit.configs``): an installed wheel has it on disk as well.
DEFAULT_POLICY = Path(str(files("pdaudit.configs").joinpath("mirum-policy.yaml")))

BEYOND = "beyond_policy"
WITHIN = "within_policy"
NONE = "no_personal_data"
#: a file (or part of one) that was found but not read: never reported as clean
NOT_SCANNED = "not_scanned"
STATUSES = (BEYOND, WITHIN, NONE, NOT_SCANNED)
#: Keys a policy extracted from its text carries into the report (see scanner.policy_text).
TEXT_KEYS = ("source", "language", "declared", "unmapped")


class PolicyError(ValueError):
    """The policy file cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class FieldException:
    """A named field that may hold some types the policy does not list, with the reason."""

    field: str
    types: frozenset[str]
    reason: str

    def matches(self, source: str, container: str, field_name: str) -> bool:
        """Whether this exception covers the field (glob on ``container.field``)."""
        target = f"{container}.{field_name}"
        if " " in self.field:
            src, _, pattern = self.field.partition(" ")
            return fnmatchcase(source, src) and fnmatchcase(target, pattern)
        return fnmatchcase(target, self.field)


@dataclass(frozen=True)
class ThirdParties:
    """Section 2.4 (no third parties' data without documented consent) and its exceptions;
    an exception's ``reason`` is its written basis ("consent form stored in consents table")."""

    clause: str = "2.4"
    text: str = ""
    exceptions: tuple[FieldException, ...] = field(default=())

    def summary(self) -> dict:
        """The ``third_parties`` block of the report's ``policy``."""
        return {
            "clause": self.clause,
            "text": self.text,
            "exceptions": [{"field": e.field, "basis": e.reason} for e in self.exceptions],
        }


def _third_parties(path: Path, data: object) -> ThirdParties:
    """Read the optional ``third_parties`` block: ``clause``, ``text``, ``exceptions`` (each
    with ``field`` and a written ``basis``)."""
    if data is None:
        return ThirdParties()
    if not isinstance(data, dict):
        raise PolicyError(f"{path}: 'third_parties' must be a mapping (clause, text, exceptions)")
    exceptions = []
    for i, entry in enumerate(data.get("exceptions") or [], 1):
        if not isinstance(entry, dict) or not entry.get("field"):
            raise PolicyError(f"{path}: third_parties exception #{i} needs a 'field'")
        basis = " ".join(str(entry.get("basis") or "").split())
        if not basis:
            raise PolicyError(
                f"{path}: third_parties exception #{i} ({entry['field']}) needs a written 'basis'"
            )
        exceptions.append(FieldException(str(entry["field"]), frozenset(), basis))
    return ThirdParties(
        clause=str(data.get("clause") or "2.4"),
        text=" ".join(str(data.get("text") or "").split()),
        exceptions=tuple(exceptions),
    )


@dataclass(frozen=True)
class Policy:
    """Allowed types with their clauses, types that are not personal data, and exceptions."""

    id: str
    title: str
    allowed: dict[str, dict[str, str]]
    non_personal: frozenset[str] = frozenset({"KZ_BIN"})
    exceptions: tuple[FieldException, ...] = field(default=())
    #: What ``pdaudit policy extract`` read from the policy's own text (scanner.policy_text):
    #: ``source`` {name, sha256}, ``language``, ``declared`` (the list as written), ``unmapped``.
    extra: dict = field(default_factory=dict)
    #: section 2.4: the clause, its text, and fields whose third parties' data has a written basis
    third_parties: ThirdParties = field(default_factory=lambda: ThirdParties())
    #: regions whose national phone forms are read (None: pdaudit's default, KZ and RU)
    phone_regions: tuple[str, ...] | None = None

    def clause(self, entity_type: str) -> str | None:
        """The clause that allows a type, or None."""
        entry = self.allowed.get(entity_type)
        return entry.get("clause") if entry else None

    def exception_for(
        self, source: str, container: str, field_name: str, entity_type: str
    ) -> FieldException | None:
        """The exception that lets this field hold this type, if any."""
        for exc in self.exceptions:
            if entity_type in exc.types and exc.matches(source, container, field_name):
                return exc
        return None

    def third_party_exception_for(
        self, source: str, container: str, field_name: str
    ) -> FieldException | None:
        """The exception that gives a basis for a field's third-party data, if any."""
        for exc in self.third_parties.exceptions:
            if exc.matches(source, container, field_name):
                return exc
        return None

    def summary(self) -> dict:
        """The ``policy`` block of the JSON report."""
        return {
            "id": self.id,
            "title": self.title,
            "allowed": list(self.allowed),
            "clauses": {t: self.clause(t) for t in self.allowed},
            "non_personal": sorted(self.non_personal),
            "exceptions": [
                {"field": e.field, "types": sorted(e.types), "reason": e.reason}
                for e in self.exceptions
            ],
            **self.extra,
            "third_parties": self.third_parties.summary(),
        }


def load_policy(path: str | Path | None = None) -> Policy:
    """Read a policy YAML file; errors name the file and what is wrong."""
    path = Path(path) if path else DEFAULT_POLICY
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except OSError as exc:
        raise PolicyError(f"{path}: cannot read the policy file ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise PolicyError(f"{path}: the policy is not valid YAML{where}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("allowed"), dict):
        raise PolicyError(f"{path}: a policy needs an 'allowed' mapping of entity types")
    allowed: dict[str, dict[str, str]] = {}
    for name, entry in data["allowed"].items():
        if not isinstance(entry, dict) or "clause" not in entry:
            raise PolicyError(f"{path}: allowed type {name} needs a 'clause'")
        allowed[str(name)] = {k: str(v) for k, v in entry.items()}
    exceptions = []
    for i, entry in enumerate(data.get("exceptions") or [], 1):
        if not isinstance(entry, dict) or not entry.get("field") or not entry.get("types"):
            raise PolicyError(f"{path}: exception #{i} needs 'field' and 'types'")
        if not str(entry.get("reason", "")).strip():
            raise PolicyError(f"{path}: exception #{i} ({entry['field']}) needs a written 'reason'")
        exceptions.append(
            FieldException(
                str(entry["field"]), frozenset(map(str, entry["types"])), str(entry["reason"])
            )
        )
    return Policy(
        id=str(data.get("id") or path.stem),
        title=str(data.get("title") or ""),
        allowed=allowed,
        non_personal=frozenset(data.get("non_personal") or ["KZ_BIN"]),
        exceptions=tuple(exceptions),
        extra={k: data[k] for k in TEXT_KEYS if k in data},
        third_parties=_third_parties(path, data.get("third_parties")),
        phone_regions=_phone_regions(path, data.get("phone_regions")),
    )


def _phone_regions(path: Path, value: object) -> tuple[str, ...] | None:
    """The policy's ``phone_regions`` (a list or "KZ, RU, US"), checked."""
    from pdaudit.recognizers.phone_number import PhoneRegionError, phone_regions

    if value is None:
        return None
    if not isinstance(value, (str, list)):
        raise PolicyError(f"{path}: phone_regions must be a list of region codes such as [KZ, RU]")
    try:
        return phone_regions(value)
    except PhoneRegionError as exc:
        raise PolicyError(f"{path}: phone_regions: {exc}") from None
