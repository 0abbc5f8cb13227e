"""Third-party recognizers for the tests: a plain Presidio one, without a search of its own."""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer, RecognizerResult


class Foreign(EntityRecognizer):
    """A third-party Presidio recognizer: no search declared, no ``context`` argument. It finds
    ``tok-`` and the three characters after it as ``CUSTOM_TOKEN``."""

    def __init__(self) -> None:
        super().__init__(supported_entities=["CUSTOM_TOKEN"], name="Foreign")

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        i = text.find("tok-")
        return [] if i < 0 else [RecognizerResult("CUSTOM_TOKEN", i, i + 7, 0.9)]


class Counting(Foreign):
    """``Foreign`` that counts the texts it is asked about."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def analyze(self, text, entities, nlp_artifacts=None):
        self.seen.append(text)
        return super().analyze(text, entities, nlp_artifacts)
