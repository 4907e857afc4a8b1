"""Store -> analyst graph: classes, collapsed posts, regions, sources, selections."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest

from kg.errors import InputError
from kg.store.oxigraph import OxigraphStore
from kg.viz.network import (
    MAX_SOURCES,
    mention_rows,
    PREFIXES,
    Source,
    cluster_world,
    find_node,
    load_network,
    neighbourhood,
    normalize,
    sentence_at,
)
from tests.store_helpers import add_quads

ID = "https://w3id.org/cluster-kg/id/"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
DCT = "http://purl.org/dc/terms/"
PEOPLE = ("Иван Петров", "Мария Соколова", "Олег Зайцев")
PLAIN_JOIN = """SELECT ?x ?doc ?b ?e WHERE {
    ?m itsrdf:taIdentRef ?x ; nif:referenceContext ?doc ; nif:beginIndex ?b ; nif:endIndex ?e }"""


def by_label(g: nx.MultiDiGraph, label: str) -> str:
    return next(v for v, d in g.nodes(data=True) if d["label"] == label)


def test_network_nodes_are_entities_and_facts_not_posts_or_documents(
    sample_store: OxigraphStore, sample_graph: nx.MultiDiGraph
) -> None:
    typed = {
        s["e"].value: s["t"].value.rsplit("#", 1)[-1]
        for s in sample_store.query(  # type: ignore[attr-defined]
            "SELECT ?e ?t WHERE { ?e a ?t FILTER(?t IN (<https://w3id.org/cluster-kg/ontology#Person>,"
            " <https://w3id.org/cluster-kg/ontology#Cluster>, <https://w3id.org/cluster-kg/ontology#Event>,"
            " <https://w3id.org/cluster-kg/ontology#Document>, <http://www.w3.org/ns/org#Post>)) }"
        )
    }
    for iri, cls in typed.items():
        assert (iri in sample_graph) == (cls not in {"Document", "Post"}), iri
        if iri in sample_graph:
            assert sample_graph.nodes[iri]["cls"] == cls


@pytest.mark.parametrize(
    ("label", "cls"),
    [("Нанолек", "Company"), ("Правительство Кировской области", "Authority"), ("Киров", "Settlement")],
)
def test_network_class_is_most_specific(sample_graph: nx.MultiDiGraph, label: str, cls: str) -> None:
    assert sample_graph.nodes[by_label(sample_graph, label)]["cls"] == cls


def test_network_post_collapses_into_titled_edge(sample_graph: nx.MultiDiGraph) -> None:
    person = by_label(sample_graph, "Алексей Орлов")
    authority = by_label(sample_graph, "Правительство Кировской области")
    edges = sample_graph.get_edge_data(person, authority)
    assert [d["label"] for d in edges.values()] == ["заместитель губернатора"]
    (data,) = edges.values()
    assert data["rel"] == "holds"
    assert any("заместитель губернатора" in s.sentence for s in data["sources"])


@pytest.mark.parametrize(
    ("label", "regions"),
    [
        ("Нанолек", ["Кировская область"]),  # through a settlement
        ("Биофармацевтический кластер «Вятка-Биополис»", ["Кировская область"]),  # directly
        ("Кировская область", ["Кировская область"]),  # itself
        ("Алексей Орлов", []),  # not located
    ],
)
def test_network_regions_follow_located_in(sample_graph: nx.MultiDiGraph, label: str, regions: list[str]) -> None:
    assert sample_graph.nodes[by_label(sample_graph, label)]["regions"] == regions


def test_network_sources_are_sentences_holding_the_mention(sample_graph: nx.MultiDiGraph) -> None:
    data = sample_graph.nodes[by_label(sample_graph, "Нанолек")]
    alt = data["alt"][0]
    (source,) = data["sources"]
    assert alt in source.sentence
    assert source.sentence.endswith(".")
    assert (source.doc_id, source.url, source.date) == ("h01", "https://example.org/news/1?a=1&b=%3C2%3E", "2024-03-15")


def test_network_edge_sources_name_their_document(sample_graph: nx.MultiDiGraph) -> None:
    for u, v, data in sample_graph.edges(data=True):
        assert data["sources"], (u, v, data["rel"])
        docs = {s.doc_id for s in sample_graph.nodes[u]["sources"] + sample_graph.nodes[v]["sources"]}
        assert {s.doc_id for s in data["sources"]} <= docs


@pytest.mark.parametrize(
    ("text", "begin", "end", "sentence"),
    [
        ("Первое. Второе про Нанолек! Третье", 19, 26, "Второе про Нанолек!"),
        ("Одно предложение без точки", 5, 16, "Одно предложение без точки"),
        ("Заголовок\nТекст новости. Ещё", 10, 15, "Текст новости."),
        ("Он сказал: «Да.» Потом ушёл.", 0, 2, "Он сказал: «Да.»"),
        ("Начало?   Конец", 10, 15, "Конец"),
    ],
)
def test_network_sentence_at(text: str, begin: int, end: int, sentence: str) -> None:
    assert sentence_at(text, begin, end) == sentence


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("Нанолек", "Нанолек"),
        ("нанолек", "Нанолек"),
        ("ООО «Нанолек»", "Нанолек"),
        ("АЛЕКСЕЙ  ОРЛОВ", "Алексей Орлов"),
        ("Вятка", "Биофармацевтический кластер «Вятка-Биополис»"),
    ],
)
def test_network_find_node(sample_graph: nx.MultiDiGraph, name: str, label: str) -> None:
    assert sample_graph.nodes[find_node(sample_graph, name)]["label"] == label


@pytest.mark.parametrize(("name", "message"), [("Нет такого", "no entity named"), ("кластер", r"names \d+ entity nodes: .*give a longer name")])
def test_network_find_node_errors(sample_graph: nx.MultiDiGraph, name: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        find_node(sample_graph, name)


def test_network_find_node_by_iri_and_same_label(sample_graph: nx.MultiDiGraph) -> None:
    g = sample_graph.copy()
    twin = "https://w3id.org/cluster-kg/id/org/nanolek-twin"
    g.add_node(twin, label="Нанолек", cls="Company", alt=[], regions=[], dates=[], posts=[], sources=[])
    with pytest.raises(InputError, match=f"Нанолек <{twin}>"):
        find_node(g, "Нанолек")
    assert find_node(g, twin) == twin


def test_network_find_node_in_classes(sample_graph: nx.MultiDiGraph) -> None:
    found = find_node(sample_graph, "кластер Калужской", frozenset({"Cluster"}))
    assert sample_graph.nodes[found]["label"] == "Фармацевтический кластер Калужской области"


def test_network_normalize_ignores_case_yo_and_spacing() -> None:
    assert normalize("  Пётр   ПЕТРОВ ") == normalize("петр петров") == "петр петров"


@pytest.mark.parametrize("depth", [0, 1, 2])
def test_network_neighbourhood_depth(sample_graph: nx.MultiDiGraph, depth: int) -> None:
    centre = by_label(sample_graph, "Нанолек")
    sub = neighbourhood(sample_graph, "Нанолек", depth)
    undirected = sample_graph.to_undirected(as_view=True)
    expected = nx.single_source_shortest_path_length(undirected, centre, cutoff=depth)
    assert set(sub) == set(expected)
    assert sub.number_of_edges() == sample_graph.subgraph(expected).number_of_edges()


def test_network_cluster_world(sample_graph: nx.MultiDiGraph) -> None:
    world = cluster_world(sample_graph, "Вятка-Биополис")
    labels = {d["label"] for _, d in world.nodes(data=True)}
    # members, initiator, sector, region; the event about it and its participants
    assert {"Нанолек", "АВВА РУС", "фармацевтика", "Кировская область", "круглый стол", "Алексей Орлов"} <= labels
    assert "Фармацевтический кластер Калужской области" not in labels


def test_network_cluster_world_needs_a_cluster(sample_graph: nx.MultiDiGraph) -> None:
    with pytest.raises(InputError, match="no Cluster named 'Нанолек'"):
        cluster_world(sample_graph, "Нанолек")


def test_network_empty_store() -> None:
    g = load_network(OxigraphStore(None))
    assert g.number_of_nodes() == g.number_of_edges() == 0


def mentioned_store(path: Path | None) -> OxigraphStore:
    """Three people, each mentioned 24 times (more than MAX_SOURCES) over 12 documents."""
    quads: list[ox.Quad] = []
    nif = {p: ox.NamedNode(NIF + p) for p in ("isString", "referenceContext", "beginIndex", "endIndex")}
    people = [ox.NamedNode(f"{ID}person/p{i}") for i in range(len(PEOPLE))]
    for person, name in zip(people, PEOPLE):
        graph = ox.NamedNode(f"{ID}doc/people")
        quads.append(ox.Quad(person, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                             ox.NamedNode("https://w3id.org/cluster-kg/ontology#Person"), graph))
        quads.append(ox.Quad(person, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                             ox.Literal(name), graph))
    for d in range(12):
        doc = ox.NamedNode(f"{ID}doc/m{d}")
        sentences: list[str] = []
        for k in range(6):
            who = (d + k) % len(PEOPLE)
            start = sum(len(s) + 1 for s in sentences)
            sentences.append(f"{PEOPLE[who]} открыл цех номер {d * 6 + k}.")
            mention = ox.NamedNode(f"{doc.value}#char={start},{start + len(PEOPLE[who])}")
            for p, o in (("referenceContext", doc), ("beginIndex", ox.Literal(start)),
                         ("endIndex", ox.Literal(start + len(PEOPLE[who])))):
                quads.append(ox.Quad(mention, nif[p], o, doc))
            quads.append(ox.Quad(mention, ox.NamedNode("http://www.w3.org/2005/11/its/rdf#taIdentRef"), people[who], doc))
        quads.append(ox.Quad(doc, nif["isString"], ox.Literal(" ".join(sentences)), doc))
        quads.append(ox.Quad(doc, ox.NamedNode(DCT + "identifier"), ox.Literal(f"m{d}"), doc))
        quads.append(ox.Quad(doc, ox.NamedNode(DCT + "date"), ox.Literal(f"2024-05-{d + 1:02d}"), doc))
    store = OxigraphStore(path)
    add_quads(store, quads)
    return store


def rows(store: OxigraphStore, query: str) -> list[tuple[str, ...]]:
    return [tuple(term.value for term in s) for s in store.query(PREFIXES + query)]  # type: ignore[attr-defined]


def joined(store: OxigraphStore) -> list[tuple[str, str, int, int]]:
    return [(x, doc, int(b), int(e)) for x, doc, b, e in rows(store, PLAIN_JOIN)]


@pytest.mark.parametrize("on_disk", [False, True])
def test_network_mention_rows_are_the_plain_join_in_its_order(tmp_path: Path, on_disk: bool) -> None:
    """The sources of a node are capped in the order of the mention rows: read from the
    mention IRIs, they must be the rows of the plain four-pattern join, in its order."""
    store = mentioned_store(tmp_path / "store" if on_disk else None)
    plain = joined(store)
    assert len(plain) == 72
    assert list(mention_rows(store)) == plain


def test_network_mention_rows_on_the_sample(sample_store: OxigraphStore) -> None:
    plain = joined(sample_store)
    assert plain
    assert list(mention_rows(sample_store)) == plain


@pytest.mark.parametrize("on_disk", [False, True])
def test_network_mention_rows_read_foreign_mention_iris_with_the_join(tmp_path: Path, on_disk: bool) -> None:
    """Mentions whose IRI is not kg's ``DOC#char=b,e`` (another tool's data, blank nodes)
    are read through the join, after kg's own."""
    store = mentioned_store(tmp_path / "store" if on_disk else None)
    doc = ox.NamedNode(f"{ID}doc/m0")
    nif = {p: ox.NamedNode(NIF + p) for p in ("referenceContext", "beginIndex", "endIndex")}
    ident = ox.NamedNode("http://www.w3.org/2005/11/its/rdf#taIdentRef")
    foreign: list[ox.Quad] = []
    for mention, begin in ((ox.NamedNode(f"{ID}mention/elsewhere"), 0), (ox.BlankNode("m7"), 41),
                           (ox.NamedNode(f"{doc.value}#char=3"), 3)):
        foreign += [ox.Quad(mention, nif["referenceContext"], doc, doc),
                    ox.Quad(mention, nif["beginIndex"], ox.Literal(begin), doc),
                    ox.Quad(mention, nif["endIndex"], ox.Literal(begin + 4), doc),
                    ox.Quad(mention, ident, ox.NamedNode(f"{ID}person/p1"), doc)]
    add_quads(store, foreign)
    got = list(mention_rows(store))
    plain = joined(store)
    assert len(plain) == 75
    assert sorted(got) == sorted(plain)
    assert {(b, e) for _, _, b, e in got[-3:]} == {(0, 4), (41, 45), (3, 7)}


@pytest.mark.parametrize("on_disk", [False, True])
def test_network_sources_are_the_first_mentions_in_join_order(tmp_path: Path, on_disk: bool) -> None:
    store = mentioned_store(tmp_path / "store" if on_disk else None)
    g = load_network(store)
    texts = {doc: text for doc, text in rows(store, f"SELECT ?d ?t WHERE {{ ?d <{NIF}isString> ?t }}")}
    for person in (f"{ID}person/p{i}" for i in range(len(PEOPLE))):
        expected: list[Source] = []
        for x, doc, begin, end in rows(store, PLAIN_JOIN):
            d = int(doc.rsplit("m", 1)[-1])
            source = Source(f"m{d}", sentence_at(texts[doc], int(begin), int(end)), None, f"2024-05-{d + 1:02d}")
            if x == person and source not in expected:
                expected.append(source)
        assert len(expected) == 24
        assert g.nodes[person]["sources"] == expected[:MAX_SOURCES]


def test_network_dates_of_a_post_seen_in_many_documents_are_in_date_order(tmp_path: Path) -> None:
    # Our own news item, told on five days: the post edge (and each node) lists its documents'
    # dates earliest first, whatever the hash seed (they came out of a set, in its order).
    from kg.api import build
    from kg.store.oxigraph import open_store

    days = ["2025-03-14", "2024-11-02", "2025-07-30", "2024-01-09", "2025-01-21"]
    text = "Генеральный директор ООО «Северный литейный завод» Павел Громов открыл новый цех в Вологде."
    corpus = tmp_path / "news.jsonl"
    corpus.write_text("".join(f'{{"id": "d{i}", "date": "{day}", "text": "{text}"}}\n'
                              for i, day in enumerate(days)), encoding="utf-8")
    build([corpus], tmp_path / "ws", views=False)
    g = load_network(open_store(tmp_path / "ws"))
    posts = [d for _, _, d in g.edges(data=True) if d["rel"] == "holds"]
    assert posts and all(d["dates"] == sorted(days) for d in posts)
    for _, data in g.nodes(data=True):
        assert data["dates"] == sorted(data["dates"])
