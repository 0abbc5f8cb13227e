"""``Analyzer.analyze_batch``'s ways through a batch (all texts distinct and new, some held by
the cache, duplicates, empty texts) give what each text analysed alone gives."""

from __future__ import annotations

import random

from test_search import TEXTS

from pdaudit.scanner.analysis import Analyzer

TEXTS_OK = [t for t in TEXTS if t.isprintable() and t]


def _alone(texts: list[str], context: list[str]) -> list[list]:
    analyzer = Analyzer(cache_size=0)
    return [analyzer.analyze(t, context) for t in texts]


def test_batches_equal_texts_alone():
    rng = random.Random(3)
    variants = [t.replace("1", str(rng.randint(0, 9))) for t in TEXTS_OK for _ in range(3)]
    pool = list(dict.fromkeys(TEXTS_OK + variants))
    for context in ([], ["phone"], ["fio"]):
        want = dict(zip(pool, _alone(pool, context), strict=True))
        want[""] = []
        for cache_size in (0, 200_000):
            analyzer = Analyzer(cache_size=cache_size)
            batches = [
                pool[: len(pool) // 2],  # distinct, new: the results in the texts' order
                pool,  # half held by the cache
                pool[::-1] + ["", ""] + pool[:5],  # duplicates and empty texts
                rng.sample(pool, 10),  # all held
            ]
            for batch in batches:
                for fresh in (True, False):
                    got = analyzer.analyze_batch(batch, context, fresh=fresh)
                    assert got == [want[t] for t in batch], (context, cache_size)


def test_fresh_lists_are_the_callers_own():
    analyzer = Analyzer()
    texts = ["+7 701 123 45 67", "ИИН 900101300126"]
    first = analyzer.analyze_batch(texts)
    first[0].clear()
    assert analyzer.analyze_batch(texts)[0] != []
