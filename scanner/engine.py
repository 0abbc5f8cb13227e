"""An offline Presidio ``AnalyzerEngine`` for Russian text.

``AnalyzerEngine()`` on its own downloads an English spaCy model. Here the NLP engine is a blank
Russian spaCy pipeline (tokenizer only: names come from pdaudit's own PERSON recognizer) and the
registry holds pdaudit's recognizers, none of which needs the network.

Presidio's own e-mail recognizer validates a match with the module-level ``tldextract.extract``,
which fetches the public suffix list. ``OfflineEmailRecognizer`` is that recognizer with its
public ``validate_result`` reading the suffix list bundled in tldextract's wheel through an
extractor of its own: for comparisons with plain Presidio (``eval/``, ``bench/``) without
touching the ``tldextract`` module that other code in the process may use.
"""

from __future__ import annotations

from functools import cache

import spacy
import tldextract
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import EmailRecognizer

from pdaudit.recognizers.base import LANGUAGE
from pdaudit.recognizers.registry import build_registry


@cache
def offline_extractor() -> tldextract.TLDExtract:
    """A tldextract extractor on the bundled public suffix snapshot: no fetch, no cache files."""
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


class OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's ``EmailRecognizer`` (same pattern, scores and context), validated offline.

    >>> [(r.start, r.end) for r in OfflineEmailRecognizer().analyze("to a@b.co.uk", None)]
    [(3, 12)]
    """

    def validate_result(self, pattern_text: str) -> bool:
        """What Presidio's check answers: the match has a registered domain (a fqdn)."""
        return offline_extractor()(pattern_text).fqdn != ""


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
    return AnalyzerEngine(
        registry=registry or build_registry(language=LANGUAGE),
        nlp_engine=BlankRussianNlpEngine(),
        supported_languages=[LANGUAGE],
        context_aware_enhancer=LemmaContextAwareEnhancer(
            context_similarity_factor=0.0, min_score_with_context_similarity=0.0
        ),
    )
