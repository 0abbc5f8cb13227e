"""How people write one Kazakhstan/Russia number: shared by the phone tests."""

from __future__ import annotations


def written_forms(n: str) -> list[str]:
    """Six common ways to write the ten-digit national number ``n`` (``7011234567``)."""
    return [
        f"+7{n}",
        f"+7 {n[:3]} {n[3:6]} {n[6:8]} {n[8:]}",
        f"8{n}",
        f"8({n[:3]}){n[3:]}",
        f"8 {n[:3]} {n[3:6]} {n[6:]}",
        f"7 ({n[:3]}) {n[3:6]}-{n[6:8]}-{n[8:]}",
    ]
