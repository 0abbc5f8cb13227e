"""Text out of uploaded documents: images (PNG, JPEG, TIFF, ...) and PDFs, with OCR for scans.

A PDF page with a text layer gives its text directly (pypdfium2); a page without one, and every
image, is rendered to a picture and read by Tesseract (``rus+kaz+eng``) after pre-processing:
grayscale, upscaling of small scans, rotation by Tesseract's orientation detection, deskewing of
small angles by a projection-profile search. OCR text is folded with
``recognizers.normalize.normalize_ocr`` (length-preserving). ``extract_many`` spreads the OCR of
many pages over a process pool.
"""

from __future__ import annotations

import io
import math
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from PIL import Image, ImageFilter, ImageOps, ImageSequence

from recognizers.normalize import normalize_ocr
from scanner.sources import Page

OCR_LANG = "rus+kaz+eng"
#: Tesseract settings: automatic page segmentation, keep spaces between words as they are.
OCR_CONFIG = "--psm 3 -c preserve_interword_spaces=1"
#: A PDF page with fewer visible characters than this in its text layer is treated as a scan.
MIN_TEXT_LAYER_CHARS = 16
#: Scans narrower than this are upscaled before OCR (Tesseract wants ~20-30 px capitals); a
#: 150 dpi A4 page (1240 px) is read better as it is.
MIN_OCR_WIDTH = 1000
#: Largest angle (degrees) the deskew search looks at; larger tilts are left to Tesseract.
MAX_SKEW = 6.0

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


def _upscale(img: Image.Image, limits: Limits) -> Image.Image:
    width, height = img.size
    if width >= MIN_OCR_WIDTH or width == 0:
        return img
    # Whole factors only: the evaluation lost entities at 150 dpi with a 1.2x resampling.
    factor = min(math.ceil(MIN_OCR_WIDTH / width), 4)
    if width * height * factor * factor > limits.max_pixels:
        return img
    return img.resize((round(width * factor), round(height * factor)), Image.LANCZOS)


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
    rotated = ink.rotate(angle, resample=Image.NEAREST, expand=True, fillcolor=0)
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
    return img.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=255)


def _orientation(img: Image.Image, limits: Limits) -> int:
    """Degrees to rotate counter-clockwise to make text upright (0 when OSD cannot tell)."""
    import pytesseract

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


@dataclass(frozen=True)
class Steps:
    """Which pre-processing steps run before OCR (the evaluation switches them off one by one)."""

    upscale: bool = True
    rotate: bool = True
    deskew: bool = True
    denoise: bool = False
    binarize: bool = False
    normalize: bool = True


DEFAULT_STEPS = Steps()


def preprocess(
    img: Image.Image, limits: Limits = Limits(), steps: Steps = DEFAULT_STEPS
) -> Image.Image:
    """Grayscale, upscale, rotate upright, deskew (and binarise if asked) a scan for Tesseract."""
    img = _grayscale(img)
    if steps.rotate:
        # OSD wants an image of a reasonable size; the rotation itself is exact (90/180/270).
        # Upscaling is decided on the upright page: a sideways page looks narrow.
        probe = _upscale(img, limits) if steps.upscale else img
        rotate = _orientation(probe, limits)
        if rotate:
            img = img.rotate(-rotate, expand=True)
    if steps.upscale:
        img = _upscale(img, limits)
    if steps.deskew:
        img = _deskew(img)
    if steps.denoise:
        img = img.filter(ImageFilter.MedianFilter(3))
    if steps.binarize:
        img = _binarize(img)
    return img


def ocr_image(img: Image.Image, limits: Limits = Limits(), steps: Steps = DEFAULT_STEPS) -> str:
    """The text of one scanned page (pre-processed, OCR'd, look-alikes folded)."""
    import pytesseract

    prepared = preprocess(img, limits, steps)
    text = pytesseract.image_to_string(
        prepared, lang=OCR_LANG, config=OCR_CONFIG, timeout=limits.page_timeout_s
    )
    text = text.strip("\n\f ")
    return normalize_ocr(text) if steps.normalize else text


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
                pending.slots.append(_pdf_page(pdf, index, name, limits, submit))
            except DocumentError as exc:
                pending.errors.append(str(exc))
            except (pdfium.PdfiumError, OSError, ValueError) as exc:
                pending.errors.append(f"{name}: page {number}: cannot read ({_short(exc)})")
    finally:
        pdf.close()
    return pending


def _pdf_page(pdf: Any, index: int, name: str, limits: Limits, submit: Submit) -> tuple:
    page = pdf[index]
    try:
        textpage = page.get_textpage()
        try:
            text = textpage.get_text_bounded()
        finally:
            textpage.close()
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if sum(not ch.isspace() for ch in text) >= MIN_TEXT_LAYER_CHARS:
            return (index + 1, "text-layer", text.strip("\n\f "), None)
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
        return (index + 1, "ocr", submit(img), None)
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
    os.environ["OMP_THREAD_LIMIT"] = "1"


def make_pool(workers: int = 2) -> ProcessPoolExecutor:
    """A process pool for OCR whose workers run Tesseract single-threaded."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
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


def _done(name: str, item: _Pending | DocumentError) -> DocumentText | DocumentError:
    return item if isinstance(item, DocumentError) else _finish(item, name)


__all__ = [
    "DocumentError",
    "DocumentText",
    "Limits",
    "Steps",
    "estimate_skew",
    "extract",
    "extract_many",
    "make_pool",
    "ocr_image",
    "otsu_threshold",
    "preprocess",
    "sniff",
]
