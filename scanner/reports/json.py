"""The JSON report: a public interface (keys are added, never renamed)."""

from __future__ import annotations

import json
from pathlib import Path

from pdaudit.scanner.fsutil import atomic_write_text


class ReportError(ValueError):
    """A saved report cannot be read."""


def dumps(report: dict) -> str:
    """The report as pretty UTF-8 JSON (Cyrillic kept readable)."""
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


def write(report: dict, path: str | Path) -> None:
    """Write the report atomically."""
    atomic_write_text(path, dumps(report))


def load(path: str | Path) -> dict:
    """Read a saved report; a clear error if it is not one."""
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except OSError as exc:
        raise ReportError(f"{path}: cannot read the report ({exc.strerror})") from exc
    except ValueError as exc:
        raise ReportError(f"{path}: not a JSON report ({exc})") from exc
    if not isinstance(data, dict) or data.get("schema_version") != 1 or "fields" not in data:
        raise ReportError(f"{path}: not a pdaudit report (schema_version 1 with 'fields')")
    return data
