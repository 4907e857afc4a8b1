"""kg.demo: the generated corpus is deterministic and looks like cluster news."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.demo import generate, write_corpus


def corpus_bytes(n: int, seed: int) -> bytes:
    out = io.StringIO()
    write_corpus(out, n, seed)
    return out.getvalue().encode("utf-8")


@pytest.mark.parametrize("seed", [0, 7, 12345])
def test_demo_same_seed_same_bytes(seed: int) -> None:
    assert corpus_bytes(200, seed) == corpus_bytes(200, seed)


def test_demo_different_seed_different_corpus() -> None:
    assert corpus_bytes(50, 1) != corpus_bytes(50, 2)


def test_demo_prefix_is_stable() -> None:
    """The first k items do not depend on how many are asked for."""
    assert list(generate(10, seed=4)) == list(generate(30, seed=4))[:10]


def test_demo_records_are_complete_and_unique() -> None:
    records = list(generate(300, seed=9))
    assert len({r["id"] for r in records}) == 300
    for r in records:
        assert set(r) == {"id", "date", "title", "text"}
        assert len(r["text"]) > 150 and "кластер" in r["text"].lower()
        assert r["date"][:2] == "20" and len(r["date"]) == 10


def test_demo_entities_recur_across_items() -> None:
    """A shared world: the same clusters appear in many items (entities shared across documents)."""
    texts = [r["text"] for r in generate(200, seed=3)]
    clusters = {w for t in texts for w in t.split(" кластера ")[:-1]}
    assert clusters
    recurring = [t for t in texts if "кластера" in t]
    assert len(recurring) > 50


def test_demo_cli_writes_same_bytes_as_library(tmp_path: Path) -> None:
    from kg.cli import cli

    out = tmp_path / "c.jsonl"
    result = CliRunner().invoke(cli, ["demo-corpus", "25", "--seed", "3", "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0
    assert out.read_bytes() == corpus_bytes(25, 3)
    stdout = CliRunner().invoke(cli, ["demo-corpus", "25", "--seed", "3"], catch_exceptions=False)
    assert stdout.stdout_bytes == corpus_bytes(25, 3)
    assert [json.loads(line)["id"] for line in stdout.stdout.splitlines()][:2] == ["gen-3-000000", "gen-3-000001"]


def test_demo_rejects_negative_count() -> None:
    with pytest.raises(ValueError, match="at least 0"):
        list(generate(-1))
