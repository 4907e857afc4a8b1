"""Identity in real builds: one node per real entity, and any sequence of builds and
removes gives the store a fresh build of the same documents gives (slow: natasha)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.pipeline.build import run_build
from kg.pipeline.remove import run_remove
from kg.resolve import append_curation
from kg.store.oxigraph import open_store

pytestmark = pytest.mark.slow
NEWS = Path(__file__).parent / "data" / "identity-news.jsonl"
CKG = "https://w3id.org/cluster-kg/ontology#"


def subset(tmp: Path, name: str, ids: list[str]) -> Path:
    rows = {json.loads(line)["id"]: line for line in NEWS.read_text(encoding="utf-8").splitlines()}
    path = tmp / name
    path.write_text("".join(rows[i] + "\n" for i in ids), encoding="utf-8")
    return path


def quads(workspace: Path) -> set[str]:
    store = open_store(workspace, read_only=True)
    return {str(q) for q in store.quads()}


def labels(workspace: Path, cls: str) -> dict[str, set[str]]:
    store = open_store(workspace, read_only=True)
    out: dict[str, set[str]] = {}
    for row in store.query(f"SELECT ?s ?l WHERE {{ ?s a <{CKG}{cls}> ; <http://www.w3.org/2000/01/rdf-schema#label> ?l }}"):
        out.setdefault(row["s"].value, set()).add(row["l"].value)
    return out


def test_resolve_build_one_node_per_real_entity(tmp_path: Path) -> None:
    run_build([NEWS], tmp_path / "ws", views=False)
    clusters = labels(tmp_path / "ws", "Cluster")
    assert all(len(names) == 1 for names in clusters.values()), clusters  # one label per node
    assert len(clusters) == 2, clusters  # Tula's cluster (two texts) and Yaroslavl's
    orgs = labels(tmp_path / "ws", "Organization")
    names = sorted(n for names in orgs.values() for n in names)
    assert sum("Министерство промышленности и торговли" in n for n in names) == 1, names
    assert sum("Nordisk" in n or "Нордиск" in n for n in names) == 1, names
    # «ОАК» beside its expansion in one text, and alone in another: one node, named by the reference table
    assert sum("ОАК" == n or "авиастроительная" in n for n in names) == 1, names


def test_resolve_build_incremental_equals_fresh(tmp_path: Path) -> None:
    everything = ["tula-1", "tula-2", "yar-1", "fed-1", "fed-2", "kal-1"]
    run_build([subset(tmp_path, "all.jsonl", everything)], tmp_path / "fresh", views=False)
    step = tmp_path / "step"
    run_build([subset(tmp_path, "a.jsonl", ["tula-1", "yar-1", "fed-2"])], step, views=False)
    run_build([subset(tmp_path, "b.jsonl", ["kal-1", "tula-2", "fed-1"])], step, views=False)
    assert quads(step) == quads(tmp_path / "fresh")
    # removing the documents that joined nodes splits them again, as a fresh build of the rest would
    run_remove(["tula-2", "fed-1"], step, views=False)
    run_build([subset(tmp_path, "rest.jsonl", ["tula-1", "yar-1", "fed-2", "kal-1"])], tmp_path / "rest", views=False)
    assert quads(step) == quads(tmp_path / "rest")


def test_resolve_build_curation_survives_rebuilds(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    run_build([NEWS], ws, views=False)
    assert len(labels(ws, "Cluster")) == 2
    append_curation(ws, "different", "Тульский фармацевтический кластер", "фармацевтический кластер региона")
    run_build([NEWS], ws, views=False)  # nothing changed in the input: the correction alone splits the node
    assert len(labels(ws, "Cluster")) == 3
    append_curation(ws, "same", "Тульский фармацевтический кластер", "фармацевтический кластер")
    run_build([NEWS], ws, views=False)
    # «same» joins Tula with Yaroslavl («фармацевтический кластер»), but never with what it must stay apart from
    assert len(labels(ws, "Cluster")) == 2
