"""Sources: where values come from. Each kind of source is one module (``sql``, ``files``, ...).

A source yields ``Container`` objects (a table, a CSV file, a document); a container yields batches
of records (``dict`` field -> value). Values are raw Python objects: ``str``, numbers, ``bytes``
(BLOBs: documents are recognised by magic bytes downstream), ``dict``/``list`` (JSON: flattened
downstream into ``field.key.path``), ``Page`` (one page of a document's text) or ``None``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

Record = dict[str, Any]


class SourceError(Exception):
    """A whole source cannot be used (bad URL, refused connection, missing driver, bad login).

    The message is one line, names the source without its password and says what to do.
    """


class ContainerError(Exception):
    """One container (table, file) cannot be read; the scan records it and goes on."""


@dataclass(frozen=True)
class Page:
    """One page of text extracted from a document (``number`` counts from 1)."""

    text: str
    number: int
    method: str = ""  # "text-layer", "ocr", ...


@dataclass
class Container:
    """A table, a data file or a document: a name, its fields and a way to read its records."""

    source: str
    name: str
    fields: list[str]
    #: batches of records: lists, or a sequence that holds them column by column
    #: (``pdaudit.scanner.sources.sql.ColumnBatch``, which ``Scanner.collect`` reads a column at a time)
    read: Callable[[], Iterator[Sequence[Record]]]
    sampling_method: str = ""
    #: fields that will not be scanned, with the reason (e.g. a BLOB column without documents).
    skipped: dict[str, str] = field(default_factory=dict)
    #: the kind of container: "table", "view", "csv", "json", "text", "document".
    kind: str = "table"


class Source(Protocol):
    """What the scan needs from any source."""

    display: str

    def containers(self) -> Iterator[Container]:
        """Every container the source holds, after include/exclude filtering."""
        ...

    def close(self) -> None:
        """Release connections and files."""
        ...
