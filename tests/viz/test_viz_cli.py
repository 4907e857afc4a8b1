"""`kg viz`, `kg stats` analytics and `kg export -f graphml|gexf` on a workspace."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from viz_data import SAMPLE, island

from kg.cli import cli
from kg.store.oxigraph import open_store
from tests.store_helpers import load_dataset


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = tmp_path_factory.mktemp("ws")
    store = open_store(ws)
    load_dataset(store, path=str(SAMPLE), fmt="trig")
    store.flush()
    del store
    return ws


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_viz_cli_writes_default_view(workspace: Path) -> None:
    out = run("viz", "-w", str(workspace))
    path = workspace / "graph.html"
    assert out == f"wrote {path}\n"
    html = path.read_bytes().decode("utf-8")
    assert html.startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("options", "present", "absent"),
    [
        (["--focus", "Нанолек", "--depth", "1"], "Нанолек", "Обнинск"),
        (["--cluster", "Фармацевтический кластер Калужской области"], "Калужская область", "Нанолек"),
    ],
)
def test_viz_cli_selects_part_of_graph(
    workspace: Path, tmp_path: Path, options: list[str], present: str, absent: str
) -> None:
    path = tmp_path / "part.html"
    run("viz", "-w", str(workspace), "-o", str(path), *options)
    names = {n.get("full", n["label"]) for n in island(path.read_text(encoding="utf-8"))["nodes"]}
    assert present in names
    assert absent not in names


def test_viz_cli_unknown_focus_is_one_error_line(workspace: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["viz", "-w", str(workspace), "-o", str(tmp_path / "x.html"),
                                      "--focus", "Нет такого"])
    assert result.exit_code == 1
    assert result.output == "Error: no entity named 'Нет такого' in the graph\n"
    assert not (tmp_path / "x.html").exists()


def test_viz_cli_stats_json_has_network(workspace: Path) -> None:
    data = json.loads(run("stats", "-w", str(workspace), "--format", "json"))
    network = data["network"]
    assert {r["label"] for r in network["top_people"]} >= {"Алексей Орлов"}
    assert network["components"] >= 1
    assert [r["region"] for r in network["clusters_per_region"]] == ["Калужская область", "Кировская область"]


def test_viz_cli_stats_table_lists_top_organisations(workspace: Path) -> None:
    out = run("stats", "-w", str(workspace))
    assert "top organisations" in out
    assert "Нанолек" in out
    assert "communities (Louvain)" in out


@pytest.mark.parametrize(("fmt", "read"), [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_viz_cli_export_network(
    workspace: Path, sample_graph: nx.MultiDiGraph, tmp_path: Path, fmt: str, read: object
) -> None:
    path = tmp_path / f"g.{fmt}"
    run("export", "-w", str(workspace), "-f", fmt, "-o", str(path))
    g = read(path)  # type: ignore[operator]
    assert {v: d["label"] for v, d in g.nodes(data=True)} == {
        v: d["label"] for v, d in sample_graph.nodes(data=True)
    }
    assert g.number_of_edges() == sample_graph.number_of_edges()


@pytest.mark.parametrize(
    ("options", "view", "name"),
    [
        (["--focus", "Нанолек"], "focus", "Нанолек"),
        (["--cluster", "Вятка"], "world", "Биофармацевтический кластер «Вятка-Биополис»"),
    ],
)
def test_viz_cli_part_opens_on_its_centre(workspace: Path, tmp_path: Path, options: list[str], view: str,
                                          name: str) -> None:
    """The page of one entity or cluster opens on it: its neighbourhood or world, it marked."""
    path = tmp_path / "part.html"
    run("viz", "-w", str(workspace), "-o", str(path), *options)
    data = island(path.read_text(encoding="utf-8"))
    meta, nodes = data["meta"], data["nodes"]
    assert isinstance(meta, dict) and isinstance(nodes, list)
    assert meta["view"] == view
    centre = nodes[meta["focus"]]
    assert centre.get("name", centre.get("full", centre["label"])) == name


def test_viz_cli_focus_and_cluster_together_is_one_error_line(workspace: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["viz", "-w", str(workspace), "-o", str(tmp_path / "x.html"),
                                      "--focus", "Нанолек", "--cluster", "Вятка"])
    assert result.exit_code == 1
    assert result.output == "Error: give either focus or cluster, not both\n"
    assert not (tmp_path / "x.html").exists()
