"""Test data of the viz tests: the TriG sample, a synthetic large store."""

from __future__ import annotations

import json
import os
import random
import re
from pathlib import Path
from typing import Any

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
    """The first JSON island of a page (what its first drawing needs)."""
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.DOTALL)
    assert match is not None
    return json.loads(match.group(1))  # type: ignore[no-any-return]


def page_json(html: str) -> dict[str, Any]:
    """Every JSON island of a page merged as the page's script merges them: nodes (IRIs
    whole, ``sources`` as [doc, sentence] pairs, ``ranges`` as day numbers), ``edges`` as
    dicts, ``folded``, ``docs``, ``sentences``, ``marks``."""
    first: dict[str, Any] = island(html)  # type: ignore[assignment]
    later = [json.loads(m) for m in re.findall(r'<script type="application/json" class="kg-more">(.*?)</script>',
                                               html, re.DOTALL)]
    assert len(later) == first["meta"]["chunks"]
    base = first["meta"]["base"]
    nodes = list(first["nodes"])
    edges = list(first["edges"])
    docs: list[Any] = []
    sentences: list[str] = []
    marks: list[str] = []
    rows: dict[str, dict[int, Any]] = {"nodeRanges": {}, "nodeSources": {}, "edgeRanges": {}, "edgeSources": {}}
    for chunk in later:
        nodes += chunk.get("nodes", [])
        edges += chunk.get("edges", [])
        docs += chunk.get("docs", [])
        sentences += chunk.get("sentences", [])
        marks += chunk.get("marks", [])
        for key, found in rows.items():
            if key in chunk:
                start, block = chunk[key]
                found.update((start + i, value) for i, value in enumerate(block))
    for i, n in enumerate(nodes):
        assert n["id"] == i
        n["iri"] = n["iri"] if ":" in n["iri"] else base + n["iri"]
        refs = rows["nodeSources"].get(i, [])
        n["sources"] = [refs[k:k + 2] for k in range(0, len(refs), 2)]
        n["ranges"] = rows["nodeRanges"].get(i, [])
    edge_dicts = []
    for i, row in enumerate(edges):
        refs = rows["edgeSources"].get(i, [])
        edge_dicts.append({"id": f"e{i}", "from": row[0], "to": row[1], "rel": row[2],
                           "label": row[3] if len(row) > 3 else None, "ranges": rows["edgeRanges"].get(i, []),
                           "sources": [refs[k:k + 2] for k in range(0, len(refs), 2)]})
    return {"meta": first["meta"], "nodes": nodes, "edges": edge_dicts, "folded": first["folded"], "docs": docs,
            "sentences": sentences, "marks": marks}


# -- a small world for the interaction tests --------------------------------------------------
ORG = "http://www.w3.org/ns/org#"
DCT = "http://purl.org/dc/terms/"
TOY_HOSTILE = '<img src=x onerror="window.__pwned=7">'


class _ToyWriter:
    """Documents whose sentences mention entities, with the triples kg writes for them."""

    def __init__(self) -> None:
        self.quads: list[ox.Quad] = []
        self.n = 0

    def node(self, kind: str, slug: str) -> ox.NamedNode:
        return ox.NamedNode(f"{ID}{kind}/{slug}")

    def doc(self, date: str, parts: list[tuple[str, ox.NamedNode | None]],
            triples: list[tuple[ox.NamedNode, str, ox.NamedNode | ox.Literal]]) -> None:
        """A document whose text is ``parts`` joined; a part with a node is a mention of it."""
        graph = ox.NamedNode(f"{ID}doc/t{self.n:02d}")
        text = ""
        for words, target in parts:
            if target is not None:
                mention = ox.NamedNode(f"{graph.value}#char={len(text)},{len(text) + len(words)}")
                for p, o in ((NIF + "referenceContext", graph),
                             (NIF + "beginIndex", ox.Literal(str(len(text)), datatype=XSD_INT)),
                             (NIF + "endIndex", ox.Literal(str(len(text) + len(words)), datatype=XSD_INT)),
                             ("http://www.w3.org/2005/11/its/rdf#taIdentRef", target)):
                    self.quads.append(ox.Quad(mention, ox.NamedNode(p), o, graph))
            text += words
        self.quads.append(ox.Quad(graph, ox.NamedNode(NIF + "isString"), ox.Literal(text), graph))
        self.quads.append(ox.Quad(graph, ox.NamedNode(DCT + "identifier"), ox.Literal(f"t{self.n:02d}"), graph))
        self.quads.append(ox.Quad(graph, ox.NamedNode(DCT + "date"),
                                  ox.Literal(date, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")), graph))
        self.quads.append(ox.Quad(graph, ox.NamedNode(DCT + "source"), ox.NamedNode(f"https://example.org/t{self.n}"), graph))
        for s, p, o in triples:
            self.quads.append(ox.Quad(s, ox.NamedNode(p), o, graph))
        self.n += 1


def toy_store() -> OxigraphStore:
    """Two regions; the «Вятка-Биополис» cluster with four members, their heads, an
    initiator, 14 events about it over seven months and three agreements; a second cluster
    in another region with one member; a company that links to nothing; a hostile name."""
    w = _ToyWriter()
    lang = lambda text: ox.Literal(text, language="ru")  # noqa: E731
    a = lambda node, cls: (node, RDF_TYPE.value, ox.NamedNode(CKG + cls))  # noqa: E731
    lab = lambda node, text: (node, LABEL.value, lang(text))  # noqa: E731
    kirov, tomsk = w.node("region", "kirov"), w.node("region", "tomsk")
    vyatka, tomclu = w.node("cluster", "vyatka"), w.node("cluster", "tomsk-pharma")
    members = [w.node("org", f"m{i}") for i in range(4)]
    names = ["Нанолек", "Биохимзавод", "Вятские ферменты", TOY_HOSTILE]
    heads = [w.node("person", f"p{i}") for i in range(4)]
    people = ["Анна Орлова", "Борис Петров", "Вера Соколова", "Глеб Зайцев"]
    lonely, tomorg = w.node("org", "lonely"), w.node("org", "tomsk-org")
    basic = [a(kirov, "Region"), lab(kirov, "Кировская область"), a(tomsk, "Region"), lab(tomsk, "Томская область"),
             a(vyatka, "Cluster"), lab(vyatka, "Биофармацевтический кластер «Вятка-Биополис»"),
             (vyatka, CKG + "locatedIn", kirov), a(tomclu, "Cluster"), lab(tomclu, "Фармацевтический кластер"),
             (tomclu, CKG + "locatedIn", tomsk), a(tomorg, "Company"), lab(tomorg, "СибФармТех"),
             (tomclu, ORG + "hasMember", tomorg)]
    for m, name in zip(members, names):
        basic += [a(m, "Company"), a(m, "Organization"), lab(m, name), (vyatka, ORG + "hasMember", m),
                  (m, CKG + "locatedIn", kirov)]
    for h, name in zip(heads, people):
        basic += [a(h, "Person"), lab(h, name)]
    w.doc("2024-01-10", [("Кластер ", None), ("«Вятка-Биополис»", vyatka), (" в регионе ", None),
                         ("Кировская область", kirov), (" объединил ", None), ("Нанолек", members[0]), (", ", None),
                         ("Биохимзавод", members[1]), (", ", None), ("Вятские ферменты", members[2]), (" и ", None),
                         (TOY_HOSTILE, members[3]), (". В Томске ", None), ("Фармацевтический кластер", tomclu),
                         (" принял ", None), ("СибФармТех", tomorg), (" (", None), ("Томская область", tomsk),
                         (").", None)], basic)
    for i, (h, m) in enumerate(zip(heads, members)):
        post = w.node("post", f"p{i}")
        w.doc(f"2024-01-{11 + i}", [(people[i], h), (", генеральный директор компании ", None), (names[i], m), (".", None)],
              [(post, RDF_TYPE.value, ox.NamedNode(ORG + "Post")), (post, ORG + "heldBy", h), (post, ORG + "postIn", m),
               (post, CKG + "title", lang("генеральный директор")), (h, ORG + "holds", post)])
    w.doc("2024-01-20", [("Одинокая компания ", None), ("ООО «Одиночка»", lonely), (" ни с кем не связана.", None)],
          [a(lonely, "Company"), lab(lonely, "Одиночка")])
    for k in range(14):
        event = w.node("event", f"e{k}")
        month = 2 + k // 2
        w.doc(f"2024-{month:02d}-{5 + k:02d}",
              [("Прошло заседание", event), (" кластера ", None), ("«Вятка-Биополис»", vyatka), (" с участием ", None),
               (names[k % 3], members[k % 3]), (f", номер {k}.", None)],
              [a(event, "Event"), lab(event, "заседание"), (event, CKG + "eventType", lang("заседание")),
               (event, CKG + "about", vyatka), (event, CKG + "participant", members[k % 3]),
               (event, DCT + "date", ox.Literal(f"2024-{month:02d}-{5 + k:02d}",
                                               datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")))])
    for k, (x, y) in enumerate([(0, 1), (0, 1), (1, 2)]):
        agreement = w.node("agreement", f"a{k}")
        w.doc(f"2024-0{3 + k}-15",
              [(names[x], members[x]), (" и ", None), (names[y], members[y]), (" подписали ", None),
               ("соглашение", agreement), (".", None)],
              [a(agreement, "Agreement"), lab(agreement, f"соглашение: {names[x]}, {names[y]}"),
               (agreement, CKG + "agreementType", lang("соглашение о сотрудничестве")),
               (agreement, CKG + "party", members[x]), (agreement, CKG + "party", members[y]),
               (agreement, CKG + "signatory", heads[x]),
               (agreement, DCT + "date", ox.Literal(f"2024-0{3 + k}-15",
                                                   datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")))])
    store = OxigraphStore(None)
    add_quads(store, w.quads)
    return store
