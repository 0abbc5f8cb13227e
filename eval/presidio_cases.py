"""Presidio's own recognizer test cases through pdaudit and through plain Presidio, per type.

``../shared/corpora/presidio-cases.jsonl`` (from the repo root; its README says how it is
scored) holds the parametrised cases of Presidio's e-mail, card, IBAN, IP, phone and URL
recognizer tests: a case passes when the spans predicted of its type equal the expected ones
exactly. pdaudit runs as ``pdaudit detect`` does (``pdaudit.scanner.analysis.Analyzer``, every recognizer),
with the case's phone regions where the case names some (as Presidio's test configures its
recognizer), else pdaudit's default; plain Presidio is ``AnalyzerEngine`` on Presidio's model-free
``NoOpNlpEngine`` with its default predefined recognizers for "en" and their default phone
regions. URL cases are shown for Presidio only: pdaudit has no URL type (a URL is not personal
data in the policy's sense). The file stays out of the repo; without it the cases are skipped.

Then the hard negatives: pdaudit's findings of the same types where there is no such value,
counted per type: in the lines of ``eval/data/*.jsonl`` (spans that match no labelled span of
their type: IINs, order numbers, SKUs, invoice numbers, timestamps, versions ...) and in
synthetic cells (``sample_data/generate.py``'s order numbers, SKUs, prices, time stamps, and
byte counts).

    .venv/bin/python eval/presidio_cases.py [--failures] [--json]
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import warnings  # noqa: E402
from collections import Counter  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]
CASES = ROOT.parent / "shared" / "corpora" / "presidio-cases.jsonl"
DATA = ROOT / "eval" / "data"
#: The types both systems have, in the order printed.
TYPES = ("EMAIL_ADDRESS", "CREDIT_CARD", "IBAN_CODE", "IP_ADDRESS", "PHONE_NUMBER")
NOT_PDAUDIT = ("URL",)


def load_cases(path: Path = CASES) -> list[dict] | None:
    """The cases, or None where the file is absent."""
    if not path.exists():
        return None
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def spans_of(found: list[tuple[str, int, int]], types: set[str]) -> list[list[int]]:
    return sorted([start, end] for kind, start, end in found if kind in types)


def pdaudit_predictions(cases: list[dict]) -> list[list[tuple[str, int, int]]]:
    """pdaudit's entities of every case text, with the case's phone regions."""
    from pdaudit.scanner.analysis import Analyzer

    analyzers: dict[tuple[str, ...], Analyzer] = {}
    out = []
    for case in cases:
        regions = tuple(case.get("regions") or ())
        if regions not in analyzers:
            analyzers[regions] = Analyzer(phone_regions=list(regions) or None)
        out.append([(e.type, e.start, e.end) for e in analyzers[regions].analyze(case["text"])])
    return out


def plain_presidio():  # noqa: ANN201 (presidio's AnalyzerEngine)
    """Presidio's ``AnalyzerEngine`` with its default recognizers for "en", needing no model."""
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NoOpNlpEngine

    from pdaudit.scanner.engine import OfflineEmailRecognizer

    nlp = NoOpNlpEngine(models=[{"lang_code": "en", "model_name": "no_op"}])
    nlp.load()
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.load_predefined_recognizers(nlp_engine=nlp, languages=["en"])
    # Presidio's e-mail recognizer, validated with the suffix list bundled in tldextract's wheel
    # (the predefined one fetches the list from the network).
    registry.remove_recognizer("EmailRecognizer")
    registry.add_recognizer(OfflineEmailRecognizer())
    return AnalyzerEngine(registry=registry, nlp_engine=nlp, supported_languages=["en"])


def presidio_predictions(cases: list[dict]) -> list[list[tuple[str, int, int]]]:
    engine = plain_presidio()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [
            [(r.entity_type, r.start, r.end) for r in engine.analyze(c["text"], language="en")]
            for c in cases
        ]


def score_cases(cases: list[dict], predicted: list[list[tuple[str, int, int]]]) -> list[bool]:
    """Whether each case passes: its type's predicted spans equal the expected ones.

    A case of Presidio's TR_PHONE_NUMBER counts as PHONE_NUMBER (the file maps it so).
    """
    return [
        spans_of(found, {c["type"], c.get("presidio_entity") or c["type"]}) == sorted(c["expected"])
        for c, found in zip(cases, predicted, strict=True)
    ]


def hard_negatives(seed: int = 5, cells: int = 20_000) -> dict[str, tuple[int, Counter]]:
    """pdaudit's false positives of ``TYPES`` per source: (texts, count per type)."""
    from pdaudit.scanner.analysis import Analyzer

    analyzer = Analyzer()
    out: dict[str, tuple[int, Counter]] = {}
    for path in sorted(DATA.glob("*.jsonl")):
        lines = [json.loads(x) for x in path.read_text("utf-8").splitlines() if x.strip()]
        if not any("entities" in line for line in lines):
            continue  # not a span file (thirdparty.jsonl labels fields and texts by role)
        wrong: Counter = Counter()
        for line in lines:
            gold = {(e["type"], e["start"], e["end"]) for e in line.get("entities", [])}
            for e in analyzer.analyze(line["text"], line.get("context")):
                if e.type in TYPES and (e.type, e.start, e.end) not in gold:
                    if not any(t == e.type and s < e.end and e.start < f for t, s, f in gold):
                        wrong[e.type] += 1
        out[f"eval/data/{path.name}"] = (len(lines), wrong)
    from sample_data.generate import Faker

    faker = Faker(seed)
    rng = random.Random(seed)
    texts = []
    for _ in range(cells // 5):
        size = rng.randint(1_000, 10**11)
        texts += [
            (["order", "no"], str(faker.order_no())),
            (["sku"], str(rng.randint(100_000_000, 999_999_999))),
            (["price"], f"{rng.randint(5, 200) * 500}.00"),
            (["created", "at"], faker.moment()),
            (["size", "bytes"], rng.choice([f"{size}", f"{size} байт", f"size={size}"])),
        ]
    wrong = Counter()
    for context, text in texts:
        for e in analyzer.analyze(text, context):
            if e.type in TYPES:
                wrong[e.type] += 1
    out["synthetic order no., SKU, price, time stamp, byte count cells"] = (len(texts), wrong)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--failures", action="store_true", help="list the cases each system fails")
    ap.add_argument("--json", action="store_true", help="machine-readable output")
    ap.add_argument("--cases", type=Path, default=CASES, help="the cases file")
    args = ap.parse_args()

    result: dict = {}
    cases = load_cases(args.cases)
    if cases is None:
        print(f"{args.cases}: not found, Presidio's cases skipped", file=sys.stderr)
    else:
        # Presidio first: its registry looks its recognizer classes up by name among every
        # ``EntityRecognizer`` subclass loaded, and pdaudit's share some of those names.
        theirs = score_cases(cases, presidio_predictions(cases))
        ours = score_cases(cases, pdaudit_predictions(cases))
        table = {}
        for kind in (*TYPES, *NOT_PDAUDIT):
            index = [i for i, c in enumerate(cases) if c["type"] == kind]
            table[kind] = {
                "cases": len(index),
                "pdaudit": None if kind in NOT_PDAUDIT else sum(ours[i] for i in index),
                "presidio": sum(theirs[i] for i in index),
            }
        scored = [i for i, c in enumerate(cases) if c["type"] in TYPES]
        table["all"] = {
            "cases": len(scored),
            "pdaudit": sum(ours[i] for i in scored),
            "presidio": sum(theirs[i] for i in scored),
        }
        result["cases"] = table
        if args.failures:
            result["failures"] = {
                system: [
                    {"type": c["type"], "text": c["text"], "expected": c["expected"]}
                    for c, ok in zip(cases, passed, strict=True)
                    if not ok and c["type"] in TYPES
                ]
                for system, passed in (("pdaudit", ours), ("presidio", theirs))
            }
    negatives = hard_negatives()
    result["hard_negatives"] = {
        name: {"texts": n, "false_positives": dict(wrong)} for name, (n, wrong) in negatives.items()
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return
    if "cases" in result:
        print(f"Presidio's recognizer test cases ({args.cases.name}): cases passed")
        print(f"{'type':16} {'cases':>6} {'pdaudit':>8} {'presidio':>9}")
        for kind, row in result["cases"].items():
            ours_n = "-" if row["pdaudit"] is None else row["pdaudit"]
            print(f"{kind:16} {row['cases']:>6} {ours_n:>8} {row['presidio']:>9}")
        print("(URL: not a pdaudit type, left out of 'all')")
        for system, failed in result.get("failures", {}).items():
            for case in failed:
                print(f"  {system} fails {case['type']}: {case['text']!r} {case['expected']}")
    print("\nHard negatives: pdaudit's findings of " + ", ".join(TYPES) + " that are wrong")
    for name, row in result["hard_negatives"].items():
        wrong = ", ".join(f"{k} {v}" for k, v in sorted(row["false_positives"].items()))
        print(f"  {name}: {row['texts']} texts, {sum(row['false_positives'].values())} ({wrong})")


if __name__ == "__main__":
    main()
