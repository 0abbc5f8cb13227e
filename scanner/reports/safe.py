"""Strings from a report made safe for any output: no terminal control characters.

Names come from whoever named the table, column, JSON key or file. A name holding ESC, a C1
control (U+009B is a CSI on some terminals) or a bidirectional override would rewrite the
terminal that shows the report, or make a name read as another. Each such character becomes
U+FFFD. Markup is each renderer's business: the text report passes names as ``rich.text.Text``
(never markup), the HTML report autoescapes, SARIF and JSON are JSON-escaped.
"""

from __future__ import annotations

import re
from typing import Any

#: C0 controls but tab and newline, DEL, C1 controls, and bidirectional embeddings/overrides/
#: isolates and marks.
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
REPLACEMENT = "\ufffd"


def clean(text: str) -> str:
    """``text`` with every control character replaced.

    >>> clean("users\\x1b[2J\\u202eevil")
    'users\\ufffd[2J\\ufffdevil'
    """
    return CONTROLS.sub(REPLACEMENT, text)


def without_controls(value: Any) -> Any:
    """A copy of a report (dicts, lists, strings...) with :func:`clean` applied to every string,
    keys included; the same object when nothing needed cleaning."""
    if isinstance(value, str):
        return clean(value) if CONTROLS.search(value) else value
    if isinstance(value, dict):
        items = [(without_controls(k), without_controls(v)) for k, v in value.items()]
        if all(k is k0 and v is v0 for (k, v), (k0, v0) in zip(items, value.items(), strict=True)):
            return value
        return dict(items)
    if isinstance(value, list):
        items = [without_controls(v) for v in value]
        if all(a is b for a, b in zip(items, value, strict=True)):
            return value
        return items
    return value
