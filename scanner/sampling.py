"""How rows are drawn from a container: a seeded sample of a bounded size, or every row.

The settings travel into the report so two runs with the same seed on the same data read the same
rows and can be compared.

>>> Sampling().describe("rowid")
{'method': 'rowid', 'rows_per_table': 10000, 'seed': 0}
>>> Sampling(mode="full").describe("full")
{'method': 'full', 'rows_per_table': None, 'seed': 0}
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal


@dataclass(frozen=True)
class Sampling:
    """``sample``: up to ``rows_per_table`` rows drawn with ``seed``; ``full``: every row."""

    mode: Literal["sample", "full"] = "sample"
    rows_per_table: int = 10_000
    seed: int = 0

    def __post_init__(self) -> None:
        if self.mode not in ("sample", "full"):
            raise ValueError(f"sampling mode must be 'sample' or 'full', not {self.mode!r}")
        if self.rows_per_table < 1:
            raise ValueError("rows_per_table must be at least 1")

    @property
    def full(self) -> bool:
        """True when every row is read."""
        return self.mode == "full"

    def describe(self, method: str) -> dict[str, Any]:
        """The report's record of how a container was read (``method`` as the source names it)."""
        return {
            "method": method,
            "rows_per_table": None if self.full else self.rows_per_table,
            "seed": self.seed,
        }
