"""Recognizers that users describe in YAML, in Presidio's form, without writing Python.

    recognizers:
      - name: Mirum contract number
        supported_entity: MIRUM_CONTRACT
        patterns: [{name: contract, regex: "\\bMRM-\\d{6}\\b", score: 0.6}]
        context: [договор, contract]
      - name: Staff code names
        supported_entity: STAFF_CODENAME
        deny_list: [Сокол, Беркут]

Presidio's own ``PatternRecognizer`` finds the patterns and the deny list. Presidio raises a
score near a context word in its engine, which pdaudit's batch analysis bypasses; this class does
it itself, as Presidio's default enhancer would (+0.35, at least 0.4), looking near the value and
in the field's name, and records the word as evidence like pdaudit's own recognizers.
"""

from __future__ import annotations

from typing import Any, cast

from presidio_analyzer import PatternRecognizer, RecognizerResult

from pdaudit.recognizers.base import ContextWords, fold, make_result

#: Presidio's ``LemmaContextAwareEnhancer`` defaults.
CONTEXT_BOOST = 0.35
MIN_SCORE_WITH_CONTEXT = 0.4


class CustomPatternRecognizer(PatternRecognizer):
    """A Presidio ``PatternRecognizer`` whose context words work in pdaudit's batch analysis."""

    name: str  # set by ``EntityRecognizer.__init__``

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._words = ContextWords([fold(w) for w in self.context or []])

    def analyze(
        self,
        text: str,
        entities: list[str] | None,
        nlp_artifacts: Any = None,
        regex_flags: int | None = None,
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        """Presidio's matches, each raised by a context word near it or in the field name."""
        results = super().analyze(text, entities or [], nlp_artifacts, regex_flags)
        if not self.context:
            return results
        out = []
        for result in results:
            evidence = self._words.evidence(text, result.start, result.end, context)
            if evidence is None:
                out.append(result)
                continue
            score = min(1.0, max(result.score + CONTEXT_BOOST, MIN_SCORE_WITH_CONTEXT))
            out.append(
                make_result(
                    result.entity_type, result.start, result.end, score, self.name, [evidence]
                )
            )
        return out


def build(spec: dict[str, Any]) -> CustomPatternRecognizer:
    """A recognizer from one entry of Presidio's YAML form (already checked by the schema)."""
    fields = ("name", "supported_entity", "supported_language", "patterns", "context")
    data = {k: spec[k] for k in fields if spec.get(k) is not None}
    if spec.get("deny_list"):
        data["deny_list"] = list(spec["deny_list"])
        data["deny_list_score"] = spec.get("deny_list_score", 1.0)
    # ``from_dict`` is ``cls(**data)``; Presidio annotates its result as the base class.
    return cast(CustomPatternRecognizer, CustomPatternRecognizer.from_dict(data))
