"""Helpers for the scale tests: generated corpora, pipeline builds with a fake extractor."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # fake_extractor, importable by spawned workers


@pytest.fixture
def corpus(tmp_path: Path):  # type: ignore[no-untyped-def]
    """``corpus(n, seed=0, name="news.jsonl") -> Path`` writes a generated corpus."""
    from kg.demo import write_corpus

    def make(n: int, seed: int = 0, name: str = "news.jsonl") -> Path:
        path = tmp_path / name
        write_corpus(path, n, seed)
        return path

    return make
