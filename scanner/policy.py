"""The policy: which entity types a privacy policy allows, and per-field exceptions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from importlib.resources import files
from pathlib import Path

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
    #: values never reported; kept out of ``summary()`` (they may be personal data)
    allow_values: tuple[str, ...] = field(default=(), repr=False)

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


def load_policy(path: str | Path | None = None, extra_entities: Iterable[str] = ()) -> Policy:
    """Read a policy YAML file; errors name the file, the line and what is wrong.

    Entity types must be ones a recognizer reports: the built-in ones, plugins' and
    ``extra_entities`` (custom recognizers').
    """
    from pdaudit.scanner.config_schema import ConfigError, PolicyFile, load, unknown_name

    path = Path(path) if path else DEFAULT_POLICY
    try:
        data, located = load(path, PolicyFile, "policy file")
    except ConfigError as exc:
        raise PolicyError(str(exc)) from None
    known = set(known_entity_types()) | set(extra_entities)
    named: list[tuple[tuple, str]] = [(("allowed", t), t) for t in data.allowed]
    named += [(("non_personal", i), t) for i, t in enumerate(data.non_personal)]
    for i, entry in enumerate(data.exceptions):
        named += [(("exceptions", i, "types", j), t) for j, t in enumerate(entry.types)]
    for loc, name in named:
        if name not in known:
            line = located.line(loc, key=True)
            raise PolicyError(located.at(line, unknown_name("entity type", name, known)))
    for i, entry in enumerate(data.exceptions):
        if not entry.reason.strip():
            line = located.line(("exceptions", i, "reason"))
            raise PolicyError(located.at(line, f"exception {entry.field} needs a written reason"))
    raw = data.model_dump(exclude_none=True)
    return Policy(
        id=data.id or path.stem,
        title=data.title,
        allowed={
            name: {k: v for k, v in entry.model_dump().items() if v}
            for name, entry in data.allowed.items()
        },
        non_personal=frozenset(data.non_personal),
        exceptions=tuple(
            FieldException(e.field, frozenset(e.types), e.reason) for e in data.exceptions
        ),
        allow_values=tuple(data.allow_values),
        extra={k: raw[k] for k in TEXT_KEYS if k in raw},
        third_parties=_third_parties(path, raw.get("third_parties")),
        phone_regions=_phone_regions(path, data.phone_regions),
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


def known_entity_types() -> list[str]:
    """Entity types of the built-in registry and of installed plugins."""
    from pdaudit.recognizers.registry import registry_entities

    return registry_entities()
