"""Progress of a scan on stderr: a live line on a terminal, a log line every N seconds elsewhere.

On a terminal, rich draws the container being read, its rows against the rows expected (where
the source knows them: a sampled table) and the time left. In cron or CI, where a live line
would only fill the log, a plain line goes out every ``every`` seconds instead:

    pdaudit: INFO: progress: users: 4000 of 10000 rows, about 12 s left; 3 tables or files done
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

Progress = Callable[..., None]


class ProgressReporter:
    """A context manager giving the ``ScanOptions.progress`` callback (or None when disabled).

    ``interactive``: draw a live rich line (stderr is a terminal); else ``emit`` a line every
    ``every`` seconds (0: at every update) through ``emit``.
    """

    def __init__(
        self,
        enabled: bool,
        interactive: bool,
        every: float = 30.0,
        emit: Callable[[str], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.enabled = enabled
        self.interactive = interactive
        self.every = every
        self.emit = emit or (lambda line: None)
        self.clock = clock
        self._progress: Any = None
        self._task: Any = None
        self._container: str | None = None
        self._started = 0.0
        self._previous = 0.0
        self._last = 0.0
        self._done = 0

    def __enter__(self) -> Progress | None:
        if not self.enabled:
            return None
        self._last = self._previous = self.clock()
        if not self.interactive:
            return self._log
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        # No force_terminal and no colour settings: rich honours NO_COLOR and TERM=dumb itself.
        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._progress.start()
        self._task = self._progress.add_task("", total=None)
        return self._draw

    def _draw(self, container: str, rows: int, total: int | None = None) -> None:
        if container != self._container:
            self._container = container
            self._progress.reset(self._task, total=total, description=container)
        elif total is not None:
            self._progress.update(self._task, total=total)
        self._progress.update(self._task, completed=rows)

    def _log(self, container: str, rows: int, total: int | None = None) -> None:
        now = self.clock()
        if container != self._container:
            if self._container is not None:
                self._done += 1
            self._container = container
            # Reading began after the previous update (or the start): the first batch counts.
            self._started = self._previous
        self._previous = now
        if now - self._last < self.every:
            return
        self._last = now
        self.emit(self.line(container, rows, total, now - self._started, self._done))

    @staticmethod
    def line(container: str, rows: int, total: int | None, elapsed: float, done: int) -> str:
        """One progress line.

        >>> ProgressReporter.line("users", 4000, 10000, 8.0, 3)
        'progress: users: 4000 of 10000 rows, about 12 s left; 3 tables or files done'
        >>> ProgressReporter.line("notes.csv", 500, None, 2.0, 0)
        'progress: notes.csv: 500 rows'
        """
        text = (
            f"progress: {container}: {rows} of {total} rows"
            if total
            else (f"progress: {container}: {rows} rows")
        )
        if total and 0 < rows < total and elapsed > 0:
            left = elapsed / rows * (total - rows)
            text += f", about {_duration(left)} left"
        if done:
            text += f"; {done} tables or files done"
        return text

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()


def _duration(seconds: float) -> str:
    """``12 s``, ``3 min 5 s``, ``1 h 2 min``."""
    s = round(seconds)
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60} s"
    return f"{s // 3600} h {s % 3600 // 60} min"


def log_emitter(logger: logging.Logger) -> Callable[[str], None]:
    """Write a line through ``logger``'s handlers at INFO whatever the logger's level: progress
    is asked for by the option, not by ``-v``; the log format (text or JSON) is kept."""

    def emit(line: str) -> None:
        record = logger.makeRecord(logger.name, logging.INFO, __file__, 0, line, (), None)
        for handler in logger.handlers:
            handler.handle(record)

    return emit
