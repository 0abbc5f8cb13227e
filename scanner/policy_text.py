"""A privacy policy read from its own text: the list of processed data mapped to entity types.

``extract_policy`` finds the section that lists the personal data a policy says is processed
(a numbered clause such as 2.3 with 2.3.1-2.3.4, a bulleted or lettered list, or a table), in
Russian, Kazakh or English, and maps each item to the entity types pdaudit detects, keeping the
clause number and the item's own words. Items that name no category ("Другие данные ...") allow
nothing specific; words it cannot map are listed as unmapped, never guessed. The vocabulary is
``scanner/data/policy_vocabulary.yaml``.

>>> extract_text_policy("2.3. Оператор обрабатывает следующие данные:\\n"
...     "2.3.1. Фамилия, имя и отчество;\\n2.3.2. ИИН;\\n2.3.3. Пол.", "p.txt").allowed_types()
['PERSON', 'KZ_IIN']
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import yaml

from pdaudit.scanner.masking import redact
from pdaudit.scanner.policy import Policy, PolicyError, ThirdParties

log = logging.getLogger("pdaudit.policy_text")
VOCABULARY = Path(__file__).resolve().parent / "data" / "policy_vocabulary.yaml"
LANGUAGES = ("ru", "kk", "en")
#: Letters only Kazakh uses among the Cyrillic languages pdaudit reads.
KAZAKH_LETTERS = set("әғқңөұүһ")
#: Letters of Ukrainian and Belarusian that neither Russian nor Kazakh has.
OTHER_CYRILLIC = set("їєґў")
ENGLISH_WORDS = frozenset(
    "the and of to we you your our data personal information is are for with by or in".split()
)
CLAUSE_WORD = {"ru": "п. ", "kk": "", "en": "s. "}
MAX_GAP = 2  # other words allowed between the stems of one phrase

TOKEN = re.compile(r"[0-9a-zа-яәғқңөұүһі]+(?:[-'][0-9a-zа-яәғқңөұүһі]+)*")
DECIMAL = re.compile(r"^(?:п\.\s*)?(\d{1,3}(?:\.\d{1,3})*)\.?(?:\s+|$)(.*)$")
RELATIVE = re.compile(r"^(\d{1,2}|[a-zа-я])\)\s+(.*)$")
BULLET = re.compile(r"^([-•*–—·▪●○■])\s*(.*)$")
SPLIT = re.compile(r"\s*(?:[,;/]|\s(?:и|или|and|or|және|немесе)\s)\s*", re.IGNORECASE)
PARENS = re.compile(r"\(([^()]*)\)")
RU_LETTERS = "абвгдежзиклмнопрстуфхцчшщэюя"
EN_LETTERS = "abcdefghijklmnopqrstuvwxyz"


class PolicyTextError(PolicyError):
    """The policy document cannot be read or holds no list of processed data; one line."""


@dataclass
class Item:
    """One entry of the policy's list: its clause, its words and the types they name."""

    clause: str
    text: str
    types: list[str] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    vague: bool = False

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"clause": self.clause, "text": self.text, "types": self.types}
        if self.vague:
            out["vague"] = True
        if self.unmapped:
            out["unmapped"] = self.unmapped
        return out


@dataclass
class ExtractedPolicy:
    """What ``extract_policy`` read: the list, its style, the third-party clause, the source."""

    source: dict[str, Any]
    language: str
    document: str
    clause: str
    heading: str
    style: str  # decimal | paren | bullet | table
    marker: str  # the bullet character, or the last item's number as written
    terminator: str  # ";" when items end with one, else ""
    items: list[Item]
    third_parties: dict[str, str] | None = None

    def allowed_types(self) -> list[str]:
        """Every type some item names, in the order of the list."""
        seen: dict[str, None] = {}
        for item in self.items:
            for t in item.types:
                seen.setdefault(t)
        return list(seen)

    def unmapped(self) -> list[dict[str, str]]:
        """Words of the list that map to no entity type, with their clause."""
        return [{"clause": i.clause, "text": w} for i in self.items for w in i.unmapped]

    def as_policy_data(self) -> dict[str, Any]:
        """The policy mapping that ``scan --policy`` reads (``load_policy``)."""
        allowed: dict[str, dict[str, str]] = {}
        for item in self.items:
            for t in item.types:
                allowed.setdefault(t, {"clause": item.clause, "text": item.text})
        stem = Path(self.source["name"]).stem
        data: dict[str, Any] = {
            "id": f"{stem}-{self.clause}" if self.clause else stem,
            "title": (
                f"{self.document}, {CLAUSE_WORD[self.language]}{self.clause}"
                if self.clause
                else self.document
            ),
            "document": self.document,
            "source": self.source,
            "language": self.language,
            "allowed": allowed,
            "non_personal": ["KZ_BIN"],
            "exceptions": [],
            "declared": {
                "clause": self.clause,
                "heading": self.heading,
                "style": self.style,
                "marker": self.marker,
                "terminator": self.terminator,
                "items": [i.as_dict() for i in self.items],
            },
            "unmapped": self.unmapped(),
        }
        if self.third_parties:
            data["third_parties"] = self.third_parties
        return data

    def to_yaml(self) -> str:
        """The policy YAML with a header saying where it came from."""
        body = yaml.safe_dump(self.as_policy_data(), allow_unicode=True, sort_keys=False, width=100)
        head = (
            f"# Extracted by `pdaudit policy extract` from {self.source['name']} "
            f"(sha256 {self.source['sha256'][:12]}...).\n"
            "# Review it before use: 'declared' is the list as written, 'unmapped' the words no\n"
            "# entity type stands for; vague items allow nothing specific.\n"
        )
        return head + body

    def to_policy(self) -> Policy:
        """The same policy as ``load_policy`` would read from ``to_yaml()``."""
        data = self.as_policy_data()
        return Policy(
            id=data["id"],
            title=data["title"],
            allowed=data["allowed"],
            non_personal=frozenset(data["non_personal"]),
            extra={k: data[k] for k in ("source", "language", "declared", "unmapped")},
            third_parties=ThirdParties(
                clause=str((self.third_parties or {}).get("clause") or "2.4"),
                text=str((self.third_parties or {}).get("text") or ""),
            ),
        )


@cache
def vocabulary() -> dict[str, Any]:
    """The phrase lists, compiled to tuples of stems."""
    raw = yaml.safe_load(VOCABULARY.read_text("utf-8"))

    def phrases(by_lang: dict[str, list[str]]) -> list[tuple[str, ...]]:
        out = {tuple(tokens(p)) for lang in LANGUAGES for p in by_lang.get(lang, [])}
        return sorted(out, key=lambda p: (-len(p), p))

    type_phrases: dict[tuple[str, ...], list[str]] = {}
    for etype, by_lang in raw["types"].items():
        for p in phrases(by_lang):
            type_phrases.setdefault(p, []).append(etype)
    return {
        "types": sorted(type_phrases.items(), key=lambda kv: (-len(kv[0]), kv[0])),
        "vague": phrases(raw["vague"]),
        "filler": {w for lang in LANGUAGES for w in raw["filler"].get(lang, [])},
        "modifiers": set(raw["modifiers"]),
        "headings": phrases(raw["headings"]),
        "third_parties": phrases(raw["third_parties"]),
        "labels": raw["labels"],
        "disclaimer": raw["disclaimer"],
    }


def normalize(text: str) -> str:
    """Lower case, NFC, "ё" read as "е", typographic quotes and dashes made plain."""
    text = unicodedata.normalize("NFC", text).lower().replace("ё", "е")
    return text.replace("’", "'").replace("‘", "'").replace("‑", "-")


def tokens(text: str) -> list[str]:
    """The words of a text, lower case.

    >>> tokens("Номер телефона (в т.ч.мобильного); IP-адрес, e-mail")
    ['номер', 'телефона', 'в', 'т', 'ч', 'мобильного', 'ip-адрес', 'e-mail']
    """
    return TOKEN.findall(normalize(text))


def _find(words: list[str], phrase: tuple[str, ...], used: set[int]) -> list[int] | None:
    """Indexes of the words a phrase matches (stems in order, short gaps), or None."""
    for start, word in enumerate(words):
        if start in used or not word.startswith(phrase[0]):
            continue
        hit, pos = [start], start
        for stem in phrase[1:]:
            nxt = next(
                (
                    j
                    for j in range(pos + 1, min(pos + 2 + MAX_GAP, len(words)))
                    if j not in used and words[j].startswith(stem)
                ),
                None,
            )
            if nxt is None:
                break
            hit.append(nxt)
            pos = nxt
        else:
            return hit
    return None


def match_types(text: str) -> tuple[list[str], set[int], list[str]]:
    """The types a piece of text names, the word indexes they used, and the words.

    >>> match_types("адрес электронной почты")[0], match_types("IP-адрес, cookie")[0]
    (['EMAIL_ADDRESS'], ['IP_ADDRESS'])
    """
    words = tokens(text)
    used: set[int] = set()
    found: list[str] = []
    for phrase, types in vocabulary()["types"]:
        while (hit := _find(words, phrase, used)) is not None:
            used.update(hit)
            found.extend(t for t in types if t not in found)
    return found, used, words


def is_vague(text: str) -> bool:
    """Whether a text is a catch-all ("другие данные", "other information").

    >>> is_vague("Другие данные собираемые на Платформе"), is_vague("Дата рождения")
    (True, False)
    """
    words = tokens(text)
    return any(_find(words, p, set()) is not None for p in vocabulary()["vague"])


def _is_filler(word: str) -> bool:
    return any(word.startswith(f) if len(f) > 2 else word == f for f in vocabulary()["filler"])


def _is_modifier(words: list[str]) -> bool:
    mods = vocabulary()["modifiers"]
    return bool(words) and all(_is_filler(w) or any(w.startswith(m) for m in mods) for w in words)


def map_item(clause: str, text: str) -> Item:
    """Map one list item to entity types; parts no type stands for are listed as unmapped.

    Text in parentheses only qualifies (it may add types but is never unmapped).

    >>> map_item("2.3.3", "Номер телефона (в т.ч.мобильного)").as_dict()
    {'clause': '2.3.3', 'text': 'Номер телефона (в т.ч.мобильного)', 'types': ['PHONE_NUMBER']}
    >>> map_item("4", "First and last name, gender").as_dict()["unmapped"]
    ['gender']
    """
    item = Item(clause, text)
    qualifiers = PARENS.findall(text)
    outside = PARENS.sub(" ", text).strip().rstrip(";.,:")
    parts = [p.strip(" .:-–—") for p in SPLIT.split(outside)]
    parts = [p for p in parts if tokens(p)]
    pending = head = ""
    for part in parts:
        part = f"{pending} {part}".strip() if pending else part
        pending = ""
        types, used, words = match_types(part)
        if not types and head:
            # "адреса регистрации и проживания": the second part shares the first one's noun,
            # which counts only if the phrase also takes words of this part
            shared, shared_used, _ = match_types(f"{head} {part}")
            types = shared if any(i > 0 for i in shared_used) else []
        if types:
            item.types.extend(t for t in types if t not in item.types)
            head = part.split()[0]
            continue
        head = ""
        if is_vague(part):
            item.vague = True
            continue
        if _is_modifier(words):
            pending = part
            continue
        if all(_is_filler(w) for w in words):
            continue
        item.unmapped.append(part)
    if pending:
        item.unmapped.append(pending)
    for q in qualifiers:
        item.types.extend(t for t in match_types(q)[0] if t not in item.types)
    if item.types:
        item.vague = False
    elif item.vague:
        item.unmapped = []  # the rest of a catch-all's sentence ("собираемые на Платформе")
    # A policy may quote a person (a contact, an example): its words go into the YAML, the
    # report, the log and errors, where no raw personal value may appear.
    item.text = redact(item.text)
    item.unmapped = [redact(w) for w in item.unmapped]
    return item


# --- reading the document -------------------------------------------------------------------


def docx_text(data: bytes) -> str:
    """The paragraphs and table rows of a DOCX (rows as ``| cell | cell |`` lines).

    One small function so that a DOCX library can replace it.
    """
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            root = ElementTree.fromstring(zf.read("word/document.xml"))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
        raise PolicyTextError(f"not a readable DOCX ({exc})") from None

    def para_text(p: ElementTree.Element) -> str:
        return "".join(t.text or "" for t in p.iter(f"{ns}t"))

    lines: list[str] = []
    body = root.find(f"{ns}body")
    for block in body if body is not None else []:
        if block.tag == f"{ns}p":
            lines.append(para_text(block))
        elif block.tag == f"{ns}tbl":
            for row in block.iter(f"{ns}tr"):
                cells = [
                    " ".join(para_text(p) for p in tc.iter(f"{ns}p")).strip()
                    for tc in row.iter(f"{ns}tc")
                ]
                lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def read_document(path: str | Path) -> tuple[str, dict[str, Any]]:
    """The text of a policy (TXT, PDF with or without a text layer, DOCX) and its source info."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PolicyTextError(f"{path}: cannot read the policy ({exc.strerror})") from None
    source: dict[str, Any] = {"name": path.name, "sha256": hashlib.sha256(data).hexdigest()}
    if not data.strip():
        raise PolicyTextError(f"{path}: the policy file is empty; give the policy's text")
    suffix = path.suffix.lower()
    if data.startswith(b"%PDF") or suffix == ".pdf":
        text, ocr = _pdf_text(data, path)
        source["ocr"] = ocr
    elif data.startswith(b"PK\x03\x04") or suffix == ".docx":
        try:
            text = docx_text(data)
        except PolicyTextError as exc:
            raise PolicyTextError(f"{path}: {exc}") from None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1251", errors="replace")
    if not text.strip():
        raise PolicyTextError(f"{path}: the policy has no text")
    return text, source


def _pdf_text(data: bytes, path: Path) -> tuple[str, bool]:
    try:
        from pdaudit.scanner.sources.documents import DocumentError, extract
    except ImportError:
        raise PolicyTextError(
            f"{path}: reading a PDF needs the OCR extra: pip install 'pdaudit[ocr]'"
        ) from None
    try:
        doc = extract(data, path.name)
    except DocumentError as exc:
        raise PolicyTextError(f"{path}: {exc}") from None
    text = "\n".join(p.text for p in doc.pages)
    if not text.strip():
        problems = f" ({'; '.join(doc.errors)})" if doc.errors else ""
        raise PolicyTextError(
            f"{path}: no text in the PDF, not even by OCR{problems}; give the policy's text"
        )
    return text, any(p.method == "ocr" for p in doc.pages)


def detect_language(text: str) -> str:
    """``ru``, ``kk`` or ``en`` by the letters and words of a text; ``PolicyTextError`` else.

    >>> detect_language("Оператор обрабатывает данные"), detect_language("Деректер өңделеді")
    ('ru', 'kk')
    """
    letters = [c for c in normalize(text) if c.isalpha()]
    cyrillic = [
        c for c in letters if "а" <= c <= "я" or c in KAZAKH_LETTERS | OTHER_CYRILLIC | {"і"}
    ]
    latin = [c for c in letters if "a" <= c <= "z"]
    if len(cyrillic) >= len(latin) and cyrillic:
        if sum(c in OTHER_CYRILLIC for c in cyrillic) > 0.002 * len(cyrillic):
            raise PolicyTextError("the policy is in a Cyrillic language pdaudit does not read")
        return "kk" if sum(c in KAZAKH_LETTERS for c in cyrillic) > 0.005 * len(cyrillic) else "ru"
    words = TOKEN.findall(normalize(text))
    if latin and sum(w in ENGLISH_WORDS for w in words) >= 0.08 * len(words):
        return "en"
    raise PolicyTextError("the policy is in a language pdaudit does not read")


# --- finding the list -----------------------------------------------------------------------


@dataclass
class Line:
    kind: str  # decimal | paren | bullet | row | text | blank
    marker: str
    text: str
    cells: list[str] = field(default_factory=list)


def parse_line(raw: str) -> Line:
    """A line with its list marker taken apart.

    >>> parse_line("2.3.1. Фамилия, имя и отчество;")
    Line(kind='decimal', marker='2.3.1', text='Фамилия, имя и отчество;', cells=[])
    >>> parse_line("  б) дата рождения").kind, parse_line("• IP address").kind
    ('paren', 'bullet')
    """
    line = raw.strip().lstrip("#").strip()
    if not line:
        return Line("blank", "", "")
    if line.startswith("|") and line.endswith("|") and len(line) > 1:
        cells = [c.strip() for c in line.strip("|").split("|")]
        if all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
            return Line("blank", "", "")
        return Line("row", "", line, cells)
    for kind, pattern in (("decimal", DECIMAL), ("paren", RELATIVE), ("bullet", BULLET)):
        m = pattern.match(line)
        if m and m.group(2).strip() or (m and kind == "decimal"):
            return Line(kind, m.group(1), m.group(2).strip())
    return Line("text", "", line)


def _has(words: list[str], phrases: list[tuple[str, ...]]) -> bool:
    return any(_find(words, p, set()) is not None for p in phrases)


def _is_child(marker: str, parent: str) -> bool:
    return marker.startswith(parent + ".") and marker.count(".") == parent.count(".") + 1


def _read_list(lines: list[Line], start: int, head: str) -> tuple[list[Item], str, str, str]:
    """The items after a heading: (items, style, last number or the bullet, terminator)."""
    items: list[Item] = []
    style = marker = ""
    texts: list[tuple[str, str]] = []  # (clause, words)
    header_row_seen = False
    intro = 0
    after_blank = False
    for line in lines[start:]:
        if line.kind == "blank":
            after_blank = True
            continue
        wrapped = line.kind == "text" and texts and not after_blank
        after_blank = False
        if line.kind == "decimal":
            child = _is_child(line.marker, head) if head else "." not in line.marker
            if child and style in ("", "decimal"):
                style, marker = "decimal", line.marker
                texts.append((line.marker, line.text))
                continue
            break
        if line.kind == "paren" and style in ("", "paren"):
            style, marker = "paren", line.marker
            texts.append((f"{head}({line.marker})" if head else f"({line.marker})", line.text))
            continue
        if line.kind == "bullet" and style in ("", "bullet"):
            style, marker = "bullet", line.marker
            n = len(texts) + 1
            texts.append((f"{head} •{n}" if head else f"•{n}", line.text))
            continue
        if line.kind == "row" and style in ("", "table"):
            cells = [c for c in line.cells if c]
            number = next((c for c in cells if re.fullmatch(r"\d{1,3}(\.\d{1,3})*\.?", c)), "")
            words = [c for c in cells if c != number]
            if not header_row_seen and not any(match_types(c)[0] for c in words):
                header_row_seen = True  # the table's header: "№ | Категория | Цель"
                continue
            if not words:
                continue
            style = "table"
            n = len(texts) + 1
            num = number.rstrip(".")
            if "." in num:
                clause = num
            elif num:
                clause = f"{head}({num})" if head else num
            else:
                clause = f"{head} •{n}" if head else f"•{n}"
            marker = num or str(n)
            texts.append((clause, words[0]))
            continue
        if wrapped and not texts[-1][1].rstrip().endswith((";", ".")):
            texts[-1] = (texts[-1][0], f"{texts[-1][1]} {line.text}")  # a wrapped item line
            continue
        if texts or intro >= 2:
            break
        intro += 1  # a sentence between the heading and the list
    for clause, said in texts:
        item = map_item(clause, said.strip())
        item.text = redact(said.strip().rstrip(";.,").strip())  # see map_item
        items.append(item)
    ends = sum(words.rstrip().endswith(";") for _, words in texts)
    terminator = ";" if texts and ends * 2 >= len(texts) else ""
    return items, style, marker, terminator


def _third_parties(lines: list[Line], after: int) -> dict[str, str] | None:
    phrases = vocabulary()["third_parties"]
    order = list(range(after, len(lines))) + list(range(after))
    for i in order:
        line = lines[i]
        if line.kind in ("decimal", "paren", "text") and _has(tokens(line.text), phrases):
            return {"clause": line.marker, "text": redact(line.text)}
    return None


def _document_title(lines: list[Line], name: str) -> str:
    first = next((x for x in lines if x.kind in ("text", "row", "decimal") and x.text), None)
    return first.text if first and len(first.text) <= 200 else Path(name).stem


def extract_text_policy(
    text: str, name: str, source: dict[str, Any] | None = None
) -> ExtractedPolicy:
    """Find the list of processed data in a policy's text and map it; ``PolicyTextError`` else."""
    source = source or {
        "name": name,
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
    }
    if not text.strip():
        raise PolicyTextError(f"{name}: the policy file is empty; give the policy's text")
    try:
        language = detect_language(text)
    except PolicyTextError as exc:
        raise PolicyTextError(f"{name}: {exc} (Russian, Kazakh or English)") from None
    lines = [parse_line(x) for x in text.replace("\r", "\n").split("\n")]
    headings = vocabulary()["headings"]
    best: tuple[int, list[Item], str, str, str] | None = None
    for i, line in enumerate(lines):
        if line.kind in ("blank", "row") or not _has(tokens(line.text), headings):
            continue
        head = line.marker if line.kind == "decimal" else ""
        items, style, marker, terminator = _read_list(lines, i + 1, head)
        if items:
            best = (i, items, style, marker, terminator)
            break
    if best is None:
        raise PolicyTextError(
            f"{name}: no list of processed personal data found (looked for a heading such as "
            "'Перечень персональных данных' or 'Personal data we collect' followed by a list)"
        )
    i, items, style, marker, terminator = best
    heading_line = lines[i]
    list_text = " ".join([heading_line.text] + [x.text for x in items])
    try:
        language = detect_language(list_text)
    except PolicyTextError:
        pass  # the whole document's language stands
    return ExtractedPolicy(
        source=source,
        language=language,
        document=_document_title(lines, name),
        clause=heading_line.marker if heading_line.kind == "decimal" else "",
        heading=heading_line.text,
        style=style,
        marker=marker,
        terminator=terminator,
        items=items,
        third_parties=_third_parties(lines, i + 1),
    )


def extract_policy(path: str | Path) -> ExtractedPolicy:
    """Read a policy document (TXT, PDF, DOCX) and extract its list of processed data."""
    text, source = read_document(path)
    return extract_text_policy(text, str(path), source)


def summary_line(extracted: ExtractedPolicy) -> str:
    """One line saying what was read: the list's clause, the types by clause, what is unmapped."""
    where = f"list {extracted.clause}" if extracted.clause else f"list '{extracted.heading}'"
    mapped = ", ".join(f"{i.clause} {'+'.join(i.types)}" for i in extracted.items if i.types)
    vague = [i.clause for i in extracted.items if i.vague]
    unmapped = extracted.unmapped()
    line = f"{extracted.source['name']}: {where}, {len(extracted.items)} item(s): {mapped or 'none mapped'}"
    if vague:
        line += f"; vague (allows nothing specific): {', '.join(vague)}"
    line += f"; {len(unmapped)} unmapped"
    if unmapped:
        line += ": " + "; ".join(f"{u['clause']} «{u['text']}»" for u in unmapped)
    return line


def policy_from_text(path: str | Path) -> Policy:
    """The policy a document states, for ``scan --policy-text``; ``PolicyTextError`` if none."""
    extracted = extract_policy(path)
    if not extracted.allowed_types():
        raise PolicyTextError(f"{summary_line(extracted)}; no entity type to check against")
    if extracted.unmapped():
        log.warning("%s", summary_line(extracted))
    return extracted.to_policy()
