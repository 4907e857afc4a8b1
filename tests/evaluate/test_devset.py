"""The factRuEval devset and the cluster-news gold through the real extractor (slow)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli

CORPORA = Path("/work/shared/corpora")
FACTRU = CORPORA / "factru-dev"
NEWS = CORPORA / "cluster-news-dev.jsonl"
STRICT = os.environ.get("KG_STRICT_TESTS") == "1"

pytestmark = pytest.mark.slow


def need(path: Path) -> None:
    if not path.exists():
        if STRICT:
            pytest.fail(f"{path} is absent (KG_STRICT_TESTS=1)")
        pytest.skip(f"{path} is absent: the shared corpora are not on this machine")
    try:
        from kg.extract import Extractor  # noqa: F401
    except ImportError as exc:
        if STRICT:
            pytest.fail(f"kg.extract.Extractor cannot be imported: {exc}")
        pytest.skip(f"kg.extract.Extractor cannot be imported yet: {exc}")


def test_devset_factru_responses_for_every_document(tmp_path: Path) -> None:
    need(FACTRU)
    books = sorted(p.name.removesuffix(".txt") for p in FACTRU.glob("book_*.txt"))
    result = CliRunner().invoke(cli, ["eval", "factru", str(FACTRU), "--out", str(tmp_path)],
                                catch_exceptions=False)
    assert result.exit_code == 0
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(f"{b}.{ext}" for b in books for ext in ("task1", "task3"))
    assert result.output.splitlines()[0] == f"documents: {len(books)} responses written"
    assert f"Track 1 (entity mentions, {len(books)} documents with gold)" in result.output
    assert "Track 3 (facts, easy mode," in result.output
    assert any((tmp_path / f"{b}.task1").stat().st_size for b in books)


def test_devset_gold_jsonl_runs(tmp_path: Path) -> None:
    need(NEWS)
    result = CliRunner().invoke(cli, ["eval", "gold", str(NEWS)], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.output.startswith("documents: ")
    assert "\npersons " in result.output
