"""The JSON report: a public interface (keys are added, never renamed)."""

from __future__ import annotations

import json
from pathlib import Path

from pdaudit.scanner.fsutil import atomic_write_text
from pdaudit.scanner.policy import STATUSES


class ReportError(ValueError):
    """A saved report cannot be read."""


def dumps(report: dict) -> str:
    """The report as pretty UTF-8 JSON (Cyrillic kept readable)."""
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


def write(report: dict, path: str | Path) -> None:
    """Write the report atomically."""
    atomic_write_text(path, dumps(report))


#: What a renderer reads: top-level keys with their type, then per field, entity and error.
_TOP = {"summary": dict, "policy": dict, "sampling": dict, "fields": list}
_SUMMARY = ("fields", "beyond_policy", "within_policy", "no_personal_data", "errors")
_FIELD = {"source": str, "container": str, "field": str, "status": str, "entities": list,
          "values_scanned": int, "beyond_policy": list}  # fmt: skip
_ENTITY: dict[str, type | tuple[type, ...]]
_ENTITY = {"type": str, "matches": int, "share": (int, float), "confidence": (int, float),
           "examples": list}  # fmt: skip
_ERROR = {"source": str, "container": str, "message": str}
_STATUSES = STATUSES  # not_scanned included: a report listing unread files is well formed


def _kind(value: object, want: type | tuple) -> bool:
    return isinstance(value, want) and not (isinstance(value, bool) and want is not bool)


def problems(data: dict) -> list[str]:
    """What keeps a report from being rendered, one phrase each (empty: it can be).

    >>> problems({"schema_version": 1, "fields": [{"source": "s"}]})[:2]
    ["'summary' is missing", "'policy' is missing"]
    """
    out = []
    for key, want in _TOP.items():
        if key not in data:
            out.append(f"{key!r} is missing")
        elif not _kind(data[key], want):
            out.append(f"{key!r} is not a {want.__name__}")
    summary = data.get("summary")
    if isinstance(summary, dict):
        out += [f"summary.{k} is not a number" for k in _SUMMARY if not _kind(summary.get(k), int)]
    if isinstance(data.get("policy"), dict) and not isinstance(data["policy"].get("id"), str):
        out.append("policy.id is not a string")
    for i, f in enumerate(data["fields"] if isinstance(data.get("fields"), list) else []):
        where = f"fields[{i}]"
        if not isinstance(f, dict):
            out.append(f"{where} is not an object")
            continue
        out += [f"{where}.{k} is missing or not a {_name(t)}" for k, t in _FIELD.items()
                if not _kind(f.get(k), t)]  # fmt: skip
        if isinstance(f.get("status"), str) and f["status"] not in _STATUSES:
            # the value itself is not quoted: a hand-edited report may hold anything there
            out.append(f"{where}.status is not one of {', '.join(_STATUSES)}")
        third = f.get("third_party")
        if third is not None and not (
            isinstance(third, dict)
            and _kind(third.get("share"), (int, float))
            and isinstance(third.get("clause"), str)
            and isinstance(third.get("basis"), str)
        ):
            out.append(f"{where}.third_party needs a number 'share' and text 'clause' and 'basis'")
        for j, e in enumerate(f["entities"] if isinstance(f.get("entities"), list) else []):
            if not isinstance(e, dict):
                out.append(f"{where}.entities[{j}] is not an object")
                continue
            out += [f"{where}.entities[{j}].{k} is missing or not a {_name(t)}"
                    for k, t in _ENTITY.items() if not _kind(e.get(k), t)]  # fmt: skip
    errors = data.get("errors", [])
    if not isinstance(errors, list):
        out.append("'errors' is not a list")
        errors = []
    for i, e in enumerate(errors):
        if not isinstance(e, dict):
            out.append(f"errors[{i}] is not an object")
            continue
        out += [f"errors[{i}].{k} is missing or not a {_name(t)}" for k, t in _ERROR.items()
                if not _kind(e.get(k), t)]  # fmt: skip
    return out


def _name(want: type | tuple) -> str:
    return (
        "number"
        if isinstance(want, tuple)
        else {"str": "string", "int": "number"}.get(want.__name__, want.__name__)
    )


def load(path: str | Path, complete: bool = False) -> dict:
    """Read a saved report; a clear error if it is not one.

    ``complete``: also check everything a renderer reads (``problems``) and name what is wrong.
    """
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except OSError as exc:
        raise ReportError(f"{path}: cannot read the report ({exc.strerror})") from exc
    except ValueError as exc:
        raise ReportError(f"{path}: not a JSON report ({exc})") from exc
    if not isinstance(data, dict) or data.get("schema_version") != 1 or "fields" not in data:
        raise ReportError(f"{path}: not a pdaudit report (schema_version 1 with 'fields')")
    if complete:
        found = problems(data)
        if found:
            more = f" (and {len(found) - 3} more)" if len(found) > 3 else ""
            raise ReportError(f"{path}: malformed report: {'; '.join(found[:3])}{more}")
    return data
