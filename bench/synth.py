"""A synthetic Mirum-like database of any size, with the entity types of every cell known.

People, numbers and addresses come from ``sample_data/generate.py``'s seeded ``Faker`` (invented
values, checksummed identifiers computed there). ``users`` holds one type per column;
``support_messages`` holds ~300-character texts that mention names, phones, IINs, e-mails and
cards, with the types each text holds written to a sidecar labels file (``<db>.labels.json``)
keyed by message id, so nothing in the scanned database gives the answers away.
"""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path

from sample_data.generate import Faker

#: Scanned tables and their columns (``id`` is the key and is read too).
TABLES = {
    "users": ["id", "fio", "email", "phone", "iin", "birth_date", "address", "created_at"],
    "support_messages": ["id", "user_id", "body"],
}
#: The type each ``users`` column holds (``created_at``, ``id`` hold none).
USER_LABELS = {
    "fio": "PERSON",
    "email": "EMAIL_ADDRESS",
    "phone": "PHONE_NUMBER",
    "iin": "KZ_IIN",
    "birth_date": "DATE_OF_BIRTH",
    "address": "ADDRESS",
}
#: One support message per this many users.
MESSAGE_EVERY = 10
FILLER = [
    "Здравствуйте, не могу открыть урок по математике, пишет ошибку загрузки.",
    "Оплатил курс, но доступ так и не появился, прошу проверить заказ № {order}.",
    "Ребёнок занимается уже третий месяц, всё нравится, спасибо преподавателям.",
    "Подскажите, как сменить тариф на семейный и будет ли перерасчёт.",
    "Видео тормозит по вечерам, интернет в порядке, браузер обновлён.",
    "Прошу вернуть деньги за неиспользованный период, курс нам не подошёл.",
    "Когда откроется запись на летний интенсив по английскому языку?",
]
MENTIONS = {
    "PERSON": lambda f, p: f"Меня зовут {p['first']} {p['last']}.",
    "PHONE_NUMBER": lambda f, p: f"Перезвоните мне по номеру {f.phone()}.",
    "KZ_IIN": lambda f, p: f"ИИН ученика {f.iin(p)}.",
    "EMAIL_ADDRESS": lambda f, p: f"Ответ пришлите на {f.email(p)}.",
    "CREDIT_CARD": lambda f, p: f"Списали с карты {f.card()} дважды.",
}


def user_rows(faker: Faker, start: int, n: int):  # noqa: ANN201
    """``n`` users from id ``start`` on."""
    for i in range(start, start + n):
        p = faker.person()
        yield (
            i,
            faker.fio(p),
            faker.email(p),
            faker.phone(),
            faker.iin(p),
            p["birth"].isoformat(),
            faker.address(),
            faker.moment(),
        )


def message(faker: Faker, rng: random.Random) -> tuple[str, list[str]]:
    """A ~300-character support message and the types it mentions."""
    p = faker.person()
    kinds = [k for k in MENTIONS if rng.random() < 0.35]
    parts = [rng.choice(FILLER).format(order=rng.randint(1000, 99999)) for _ in range(2)]
    parts += [MENTIONS[k](faker, p) for k in kinds]
    rng.shuffle(parts)
    text = " ".join(parts)
    while len(text) < 280:
        text += " " + rng.choice(FILLER).format(order=rng.randint(1000, 99999))
    return text, kinds


def write_sqlite(path: str, rows: int, seed: int = 1) -> None:
    """``rows`` users and ``rows // MESSAGE_EVERY`` support messages, streamed in chunks."""
    faker = Faker(seed)
    rng = random.Random(seed + 1)
    conn = sqlite3.connect(path)
    conn.executescript(
        """
        PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
        CREATE TABLE users (id INTEGER PRIMARY KEY, fio TEXT, email TEXT, phone TEXT, iin TEXT,
                            birth_date TEXT, address TEXT, created_at TEXT);
        CREATE TABLE support_messages (id INTEGER PRIMARY KEY, user_id INTEGER, body TEXT);
        """
    )
    chunk = 50_000
    for start in range(1, rows + 1, chunk):
        n = min(chunk, rows + 1 - start)
        conn.executemany("INSERT INTO users VALUES (?,?,?,?,?,?,?,?)", user_rows(faker, start, n))
    labels = {}
    for i in range(1, rows // MESSAGE_EVERY + 1):
        text, kinds = message(faker, rng)
        labels[i] = kinds
        conn.execute("INSERT INTO support_messages VALUES (?,?,?)", (i, rng.randint(1, rows), text))
    conn.commit()
    conn.close()
    Path(path + ".labels.json").write_text(json.dumps(labels))


def write_many_tables(path: str, tables: int, rows: int, seed: int = 1) -> None:
    """``tables`` copies of the users table shape, ``rows`` rows each."""
    faker = Faker(seed)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = OFF")
    for t in range(tables):
        conn.execute(
            f"CREATE TABLE users_{t:02d} (id INTEGER PRIMARY KEY, fio TEXT, email TEXT, "
            "phone TEXT, iin TEXT, birth_date TEXT, address TEXT, created_at TEXT)"
        )
        conn.executemany(
            f"INSERT INTO users_{t:02d} VALUES (?,?,?,?,?,?,?,?)", user_rows(faker, 1, rows)
        )
    conn.commit()
    conn.close()


def subsample(path: str, n: int, seed: int = 7) -> list[tuple[str, str, set[str]]]:
    """``n`` labelled cells ``(field, text, types)``: half from users' columns, half messages."""
    labels = {
        int(k): set(v) for k, v in json.loads(Path(path + ".labels.json").read_text()).items()
    }
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    rng = random.Random(seed)
    n_users = conn.execute("SELECT max(id) FROM users").fetchone()[0]
    cols = list(USER_LABELS) + ["created_at"]
    out = []
    for uid in sorted(rng.sample(range(1, n_users + 1), min(n_users, n // 2 // len(cols) + 1))):
        row = conn.execute(f"SELECT {', '.join(cols)} FROM users WHERE id = ?", (uid,)).fetchone()
        for col, value in zip(cols, row, strict=True):
            gold = {USER_LABELS[col]} if col in USER_LABELS else set()
            out.append((col, value, gold))
    for mid in sorted(rng.sample(sorted(labels), min(len(labels), n - len(out)))):
        body = conn.execute("SELECT body FROM support_messages WHERE id = ?", (mid,)).fetchone()[0]
        out.append(("body", body, labels[mid]))
    conn.close()
    return out[:n]
