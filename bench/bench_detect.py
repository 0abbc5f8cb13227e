"""``pdaudit detect`` throughput against plain Presidio, in one process, with F1 beside it.

    .venv/bin/python bench/bench_detect.py [--cells 100000] [--sentences 2000] [--baseline 3000]

Two workloads of invented data (``sample_data/generate.py``'s seeded Faker): short database-like
cells (names in the generator's forms, e-mails, KZ phones, IINs, addresses, plus order numbers,
SKUs, prices, timestamps and course titles as negatives) and ~300-character support messages.
pdaudit runs ``detect`` on every text (one ``Analyzer``, batches of 2,000 lines, as the CLI does);
plain Presidio is ``AnalyzerEngine`` with a blank Russian spaCy, Presidio's predefined e-mail,
phone, card, IBAN and IP recognizers and a natasha PERSON recognizer, one ``analyze()`` per text,
timed on a subsample (``--baseline`` texts) whose rate is extrapolated. F1 is one decision per
text and type on that same subsample, for the types plain Presidio covers and for all types.
Birth dates are not labelled: in a bare line nothing says a date is one (``scan`` has the column
name for that).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import synth  # noqa: E402

from bench import PRESIDIO_TYPES, plain_presidio, score  # noqa: E402
from sample_data.generate import Faker  # noqa: E402

COURSES = ["Алгебра 7 класс", "Пушкин: лирика", "Английский для начинающих", "Физика ЕНТ"]


def short_cells(n: int, seed: int = 11) -> list[tuple[str, str, set[str]]]:
    """``n`` cells ``(column, text, types)``; about a third hold no personal data."""
    faker = Faker(seed)
    rng = random.Random(seed)
    out: list[tuple[str, str, set[str]]] = []
    while len(out) < n:
        p = faker.person()
        out += [
            ("fio", faker.fio(p), {"PERSON"}),
            ("email", faker.email(p), {"EMAIL_ADDRESS"}),
            ("phone", faker.phone(), {"PHONE_NUMBER"}),
            ("iin", faker.iin(p), {"KZ_IIN"}),
            ("address", faker.address(), {"ADDRESS"}),
            ("order_no", str(faker.order_no()), set()),
            ("sku", str(rng.randint(100_000_000, 999_999_999)), set()),
            ("price", f"{rng.randint(5, 200) * 500}.00", set()),
            ("created_at", faker.moment(), set()),
            ("course", rng.choice(COURSES), set()),
        ]
    return out[:n]


def sentences(n: int, seed: int = 12) -> list[tuple[str, str, set[str]]]:
    faker = Faker(seed)
    rng = random.Random(seed + 1)
    out = []
    for _ in range(n):
        text, kinds = synth.message(faker, rng)
        out.append(("body", text, set(kinds)))
    return out


def run_pdaudit(texts: list[str]) -> tuple[float, list[set[str]]]:
    from pdaudit.scanner.detect import detect_lines

    started = time.perf_counter()
    predicted = [{e.type for e in ents} for _, _, ents in detect_lines(texts, min_score=0.4)]
    return time.perf_counter() - started, predicted


def run_presidio(engine, texts: list[str]) -> tuple[float, list[set[str]]]:  # noqa: ANN001
    started = time.perf_counter()
    predicted = [
        {r.entity_type for r in engine.analyze(text=t, language="ru", score_threshold=0.4)}
        for t in texts
    ]
    return time.perf_counter() - started, predicted


def workload(name: str, data: list, engine, n_base: int) -> None:  # noqa: ANN001
    texts = [t for _, t, _ in data]
    # a fresh process-wide state per workload: the cache must not carry over between them
    seconds, predicted = run_pdaudit(texts)
    rate = len(texts) / seconds
    rng = random.Random(5)
    idx = sorted(rng.sample(range(len(data)), min(n_base, len(data))))
    sub = [data[i] for i in idx]
    base_seconds, base_pred = run_presidio(engine, [t for _, t, _ in sub])
    base_rate = len(sub) / base_seconds
    ours = score(sub, [predicted[i] for i in idx])
    theirs = score(sub, base_pred)
    print(
        f"\n== {name}: {len(texts):,} texts, average {sum(map(len, texts)) / len(texts):.0f} chars"
    )
    print(f"pdaudit detect   {rate:>10,.0f} texts/s  ({seconds:.1f} s for all)")
    print(f"plain Presidio   {base_rate:>10,.0f} texts/s  (on {len(sub):,} texts, extrapolated)")
    print(f"speed-up         {rate / base_rate:>10.1f}x")
    print(
        f"micro F1 (Presidio's types)   pdaudit {ours['micro_f1_presidio_types']:.3f}   "
        f"Presidio {theirs['micro_f1_presidio_types']:.3f}"
    )
    print(
        f"micro F1 (all types)          pdaudit {ours['micro_f1']:.3f}   Presidio {theirs['micro_f1']:.3f}"
    )
    for t in sorted(set(ours["f1"]) | set(theirs["f1"])):
        print(
            f"  {t:<15} support {ours['support'].get(t, 0):>5}  pdaudit F1 {ours['f1'].get(t, 1.0):.3f}"
            f"  Presidio F1 {theirs['f1'].get(t, 1.0):.3f}"
            + ("" if t in PRESIDIO_TYPES else "  (no Presidio recognizer)")
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=100_000)
    parser.add_argument("--sentences", type=int, default=2_000)
    parser.add_argument("--baseline", type=int, default=3_000, help="texts timed for Presidio")
    args = parser.parse_args()
    engine = plain_presidio()
    warm = "Вчера Медведев провёл совещание с губернаторами в Сочи."
    engine.analyze(text=warm, language="ru")  # load natasha before timing
    from pdaudit.scanner.detect import detect_lines

    list(detect_lines([warm]))  # and pdaudit's lexicons and natasha
    workload("short database-like cells", short_cells(args.cells), engine, args.baseline)
    workload(
        "~300-character sentences", sentences(args.sentences), engine, min(args.baseline, 1000)
    )


if __name__ == "__main__":
    main()
