"""Helpers for the scale tests: generated corpora, pipeline builds with a fake extractor."""

from __future__ import annotations

import json
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


def read_records(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def write_records(path: Path, records: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def nquads(workspace: Path) -> set[str]:
    from kg.store.oxigraph import open_store

    return {str(q) for q in open_store(workspace, read_only=True).quads()}
