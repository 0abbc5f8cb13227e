"""Build the list of recognizers from the YAML registry and the ``pdaudit.recognizers`` entry points."""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points
from pathlib import Path

import yaml
from presidio_analyzer import EntityRecognizer, RecognizerRegistry

ENTRY_POINT_GROUP = "pdaudit.recognizers"
DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "configs" / "recognizers.yaml"


class RegistryError(ValueError):
    """The registry file names something that cannot be loaded."""


def load_config(path: Path | str | None = None) -> list[EntityRecognizer]:
    """Instantiate every enabled recognizer named in a registry YAML file."""
    path = Path(path) if path else DEFAULT_CONFIG
    try:
        config = yaml.safe_load(path.read_text("utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise RegistryError(f"{path}: cannot read the recognizer registry: {exc}") from exc
    recognizers = []
    for entry in config.get("recognizers", []):
        if not entry.get("enabled", True):
            continue
        target = entry.get("class", "")
        module_name, _, class_name = target.partition(":")
        try:
            cls = getattr(importlib.import_module(module_name), class_name)
        except (ImportError, AttributeError) as exc:
            raise RegistryError(f"{path}: cannot load recognizer {target!r}: {exc}") from exc
        recognizers.append(cls())
    return recognizers


def builtin_recognizers() -> list[EntityRecognizer]:
    """The entry point of pdaudit itself: everything in ``configs/recognizers.yaml``."""
    return load_config(DEFAULT_CONFIG)


def plugin_recognizers(include_builtin: bool = False) -> list[EntityRecognizer]:
    """Recognizers that installed packages register under ``pdaudit.recognizers``."""
    found: list[EntityRecognizer] = []
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name == "builtin" and ep.value.startswith("pdaudit.recognizers.registry"):
            if not include_builtin:
                continue
        found.extend(ep.load()())
    return found


def all_recognizers(config: Path | str | None = None) -> list[EntityRecognizer]:
    """Recognizers from the registry file plus those of third-party plugins."""
    return load_config(config) + plugin_recognizers()


def build_registry(config: Path | str | None = None, language: str = "ru") -> RecognizerRegistry:
    """A Presidio ``RecognizerRegistry`` holding only pdaudit's (and plugins') recognizers."""
    registry = RecognizerRegistry(supported_languages=[language])
    for recognizer in all_recognizers(config):
        registry.add_recognizer(recognizer)
    return registry
