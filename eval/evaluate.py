"""Precision, recall and F1 per entity type of pdaudit's analysis, next to natasha's NER alone.

Data sets:

* ``../shared/corpora/collection5.persons.jsonl`` (relative to the repo root): 1,000 Russian news
  texts with their PER spans, scored as ``PERSON``. Skipped, with a message, when missing.
* ``../shared/corpora/factru-devset.persons.jsonl``: the 122 development documents of
  factRuEval-2016 with their 741 person mentions (a mention runs from its first to its last
  part: name, surname, patronymic, nickname), scored as ``PERSON``. Skipped when missing.
* every ``eval/data/*.jsonl``: ``{"text", "entities": [{"type", "start", "end"}], "kind"}`` a
  line; a line without entities is a hard negative. A file is scored only for the types it
  labels somewhere (a file of names and phones says nothing about IBANs).

Spans match *exactly* (same start and end) or by *overlap* (one-to-one, any shared character).
Run ``.venv/bin/python eval/evaluate.py [--only PERSON] [--limit N] [--json] [--check]``.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import importlib  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections import defaultdict  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "eval" / "data"
# ../shared/corpora beside the checkout (or beside a parent folder, for a git worktree).
CORPORA = next(
    (p / "shared" / "corpora" for p in ROOT.parents if (p / "shared" / "corpora").is_dir()),
    ROOT.parent / "shared" / "corpora",
)
COLLECTION5 = CORPORA / "collection5.persons.jsonl"
FACTRU = CORPORA / "factru-devset.persons.jsonl"

Span = tuple[str, int, int]  # (type, start, end)


@dataclass
class Counts:
    """Span counts of one entity type on one data set."""

    gold: int = 0
    predicted: int = 0
    exact: int = 0
    overlap_gold: int = 0
    overlap_predicted: int = 0

    def add(self, gold: list[Span], predicted: list[Span]) -> None:
        """Count one text's spans of one type."""
        self.gold += len(gold)
        self.predicted += len(predicted)
        self.exact += len(set(gold) & set(predicted))
        used: set[int] = set()
        for _, s, e in gold:
            for j, (_, ps, pe) in enumerate(predicted):
                if j not in used and ps < e and s < pe:
                    used.add(j)
                    self.overlap_gold += 1
                    break
        self.overlap_predicted += len(used)

    def scores(self) -> dict[str, dict[str, float]]:
        """Precision, recall and F1 for exact and overlap matching."""
        out = {}
        for mode, tp_p, tp_g in (
            ("exact", self.exact, self.exact),
            ("overlap", self.overlap_predicted, self.overlap_gold),
        ):
            p = tp_p / self.predicted if self.predicted else (1.0 if not self.gold else 0.0)
            r = tp_g / self.gold if self.gold else 1.0
            f = 2 * p * r / (p + r) if p + r else 0.0
            out[mode] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}
        return out


@dataclass
class Result:
    """Scores of one system on one data set."""

    dataset: str
    system: str
    texts: int
    seconds: float
    counts: dict[str, Counts] = field(default_factory=dict)

    def as_dict(self) -> dict:
        """The ``--json`` shape."""
        return {
            "dataset": self.dataset,
            "system": self.system,
            "texts": self.texts,
            "seconds": round(self.seconds, 2),
            "texts_per_second": round(self.texts / self.seconds, 1) if self.seconds else None,
            "types": {
                t: {"gold": c.gold, "predicted": c.predicted, **c.scores()}
                for t, c in sorted(self.counts.items())
            },
        }


# ---------------------------------------------------------------- data


def load_persons(path: Path = COLLECTION5) -> list[dict]:
    """A ``{"text", "persons": [{"start", "end"}]}`` corpus as labelled records (-> PERSON).

    Collection5's PER spans and factRuEval-2016's person mentions share this shape.
    """
    records = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            ents = [
                {"type": "PERSON", "start": p["start"], "end": p["end"]} for p in row["persons"]
            ]
            records.append({"text": row["text"], "entities": ents, "kind": "news"})
    return records


def load_jsonl(path: Path) -> list[dict]:
    """One labelled record a line."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def check_records(name: str, records: list[dict]) -> list[str]:
    """Problems in labelled records: spans out of range, untrimmed, overlapping, implausible."""
    problems = []
    for n, rec in enumerate(records, 1):
        text = rec.get("text")
        if not isinstance(text, str) or rec.get("kind") not in (
            "short",
            "form",
            "negative",
            "news",
        ):
            problems.append(f"{name}:{n}: text or kind missing")
            continue
        spans = sorted((e["start"], e["end"], e["type"]) for e in rec.get("entities", []))
        for (s, e, t), nxt in zip(spans, [*spans[1:], None], strict=False):
            piece = text[s:e] if 0 <= s < e <= len(text) else ""
            if not piece:
                problems.append(f"{name}:{n}: {t} {s}-{e} out of range")
                continue
            if piece != piece.strip(" \t\n,;:!?()«»\"'") and not piece.endswith("."):
                problems.append(f"{name}:{n}: {t} {s}-{e} untrimmed")
            if nxt and nxt[0] < e:
                problems.append(f"{name}:{n}: {t} {s}-{e} overlaps the next span")
            if t == "EMAIL_ADDRESS" and "@" not in piece:
                problems.append(f"{name}:{n}: EMAIL {s}-{e} has no @")
            if t == "PHONE_NUMBER" and sum(ch.isdigit() for ch in piece) < 10:
                problems.append(f"{name}:{n}: PHONE {s}-{e} has under 10 digits")
            if t == "PERSON" and (any(ch.isdigit() for ch in piece) or not piece[0].isalpha()):
                problems.append(f"{name}:{n}: PERSON {s}-{e} does not look like a name")
            if s > 0 and text[s - 1].isalnum() or e < len(text) and text[e].isalnum():
                problems.append(f"{name}:{n}: {t} {s}-{e} cuts a word")
    return problems


# ---------------------------------------------------------------- systems


def build_analyzer(only: str | None):  # noqa: ANN201
    """pdaudit's fast path with every registry recognizer that imports (others are reported)."""
    from pdaudit.recognizers.registry import DEFAULT_CONFIG, RegistryError, load_config
    from pdaudit.scanner.analysis import Analyzer

    try:
        recognizers = load_config(DEFAULT_CONFIG)
    except RegistryError:
        import yaml

        recognizers = []
        config = yaml.safe_load(DEFAULT_CONFIG.read_text("utf-8"))
        for entry in config.get("recognizers", []):
            module, _, cls = entry["class"].partition(":")
            try:
                recognizers.append(getattr(importlib.import_module(module), cls)())
            except (ImportError, AttributeError) as exc:
                print(f"note: {entry['class']} not available ({exc})", file=sys.stderr)
    return Analyzer(recognizers, entities=[only] if only else None)


def run_pdaudit(analyzer, records: list[dict]) -> list[list[Span]]:  # noqa: ANN001
    """Spans our analysis reports for each record.

    A record may carry ``"context"``: the tokens of the field name it was stored under (a short
    cell such as "012345678" is an ID number only because its column is ``udostoverenie_no``).
    Records are analysed in groups sharing one context, as the scanner analyses a column.
    """
    groups: dict[tuple[str, ...], list[int]] = {}
    for i, r in enumerate(records):
        groups.setdefault(tuple(r.get("context") or ()), []).append(i)
    out: list[list[Span]] = [[] for _ in records]
    for ctx, idx in groups.items():
        found = analyzer.analyze_batch([records[i]["text"] for i in idx], context=list(ctx))
        for i, ents in zip(idx, found, strict=True):
            out[i] = [(e.type, e.start, e.end) for e in ents]
    return out


def run_natasha(records: list[dict]) -> list[list[Span]]:
    """natasha's ``NewsNERTagger`` alone: PER spans as PERSON, nothing else."""
    from natasha import NewsEmbedding, NewsNERTagger

    tagger = NewsNERTagger(NewsEmbedding())
    markups = tagger.map([r["text"] for r in records])
    return [[("PERSON", s.start, s.stop) for s in m.spans if s.type == "PER"] for m in markups]


def score(
    dataset: str,
    system: str,
    records: list[dict],
    predicted: list[list[Span]],
    seconds: float,
    only: str | None,
) -> Result:
    """Count spans per type; a data set is scored only on the types it labels."""
    types = {e["type"] for r in records for e in r["entities"]}
    if only:
        types &= {only}
    result = Result(dataset, system, len(records), seconds)
    for rec, pred in zip(records, predicted, strict=True):
        by_gold: dict[str, list[Span]] = defaultdict(list)
        by_pred: dict[str, list[Span]] = defaultdict(list)
        for e in rec["entities"]:
            by_gold[e["type"]].append((e["type"], e["start"], e["end"]))
        for span in pred:
            by_pred[span[0]].append(span)
        for t in types:
            result.counts.setdefault(t, Counts()).add(by_gold[t], by_pred[t])
    return result


def print_errors(name: str, records: list[dict], predicted: list[list[Span]], only: str) -> None:
    """pdaudit's misses (FN) and inventions (FP) of one type, by overlap, one line each."""
    for n, (rec, pred) in enumerate(zip(records, predicted, strict=True), 1):
        text = rec["text"]
        gold = [(e["start"], e["end"]) for e in rec["entities"] if e["type"] == only]
        got = [(s, e) for t, s, e in pred if t == only]
        for tag, mine, other in (("FN", gold, got), ("FP", got, gold)):
            for s, e in mine:
                if not any(os_ < e and s < oe for os_, oe in other):
                    around = text[max(0, s - 30) : e + 30].replace("\n", " ")
                    print(f"{name}:{n} {tag} [{text[s:e]}]  …{around}…")
        for s, e in gold:
            for ps, pe in got:
                if ps < e and s < pe and (ps, pe) != (s, e):
                    print(f"{name}:{n} SPAN [{text[s:e]}] -> [{text[ps:pe]}]")


# ---------------------------------------------------------------- main


def datasets(limit: int | None) -> list[tuple[str, list[dict]]]:
    """(name, records) of every data set present."""
    out = []
    for name, path in (("factru-dev", FACTRU), ("collection5", COLLECTION5)):
        if path.exists():
            out.append((name, load_persons(path)[:limit]))
        else:
            print(f"note: {path} is missing: {name} skipped", file=sys.stderr)
    for path in sorted(DATA.glob("*.jsonl")):
        records = load_jsonl(path)
        if records and "text" not in records[0]:
            continue  # not a set of labelled texts (thirdparty.jsonl labels field names)
        out.append((path.stem, records[:limit]))
    return out


def print_table(results: list[Result]) -> None:
    """One line per data set, system and type."""
    head = f"{'data set':22} {'system':8} {'type':16} {'gold':>6} {'pred':>6}"
    head += "  exact P / R / F1       overlap P / R / F1    texts/s"
    print(head)
    print("-" * len(head))
    for res in results:
        rate = f"{res.texts / res.seconds:9.0f}" if res.seconds else ""
        for t, c in sorted(res.counts.items()):
            s = c.scores()
            ex, ov = s["exact"], s["overlap"]
            print(
                f"{res.dataset:22} {res.system:8} {t:16} {c.gold:6} {c.predicted:6}"
                f"  {ex['precision']:.3f} {ex['recall']:.3f} {ex['f1']:.3f}"
                f"    {ov['precision']:.3f} {ov['recall']:.3f} {ov['f1']:.3f}  {rate}"
            )


def main(argv: list[str] | None = None) -> int:
    """Evaluate and print the table (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="one entity type, e.g. PERSON")
    parser.add_argument("--limit", type=int, help="first N texts of each data set")
    parser.add_argument("--json", action="store_true", help="machine-readable results")
    parser.add_argument("--check", action="store_true", help="only check the labelled files")
    parser.add_argument(
        "--errors", metavar="TYPE", help="list pdaudit's misses and false finds of TYPE"
    )
    parser.add_argument("--sets", nargs="+", metavar="NAME", help="only these data sets")
    parser.add_argument("--no-natasha", action="store_true", help="skip the natasha baseline")
    args = parser.parse_args(argv)

    sets = [(n, r) for n, r in datasets(args.limit) if not args.sets or n in args.sets]
    problems = [p for name, recs in sets for p in check_records(name, recs)]
    if args.check:
        for p in problems:
            print(p)
        print(f"{sum(len(r) for _, r in sets)} records, {len(problems)} problems")
        return 1 if problems else 0
    if problems:
        # Collection5's own spans include surrounding spaces; --check lists every case.
        print(f"note: {len(problems)} labelled spans are untidy (see --check)", file=sys.stderr)

    sys.path.insert(0, str(ROOT))
    analyzer = build_analyzer(args.only)
    results: list[Result] = []
    for name, records in sets:
        t0 = time.perf_counter()
        predicted = run_pdaudit(analyzer, records)
        if args.errors:
            print_errors(name, records, predicted, args.errors)
        results.append(
            score(name, "pdaudit", records, predicted, time.perf_counter() - t0, args.only)
        )
        labelled = {e["type"] for r in records for e in r["entities"]}
        if not args.no_natasha and "PERSON" in labelled and args.only in (None, "PERSON"):
            t0 = time.perf_counter()
            predicted = run_natasha(records)
            results.append(
                score(name, "natasha", records, predicted, time.perf_counter() - t0, "PERSON")
            )
    if args.json:
        print(json.dumps([r.as_dict() for r in results], ensure_ascii=False, indent=2))
    else:
        print_table(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
