"""kg merge / split / reject / suggest through the CLI, on a real build (slow: natasha)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.store.oxigraph import open_store

pytestmark = pytest.mark.slow
NEWS = Path(__file__).parent / "data" / "identity-news.jsonl"
ORG = "http://www.w3.org/ns/org#"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = tmp_path_factory.mktemp("resolve-cli") / "ws"
    result = CliRunner().invoke(cli, ["build", str(NEWS), "-w", str(ws), "-q"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return ws


@pytest.fixture
def ws(built: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "ws"
    shutil.copytree(built, copy)
    return copy


def clusters(ws: Path) -> int:
    store = open_store(ws, read_only=True)
    rows = store.query("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a <https://w3id.org/cluster-kg/ontology#Cluster> }")
    return int(next(iter(rows))["n"].value)


def test_resolve_cli_split_then_merge(ws: Path) -> None:
    runner = CliRunner()
    assert clusters(ws) == 2
    result = runner.invoke(cli, ["split", "Тульский фармацевтический кластер", "фармацевтический кластер региона",
                                 "-w", str(ws), "-m", "two clusters"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "recorded in" in result.output and "documents written again: 2" in result.output
    assert clusters(ws) == 3
    assert (ws / "graph.html").exists()
    result = runner.invoke(cli, ["build", str(NEWS), "-w", str(ws), "-q"], catch_exceptions=False)
    assert clusters(ws) == 3  # the correction survives a rebuild
    text = (ws / "curation.tsv").read_text(encoding="utf-8")
    assert "different\tТульский фармацевтический кластер\tфармацевтический кластер региона\t# two clusters" in text


def test_resolve_cli_reject_a_membership(ws: Path) -> None:
    store = open_store(ws, read_only=True)
    row = next(iter(store.query(f"SELECT ?c ?m WHERE {{ ?c <{ORG}hasMember> ?m }} ORDER BY ?c ?m LIMIT 1")))
    cluster, member = row["c"].value, row["m"].value
    del store
    result = CliRunner().invoke(cli, ["reject", cluster, f"{ORG}hasMember", member, "-w", str(ws)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    store = open_store(ws, read_only=True)
    assert not store.query(f"ASK {{ <{cluster}> <{ORG}hasMember> <{member}> }}")
    assert store.query(f"ASK {{ <{member}> ?p ?o }}")  # the organisation itself stays


def test_resolve_cli_bad_correction_is_one_line(ws: Path) -> None:
    result = CliRunner().invoke(cli, ["reject", "not-an-iri", "-w", str(ws)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1


def test_resolve_cli_suggest_lists_pairs_and_respects_split(ws: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["split", "Тульский фармацевтический кластер", "фармацевтический кластер региона",
                                 "-w", str(ws)], catch_exceptions=False)
    result = runner.invoke(cli, ["suggest", "-w", str(ws), "--format", "tsv"], catch_exceptions=False)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "score\tregion\ta\ta_label\tb\tb_label"
    assert not any("Тульский фармацевтический кластер" in l and "кластер региона" in l for l in lines[1:])
