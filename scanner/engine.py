"""An offline Presidio ``AnalyzerEngine`` for Russian text.

``AnalyzerEngine()`` on its own downloads an English spaCy model, and Presidio's e-mail
recognizer asks tldextract for the public suffix list over the network. Here the NLP engine is a
blank Russian spaCy pipeline (tokenizer only: names come from pdaudit's own PERSON recognizer),
tldextract uses the suffix list bundled in its wheel, and the registry holds pdaudit's recognizers.
"""

from __future__ import annotations

import os

# natasha's numpy code is 5-6x slower with several OpenMP threads; this must precede numpy.
os.environ.setdefault("OMP_NUM_THREADS", "1")

import spacy  # noqa: E402
import tldextract  # noqa: E402
import tldextract.tldextract  # noqa: E402
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry  # noqa: E402
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer  # noqa: E402
from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine  # noqa: E402

from pdaudit.recognizers.base import LANGUAGE  # noqa: E402
from pdaudit.recognizers.registry import build_registry  # noqa: E402


def configure_offline() -> None:
    """Make tldextract use its bundled public suffix snapshot and never fetch one."""
    extractor = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    tldextract.tldextract.TLD_EXTRACTOR = extractor
    # The name Presidio's EmailRecognizer calls; the extractor is called as the function was.
    tldextract.extract = extractor  # type: ignore[assignment]


class BlankRussianNlpEngine(SpacyNlpEngine):
    """A spaCy NLP engine on ``spacy.blank("ru")``: tokens for context words, no model download."""

    def __init__(self) -> None:
        super().__init__(
            models=[{"lang_code": LANGUAGE, "model_name": "blank:ru"}],
            ner_model_configuration=NerModelConfiguration(),
        )

    def load(self) -> None:
        # Presidio's ``__init__`` sets ``nlp`` to ``None`` unannotated, so mypy types it ``None``.
        self.nlp = {LANGUAGE: spacy.blank(LANGUAGE)}  # type: ignore[assignment]


def build_analyzer(registry: RecognizerRegistry | None = None) -> AnalyzerEngine:
    """An ``AnalyzerEngine`` that runs offline with pdaudit's recognizers.

    Presidio's own context enhancer is neutralised: pdaudit recognizers look for their context
    words themselves, so the engine and pdaudit's batch analysis give the same scores.
    """
    configure_offline()
    return AnalyzerEngine(
        registry=registry or build_registry(language=LANGUAGE),
        nlp_engine=BlankRussianNlpEngine(),
        supported_languages=[LANGUAGE],
        context_aware_enhancer=LemmaContextAwareEnhancer(
            context_similarity_factor=0.0, min_score_with_context_similarity=0.0
        ),
    )


configure_offline()
