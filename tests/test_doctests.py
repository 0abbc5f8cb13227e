"""The examples in the modules' docstrings (the validators' stdnum-style doctests) run as tests.

They are collected from the installed import names (``pdaudit.scanner``, ``pdaudit.recognizers``),
not from the folders, so each module is imported once under the name the program uses.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import pdaudit.recognizers
import pdaudit.scanner


def _modules() -> list[str]:
    names = []
    for package in (pdaudit.scanner, pdaudit.recognizers):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            names.append(info.name)
    return sorted(names)


def _has_examples(name: str) -> bool:
    return any(
        test.examples for test in doctest.DocTestFinder().find(importlib.import_module(name))
    )


MODULES_WITH_EXAMPLES = [name for name in _modules() if _has_examples(name)]


def test_the_modules_with_examples_are_found():
    # The checksum modules are the stdnum-style ones; losing them would silently drop their tests.
    for name in ("kz_iin", "kz_bin", "ru_inn", "ru_snils", "checksums"):
        assert f"pdaudit.recognizers.{name}" in MODULES_WITH_EXAMPLES


@pytest.mark.parametrize("name", MODULES_WITH_EXAMPLES)
def test_docstring_examples(name: str):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
