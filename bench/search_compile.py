"""What a polars select of the declared searches' patterns costs on a one-row frame, against the
same number of trivial expressions: the fixed cost per batch of compiling the patterns anew at
each call (polars keeps no compiled pattern between calls).

    .venv/bin/python bench/search_compile.py [--calls 200]
"""

from __future__ import annotations

import argparse
import time

import polars as pl

from pdaudit.scanner.analysis import Analyzer


def per_select_ms(frame: pl.DataFrame, exprs: list[pl.Expr], calls: int) -> float:
    """The best of five runs of ``calls`` selects, in milliseconds a select."""
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(calls):
            frame.select(exprs)
        best = min(best, (time.perf_counter() - started) / calls)
    return best * 1e3


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--calls", type=int, default=200)
    a = ap.parse_args()
    patterns = sorted({s.pattern for s in Analyzer()._searches.searches if s.pattern})
    frame = pl.DataFrame({"t": ["Иванов Иван +7 701 123 45 67"]})
    found = [pl.col("t").str.contains(p).alias(f"p{i}") for i, p in enumerate(patterns)]
    trivial = [(pl.col("t").str.len_chars() > i).alias(f"p{i}") for i in range(len(patterns))]
    with_patterns = per_select_ms(frame, found, a.calls)
    plain = per_select_ms(frame, trivial, a.calls)
    print(
        f"{len(patterns)} patterns: {with_patterns:.3f} ms a select, {len(patterns)} trivial "
        f"expressions: {plain:.3f} ms ({with_patterns - plain:.3f} ms for the patterns)"
    )


if __name__ == "__main__":
    main()
