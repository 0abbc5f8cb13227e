"""What a recognizer reads, for the tests that hold a fast path to the work it shares."""

from __future__ import annotations

from typing import Any


def texts_read(monkeypatch: Any, owner: object, name: str) -> list[str]:
    """The list, filled as they come, of the texts that ``owner.name`` (a method or function
    whose first text argument is the text it reads) is called on, while ``monkeypatch`` lasts."""
    read: list[str] = []
    original = getattr(owner, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        read.append(next(a for a in args if isinstance(a, str)))
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return read
