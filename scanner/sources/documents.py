"""Text out of uploaded documents: images (PNG, JPEG, TIFF, ...) and PDFs, with OCR for scans.

A PDF page with a text layer gives its text directly (pypdfium2); a page without one, and every
image, is rendered to a picture and read by Tesseract (``rus+kaz+eng``) after pre-processing:
grayscale, upscaling of small scans, rotation by Tesseract's orientation detection, deskewing of
small angles by a projection-profile search, and on a noisy page (by ``estimate_noise``) a median
filter and Otsu binarisation. Words shaped like a Latin code (an e-mail, an IBAN) are read a
second time with ``eng`` alone, which does not turn them into Cyrillic look-alikes. OCR text is
folded with ``pdaudit.recognizers.normalize.normalize_ocr`` (length-preserving). ``extract_many`` spreads
the OCR of many pages over a process pool.
"""

from __future__ import annotations

import io
import itertools
import math
import os
import re
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from PIL import Image, ImageFilter, ImageOps, ImageSequence

from pdaudit.recognizers.normalize import normalize_ocr
from pdaudit.scanner.sources import Page
from pdaudit.scanner.sources.page_findings import PageText

OCR_LANG = "rus+kaz+eng"
#: Tesseract settings: automatic page segmentation, keep spaces between words as they are.
OCR_CONFIG = "--psm 3 -c preserve_interword_spaces=1"
#: A PDF page with fewer visible characters than this in its text layer is treated as a scan.
MIN_TEXT_LAYER_CHARS = 16
#: On a page with a text layer, pictures at least this many pixels on both sides are OCR'd on
#: their own (a scan pasted into a typed form); smaller ones are icons, bullets and rules.
MIN_PICTURE_SIDE = 100
#: At most this many pictures of one page are OCR'd.
MAX_PICTURES_PER_PAGE = 10
#: Scans narrower than this are upscaled before OCR (Tesseract wants ~20-30 px capitals); a
#: 150 dpi A4 page (1240 px) is read better as it is.
MIN_OCR_WIDTH = 1000
#: Largest angle (degrees) the deskew search looks at; larger tilts are left to Tesseract.
MAX_SKEW = 6.0
#: Noise (standard deviation in grey levels, by ``estimate_noise``) from which a page is smoothed
#: and binarised before OCR. Clean, 150 dpi, JPEG q=30 and rotated synthetic pages measure below
#: 1.5, the evaluation's noisy scans about 23; smoothing a clean page only costs time.
NOISE_SIGMA = 6.0
#: A noisy page narrower than this is upscaled (after the median filter): binarising a 150 dpi
#: page at twice its size kept 9 more of 126 lines whole in the evaluation.
NOISY_OCR_WIDTH = 2000
#: The second reading of Latin-looking words: one word per image, English only.
REREAD_LANG = "eng"
REREAD_CONFIG = "--psm 8"
#: A line of a machine-readable zone is read again as one line in the zone's alphabet.
MRZ_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
MRZ_CONFIG = f"--psm 7 -c tessedit_char_whitelist={MRZ_ALPHABET}"
#: A first reading with fewer than ``UPRIGHT_SHARE`` of its words read with a confidence of
#: ``UPRIGHT_CONF`` (or fewer words than ``UPRIGHT_WORDS``) may be of a page turned sideways:
#: only then is the orientation detected.
UPRIGHT_CONF = 80.0
UPRIGHT_SHARE = 0.5
UPRIGHT_WORDS = 3
#: At most this many words of a page are read twice (a page full of account numbers stays fast).
MAX_REREAD_WORDS = 40

_MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"%PDF-", 0, "pdf"),
    (b"\x89PNG\r\n\x1a\n", 0, "png"),
    (b"\xff\xd8\xff", 0, "jpeg"),
    (b"II*\x00", 0, "tiff"),
    (b"MM\x00*", 0, "tiff"),
    (b"GIF87a", 0, "gif"),
    (b"GIF89a", 0, "gif"),
    (b"BM", 0, "bmp"),
    (b"WEBP", 8, "webp"),
)


class DocumentError(Exception):
    """A whole document cannot be read (corrupt, encrypted, truncated, too big); one line."""


@dataclass(frozen=True)
class Limits:
    """Guards against hostile or huge uploads."""

    max_file_bytes: int = 50 * 1024 * 1024
    #: decompression bombs: an image (or rendered page) with more pixels is refused.
    max_pixels: int = 50_000_000
    max_pages: int = 50
    #: seconds Tesseract may spend on one page before it is killed.
    page_timeout_s: float = 60
    ocr_dpi: int = 300


@dataclass
class DocumentText:
    """The pages read from one document and the problems met on single pages."""

    kind: str
    pages: list[Page]
    errors: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """All pages joined by form feeds."""
        return "\f".join(p.text for p in self.pages)


def sniff(data: bytes) -> str | None:
    """The kind of document by its magic bytes, or ``None``.

    >>> sniff(b"%PDF-1.7\\n..."), sniff(b"\\x89PNG\\r\\n\\x1a\\n..."), sniff(b"RIFF0000WEBPVP8 ")
    ('pdf', 'png', 'webp')
    >>> sniff(b"name,iin\\n") is None
    True
    """
    if not data:
        return None
    head = bytes(data[:16])
    for magic, offset, kind in _MAGIC:
        if head[offset : offset + len(magic)] == magic:
            if kind == "webp" and not head.startswith(b"RIFF"):
                continue
            return kind
    return None


# --- pre-processing ------------------------------------------------------------------------


def _grayscale(img: Image.Image) -> Image.Image:
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        img = Image.alpha_composite(white, rgba)
    if img.mode in ("I;16", "I;16B", "I;16L", "I"):
        arr = np.asarray(img, dtype=np.float64)
        span = float(arr.max() - arr.min()) or 1.0
        return Image.fromarray(((arr - arr.min()) * 255 / span).astype(np.uint8), "L")
    return img.convert("L")


def _upscale(img: Image.Image, limits: Limits, min_width: int = MIN_OCR_WIDTH) -> Image.Image:
    width, height = img.size
    if width >= min_width or width == 0:
        return img
    # Whole factors only: the evaluation lost entities at 150 dpi with a 1.2x resampling.
    factor = min(math.ceil(min_width / width), 4)
    if width * height * factor * factor > limits.max_pixels:
        return img
    return img.resize((round(width * factor), round(height * factor)), Image.Resampling.LANCZOS)


def otsu_threshold(gray: np.ndarray) -> int:
    """The Otsu threshold of an 8-bit grayscale array (the level that best splits ink/paper).

    >>> otsu_threshold(np.array([10] * 50 + [240] * 50, dtype=np.uint8))
    10
    """
    hist = np.bincount(gray.ravel(), minlength=256).astype(np.float64)
    total = hist.sum()
    if total == 0:
        return 127
    levels = np.arange(256, dtype=np.float64)
    weight0 = np.cumsum(hist)
    weight1 = total - weight0
    mean0 = np.cumsum(hist * levels)
    mean_all = mean0[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mean_all * weight0 / total - mean0) ** 2 / (weight0 * weight1)
    between = np.nan_to_num(between, nan=0.0, posinf=0.0)
    return int(np.argmax(between))


def _ink_mask(img: Image.Image, width: int = 1000) -> Image.Image:
    """A small black-on-white ink image (ink = 255) for angle searches."""
    scale = min(1.0, width / max(img.size))
    small = img.resize((max(1, round(img.width * scale)), max(1, round(img.height * scale))))
    arr = np.asarray(small)
    ink = (arr <= otsu_threshold(arr)).astype(np.uint8) * 255
    return Image.fromarray(ink, "L")


def _profile_score(ink: Image.Image, angle: float) -> float:
    rotated = ink.rotate(angle, resample=Image.Resampling.NEAREST, expand=True, fillcolor=0)
    rows = np.asarray(rotated, dtype=np.float64).sum(axis=1)
    return float(np.sum(np.diff(rows) ** 2))


def estimate_skew(img: Image.Image, max_angle: float = MAX_SKEW) -> float:
    """The angle (degrees, counter-clockwise) that makes text lines horizontal.

    Projection-profile search: text lines give sharp row sums when horizontal, so the angle with
    the largest sum of squared differences between neighbouring rows wins (coarse 0.5 degree
    steps, then 0.1 around the best).
    """
    ink = _ink_mask(img)
    if not np.asarray(ink).any():
        return 0.0
    coarse = np.arange(-max_angle, max_angle + 0.01, 0.5)
    best = max(coarse, key=lambda a: _profile_score(ink, float(a)))
    fine = np.arange(best - 0.4, best + 0.41, 0.1)
    best = max(fine, key=lambda a: _profile_score(ink, float(a)))
    return round(float(best), 1)


def _deskew(img: Image.Image) -> Image.Image:
    angle = estimate_skew(img)
    if abs(angle) < 0.3:
        return img
    return img.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)


def _orientation(img: Image.Image, limits: Limits) -> int:
    """Degrees to rotate counter-clockwise to make text upright (0 when OSD cannot tell)."""
    import pytesseract

    from pdaudit.scanner.sources import tesseract

    osd_engine = tesseract.engine("osd", tesseract.PSM_OSD_ONLY)
    if osd_engine is not None:
        found = osd_engine.orientation(img)
        if found is None or found[1] < 2.0:
            return 0
        return found[0]
    try:
        osd = pytesseract.image_to_osd(
            img, output_type=pytesseract.Output.DICT, timeout=limits.page_timeout_s
        )
    except (pytesseract.TesseractError, RuntimeError):
        # Too few characters, an empty page or a timeout: read the page as it is.
        return 0
    if float(osd.get("orientation_conf", 0)) < 2.0:
        return 0
    return int(osd.get("rotate", 0)) % 360


def _binarize(img: Image.Image) -> Image.Image:
    arr = np.asarray(img)
    return Image.fromarray(np.where(arr > otsu_threshold(arr), 255, 0).astype(np.uint8), "L")


def estimate_noise(img: Image.Image) -> float:
    """The standard deviation (grey levels) of the pixel noise on a page (Immerkaer's method).

    A 3x3 kernel that cancels flat areas and straight edges leaves mostly the noise; the mean of
    its absolute response, scaled, estimates sigma. Text edges add a little (about 0.5 on a clean
    300 dpi page).

    >>> estimate_noise(Image.new("L", (64, 64), 255))
    0.0
    """
    arr = np.asarray(_grayscale(img), dtype=np.float32)
    if arr.shape[0] < 3 or arr.shape[1] < 3:
        return 0.0
    # [[1, -2, 1], [-2, 4, -2], [1, -2, 1]] as sums of shifted views (no SciPy needed).
    rows = arr[:, :-2] - 2 * arr[:, 1:-1] + arr[:, 2:]
    response = rows[:-2] - 2 * rows[1:-1] + rows[2:]
    height, width = response.shape
    sigma = math.sqrt(math.pi / 2) * float(np.abs(response).sum(dtype=np.float64))
    return round(sigma / (6 * height * width), 2)


@dataclass(frozen=True)
class Steps:
    """Which pre-processing steps run before OCR (the evaluation switches them off one by one).

    ``denoise`` and ``binarize`` force the median filter and Otsu binarisation on every page;
    ``adaptive_denoise`` applies both only to pages whose noise reaches ``NOISE_SIGMA``.
    ``reread_latin`` reads e-mail- and code-shaped words a second time with English alone.
    """

    upscale: bool = True
    rotate: bool = True
    deskew: bool = True
    denoise: bool = False
    binarize: bool = False
    normalize: bool = True
    adaptive_denoise: bool = True
    reread_latin: bool = True
    #: Values written under or beside their label are moved after it (``layout.reflow``);
    #: needs the word boxes of ``reread_latin``.
    layout: bool = True


DEFAULT_STEPS = Steps()


def preprocess(
    img: Image.Image, limits: Limits = Limits(), steps: Steps = DEFAULT_STEPS, orient: bool = True
) -> Image.Image:
    """Grayscale, denoise a noisy page, upscale, rotate upright, deskew and binarise a noisy page.

    ``orient=False`` leaves out the orientation pass (``ocr_image`` runs it only on a page whose
    first reading says it is not upright).
    """
    img = _grayscale(img)
    noisy = steps.adaptive_denoise and estimate_noise(img) >= NOISE_SIGMA
    if steps.denoise or noisy:
        # Before orientation detection and the skew search, which read the page's ink too.
        img = img.filter(ImageFilter.MedianFilter(3))
    min_width = NOISY_OCR_WIDTH if noisy else MIN_OCR_WIDTH
    if steps.rotate and orient:
        # OSD wants an image of a reasonable size; the rotation itself is exact (90/180/270).
        # Upscaling is decided on the upright page: a sideways page looks narrow.
        probe = _upscale(img, limits, min_width) if steps.upscale else img
        rotate = _orientation(probe, limits)
        if rotate:
            img = img.rotate(-rotate, expand=True)
    if steps.upscale:
        img = _upscale(img, limits, min_width)
    if steps.deskew:
        img = _deskew(img)
    if steps.binarize or noisy:
        img = _binarize(img)
    return img


# --- OCR -----------------------------------------------------------------------------------

# An e-mail (an @ between characters) or a long code of digits and letters (IBAN, account).
_EMAIL_SHAPED = re.compile(r".+@.+")
_CODE_SHAPED = re.compile(r"[^\W_]{10,40}")
_CODE_DIGITS = 6
_EDGE_MARKS = "-_|.,:;!?'\"`~()«»"
_SENTENCE_MARKS = ".,:;!?'\"()«»"
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


@dataclass(frozen=True)
class Word:
    """One word of Tesseract's TSV output: its text and box (pixels of the OCR'd image)."""

    text: str
    left: int
    top: int
    width: int
    height: int


def parse_tsv(tsv: str) -> list[Word]:
    r"""The words (level 5 rows) of Tesseract's TSV output, in reading order.

    >>> head = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight"
    >>> parse_tsv(head + "\tconf\ttext\n5\t1\t1\t1\t1\t1\t10\t20\t30\t40\t95.1\tИИН:\n")
    [Word(text='ИИН:', left=10, top=20, width=30, height=40)]
    """
    words = []
    for line in tsv.splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) == 12 and cols[0] == "5" and cols[11].strip():
            left, top, width, height = (int(c) for c in cols[6:10])
            words.append(Word(cols[11], left, top, width, height))
    return words


def is_latin_candidate(word: str) -> bool:
    """Whether a word read by ``rus+kaz+eng`` should be read again by ``eng`` alone.

    E-mail-shaped words and long codes with at least six digits and a letter: in such words the
    mixed model turns Latin letters into Cyrillic look-alikes and ``Z``/``T`` into ``2``/``7``.

    >>> [is_latin_candidate(w) for w in ("$./уапоу@ехатр!е.кг_", "К286125К275004100100")]
    [True, True]
    >>> [is_latin_candidate(w) for w in ("910314412344", "Иванов", "12б", "@")]
    [False, False, False, False]
    """
    if _EMAIL_SHAPED.fullmatch(word):
        return True
    if not _CODE_SHAPED.fullmatch(word):
        return False
    digits = sum(ch.isdigit() for ch in word)
    return digits >= _CODE_DIGITS and digits < len(word)


def _accept_reread(old: str, new: str) -> str | None:
    """The English reading to use instead of ``old``, or ``None`` to keep ``old``.

    Marks at the edges of the reading (``-``, ``_``, ``|`` picked up from the line) are dropped;
    sentence punctuation at the edges of ``old`` is kept. The reading must be one ASCII word of
    the same kind: an e-mail address for an e-mail-shaped word, a code for a code.

    >>> _accept_reread("$./уапоу@ехатр!е.кг_", "sivanov@example.kz|")
    'sivanov@example.kz'
    >>> _accept_reread("К286125К275004100100,", "-KZ86125KZT5004100100")
    'KZ86125KZT5004100100,'
    >>> _accept_reread("a@b.kz", "a b.kz") is None, _accept_reread("К2861", "ок") is None
    (True, True)
    """
    new = new.strip(_EDGE_MARKS)
    if not new or not new.isascii() or not new.isprintable() or any(c.isspace() for c in new):
        return None
    if "@" in old:
        if not _EMAIL.fullmatch(new):
            return None
    elif not is_latin_candidate(new) or abs(len(new) - len(old.strip(_EDGE_MARKS))) > 1:
        return None
    lead = old[: len(old) - len(old.lstrip(_SENTENCE_MARKS))]
    trail = old[len(old.rstrip(_SENTENCE_MARKS)) :]
    return lead + new + trail


def _crop(img: Image.Image, word: Word) -> Image.Image:
    # A margin of white around the word; less to the sides, where the neighbours are.
    pad_x, pad_y = max(3, word.height // 4), max(4, word.height // 2)
    box = (
        max(0, word.left - pad_x),
        max(0, word.top - pad_y),
        min(img.width, word.left + word.width + pad_x),
        min(img.height, word.top + word.height + pad_y),
    )
    return img.crop(box)


def _reread(img: Image.Image, word: Word, timeout: float) -> str:
    import pytesseract

    from pdaudit.scanner.sources import tesseract

    eng = tesseract.engine(REREAD_LANG, tesseract.PSM_SINGLE_WORD)
    if eng is not None:
        return eng.read(_crop(img, word), timeout)[0].strip()
    text = pytesseract.image_to_string(
        _crop(img, word), lang=REREAD_LANG, config=REREAD_CONFIG, timeout=timeout
    )
    return text.strip()


def _reread_zone_line(img: Image.Image, line: Word, timeout: float) -> str:
    import pytesseract

    from pdaudit.scanner.sources import tesseract

    eng = tesseract.engine(
        REREAD_LANG, tesseract.PSM_SINGLE_LINE, tessedit_char_whitelist=MRZ_ALPHABET
    )
    if eng is not None:
        return eng.read(_crop(img, line), timeout)[0].strip()
    text = pytesseract.image_to_string(
        _crop(img, line), lang=REREAD_LANG, config=MRZ_CONFIG, timeout=timeout
    )
    return text.strip()


def _ocr_text_and_words(img: Image.Image, timeout: float) -> tuple[str, list[Word]]:
    """One Tesseract reading: the plain text and the TSV word boxes."""
    text, words, _ = _read_page(img, timeout)
    return text, words


def _read_page(img: Image.Image, timeout: float) -> tuple[str, list[Word], float]:
    """One Tesseract reading: the plain text, the TSV word boxes and ``confident_share``."""
    from pytesseract import pytesseract as tess

    from pdaudit.scanner.sources import tesseract

    eng = tesseract.engine(OCR_LANG, tesseract.PSM_AUTO, preserve_interword_spaces="1")
    if eng is not None:
        text, tsv, _ = eng.read(img, timeout, tsv=True)
        return text, parse_tsv(tsv), confident_share(tsv)
    config = f"{OCR_CONFIG} -c tessedit_create_tsv=1"
    with tess.save(img) as (base, filename):
        tess.run_tesseract(filename, base, "txt", OCR_LANG, config, timeout=timeout)
        texts = []
        for ext in ("txt", "tsv"):
            with open(f"{base}.{ext}", encoding="utf-8") as fh:
                texts.append(fh.read())
    return texts[0], parse_tsv(texts[1]), confident_share(texts[1])


def confident_share(tsv: str) -> float:
    r"""The share of the words in Tesseract's TSV output read with a confidence of at least
    ``UPRIGHT_CONF`` (0 without words): most words of an upright page, few of a turned one.

    >>> head = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight"
    >>> row = "\n5\t1\t1\t1\t1\t1\t10\t20\t30\t40\t{}\tИИН:"
    >>> confident_share(head + "\tconf\ttext" + row.format(95) + row.format(31))
    0.5
    """
    confs = []
    for line in tsv.splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) == 12 and cols[0] == "5" and cols[11].strip():
            confs.append(float(cols[10]))
    return sum(c >= UPRIGHT_CONF for c in confs) / len(confs) if confs else 0.0


def _upright(words: list[Word], share: float) -> bool:
    return len(words) >= UPRIGHT_WORDS and share >= UPRIGHT_SHARE


def reread_latin(text: str, words: list[Word], img: Image.Image, timeout: float) -> str:
    """``text`` with its e-mail- and code-shaped words replaced by their reading with ``eng``.

    ``words`` are the page's TSV words in reading order (they occur in ``text`` in that order);
    ``img`` is the image they were read from. A line of a machine-readable zone (words with
    ``<`` fillers, by ``pdaudit.scanner.sources.layout.zone_lines``) is read again as one line with
    ``eng`` and the zone's alphabet. The re-readings share ``timeout`` seconds; words left when
    it runs out keep their first reading.
    """
    import pytesseract

    from pdaudit.scanner.sources.layout import accept_zone_line, zone_lines

    deadline = time.monotonic() + timeout
    zones = {first: (last, box) for first, last, box in zone_lines(words)}
    pieces, pos, reread, index = [], 0, 0, 0
    while index < len(words):
        word = words[index]
        at = text.find(word.text, pos)
        if at < 0:
            index += 1
            continue
        remaining = deadline - time.monotonic()
        zone = zones.get(index)
        if zone is not None and remaining > 0.5:
            last, box = zone
            end_of, cursor = None, at + len(word.text)
            for other in words[index + 1 : last + 1]:
                found = text.find(other.text, cursor)
                if found < 0:
                    break
                cursor = found + len(other.text)
            else:
                end_of = cursor
            if end_of is not None:
                try:
                    new = accept_zone_line(text[at:end_of], _reread_zone_line(img, box, remaining))
                except (pytesseract.TesseractError, RuntimeError):
                    new = None
                if new is not None:
                    pieces += [text[pos:at], new]
                    pos, index = end_of, last + 1
                    continue
        if reread < MAX_REREAD_WORDS and remaining > 0.5 and is_latin_candidate(word.text):
            reread += 1
            try:
                new = _accept_reread(word.text, _reread(img, word, remaining))
            except (pytesseract.TesseractError, RuntimeError):
                new = None  # a timeout or a crop Tesseract refuses: the first reading stands
            if new is not None and new != word.text:
                pieces += [text[pos:at], new]
                pos = at + len(word.text)
                index += 1
                continue
        pieces.append(text[pos : at + len(word.text)])
        pos = at + len(word.text)
        index += 1
    pieces.append(text[pos:])
    return "".join(pieces)


def ocr_image(img: Image.Image, limits: Limits = Limits(), steps: Steps = DEFAULT_STEPS) -> str:
    """The text of one scanned page (pre-processed, OCR'd, Latin codes re-read, folded), as a
    ``PageText`` that knows which values the layout paired with their printed labels.

    One reading of the page as it is; only when that reading has few words or unsure ones is
    the orientation detected and, for a turned page, the page read again upright.
    """
    deadline = time.monotonic() + limits.page_timeout_s
    prepared = preprocess(img, limits, steps, orient=False)
    timeout = limits.page_timeout_s
    text, words, conf = _read_page(prepared, timeout)
    if steps.rotate and not _upright(words, conf):
        # Few words or unsure ones: the page may be turned; read it again upright.
        rotate = _orientation(prepared, limits)
        if rotate:
            prepared = prepared.rotate(-rotate, expand=True)
            if steps.upscale:
                prepared = _upscale(prepared, limits)
            text, words, conf = _read_page(prepared, deadline - time.monotonic())
    labels: list[tuple[int, int, str]] = []
    if steps.reread_latin:
        # The second readings get what is left of the page's time.
        text = reread_latin(text, words, prepared, deadline - time.monotonic())
        if steps.layout:
            from pdaudit.scanner.sources.layout import reflow_labels

            text, labels = reflow_labels(text, words)
    lead = len(text) - len(text.lstrip("\n\f "))
    text = text.strip("\n\f ")
    if steps.normalize:
        text = normalize_ocr(text)
    labels = [
        (s - lead, e - lead, normalize_ocr(lab) if steps.normalize else lab)
        for s, e, lab in labels
        if s >= lead and e - lead <= len(text)
    ]
    return PageText(text, labels)


def _ocr_job(img: Image.Image, limits: Limits, steps: Steps) -> str:
    return ocr_image(img, limits, steps)


# --- decoding ------------------------------------------------------------------------------

#: Runs one OCR job: inline (returns the text) or on a pool (returns a Future).
Submit = Callable[[Image.Image], Any]


@dataclass
class _Pending:
    kind: str
    # (page number, method, text | Future | None, error | None)
    slots: list[tuple[int, str, Any, str | None]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _short(exc: BaseException) -> str:
    msg = " ".join(str(exc).split()) or type(exc).__name__
    return msg[:200]


def _check_pixels(width: int, height: int, name: str, limits: Limits, what: str = "image") -> None:
    if width * height > limits.max_pixels:
        raise DocumentError(
            f"{name}: {what} of {width}x{height} pixels exceeds the limit of "
            f"{limits.max_pixels} pixels (possible decompression bomb); "
            "resize it or raise the pixel limit"
        )


def _prepare_image(data: bytes, name: str, kind: str, limits: Limits, submit: Submit) -> _Pending:
    pending = _Pending(kind)
    # Pillow checks MAX_IMAGE_PIXELS while reading the header, before any pixel is decoded.
    saved, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, limits.max_pixels
    try:
        img = Image.open(io.BytesIO(data))
        _check_pixels(img.width, img.height, name, limits)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise DocumentError(
            f"{name}: image exceeds the limit of {limits.max_pixels} pixels "
            "(possible decompression bomb); resize it or raise the pixel limit"
        ) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise DocumentError(
            f"{name}: not a readable {kind.upper()} image ({_short(exc)}); re-export or re-scan it"
        ) from exc
    finally:
        Image.MAX_IMAGE_PIXELS = saved
    number = 0
    try:
        for frame in ImageSequence.Iterator(img):
            number += 1
            if number > limits.max_pages:
                pending.errors.append(f"{name}: only the first {limits.max_pages} pages were read")
                break
            _check_pixels(frame.width, frame.height, name, limits)
            try:
                frame.load()
                page = ImageOps.exif_transpose(frame.copy())
            except (OSError, SyntaxError, ValueError) as exc:
                if number == 1:
                    raise DocumentError(
                        f"{name}: truncated or corrupt {kind.upper()} image ({_short(exc)}); "
                        "re-export or re-scan it"
                    ) from exc
                pending.errors.append(f"{name}: page {number}: cannot decode ({_short(exc)})")
                continue
            pending.slots.append((number, "ocr", submit(_grayscale(page)), None))
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        # The frame sequence itself broke off (a truncated multi-page TIFF).
        if number <= 1 and not pending.slots:
            raise DocumentError(
                f"{name}: truncated or corrupt {kind.upper()} image ({_short(exc)}); "
                "re-export or re-scan it"
            ) from exc
        pending.errors.append(f"{name}: page {number}: cannot decode ({_short(exc)})")
    return pending


def _prepare_pdf(data: bytes, name: str, limits: Limits, submit: Submit) -> _Pending:
    import pypdfium2 as pdfium

    pending = _Pending("pdf")
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        text = str(exc).lower()
        if "password" in text:
            raise DocumentError(
                f"{name}: the PDF is encrypted with a password; scan an unprotected copy"
            ) from exc
        raise DocumentError(
            f"{name}: not a readable PDF ({_short(exc)}); the file is corrupt or truncated"
        ) from exc
    try:
        count = len(pdf)
        if count > limits.max_pages:
            pending.errors.append(
                f"{name}: only the first {limits.max_pages} of {count} pages were read"
            )
        for index in range(min(count, limits.max_pages)):
            number = index + 1
            try:
                pending.slots.extend(_pdf_page(pdf, index, name, limits, submit, pending.errors))
            except DocumentError as exc:
                pending.errors.append(str(exc))
            except (pdfium.PdfiumError, OSError, ValueError) as exc:
                pending.errors.append(f"{name}: page {number}: cannot read ({_short(exc)})")
    finally:
        pdf.close()
    return pending


def _visible(text: str) -> int:
    return sum(not ch.isspace() for ch in text)


def _pdf_pictures(
    page: Any,
    textpage: Any,
    number: int,
    name: str,
    limits: Limits,
    submit: Submit,
    errors: list[str],
) -> list:
    """OCR slots for the pictures of a page that has a text layer, unless the layer already
    holds their text (a scan made searchable keeps its words over the picture); a picture that
    cannot be decoded is added to ``errors``."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    slots: list[tuple[int, str, Any, str | None]] = []
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,)):
        if len(slots) >= MAX_PICTURES_PER_PAGE:
            break
        try:
            width, height = obj.get_px_size()
            if min(width, height) < MIN_PICTURE_SIDE:
                continue
            left, bottom, right, top = obj.get_bounds()
            over = textpage.get_text_bounded(left=left, bottom=bottom, right=right, top=top)
            if _visible(over) >= MIN_TEXT_LAYER_CHARS:
                continue
            _check_pixels(width, height, name, limits, f"page {number}: picture")
            bitmap = obj.get_bitmap(render=False)
            try:
                img = _grayscale(bitmap.to_pil())
            finally:
                bitmap.close()
        except DocumentError as exc:
            errors.append(str(exc))
            continue
        except (pdfium.PdfiumError, OSError, ValueError) as exc:
            errors.append(f"{name}: page {number}: a picture cannot be decoded ({_short(exc)})")
            continue
        slots.append((number, "ocr-picture", submit(img), None))
    return slots


def _pdf_page(
    pdf: Any, index: int, name: str, limits: Limits, submit: Submit, errors: list[str]
) -> list[tuple]:
    page = pdf[index]
    try:
        textpage = page.get_textpage()
        try:
            text = textpage.get_text_bounded()
            text = text.replace("\r\n", "\n").replace("\r", "\n")
            if _visible(text) >= MIN_TEXT_LAYER_CHARS:
                layer = (index + 1, "text-layer", PageText(text.strip("\n\f ")), None)
                pictures = _pdf_pictures(page, textpage, index + 1, name, limits, submit, errors)
                return [layer, *pictures]
        finally:
            textpage.close()
        scale = limits.ocr_dpi / 72
        width, height = page.get_size()
        pixels = width * height * scale * scale
        if pixels > limits.max_pixels:
            # A huge page: render it smaller rather than refuse it.
            scale *= (limits.max_pixels / pixels) ** 0.5
        bitmap = page.render(scale=scale, grayscale=True)
        try:
            img = bitmap.to_pil().convert("L")
        finally:
            bitmap.close()
        return [(index + 1, "ocr", submit(img), None)]
    finally:
        page.close()


def _prepare(data: bytes, name: str, limits: Limits, submit: Submit) -> _Pending:
    if len(data) > limits.max_file_bytes:
        raise DocumentError(
            f"{name}: {len(data)} bytes exceeds the limit of {limits.max_file_bytes} bytes; "
            "split the file or raise the size limit"
        )
    kind = sniff(data)
    if kind is None:
        raise DocumentError(f"{name}: not a PDF or an image; nothing to read")
    if kind == "pdf":
        return _prepare_pdf(data, name, limits, submit)
    return _prepare_image(data, name, kind, limits, submit)


def _finish(pending: _Pending, name: str) -> DocumentText:
    import pytesseract

    pages: list[Page] = []
    errors = list(pending.errors)
    for number, method, value, _ in pending.slots:
        try:
            text = value.result() if isinstance(value, Future) else value
        except (pytesseract.TesseractError, RuntimeError, OSError) as exc:
            # RuntimeError: pytesseract's timeout; the other pages go on.
            errors.append(f"{name}: page {number}: OCR failed ({_short(exc)})")
            continue
        pages.append(Page(text=text, number=number, method=method))
    return DocumentText(kind=pending.kind, pages=pages, errors=errors)


def extract(
    data: bytes, name: str, limits: Limits = Limits(), steps: Steps = DEFAULT_STEPS
) -> DocumentText:
    """Read every page of a PDF or image: the text layer where there is one, OCR elsewhere.

    Raises ``DocumentError`` for a file that cannot be read at all; a bad page is reported in
    ``DocumentText.errors`` and the other pages are still read.
    """

    def inline(img: Image.Image) -> Any:
        future: Future = Future()
        try:
            future.set_result(ocr_image(img, limits, steps))
        except Exception as exc:  # handed to _finish, which keeps only OCR errors per page
            future.set_exception(exc)
        return future

    return _finish(_prepare(data, name, limits, inline), name)


def _init_worker() -> None:
    # Each worker is one OCR at a time: Tesseract's own OpenMP threads would fight over cores.
    # This runs in the pool's own process (and the ``tesseract`` program pytesseract starts
    # inherits it); the bundled tesserocr engine has no OpenMP. The caller's process is left as
    # it is: library code changes no process-wide state.
    os.environ["OMP_THREAD_LIMIT"] = "1"


def make_pool(workers: int = 2) -> ProcessPoolExecutor:
    """A process pool for OCR whose workers run Tesseract single-threaded."""
    return ProcessPoolExecutor(max_workers=workers, initializer=_init_worker)


def extract_many(
    items: Iterable[tuple[bytes, str]],
    limits: Limits = Limits(),
    workers: int = 2,
    executor: Executor | None = None,
    steps: Steps = DEFAULT_STEPS,
) -> Iterator[DocumentText | DocumentError]:
    """``extract`` over many ``(data, name)`` documents, OCR'ing pages on ``workers`` processes.

    Results come back in input order: a ``DocumentText`` or the ``DocumentError`` of that file.
    A few documents are decoded ahead so that both cores stay busy on single-page scans.
    """
    own = executor is None
    pool = executor or make_pool(workers)
    window = max(2, workers * 2)
    queue: deque[tuple[str, _Pending | DocumentError]] = deque()

    def submit(img: Image.Image) -> Future:
        return pool.submit(_ocr_job, img, limits, steps)

    try:
        for data, name in items:
            try:
                queue.append((name, _prepare(data, name, limits, submit)))
            except DocumentError as exc:
                queue.append((name, exc))
            while len(queue) > window:
                yield _done(*queue.popleft())
        while queue:
            yield _done(*queue.popleft())
    finally:
        if own:
            pool.shutdown(wait=True, cancel_futures=True)


class ReadAhead:
    """Documents met in a batch of records (BLOB columns) OCR'd ahead on a process pool.

    A folder's documents are decoded a few ahead so that every OCR worker has a page
    (``FileSource``); this does the same for the documents of a table. ``expect`` is told the
    batch's documents in the order they will be asked for; ``extract`` hands each one out as
    ``extract()`` would, while the next ``window`` are already being read. A document asked for
    out of that order is read there and then; documents never asked for (a field that stopped
    early) are dropped when a later one is asked for, or by ``drop``. The pool starts with the
    first document and stops with ``close``.
    """

    def __init__(
        self, limits: Limits = Limits(), workers: int = 2, steps: Steps = DEFAULT_STEPS
    ) -> None:
        self.limits = limits
        self.workers = max(1, workers)
        self.steps = steps
        self.window = self.workers * 2
        self._pool: ProcessPoolExecutor | None = None
        # [data, name, _Pending | DocumentError | None (not prepared yet)], in expected order
        self._queue: deque[list[Any]] = deque()

    def _submit(self, img: Image.Image) -> Future:
        if self._pool is None:
            self._pool = make_pool(self.workers)
        return self._pool.submit(_ocr_job, img, self.limits, self.steps)

    def _fill(self) -> None:
        for item in itertools.islice(self._queue, self.window):
            if item[2] is None:
                try:
                    item[2] = _prepare(item[0], item[1], self.limits, self._submit)
                except DocumentError as exc:
                    item[2] = exc

    def expect(self, items: Iterable[tuple[bytes, str]]) -> int:
        """Queue documents ``(data, name)`` in the order ``extract`` will be asked for them
        and start reading the first ones; returns how many were queued."""
        before = len(self._queue)
        self._queue.extend([data, name, None] for data, name in items)
        self._fill()
        return len(self._queue) - before

    def extract(self, data: bytes, name: str) -> DocumentText:
        """``extract(data, name, limits, steps)``, read ahead if ``data`` was expected."""
        index = next(
            (i for i, item in enumerate(self._queue) if item[0] is data or item[0] == data), None
        )
        if index is None:
            return extract(data, name, self.limits, self.steps)
        for _ in range(index):  # skipped: never asked for now
            _cancel(self._queue.popleft()[2])
        _, _, pending = self._queue.popleft()
        self._fill()
        if pending is None:  # cannot happen after _fill; kept for the type checker
            return extract(data, name, self.limits, self.steps)
        if isinstance(pending, DocumentError):
            raise pending
        return _finish(pending, name)

    def drop(self) -> None:
        """Forget the documents not asked for (their OCR is cancelled where it has not begun)."""
        while self._queue:
            _cancel(self._queue.popleft()[2])

    def close(self) -> None:
        """Drop what is queued and stop the OCR workers."""
        self.drop()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def _cancel(pending: _Pending | DocumentError | None) -> None:
    if isinstance(pending, _Pending):
        for _, _, value, _ in pending.slots:
            if isinstance(value, Future):
                value.cancel()


def _done(name: str, item: _Pending | DocumentError) -> DocumentText | DocumentError:
    return item if isinstance(item, DocumentError) else _finish(item, name)


__all__ = [
    "DocumentError",
    "DocumentText",
    "Limits",
    "ReadAhead",
    "Steps",
    "Word",
    "estimate_noise",
    "estimate_skew",
    "extract",
    "extract_many",
    "make_pool",
    "is_latin_candidate",
    "ocr_image",
    "otsu_threshold",
    "parse_tsv",
    "preprocess",
    "reread_latin",
    "sniff",
]
