"""Schemas of pdaudit's YAML files (policy, recognizer registry, custom recognizers), checked
with pydantic, and errors that name the file, the line and the nearest valid key.

A file is composed into PyYAML nodes first, so that each value keeps its line; pydantic's error
location (``("exceptions", 0, "types")``) is looked up among those lines:

    policy.yaml:21: unknown key 'exeptions' (did you mean 'exceptions'?)
    policy.yaml:24: exceptions[0].types must be a list, not a number

Messages never quote a value from the file (an allow list holds personal data): only its kind.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal, TypeVar

import regex
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

Loc = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)


class Strict(BaseModel):
    """Unknown keys are errors; numbers are not read from strings, nor strings from numbers."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# --- the policy --------------------------------------------------------------------------------


class AllowedType(Strict):
    clause: str
    text: str = ""


class ExceptionEntry(Strict):
    field: str = Field(min_length=1)
    types: list[str] = Field(min_length=1)
    reason: str = Field(min_length=1)


class ThirdPartyException(Strict):
    field: str = Field(min_length=1)
    #: the written basis ("consent form stored in consents table")
    basis: str = Field(min_length=1)


class ThirdPartiesEntry(Strict):
    """Section 2.4 of the policy: no third parties' data without documented consent."""

    clause: str = "2.4"
    text: str = ""
    exceptions: list[ThirdPartyException] = []


class PolicySource(Strict):
    """The document a policy was extracted from (``pdaudit policy extract``)."""

    name: str
    sha256: str


class PolicyFile(Strict):
    id: str | None = None
    title: str = ""
    document: str = ""
    allowed: dict[str, AllowedType]
    non_personal: list[str] = ["KZ_BIN"]
    exceptions: list[ExceptionEntry] = []
    #: values never reported (the company's own support phone, its e-mail)
    allow_values: list[str] = []
    #: regions whose national phone forms are read ([KZ, RU] or "KZ, RU"; default KZ and RU),
    #: checked against phonenumbers' regions by ``pdaudit.scanner.policy``
    phone_regions: Any = None
    third_parties: ThirdPartiesEntry | None = None
    # What `pdaudit policy extract` wrote down about the text it read (scanner.policy_text).
    source: PolicySource | None = None
    language: str | None = None
    declared: dict[str, Any] | None = None
    unmapped: list[dict[str, str]] | None = None


# --- the recognizer registry and custom recognizers ------------------------------------------


class RegistryEntry(Strict):
    name: str
    #: one type, or the list of types a recognizer reports (the MRZ reader: four)
    supported_entity: str | list[str]
    #: "module:Class"
    class_: str = Field(alias="class", pattern=r"^[\w.]+:\w+$")
    enabled: bool = True


class RegistryFile(Strict):
    supported_languages: list[str] = ["ru"]
    recognizers: list[RegistryEntry]


class PatternSpec(Strict):
    name: str
    regex: str
    score: float = Field(ge=0, le=1)

    @field_validator("regex")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            regex.compile(value)  # the module Presidio compiles patterns with
        except regex.error as exc:
            raise ValueError(f"is not a valid regular expression ({exc})") from None
        return value


class CustomRecognizer(Strict):
    """One recognizer in Presidio's YAML form: regex patterns with scores, context words, and a
    deny list (words that are always the entity)."""

    name: str
    supported_entity: str = Field(pattern=r"^[A-Z][A-Z0-9_]*$")
    supported_language: str = "ru"
    type: Literal["custom"] = "custom"
    enabled: bool = True
    patterns: list[PatternSpec] = []
    context: list[str] = []
    deny_list: list[str] = []
    deny_list_score: float = Field(default=1.0, ge=0, le=1)


class RecognizersFile(Strict):
    """A ``--recognizers`` file: Presidio's ``recognizers:`` list (``supported_languages`` and
    ``global_regex_flags`` of Presidio's own files are accepted and not used)."""

    supported_languages: list[str] = ["ru"]
    global_regex_flags: int = 0
    recognizers: list[CustomRecognizer]


# --- reading -----------------------------------------------------------------------------------


class Located:
    """A YAML file's data with the line of every value and every key."""

    def __init__(self, path: Path | str, node: yaml.Node | None) -> None:
        self.path = path
        self.lines: dict[Loc, int] = {}
        self.key_lines: dict[Loc, int] = {}
        self.data = self._build(node, ()) if node is not None else None

    def _build(self, node: yaml.Node, loc: Loc) -> Any:
        self.lines[loc] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            out: dict = {}
            for key_node, value_node in node.value:
                key = _scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
                if not isinstance(key, str | int | float | bool) or isinstance(key, bool):
                    raise ConfigError(self.at(key_node.start_mark.line + 1, "keys must be names"))
                key = str(key)
                if key in out:
                    raise ConfigError(
                        self.at(
                            key_node.start_mark.line + 1, f"{_dotted(loc + (key,))} is given twice"
                        )
                    )
                self.key_lines[loc + (key,)] = key_node.start_mark.line + 1
                out[key] = self._build(value_node, loc + (key,))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self._build(item, loc + (i,)) for i, item in enumerate(node.value)]
        return _scalar(node)

    @classmethod
    def under(cls, path: Path | str, key: str, node: yaml.Node) -> Located:
        """The value ``node`` of a larger file's ``key`` as ``{key: value}``, with its lines."""
        located = cls(path, None)
        located.data = {key: located._build(node, (key,))}
        return located

    def at(self, line: int | None, message: str) -> str:
        return f"{self.path}:{line}: {message}" if line else f"{self.path}: {message}"

    def line(self, loc: Loc, key: bool = False) -> int | None:
        """The line of ``loc`` (its key's line with ``key``), or of the nearest enclosing value."""
        if key and loc in self.key_lines:
            return self.key_lines[loc]
        while loc not in self.lines and loc:
            loc = loc[:-1]
        return self.lines.get(loc)


class ConfigError(ValueError):
    """A configuration file is not valid: ``FILE:LINE: what is wrong``."""


def _scalar(node: yaml.Node) -> Any:
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()


def compose(path: Path | str, text: str) -> Located:
    """Parse YAML text into a ``Located``; a syntax error names its line."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "not valid YAML"
        where = f":{mark.line + 1}" if mark else ""
        raise ConfigError(f"{path}{where}: not valid YAML: {problem}") from None
    return Located(path, node)


def validate(located: Located, model: type[M], what: str) -> M:
    """``located.data`` as a ``model``; the first problem is raised as a ``ConfigError``."""
    if located.data is None:
        raise ConfigError(f"{located.path}: the {what} is empty")
    try:
        return model.model_validate(located.data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        # One message, the first in the file: fixing it may settle the others. An unknown key
        # comes first: a misspelt key also makes the key it meant "required".
        first = min(
            errors,
            key=lambda e: (
                e["type"] != "extra_forbidden",
                located.line(tuple(e["loc"]), True) or 0,
            ),
        )
        raise ConfigError(describe(located, model, first)) from None


_KINDS = {
    "list_type": "a list",
    "tuple_type": "a list",
    "string_type": "a string",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "float_type": "a number",
    "int_type": "a whole number",
    "bool_type": "true or false",
}


def describe(located: Located, model: type[BaseModel], error: Any) -> str:
    """One pydantic error as ``FILE:LINE: message``."""
    loc: Loc = tuple(error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        name = str(loc[-1])
        valid = field_names(model, loc[:-1])
        return located.at(located.line(loc, key=True), unknown_name("key", name, valid, sort=False))
    where = _dotted(loc)
    line = located.line(loc)
    if kind == "missing":
        return located.at(located.line(loc[:-1]), f"{where} is required")
    if kind in _KINDS:
        return located.at(line, f"{where} must be {_KINDS[kind]}, not {_kind_of(error['input'])}")
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return located.at(line, f"{where} must be {expected}")
    if kind in ("greater_than_equal", "less_than_equal"):
        return located.at(line, f"{where} must be a number between 0 and 1")
    if kind == "too_short":
        return located.at(line, f"{where} must not be empty")
    if kind == "string_pattern_mismatch":
        pattern = error.get("ctx", {}).get("pattern", "")
        return located.at(line, f"{where} must match {pattern}")
    if kind == "value_error":
        return located.at(line, f"{where} {error['msg'].removeprefix('Value error, ')}")
    return located.at(line, f"{where}: {error['msg']}")


def field_names(model: type[BaseModel], loc: Loc) -> list[str]:
    """The keys valid at ``loc`` of ``model`` (aliases as written in the file)."""
    target: Any = model
    for part in loc:
        target = _inner(target)
        if isinstance(part, int) or not (
            isinstance(target, type) and issubclass(target, BaseModel)
        ):
            args = [a for a in typing.get_args(target) if a is not type(None)]
            target = args[-1] if args else target
            continue
        info = target.model_fields.get(part) or next(
            (f for f in target.model_fields.values() if f.alias == part), None
        )
        if info is None:
            return []
        target = info.annotation
    target = _inner(target)
    if isinstance(target, type) and issubclass(target, BaseModel):
        return [f.alias or name for name, f in target.model_fields.items()]
    return []


def _inner(annotation: Any) -> Any:
    """``X`` of ``X | None``."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else annotation
    return annotation


def unknown_name(kind: str, name: str, valid: Iterable[str], sort: bool = True) -> str:
    """``unknown entity type 'KZ_IIM' (did you mean 'KZ_IIN'?)``; the nearest valid name by
    ``difflib``, or all of them when none is near."""
    valid = sorted(valid) if sort else list(valid)
    close = difflib.get_close_matches(name.rpartition(".")[2], valid, n=1, cutoff=0.6)
    if close:
        return f"unknown {kind} {name!r} (did you mean {close[0]!r}?)"
    return f"unknown {kind} {name!r} (expected one of: {', '.join(valid)})"


def _dotted(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _kind_of(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def load(path: Path | str, model: type[BaseModel], what: str) -> tuple[Any, Located]:
    """Read, compose and validate a file: ``(model instance, Located)``."""
    try:
        text = Path(path).read_text("utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the {what} ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: the {what} is not UTF-8 text") from None
    located = compose(path, text)
    return validate(located, model, what), located
