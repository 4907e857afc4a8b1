"""Meta-test: the examples in kg's docstrings run (as ``pytest --doctest-modules kg`` would)."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

KG = Path(__file__).resolve().parents[1] / "kg"
MODULES = sorted(
    ".".join(path.relative_to(KG.parent).with_suffix("").parts)
    for path in KG.rglob("*.py")
    if path.name != "__main__.py"
)


def test_doctests_modules_found() -> None:
    assert "kg.store.oxigraph" in MODULES and "kg.mapping.iri" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_doctests_pass(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} doctest examples failed"
