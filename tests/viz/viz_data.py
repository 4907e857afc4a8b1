"""Test data of the viz tests: the TriG sample, a synthetic large store."""

from __future__ import annotations

import json
import os
import random
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.store.oxigraph import OxigraphStore
from tests.store_helpers import add_quads, load_dataset

DATA = Path(__file__).parent / "data"
SAMPLE = DATA / "sample.trig"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
STRICT = os.environ.get("KG_STRICT_TESTS") == "1"

CKG = "https://w3id.org/cluster-kg/ontology#"
ID = "https://w3id.org/cluster-kg/id/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
XSD_INT = ox.NamedNode("http://www.w3.org/2001/XMLSchema#nonNegativeInteger")


def skip_or_fail(reason: str) -> None:
    if STRICT:
        pytest.fail(f"{reason} (KG_STRICT_TESTS=1 turns this skip into a failure)")
    pytest.skip(reason)


def load_trig(path: Path) -> OxigraphStore:
    store = OxigraphStore(None)
    load_dataset(store, path=str(path), fmt="trig")
    return store


def synthetic_store(nodes: int, edges: int, *, seed: int = 1) -> OxigraphStore:
    """A store of ``nodes`` organisations in clusters and ``edges`` hasMember/locatedIn
    relations over 50 documents, each entity mentioned once (for benchmarks and the
    large-graph browser test)."""
    rng = random.Random(seed)
    classes = ("Company", "Cluster", "Person", "Region", "Authority")
    docs = [ox.NamedNode(f"{ID}doc/s{i}") for i in range(50)]
    texts: dict[int, list[str]] = {i: [] for i in range(len(docs))}
    quads: list[ox.Quad] = []
    iris = [ox.NamedNode(f"{ID}x/{i}") for i in range(nodes)]
    for i, iri in enumerate(iris):
        d = i % len(docs)
        graph = docs[d]
        label = f"Организация {i}" if i % 5 else f"Кластер {i}"
        quads.append(ox.Quad(iri, RDF_TYPE, ox.NamedNode(CKG + classes[i % len(classes)]), graph))
        quads.append(ox.Quad(iri, LABEL, ox.Literal(label, language="ru"), graph))
        start = sum(len(t) + 1 for t in texts[d])
        sentence = f"{label} работает в регионе."
        texts[d].append(sentence)
        mention = ox.NamedNode(f"{ID}doc/s{d}#char={start},{start + len(label)}")
        for p, o in (
            (NIF + "referenceContext", graph),
            (NIF + "beginIndex", ox.Literal(str(start), datatype=XSD_INT)),
            (NIF + "endIndex", ox.Literal(str(start + len(label)), datatype=XSD_INT)),
            ("http://www.w3.org/2005/11/its/rdf#taIdentRef", iri),
        ):
            quads.append(ox.Quad(mention, ox.NamedNode(p), o, graph))
    relations = ("http://www.w3.org/ns/org#hasMember", CKG + "locatedIn", CKG + "participant")
    seen: set[tuple[int, int, int]] = set()
    while len(seen) < edges:
        u, v, r = rng.randrange(nodes), rng.randrange(nodes), rng.randrange(len(relations))
        if u != v and (u, v, r) not in seen:
            seen.add((u, v, r))
            quads.append(ox.Quad(iris[u], ox.NamedNode(relations[r]), iris[v], docs[u % len(docs)]))
    for d, graph in enumerate(docs):
        quads.append(ox.Quad(graph, ox.NamedNode(NIF + "isString"), ox.Literal(" ".join(texts[d])), graph))
        quads.append(ox.Quad(graph, ox.NamedNode("http://purl.org/dc/terms/identifier"), ox.Literal(f"s{d}"), graph))
        quads.append(ox.Quad(graph, ox.NamedNode("http://purl.org/dc/terms/date"),
                             ox.Literal(f"2024-{d % 12 + 1:02d}-01",
                                        datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")), graph))
    store = OxigraphStore(None)
    add_quads(store, quads)
    return store


def island(html: str) -> dict[str, object]:
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.DOTALL)
    assert match is not None
    return json.loads(match.group(1))  # type: ignore[no-any-return]
