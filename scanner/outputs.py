"""Where reports may be written: never over a scanned source, never inside a scanned folder.

``-o`` naming the scanned database replaced the database with the report; a report written
inside a scanned folder is a write to what pdaudit promises only to read (and the next scan
would read the report back).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from pdaudit.scanner.sources import SourceError


def source_path(target: str) -> Path | None:
    """The file or folder a source target reads, or None for a server database."""
    if "://" in target:
        scheme, _, rest = target.partition("://")
        if not scheme.startswith("sqlite"):
            return None
        rest = rest.removeprefix("/")  # sqlite:///rel/path, sqlite:////abs/path
        rest = rest.removeprefix("file:").split("?", 1)[0]
        return Path(rest) if rest and rest != ":memory:" else None
    return Path(target)


def check_output(output: str | Path, targets: Sequence[str], what: str = "--output") -> None:
    """Raise ``SourceError`` when ``output`` is one of the sources or inside a scanned folder."""
    out = Path(os.path.realpath(output))
    for target in targets:
        path = source_path(target)
        if path is None:
            continue
        src = Path(os.path.realpath(path))
        if out == src:
            raise SourceError(
                f"{what} {output}: is the scanned source {target}; write the report elsewhere"
            )
        if src.is_dir() and out.is_relative_to(src):
            raise SourceError(
                f"{what} {output}: is inside the scanned folder {target}; "
                "write the report outside it"
            )
