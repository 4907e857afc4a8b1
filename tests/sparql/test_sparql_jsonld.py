"""JSON-LD export: the published @context, compact keys, one named graph per document."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pyoxigraph as ox
from click.testing import CliRunner
from rdflib import Dataset
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kg.cli import cli
from kg.sparql.jsonld import context, context_path
from kg.store.oxigraph import OxigraphStore


def nquads(store: OxigraphStore) -> Dataset:
    out = io.BytesIO()
    store.dump(out, "nq", {})
    return Dataset().parse(data=out.getvalue().decode("utf-8"), format="nquads")


def test_jsonld_export_round_trips_every_named_graph(workspace: Path, fixture_store: OxigraphStore) -> None:
    result = CliRunner().invoke(cli, ["export", "-w", str(workspace), "-f", "jsonld"], catch_exceptions=False)
    assert result.exit_code == 0
    text = result.stdout
    expected = nquads(fixture_store)
    parsed = Dataset().parse(data=text, format="json-ld")
    names = {g.identifier for g in expected.graphs() if len(g)}
    assert names == {g.identifier for g in parsed.graphs() if len(g)}
    for name in names:
        a, b = expected.graph(name), parsed.graph(name)
        if not isomorphic(a, b):
            _, only_a, only_b = graph_diff(to_isomorphic(a), to_isomorphic(b))
            raise AssertionError(f"{name}: only in the store {sorted(only_a)[:3]}, only in JSON-LD {sorted(only_b)[:3]}")
    quads = set(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.JSON_LD))  # Oxigraph reads it the same
    assert quads == set(fixture_store.quads())


def test_jsonld_export_uses_the_published_context(workspace: Path) -> None:
    result = CliRunner().invoke(cli, ["export", "-w", str(workspace), "-f", "jsonld"], catch_exceptions=False)
    document = json.loads(result.stdout)
    assert document["@context"] == json.loads(context_path().read_text(encoding="utf-8"))["@context"] == context()
    keys = {key for graph in document["@graph"] for node in graph["@graph"] for key in node}
    assert not any(":" in key for key in keys), keys  # every property kg writes has a compact key
    assert {"label", "hasMember", "wasDerivedFrom", "anchorOf", "beginIndex", "taIdentRef"} <= keys


def test_jsonld_values_are_readable(workspace: Path) -> None:
    result = CliRunner().invoke(cli, ["export", "-w", str(workspace), "-f", "jsonld"], catch_exceptions=False)
    nodes = {node["@id"]: node for graph in json.loads(result.stdout)["@graph"] for node in graph["@graph"]}
    nanolek = nodes["https://w3id.org/cluster-kg/id/org/nanolek-8136245a"]
    assert nanolek["label"] == "Нанолек"  # @ru is the context's default language
    assert "ckg:Company" in nanolek["@type"]
    mention = next(n for n in nodes.values() if "anchorOf" in n)
    assert isinstance(mention["beginIndex"], int) and isinstance(mention["anchorOf"], str)
    assert isinstance(mention["taIdentRef"], str)
