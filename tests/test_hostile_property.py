"""Property: whatever names and values hold (random identifiers wrapped in random markup), no raw
identifier reaches any report format or log line.

Each example writes an upload folder (a CSV named after an identifier, with a column named after
another, holding a third in its cells, and a JSON map keyed by one) and an SQLite file whose
table and column are named likewise, scans both in one process with one analyser, and renders
the report in every format.
"""

from __future__ import annotations

import io
import json
import logging
import shutil
import sqlite3
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pdaudit.recognizers.checksums import mod11_two_pass
from pdaudit.scanner.analysis import Analyzer
from pdaudit.scanner.policy import load_policy
from pdaudit.scanner.reports import render
from pdaudit.scanner.sampling import Sampling
from pdaudit.scanner.scan import ScanOptions, scan

EXAMPLES = 30
#: Markup of every output the report goes to: rich, HTML, Markdown, shells, terminals.
MARKUP = ["[/bold]", "[red]", "<b>", "</td>", "<script>", "&amp;", "`", "**", "$(", "\x1b[2J",
          "\u202e", "{{", "%s", "'", "\\", "#", ")", "(", "[", "]", "-", "_", ".", " "]  # fmt: skip


@st.composite
def iins(draw: st.DrawFn) -> str:
    """A valid synthetic ИИН: a date, a century-and-sex digit, a serial, the check digit."""
    while True:
        yy = draw(st.integers(0, 99))
        mm = draw(st.integers(1, 12))
        dd = draw(st.integers(1, 28))
        century = draw(st.sampled_from("3456"))
        serial = draw(st.integers(0, 9999))
        body = f"{yy:02d}{mm:02d}{dd:02d}{century}{serial:04d}"
        check = mod11_two_pass(body)
        if check is not None:
            return body + str(check)


emails = st.builds(
    lambda user, host, tld: f"{user}@{host}.{tld}",
    st.text("abcdefghijklmnopqrstuvwxyz0123456789._", min_size=3, max_size=12).filter(
        lambda u: u[0].isalnum() and u[-1].isalnum() and ".." not in u
    ),
    st.text("abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=8),
    st.sampled_from(["kz", "ru", "com", "org"]),
)
identifiers = st.one_of(iins(), emails)
markup = st.lists(st.sampled_from(MARKUP), max_size=3).map("".join)


@st.composite
def names(draw: st.DrawFn) -> tuple[str, str]:
    """A name that holds an identifier among markup, and the identifier."""
    ident = draw(identifiers)
    before, after = draw(markup), draw(markup)
    # A separator keeps an e-mail's address apart from the markup glued to it.
    return f"{before} {ident} {after}".strip(), ident


def file_name(name: str) -> str:
    return name.replace("/", "_").replace("\\", "_").replace("\x00", "_") or "x"


_ANALYZER: list[Analyzer] = []


def analyzer() -> Analyzer:
    if not _ANALYZER:
        _ANALYZER.append(Analyzer())
    return _ANALYZER[0]


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=True,
)
@given(
    file=names(),
    column=names(),
    table=names(),
    key=names(),
    values=st.lists(identifiers, min_size=1, max_size=4),
)
def test_no_raw_identifier_in_any_output(
    file: tuple[str, str],
    column: tuple[str, str],
    table: tuple[str, str],
    key: tuple[str, str],
    values: list[str],
) -> None:
    folder = Path(tempfile.mkdtemp(prefix="pdaudit-prop-"))
    log = io.StringIO()
    handler = logging.StreamHandler(log)
    logger = logging.getLogger("pdaudit")
    logger.addHandler(handler)
    try:
        uploads = folder / "uploads"
        uploads.mkdir()
        header = column[0].replace('"', "'")
        rows = "".join(f'"{v}"\n' for v in values)
        (uploads / f"{file_name(file[0])}.csv").write_text(f'"{header}"\n{rows}', "utf-8")
        (uploads / "map.json").write_text(json.dumps({key[0]: values[0]}), "utf-8")
        db = folder / "data.db"
        con = sqlite3.connect(db)
        quoted_table = table[0].replace('"', '""')
        quoted_column = column[0].replace('"', '""')
        con.execute(f'CREATE TABLE "{quoted_table}" ("{quoted_column}" TEXT)')
        con.executemany(f'INSERT INTO "{quoted_table}" VALUES (?)', [(v,) for v in values])
        con.commit()
        con.close()
        report = scan(
            [str(uploads), str(db)],
            load_policy(None),
            ScanOptions(sampling=Sampling(mode="full")),
            analyzer=analyzer(),
        )
        outputs = {fmt: render(report, fmt) for fmt in ("json", "text", "html", "sarif")}
        outputs["log"] = log.getvalue()
        raw = {file[1], column[1], table[1], key[1], *values}
        for fmt, text in outputs.items():
            for ident in raw:
                assert ident not in text, (fmt, ident)
                # The HTML and SARIF outputs escape: no escaped form either.
                assert json.dumps(ident)[1:-1] not in text, (fmt, ident)
    finally:
        logger.removeHandler(handler)
        shutil.rmtree(folder)
