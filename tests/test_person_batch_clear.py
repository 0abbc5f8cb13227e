"""PERSON's batch step for blank-less ASCII texts (``_ascii_nameless_each``) against the
per-text test and the full path."""

from __future__ import annotations

import random
import string

import pytest
from test_person_fastpath import TRICKY_SPACELESS, found, full_path

from pdaudit.recognizers.person import PersonRecognizer, shortcuts
from pdaudit.recognizers.person.shortcuts import (
    _ascii_active,
    _ascii_nameless,
    _ascii_nameless_each,
)


def per_text(texts: list) -> list[bool]:
    return [isinstance(t, str) and _ascii_nameless(t) for t in texts]


ACTIVE = sorted(run.decode() for run in _ascii_active())
PIECES = [
    *ACTIVE,
    *(w.upper() for w in ACTIVE[:3]),
    "ivan",
    "petrov",
    "aigerim",
    "fam",
    "ily",
    "na",
    "me",
    "84",
    "@",
    ".",
    "_",
    "-",
    "'",
    "/",
    "?",
    " ",
    "\t",
    "\n",
    "\x1c",
    "\x0b",
    "\0",
    "\x7f",
    "\x80",
    "I",
    "Z",
    "и",
    "ә",
    "\ud800",
    "\U0001d400",
    "",
]


def random_text(rng: random.Random, ascii_only: bool) -> str:
    pieces = [p for p in PIECES if p.isascii()] if ascii_only else PIECES
    return "".join(rng.choice(pieces) for _ in range(rng.randint(0, 6)))


def e_mail(rng: random.Random) -> str:
    name = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(1, 12)))
    return (
        f"{name}{rng.choice(['', '_', '.'])}{rng.randint(0, 99)}@{rng.choice(['mail.kz', 'bk.ru'])}"
    )


@pytest.mark.parametrize("seed", range(40))
def test_batches_agree_with_the_per_text_test(seed):
    rng = random.Random(seed)
    clean = [e_mail(rng) for _ in range(rng.randint(0, 60))]
    odd = [random_text(rng, ascii_only=seed % 2 == 0) for _ in range(rng.randint(0, 8))]
    batch = clean + odd
    rng.shuffle(batch)
    assert _ascii_nameless_each(batch) == per_text(batch)
    assert _ascii_nameless_each(clean) == per_text(clean)
    for text in odd:  # each odd text alone and among clean e-mails, at either end
        for texts in ([text], [text, *clean], [*clean, text]):
            assert _ascii_nameless_each(texts) == per_text(texts), texts


@pytest.mark.parametrize(
    "texts",
    [
        [],
        [""],
        ["", ""],
        ["ivan@x.kz", None],
        [None, "ivan@x.kz"],
        ["ivan@x.kz", 12],
        ["fam", "ily@x.kz"],  # runs do not join across texts
        ["name", "x"],
        ["x", "name"],
        ["ivan\0name@x.kz", "petrov@x.kz"],  # a NUL of its own
        ["ivan\0petrov@x.kz", "Petrov@x.kz"],
        ["ivan@x.kz", "ivan\ud800@x.kz"],
        ["ivan@x.kz", "иван@x.kz"],
        ["ivan@x.kz", "ivan petrov"],
        ["ivan@x.kz", "ivan_uly@x.kz"],
        ["ivan@x.kz", "a" * 20_000, "a." * 10_000 + "name"],
        TRICKY_SPACELESS,
    ],
)
def test_edge_batches_agree_with_the_per_text_test(texts):
    assert _ascii_nameless_each(texts) == per_text(texts)


@pytest.mark.parametrize("context", [None, ["email"], ["name"]])
def test_findings_of_a_batch_are_the_full_path(context):
    rng = random.Random(7)
    batch = [e_mail(rng) for _ in range(50)] + TRICKY_SPACELESS
    rng.shuffle(batch)
    field = "name" if context == ["name"] else None
    got = found(batch, context, PersonRecognizer())
    assert got == [full_path(t, field) for t in batch]
    assert got == [found([t], context, PersonRecognizer())[0] for t in batch]


def test_a_batch_of_e_mails_is_cleared_by_the_batch_step(monkeypatch):
    rng = random.Random(3)
    batch = [e_mail(rng) for _ in range(500)]
    rec = PersonRecognizer()

    def no_per_text(text: str) -> bool:
        raise AssertionError(f"read one by one: {text}")

    monkeypatch.setattr(shortcuts, "_ascii_nameless", no_per_text)
    assert rec.findings(batch, ["PERSON"], None) == [[] for _ in batch]
    assert rec._shapes.get(None, {}) == {}  # no text went down the shape path


def test_only_the_odd_texts_of_a_batch_are_read_again(monkeypatch):
    rng = random.Random(4)
    batch = [e_mail(rng) for _ in range(500)]
    batch[10], batch[300] = "Ivan.Petrov@mail.ru", "name.surname@mail.kz"
    expected = per_text(batch)
    read: list[str] = []
    real = shortcuts._ascii_nameless

    def counted(text: str) -> bool:
        read.append(text)
        return real(text)

    monkeypatch.setattr(shortcuts, "_ascii_nameless", counted)
    assert _ascii_nameless_each(batch) == expected
    assert read == []
    assert [i for i, ok in enumerate(expected) if not ok] == [10, 300]
