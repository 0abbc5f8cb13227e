"""The e-mail validity shortcut (plain local part: the domain decides) agrees with
email-validator on every address, including the ones it rejects for their domain or length."""

from __future__ import annotations

import random
import string

import pytest

from pdaudit.recognizers import email_address

DOMAINS = [
    "mail.kz", "a-b.kz", "-a.kz", "a-.kz", "localhost", "test", "ex.test", "example.com",
    "a..b", "1.2", "b.123", "почта.рф", "a_b.kz", "xn--80a.kz", "abc.invalid", "abc.local",
    "abc.onion", "a.arpa", "d" * 63 + ".kz", "d" * 64 + ".kz", ("d" * 60 + ".") * 4 + "kz",
]  # fmt: skip


@pytest.mark.parametrize(
    ("address", "valid"),
    [
        ("ivan.petrov@mail.kz", True),
        ("ivan.petrov@localhost", False),
        ("ivan..petrov@mail.kz", False),
        ("i" * 64 + "@mail.kz", True),
        ("i" * 65 + "@mail.kz", True),  # email-validator lets a long local part pass; so do we
        ("ivan@" + "d" * 64 + ".kz", False),
        ("ivan@-a.kz", False),
        ("иван@почта.рф", True),
    ],
)
def test_known_addresses(address: str, valid: bool) -> None:
    assert email_address.is_valid(address) is valid
    assert email_address._validate(address) is valid


def test_shortcut_agrees_with_email_validator() -> None:
    rng = random.Random(5)
    alphabet = string.ascii_letters + string.digits + "._+-'%!#"
    plain = 0
    for _ in range(20_000):
        n = rng.choice([1, 2, 5, 10, 30, 63, 64, 65, 70])
        local = "".join(rng.choice(alphabet) for _ in range(n))
        address = f"{local}@{rng.choice(DOMAINS)}"
        plain += bool(email_address._PLAIN_LOCAL.match(local))
        assert email_address.is_valid(address) == email_address._validate(address), address
    assert plain > 1_000  # the shortcut itself was exercised


def _candidate_texts(seed: int) -> list[str]:
    """Texts with "@" in every place a search start could matter: local parts of 1-70
    characters (the longest match is 64), masks and glue before them, several addresses, "@"
    that starts no address, long words before and between them."""
    rng = random.Random(seed)
    pieces = [
        "a", "ivan.petrov", "i" * 63, "i" * 64, "i" * 65, "i" * 70, "@", "@@", "***", "•", "-",
        ".", " ", ", ", "почта: ", "mail.kz", "@mail.kz", "@почта.рф", "@x", "@2x.png", "#",
        "x" * 40, "слово" * 12, "\n", "'", "%", "+7", "a@b.kz", "иван@почта.рф", "@-a.kz",
    ]  # fmt: skip
    texts = []
    for _ in range(6_000):
        texts.append("".join(rng.choice(pieces) for _ in range(rng.randrange(1, 12))))
    return texts


def test_candidates_equal_finditer() -> None:
    """``_candidates`` starts each search near the next "@": the same matches as a plain
    ``finditer`` over the whole text."""
    found = 0
    for text in _candidate_texts(7):
        expected = [
            (m.start(), m.end(), m.group()) for m in email_address._CANDIDATE.finditer(text)
        ]
        assert [tuple(c) for c in email_address._candidates(text)] == expected, text
        found += len(expected)
    assert found > 1_500


def test_whole_validity_equals_is_valid_of_whole_candidates() -> None:
    """The plain-address shortcut of ``whole_validity`` (one regex, the domain's verdict looked
    up) gives what ``is_valid`` gives for a text that ``_CANDIDATE`` matches whole, at every
    edge: local parts of 64/65 characters, labels of 63/64, 9/10 labels, 254/255 characters,
    file suffixes in any case, non-ASCII letters, a trailing newline."""
    rng = random.Random(11)
    locals_ = ["a", "ivan.petrov", "a_b+c-d", "a..b", ".a", "a.", "i" * 64, "i" * 65, "Иван"]
    domains = [
        *DOMAINS, "x.PNG", "x.Png", "icon.pdf", "mail.kz.", "mail..kz",
        ".".join(["a"] * 9), ".".join(["a"] * 10), ("d" * 63 + ".") * 3 + "kz",
        ("d" * 63 + ".") * 3 + "d" * 60 + ".kz",
    ]  # fmt: skip
    texts = []
    for _ in range(5_000):
        text = f"{rng.choice(locals_)}@{rng.choice(domains)}"
        texts.append(text + rng.choice(["", "", "", "\n", " ", ","]))
    texts += ["i" * 64 + "@" + ("d" * 63 + ".") * 2 + "d" * k + ".kz" for k in (58, 59, 60)]
    expected = []
    for text in texts:
        m = email_address._CANDIDATE.match(text)
        expected.append(email_address.is_valid(text) if m and m.end() == len(text) else None)
    assert email_address.whole_validity(texts) == expected
    plain = [t for t in texts if email_address._PLAIN_WHOLE.fullmatch(t)]
    assert len(plain) > 500
    assert {len(t) for t in plain} >= {254, 255}
    assert {email_address.whole_validity([t])[0] for t in plain} == {True, False}
