"""Build the list of recognizers from the YAML registry and the ``pdaudit.recognizers`` entry points."""

from __future__ import annotations

import importlib
from functools import cache
from importlib.metadata import entry_points
from importlib.resources import files
from pathlib import Path
from typing import Any

from presidio_analyzer import EntityRecognizer, RecognizerRegistry

ENTRY_POINT_GROUP = "pdaudit.recognizers"
# Shipped as package data (``pdaudit.configs``): an installed wheel has it on disk as well.
DEFAULT_CONFIG = Path(str(files("pdaudit.configs").joinpath("recognizers.yaml")))


class RegistryError(ValueError):
    """The registry file names something that cannot be loaded."""


def _read_config(path: Path) -> Any:
    from pdaudit.scanner.config_schema import ConfigError, RegistryFile, load

    try:
        return load(path, RegistryFile, "recognizer registry")[0]
    except ConfigError as exc:
        raise RegistryError(str(exc)) from None


def load_config(path: Path | str | None = None) -> list[EntityRecognizer]:
    """Instantiate every enabled recognizer named in a registry YAML file."""
    path = Path(path) if path else DEFAULT_CONFIG
    recognizers = []
    for entry in _read_config(path).recognizers:
        if not entry.enabled:
            continue
        module_name, _, class_name = entry.class_.partition(":")
        try:
            cls = getattr(importlib.import_module(module_name), class_name)
        except (ImportError, AttributeError) as exc:
            raise RegistryError(f"{path}: cannot load recognizer {entry.class_!r}: {exc}") from exc
        recognizers.append(cls())
    return recognizers


@cache
def _plugin_entities() -> tuple[str, ...]:
    return tuple(sorted({e for r in plugin_recognizers() for e in r.supported_entities}))


def registry_entities(path: Path | str | None = None) -> list[str]:
    """Entity types that the registry file's recognizers and installed plugins report."""
    config = _read_config(Path(path) if path else DEFAULT_CONFIG)
    own = {
        entity
        for entry in config.recognizers
        if entry.enabled
        for entity in (
            [entry.supported_entity]
            if isinstance(entry.supported_entity, str)
            else entry.supported_entity
        )
    }
    return sorted(own | set(_plugin_entities()))


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
