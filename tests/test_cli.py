"""The foundation end to end: `kg build` on the seed, then export, validate, stats."""

from __future__ import annotations

import ast
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF, RDFS

from kg.cli import cli
from kg.mapping.vocab import CKG, NIF, ORG
from tests.conftest import ROOT, need_tool

SEED = ROOT / "data" / "seed-news.txt"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def seed_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = tmp_path_factory.mktemp("ws")
    result = CliRunner().invoke(cli, ["build", str(SEED), "-w", str(ws)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return ws


def union(ws: Path) -> Graph:
    return Graph().parse(ws / "graph.ttl", format="turtle")


def labels_of(graph: Graph, cls: URIRef) -> set[str]:
    return {str(graph.value(s, RDFS.label)) for s in graph.subjects(RDF.type, cls)}


def test_cli_build_seed_summary(seed_ws: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(SEED), "-w", str(seed_ws)], catch_exceptions=False)
    assert result.exit_code == 0
    assert "documents: 11 read, 0 added, 0 updated, 11 unchanged, 0 skipped; 11 in the workspace" in result.output


def test_cli_build_seed_documents_and_ids(seed_ws: Path) -> None:
    graph = union(seed_ws)
    ids = {str(graph.value(d, URIRef("http://purl.org/dc/terms/identifier")))
           for d in graph.subjects(RDF.type, CKG.Document)}
    assert ids == {f"seed-news:{n}" for n in range(1, 12)}


def test_cli_build_seed_mentions_keep_offsets(seed_ws: Path) -> None:
    graph = union(seed_ws)
    phrases = list(graph.subjects(RDF.type, NIF.Phrase))
    assert len(phrases) > 30
    for phrase in phrases:
        text = str(graph.value(graph.value(phrase, NIF.referenceContext), NIF.isString))
        begin, end = int(graph.value(phrase, NIF.beginIndex)), int(graph.value(phrase, NIF.endIndex))
        assert text[begin:end] == str(graph.value(phrase, NIF.anchorOf))


def test_cli_build_seed_people_with_posts(seed_ws: Path) -> None:
    graph = union(seed_ws)
    holders = {str(graph.value(graph.value(p, ORG.heldBy), RDFS.label)) for p in graph.subjects(RDF.type, ORG.Post)}
    assert {"Алексей Орлов", "Максим Шерейкин", "Артемий Кызласов", "Михаэль Мют"} <= holders


def test_cli_build_seed_companies_and_cluster(seed_ws: Path) -> None:
    graph = union(seed_ws)
    companies = labels_of(graph, CKG.Company)
    assert {"Нанолек", "АВВА РУС", "БиоХимЗавод"} <= companies
    titanium = [c for c in graph.subjects(RDF.type, CKG.Cluster)
                if "Титанов" in str(graph.value(c, RDFS.label))]
    assert titanium
    regions = {str(graph.value(r, RDFS.label)) for c in titanium for r in graph.objects(c, CKG.locatedIn)}
    assert "Свердловская область" in regions


def test_cli_build_seed_graph_parses_with_rapper_to_same_count(seed_ws: Path) -> None:
    rapper = need_tool("rapper")
    out = subprocess.run([rapper, "-i", "turtle", "-c", str(seed_ws / "graph.ttl")],
                         capture_output=True, text=True, check=True)
    count = int(out.stderr.strip().rsplit("returned", 1)[1].split()[0])
    assert count == len(union(seed_ws))


def test_cli_validate_seed_conforms(seed_ws: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", "-w", str(seed_ws)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("conforms: ")


@pytest.mark.parametrize("fmt", ["turtle", "trig", "nt", "nq", "jsonld"])
def test_cli_export_formats_round_trip(seed_ws: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"all.{fmt}"
    result = CliRunner().invoke(cli, ["export", "-w", str(seed_ws), "-f", fmt, "-o", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    rdflib_format = {"jsonld": "json-ld", "nq": "nquads"}.get(fmt, fmt)
    if fmt in {"trig", "nq", "jsonld"}:  # one named graph per document
        ds = Dataset()
        ds.parse(out, format=rdflib_format)
        graphs = [g for g in ds.graphs() if g.identifier != ds.default_graph.identifier and len(g)]
        assert len(graphs) == 11
    else:
        assert len(Graph().parse(out, format=rdflib_format)) == len(union(seed_ws))


def test_cli_export_to_stdout(seed_ws: Path) -> None:
    result = CliRunner().invoke(cli, ["export", "-w", str(seed_ws), "-f", "nt"], catch_exceptions=False)
    assert result.exit_code == 0
    assert len(Graph().parse(data=result.output, format="nt")) == len(union(seed_ws))


def test_cli_stats_counts(seed_ws: Path) -> None:
    result = CliRunner().invoke(cli, ["stats", "-w", str(seed_ws)], catch_exceptions=False)
    assert result.exit_code == 0
    assert "documents  11" in result.output
    assert "https://w3id.org/cluster-kg/ontology#Person" in result.output


def test_cli_build_is_idempotent(seed_ws: Path, tmp_path: Path) -> None:
    before = (seed_ws / "graph.ttl").read_bytes()
    CliRunner().invoke(cli, ["build", str(SEED), "-w", str(seed_ws)], catch_exceptions=False)
    assert Graph().parse(data=before.decode(), format="turtle").isomorphic(union(seed_ws))


def test_cli_build_adds_new_input(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    extra = tmp_path / "extra.jsonl"
    extra.write_text('{"id": "x1", "text": "Губернатор Тверской области Иван Смирнов посетил завод."}\n',
                     encoding="utf-8")
    runner = CliRunner()
    runner.invoke(cli, ["build", str(SEED), "-w", str(ws)], catch_exceptions=False)
    result = runner.invoke(cli, ["build", str(SEED), str(extra), "-w", str(ws)], catch_exceptions=False)
    assert "12 read, 1 added, 0 updated, 11 unchanged" in result.output


def test_cli_missing_workspace_is_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", "-w", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_cli_unknown_export_format_lists_choices(seed_ws: Path) -> None:
    result = CliRunner().invoke(cli, ["export", "-w", str(seed_ws), "-f", "xml"])
    assert result.exit_code == 2
    assert "turtle" in result.output


def test_cli_does_not_import_rdflib_or_natasha() -> None:
    tree = ast.parse((ROOT / "kg" / "cli.py").read_text(encoding="utf-8"))
    names = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not names & {"rdflib", "natasha", "yargy", "pyoxigraph"}


def test_cli_every_command_has_help_and_is_in_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, command in cli.commands.items():
        assert command.help, name
        assert f"kg {name}" in readme, f"`kg {name}` is not documented in README.md"
