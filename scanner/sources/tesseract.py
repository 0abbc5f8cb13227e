"""Tesseract kept loaded: one engine per language and mode in each OCR process (tesserocr).

Starting the ``tesseract`` program loads its language data (``rus+kaz+eng`` is about 2 seconds
on a busy machine) for every page and every word read again. With tesserocr the data is loaded
once per process and each page costs only its recognition. Without tesserocr (``pip install
tesserocr``) every call returns ``None`` and the caller runs the ``tesseract`` program through
pytesseract as before.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import threading
from typing import Any

from PIL import Image

#: The header Tesseract writes at the top of its TSV output (the API leaves it out).
TSV_HEADER = (
    "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
)
_LIST_LANGS = re.compile(r'"(.+?)"')


class OcrTimeout(RuntimeError):
    """Tesseract did not finish a page in the time it was given."""


@functools.cache
def tessdata() -> str | None:
    """The folder of the installed language data, as the ``tesseract`` program reports it."""
    exe = shutil.which("tesseract")
    if exe is None:
        return None
    try:
        out = subprocess.run(
            [exe, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    found = _LIST_LANGS.search(out.stdout + out.stderr)
    return found.group(1) if found else None


class Engine:
    """One loaded ``TessBaseAPI`` (language, page segmentation mode, variables), used under a lock."""

    def __init__(self, api: Any) -> None:
        self.api = api
        self.lock = threading.Lock()

    def read(self, img: Image.Image, timeout: float, tsv: bool = False) -> tuple[str, str, float]:
        """The text of ``img``, its TSV (with header, if asked for) and the mean word confidence."""
        with self.lock:
            api = self.api
            api.SetImage(img)
            if not api.Recognize(timeout=max(1, int(timeout * 1000))):
                api.Clear()
                raise OcrTimeout(f"Tesseract did not finish within {timeout:.0f} s")
            text = api.GetUTF8Text()
            table = TSV_HEADER + "\n" + api.GetTSVText(0) if tsv else ""
            conf = float(api.MeanTextConf())
            api.Clear()
        return text, table, conf

    def orientation(self, img: Image.Image) -> tuple[int, float] | None:
        """Degrees to turn ``img`` counter-clockwise to make it upright, and the confidence."""
        with self.lock:
            api = self.api
            api.SetImage(img)
            try:
                found = api.DetectOrientationScript()
            except RuntimeError:
                found = None
            api.Clear()
        if not found:
            return None
        # ``orient_deg`` is how far the page is turned counter-clockwise ("Orientation in
        # degrees"); turning it back is the rest of the full turn ("Rotate").
        return (360 - int(found["orient_deg"])) % 360, float(found["orient_conf"])


_ENGINES: dict[tuple, Engine | None] = {}
_GUARD = threading.Lock()


def engine(lang: str, psm: int, **variables: str) -> Engine | None:
    """The engine of this process for ``lang`` and ``psm`` (``None`` without tesserocr)."""
    key = (lang, psm, tuple(sorted(variables.items())))
    with _GUARD:
        if key in _ENGINES:
            return _ENGINES[key]
        made: Engine | None = None
        try:
            import tesserocr
        except ImportError:
            tesserocr = None
        path = tessdata() if tesserocr is not None else None
        if tesserocr is not None and path is not None:
            try:
                api = tesserocr.PyTessBaseAPI(path=path, lang=lang, psm=psm)
                for name, value in variables.items():
                    api.SetVariable(name, value)
                made = Engine(api)
            except RuntimeError:
                made = None  # a language the data folder lacks: the program path reports it
        _ENGINES[key] = made
        return made


#: Page segmentation modes by number (tesserocr's ``PSM`` values, Tesseract's own numbering).
PSM_OSD_ONLY = 0
PSM_AUTO = 3
PSM_SINGLE_LINE = 7
PSM_SINGLE_WORD = 8

__all__ = ["Engine", "OcrTimeout", "TSV_HEADER", "engine", "tessdata"]
