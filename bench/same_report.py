"""The whole report of a scan, written down and compared: does a change move anything in it?

    .venv/bin/python bench/same_report.py sample_data /tmp/bdb/mirum-1000000.db --full --out A.json
    PYTHONPATH=/tmp/oldpkg .venv/bin/python bench/same_report.py ... --out B.json
    .venv/bin/python bench/same_report.py --compare A.json B.json

``bench/golden.py`` compares verdicts and match counts; this compares everything the report
holds (shares, intervals, examples, evidence, third-party findings, errors), but for what may
differ between two runs of the same code (when it ran, how long each source took). To get the
report of the code before a change, run it with ``PYTHONPATH`` pointing at a package of that
code (docs/DEVELOPING.md). ``--compare`` prints the first paths that differ and exits 1 if any.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")


def comparable(report: dict) -> dict:
    """The report but for what may differ between two runs of the same code: when it ran and
    how long each source took (also ``dask_same_report.py``'s comparison)."""
    out = dict(report)
    out.pop("generated_at", None)
    out["sources"] = [{k: v for k, v in s.items() if k != "seconds"} for s in report["sources"]]
    return out


def differences(a: Any, b: Any, path: str = "") -> list[str]:
    """Paths at which ``a`` and ``b`` differ (JSON values), depth first."""
    if type(a) is not type(b):
        return [f"{path}: {type(a).__name__} -> {type(b).__name__}"]
    if isinstance(a, dict):
        out = []
        for key in list(a) + [k for k in b if k not in a]:
            if key not in a or key not in b:
                out.append(f"{path}/{key}: {'added' if key not in a else 'removed'}")
            else:
                out += differences(a[key], b[key], f"{path}/{key}")
        if not out and list(a) != list(b):
            out.append(f"{path}: keys in another order")
        return out
    if isinstance(a, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} -> {len(b)} items"]
        return [
            d
            for i, (x, y) in enumerate(zip(a, b, strict=True))
            for d in differences(x, y, f"{path}[{i}]")
        ]
    return [] if a == b else [f"{path}: differs"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("targets", nargs="*")
    ap.add_argument("--full", action="store_true", help="read every row, not a sample")
    ap.add_argument("--out", help="write the comparable report here (JSON)")
    ap.add_argument("--compare", nargs=2, metavar=("BEFORE", "AFTER"))
    args = ap.parse_args()
    if args.compare:
        before, after = (json.load(open(p, encoding="utf-8")) for p in args.compare)
        found = differences(before, after)
        for line in found[:20]:
            print(line)
        print(f"{len(found)} differences")
        sys.exit(1 if found else 0)
    if not args.targets or not args.out:
        ap.error("give targets and --out, or --compare BEFORE AFTER")
    from pdaudit.scanner.policy import load_policy
    from pdaudit.scanner.process import tune_process
    from pdaudit.scanner.sampling import Sampling
    from pdaudit.scanner.scan import ScanOptions, scan

    tune_process()
    options = ScanOptions(sampling=Sampling(mode="full" if args.full else "sample"))
    report = scan(args.targets, load_policy(None), options)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(comparable(report), f, ensure_ascii=False, indent=1, sort_keys=False)
    print(f"{args.out}: {len(report['fields'])} fields")


if __name__ == "__main__":
    main()
