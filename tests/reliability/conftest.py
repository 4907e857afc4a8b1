"""Fixtures of the reliability tests."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# --import-mode=importlib leaves sys.path alone: make this folder's helper
# modules (fake_kg, reliability_support) importable by the tests here.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from fake_kg import install  # noqa: E402
from reliability_support import write_corpus  # noqa: E402


@pytest.fixture
def fake_extractor() -> Iterator[None]:
    """``kg.build`` in this process uses the FakeExtractor (no NLP models)."""
    import kg.build

    saved, factory = sys.modules.get("kg.extract"), kg.build.default_extractor
    install()
    yield
    kg.build.default_extractor = factory
    if saved is None:
        sys.modules.pop("kg.extract", None)
    else:
        sys.modules["kg.extract"] = saved


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "news.jsonl"
    write_corpus(path, 40, seed=1)
    return path
