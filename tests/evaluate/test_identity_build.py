"""kg eval identity --corpus: the real `kg build` pipeline, on our own sentences and on the dev gold (slow)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kg.cli import cli

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "corpora"
DEV_CORPUS = SHARED / "cluster-news-dev.jsonl"
DEV_GOLD = SHARED / "cluster-news-identity.json"

pytestmark = pytest.mark.slow

NEWS = [
    {"id": "n1", "text": "Компания ООО «Северная звезда» вступила в Камский инновационный кластер. "
                         "Об этом сообщил губернатор Пермского края."},
    {"id": "n2", "text": "Резидентом Камского инновационного кластера стала ООО «Северная звезда», "
                         "сообщает пресс-служба."},
    {"id": "n3", "text": "Министерство промышленности и торговли России одобрило заявку ООО «Северная звезда»."},
]
GOLD = [
    {"doc": "n1", "mention": "ООО «Северная звезда»", "entity": "org:star", "class": "org"},
    {"doc": "n2", "mention": "ООО «Северная звезда»", "entity": "org:star", "class": "org"},
    {"doc": "n3", "mention": "ООО «Северная звезда»", "entity": "org:star", "class": "org"},
    {"doc": "n3", "mention": "Министерство промышленности и торговли России", "entity": "org:mpt", "class": "org"},
    {"doc": "n1", "mention": "Камский инновационный кластер", "entity": "cluster:kama", "class": "cluster"},
    {"doc": "n2", "mention": "Камского инновационного кластера", "entity": "cluster:kama", "class": "cluster"},
]


def check_well_formed(data: dict[str, Any], mentions: int) -> None:
    """Every figure a ratio or None, counts that add up, every gold row scored."""
    assert data["left_out"] == []
    assert sum(c["mentions"] for c in data["classes"].values()) == mentions
    for score in data["classes"].values():
        assert all(0.0 <= x <= 1.0 for x in score["bcubed"].values())
        merge = score["merge"]
        assert 0 <= merge["correct_pairs"] <= min(merge["gold_pairs"], merge["node_pairs"])
        assert len(score["missed_merges"]) == merge["gold_pairs"] - merge["correct_pairs"]
        assert len(score["wrong_merges"]) == merge["node_pairs"] - merge["correct_pairs"]
        for ratio, den in ((merge["recall"], merge["gold_pairs"]), (merge["precision"], merge["node_pairs"])):
            assert (ratio is None) == (den == 0)
            assert ratio is None or ratio == round(merge["correct_pairs"] / den, 4)
        assert score["unresolved"] == sum(1 for item in score["items"] if item["node"] is None)
        assert score["entities"] <= score["mentions"] and score["nodes"] <= score["mentions"]


def test_identity_cli_builds_the_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    corpus, gold = tmp_path / "news.jsonl", tmp_path / "gold.json"
    corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in NEWS), encoding="utf-8")
    gold.write_text(json.dumps({"mentions": GOLD}, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", "identity", str(gold), "--corpus", str(corpus), "--json"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["source"] == f"kg build {corpus}"
    check_well_formed(data, len(GOLD))
    org = data["classes"]["org"]
    # one company named identically in three documents: one node, whatever else resolution does
    assert org["merge"]["gold_pairs"] == 3 and org["merge"]["recall"] == 1.0
    assert all(item["node"] and "/org/" in item["node"] for item in org["items"])
    assert list(scratch.iterdir()) == []  # the build's workspace was temporary
    text = CliRunner().invoke(cli, ["eval", "identity", str(gold), "--corpus", str(corpus)],
                              catch_exceptions=False).output.splitlines()
    assert text[0] == f"identity of kg build {corpus} against {gold}: 6 mentions in 3 documents, 0 gold rows left out"
    assert [line.split()[0] for line in text[1:4]] == ["class", "cluster", "org"]


def test_identity_dev_gold_runs() -> None:
    for path in (DEV_CORPUS, DEV_GOLD):
        if not path.exists():
            if os.environ.get("KG_STRICT_TESTS") == "1":
                pytest.fail(f"{path} is absent (KG_STRICT_TESTS=1)")
            pytest.skip(f"{path} is absent: the shared corpora are not on this machine")
    rows = json.loads(DEV_GOLD.read_text(encoding="utf-8"))["mentions"]
    result = CliRunner().invoke(cli, ["eval", "identity", str(DEV_GOLD), "--corpus", str(DEV_CORPUS), "--json"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    check_well_formed(data, len(rows))
    assert set(data["classes"]) == {"cluster", "org"}


OWN = Path(__file__).resolve().parents[1] / "data" / "identity"


def test_identity_own_set_runs() -> None:
    """Our own identity set through the real build: every row scored, figures well-formed."""
    rows = json.loads((OWN / "gold.json").read_text(encoding="utf-8"))["mentions"]
    result = CliRunner().invoke(cli, ["eval", "identity", str(OWN / "gold.json"), "--corpus",
                                      str(OWN / "news.jsonl"), "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    check_well_formed(data, len(rows))
    assert set(data["classes"]) == {"cluster", "org"}
