"""The policy: which entity types a privacy policy allows, and per-field exceptions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path

DEFAULT_POLICY = Path(__file__).resolve().parent.parent / "configs" / "mirum-policy.yaml"

BEYOND = "beyond_policy"
WITHIN = "within_policy"
NONE = "no_personal_data"
STATUSES = (BEYOND, WITHIN, NONE)


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
class Policy:
    """Allowed types with their clauses, types that are not personal data, and exceptions."""

    id: str
    title: str
    allowed: dict[str, dict[str, str]]
    non_personal: frozenset[str] = frozenset({"KZ_BIN"})
    exceptions: tuple[FieldException, ...] = field(default=())
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
    )


def known_entity_types() -> list[str]:
    """Entity types of the built-in registry and of installed plugins."""
    from pdaudit.recognizers.registry import registry_entities

    return registry_entities()
