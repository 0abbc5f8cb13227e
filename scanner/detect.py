"""``pdaudit detect``: entities in lines of text, batched for speed."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from pdaudit.scanner.analysis import Analyzer, Entity
from pdaudit.scanner.masking import mask

BATCH = 2000


def detect_lines(
    lines: Iterable[str],
    entities: Sequence[str] | None = None,
    min_score: float = 0.0,
    analyzer: Analyzer | None = None,
) -> Iterator[tuple[int, str, list[Entity]]]:
    """Yield ``(line number from 1, line without newline, entities)`` for every line."""
    analyzer = analyzer or Analyzer(entities=entities, min_score=min_score)
    batch: list[str] = []
    number = 0
    for raw in lines:
        batch.append(raw.rstrip("\r\n") if raw.endswith("\n") else raw)
        if len(batch) >= BATCH:
            yield from _flush(analyzer, batch, number)
            number += len(batch)
            batch = []
    if batch:
        yield from _flush(analyzer, batch, number)


def _flush(
    analyzer: Analyzer, batch: list[str], offset: int
) -> Iterator[tuple[int, str, list[Entity]]]:
    for i, (line, found) in enumerate(zip(batch, analyzer.analyze_batch(batch), strict=True)):
        yield offset + i + 1, line, found


def format_text(number: int, line: str, found: list[Entity]) -> str:
    """A human line per input line, values masked: ``3: PHONE_NUMBER 10-28 0.95 +7 (7**) ...``."""
    if not found:
        return f"{number}: -"
    parts = [
        f"{e.type} {e.start}-{e.end} {e.score:.2f} {mask(line[e.start : e.end], e.type)}"
        for e in found
    ]
    return f"{number}: " + "; ".join(parts)
