"""How rows are drawn from a container: a seeded sample of a bounded size, or every row.

The settings travel into the report so two runs with the same seed on the same data read the same
rows and can be compared.

>>> Sampling().describe("rowid")
{'method': 'rowid', 'rows_per_table': 10000, 'seed': 0}
>>> Sampling().describe("rowid", early_stopped=True)["early_stop"]
{'min_values': 1000, 'min_share_lower_bound': 0.9}
>>> Sampling(mode="full").describe("full")
{'method': 'full', 'rows_per_table': None, 'seed': 0}
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal


@dataclass(frozen=True)
class EarlyStop:
    """When a sampled field stops being analysed (the rule is ``pdaudit.scanner.verdicts.settled``).

    A field stops once it has ``min_values`` analysed values, exactly one entity type has been
    seen in it, and that type's share has a 95% Wilson lower bound of at least ``min_share``.
    """

    min_values: int = 1000
    min_share: float = 0.9

    def __post_init__(self) -> None:
        if self.min_values < 1:
            raise ValueError("early_stop.min_values must be at least 1")
        if not 0.0 < self.min_share <= 1.0:
            raise ValueError("early_stop.min_share must be in (0, 1]")

    def describe(self) -> dict[str, Any]:
        """The report's record of the rule's settings."""
        return {"min_values": self.min_values, "min_share_lower_bound": self.min_share}


@dataclass(frozen=True)
class Sampling:
    """``sample``: up to ``rows_per_table`` rows drawn with ``seed``; ``full``: every row.

    In sample mode a field whose verdict is settled stops being analysed (``early_stop``; None
    analyses every sampled value). ``full`` promises every row and never stops early.
    """

    mode: Literal["sample", "full"] = "sample"
    rows_per_table: int = 10_000
    seed: int = 0
    early_stop: EarlyStop | None = EarlyStop()

    def __post_init__(self) -> None:
        if self.mode not in ("sample", "full"):
            raise ValueError(f"sampling mode must be 'sample' or 'full', not {self.mode!r}")
        if self.rows_per_table < 1:
            raise ValueError("rows_per_table must be at least 1")

    @property
    def full(self) -> bool:
        """True when every row is read."""
        return self.mode == "full"

    @property
    def stop_rule(self) -> EarlyStop | None:
        """The early-stop rule in force: never in full mode."""
        return None if self.full else self.early_stop

    def describe(self, method: str, early_stopped: bool = False) -> dict[str, Any]:
        """The report's record of how a container was read (``method`` as the source names it).

        ``early_stop`` is recorded when some field stopped early: without one the report is the
        one every sampled value gives, whatever the setting.
        """
        out: dict[str, Any] = {
            "method": method,
            "rows_per_table": None if self.full else self.rows_per_table,
            "seed": self.seed,
        }
        if early_stopped and self.stop_rule is not None:
            out["early_stop"] = self.stop_rule.describe()
        return out
