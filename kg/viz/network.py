"""Store (union graph) -> networkx MultiDiGraph of entities and facts, for analysts.

What an analyst reads best, and so what this module draws:

- Entities (clusters, organisations, people, places, sectors) are nodes.
- ``org:Post`` nodes are *collapsed* into one labelled edge ``person -> organisation``
  whose label is the post title ("заместитель губернатора"): a post is a relation,
  and a node per post doubles the people part of the picture. A post without
  ``org:postIn`` becomes a line of its holder's tooltip (node attribute ``posts``).
- ``ckg:Agreement`` and ``ckg:Event`` stay nodes: they have several parties or
  participants, and collapsing them into edges would draw a clique per fact.

Node key: the entity IRI. Node attributes: ``label``, ``cls`` (class local name),
``alt`` (other names), ``kind`` (an agreement's or event's type, else ""), ``date``
(a fact's own date, ISO, else ""), ``regions``
(region labels, through ``ckg:locatedIn`` and settlements), ``dates`` (ISO dates of
the facts and documents it comes from), ``posts``, ``sources`` (:class:`Source`, one
per sentence, every one up to :data:`MAX_SOURCES`) and ``marks`` (the words of the
mentions, as written, to highlight in those sentences). Edge key: the relation's
local name; edge attributes: ``rel``, ``label``, ``dates``, ``sources``.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import networkx as nx

from kg.errors import InputError
from kg.facts import drawn_classes, drawn_relations, node_classes
from kg.sparql.run import value
from kg.store.oxigraph import OxigraphStore
from kg.vocab import CKG_NS, ORG_NS, most_specific_first

if TYPE_CHECKING:
    from pyoxigraph import QuerySolution

CKG = CKG_NS
ORG = ORG_NS
PREFIXES = f"""
PREFIX ckg: <{CKG}>
PREFIX org: <{ORG}>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
PREFIX itsrdf: <http://www.w3.org/2005/11/its/rdf#>
"""

# Most specific first: a Company is also typed ckg:Organization.
CLASSES = tuple(c.name for c in most_specific_first(drawn_classes()))
FACT_CLASSES = frozenset(c.name for c in node_classes())

# Relations drawn as edges (kg.facts): predicate IRI -> (local name, label shown on the edge).
RELATIONS: dict[str, tuple[str, str]] = {r.predicate: (r.name, r.label) for r in drawn_relations()}
HOLDS = ("holds", "должность")

MAX_SOURCES = 5000  # per node or edge (a memory guard; the page pages through them)
MAX_MARKS = 12  # distinct mention forms kept per node
MARK_TRIES = 64  # mentions of a node read for them
LOCATION_HOPS = 3
MAX_SENTENCE = 400


@dataclass(frozen=True, slots=True)
class Source:
    """Where a node or an edge was read: a sentence of one document."""

    doc_id: str
    sentence: str
    url: str | None = None
    date: str | None = None


@dataclass(slots=True)
class _Doc:
    id: str
    text: str
    url: str | None
    date: str | None
    bounds: list[int] | None = None
    # (first, last) sentence-bound indices -> that sentence's Source: mentions share sentences
    sources: dict[tuple[int, int], Source] = field(default_factory=dict)


_BOUNDARY = re.compile(r"(?<=[.!?…])[\"»”)]*\s+|\n+")


def sentence_at(text: str, begin: int, end: int, bounds: list[int] | None = None) -> str:
    """The sentence of ``text`` around ``[begin, end)``, split on sentence punctuation.

    >>> sentence_at("Первое. Второе про Нанолек! Третье", 19, 26)
    'Второе про Нанолек!'
    """
    if bounds is None:
        bounds = sentence_bounds(text)
    return _sentence(text, bounds, *_sentence_span(bounds, begin, end))


def _sentence_span(bounds: list[int], begin: int, end: int) -> tuple[int, int]:
    """Indices in ``bounds`` of the sentence start before ``begin`` and of the one after ``end``."""
    return bisect.bisect_right(bounds, begin) - 1, bisect.bisect_left(bounds, max(end, begin + 1))


def _sentence(text: str, bounds: list[int], i: int, j: int) -> str:
    start = bounds[i] if i >= 0 else 0
    stop = bounds[j] if j < len(bounds) else len(text)
    sentence = " ".join(text[start:stop].split())
    if len(sentence) > MAX_SENTENCE:
        sentence = sentence[: MAX_SENTENCE - 1] + "…"
    return sentence


def sentence_bounds(text: str) -> list[int]:
    """Offsets where a sentence starts (after punctuation and space, or a newline)."""
    return [0] + [m.end() for m in _BOUNDARY.finditer(text)]


def normalize(name: str) -> str:
    """Key for matching names typed by a user: case, ё and spacing ignored."""
    text = unicodedata.normalize("NFC", name).casefold().replace("ё", "е")
    return " ".join(text.split())


def _rows(store: OxigraphStore, query: str) -> Iterable[QuerySolution]:
    return store.select(PREFIXES + query)


def _value(solution: QuerySolution, var: str) -> str | None:
    """A variable's value, None when unbound (OPTIONAL); rows whose variables are all bound are unpacked."""
    term = solution[var]
    return None if term is None else value(term)


def _docs(store: OxigraphStore) -> dict[str, _Doc]:
    docs: dict[str, _Doc] = {}
    query = """SELECT ?doc ?text ?id ?url ?date WHERE {
        ?doc nif:isString ?text .
        OPTIONAL { ?doc dcterms:identifier ?id }
        OPTIONAL { ?doc dcterms:source ?url }
        OPTIONAL { ?doc dcterms:date ?date } }"""
    for s in _rows(store, query):
        iri = _value(s, "doc") or ""
        docs[iri] = _Doc(
            id=_value(s, "id") or iri.rsplit("/", 1)[-1],
            text=_value(s, "text") or "",
            url=_value(s, "url"),
            date=_value(s, "date"),
        )
    return docs


def _source(doc: _Doc, begin: int, end: int) -> Source:
    """The Source of ``doc``'s sentence around ``[begin, end)``: one object per sentence."""
    if doc.bounds is None:
        doc.bounds = sentence_bounds(doc.text)
    span = _sentence_span(doc.bounds, begin, end)
    source = doc.sources.get(span)
    if source is None:
        source = doc.sources[span] = Source(doc.id, _sentence(doc.text, doc.bounds, *span), doc.url, doc.date)
    return source


def _add_source(sources: list[Source], source: Source, seen: set[Source] | None = None) -> None:
    """Append ``source`` unless ``sources`` holds it (``seen``: a set of the same, for long lists)."""
    if len(sources) >= MAX_SOURCES:
        return
    if seen is None:
        if source not in sources:
            sources.append(source)
    elif source not in seen:
        seen.add(source)
        sources.append(source)


def load_network(store: OxigraphStore) -> nx.MultiDiGraph:
    """The analyst's graph of the store's union graph (see the module docstring)."""
    g = nx.MultiDiGraph()
    types: dict[str, set[str]] = defaultdict(set)
    # The drawn classes alone, each read from the type index (not every type triple, filtered).
    typed = f"SELECT DISTINCT ?e ?t WHERE {{ VALUES ?t {{ {' '.join(f'ckg:{c}' for c in CLASSES)} }} ?e a ?t }}"
    for entity, rdf_type in _rows(store, typed):
        types[entity.value].add(rdf_type.value[len(CKG):])
    for iri, classes in types.items():
        cls = next((c for c in CLASSES if c in classes), None)
        if cls is not None:
            g.add_node(iri, label="", cls=cls, alt=[], kind="", date="", regions=[], dates=[], posts=[],
                       sources=[], marks=[])
    labels = "SELECT DISTINCT ?e ?l WHERE { ?e rdfs:label ?l }"
    for entity, label in _rows(store, labels):
        node = g.nodes.get(entity.value)
        if node is not None and not node["label"]:
            node["label"] = label.value
    for entity, label in _rows(store, "SELECT DISTINCT ?e ?l WHERE { ?e skos:altLabel ?l }"):
        node = g.nodes.get(entity.value)
        if node is not None and label.value not in node["alt"] and label.value != node["label"]:
            node["alt"].append(label.value)
    for iri, data in g.nodes(data=True):
        if not data["label"]:
            data["label"] = iri.rsplit("/", 1)[-1]
    kinds = "SELECT DISTINCT ?e ?k WHERE { ?e ckg:agreementType|ckg:eventType ?k }"
    for entity, kind in _rows(store, kinds):
        node = g.nodes.get(entity.value)
        if node is not None and not node["kind"]:
            node["kind"] = kind.value
    for entity, day in _rows(store, "SELECT DISTINCT ?e ?d WHERE { ?e dcterms:date ?d }"):
        node = g.nodes.get(entity.value)
        if node is not None:
            node["dates"].append(day.value)
            if not node["date"] or day.value < node["date"]:
                node["date"] = day.value

    docs = _docs(store)
    edge_docs = _relations(store, g)
    post_edges = _posts(store, g)
    _mentions(store, g, docs, post_edges)
    evidenced = _link_evidence(store, g, docs)
    _edge_sources(g, docs, edge_docs, evidenced)
    _regions(g)
    for _, data in g.nodes(data=True):
        data["dates"] = sorted(set(data["dates"]))
    return g


def _relations(store: OxigraphStore, g: nx.MultiDiGraph) -> dict[tuple[str, str, str], set[str]]:
    """Add an edge per relation triple; returns edge -> IRIs of the documents stating it."""
    values = " ".join(f"<{p}>" for p in RELATIONS)
    query = f"SELECT ?s ?p ?o ?g WHERE {{ VALUES ?p {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"
    edge_docs: dict[tuple[str, str, str], set[str]] = {}
    present = set(g)  # a set's lookup, not the graph's: once per relation triple of every document
    for subject, predicate, target, graph in _rows(store, query):
        subj, obj = subject.value, target.value
        if subj not in present or obj not in present:
            continue
        rel, label = RELATIONS[predicate.value]
        docs_of = edge_docs.get((subj, obj, rel))
        if docs_of is None:
            if not g.has_edge(subj, obj, key=rel):
                g.add_edge(subj, obj, key=rel, rel=rel, label=label, dates=[], sources=[])
            docs_of = edge_docs[(subj, obj, rel)] = set()
        docs_of.add(graph.value)
    return edge_docs


def _posts(store: OxigraphStore, g: nx.MultiDiGraph) -> dict[str, tuple[str, str, str]]:
    """Collapse org:Post into holder -> organisation edges; returns post IRI -> edge.

    Each property is read on its own with DISTINCT and joined here: the union default
    graph is a bag, so one pattern joining four properties of a post stated in k
    documents would yield k**4 rows.
    """

    def pairs(prop: str, var: str) -> dict[str, str]:
        found: dict[str, str] = {}
        for post, value in _rows(store, f"SELECT DISTINCT ?post ?{var} WHERE {{ ?post {prop} ?{var} }}"):
            found.setdefault(post.value, value.value)
        return found

    holders = pairs("org:heldBy", "person")
    titles = pairs("ckg:title", "title")
    orgs = pairs("org:postIn", "org")
    post_edges: dict[str, tuple[str, str, str]] = {}
    for post in sorted(holders):
        person, org = holders[post], orgs.get(post)
        title = titles.get(post) or HOLDS[1]
        if person not in g:
            continue
        if org is None or org not in g:
            if title not in g.nodes[person]["posts"]:
                g.nodes[person]["posts"].append(title)
            continue
        key = f"{HOLDS[0]}:{title}"
        if not g.has_edge(person, org, key=key):
            g.add_edge(person, org, key=key, rel=HOLDS[0], label=title, dates=[], sources=[])
        post_edges[post] = (person, org, key)
    return post_edges


# A mention's rows (target, document, begin, end) are wanted in the order Oxigraph gives the
# plain join ``?m itsrdf:taIdentRef ?x ; nif:referenceContext ?doc ; nif:beginIndex ?b ;
# nif:endIndex ?e``: the order of its scan of the taIdentRef triples, in which a node's sources
# are capped. kg mints a mention's IRI as its document's IRI + ``#char=begin,end``
# (kg.mapping.iri; RFC 5147 offsets, as NIF does), so that scan alone holds the rows and no
# join is needed. The join costs three index lookups per mention; as hash-joined sub-selects it
# costs a third of that but holds every mention in memory (about 450 bytes each: +120 MiB at
# 20,000 documents). A mention whose IRI has another form (data kg did not write) is read with
# the join, after the others. tests/viz/test_network.py compares the rows with the join's.
MENTION_TARGETS = "SELECT ?m ?x WHERE { ?m itsrdf:taIdentRef ?x }"
MENTIONS = """SELECT ?m ?x ?doc ?b ?e WHERE {
    ?m itsrdf:taIdentRef ?x ; nif:referenceContext ?doc ; nif:beginIndex ?b ; nif:endIndex ?e }"""
_CHAR = re.compile(r"#char=([0-9]+),([0-9]+)$")


def mention_rows(store: OxigraphStore) -> Iterator[tuple[str, str, int, int]]:
    """(target IRI, document IRI, begin, end) of every mention, in the plain join's order."""
    foreign = False
    for m, x in _rows(store, MENTION_TARGETS):
        iri = m.value
        at = iri.rfind("#char=")  # str methods, not _CHAR: one mention row each, 45,000 at 3,000 documents
        begin, comma, end = iri[at + 6:].partition(",")
        if at < 0 or not comma or not (begin.isascii() and begin.isdigit() and end.isascii() and end.isdigit()):
            foreign = True
            continue
        yield x.value, iri[:at], int(begin), int(end)
    if foreign:
        for m, x, doc, begin, end in _rows(store, MENTIONS):
            if _CHAR.search(m.value) is None:
                yield x.value, doc.value, int(begin.value or 0), int(end.value or 0)


def _mentions(
    store: OxigraphStore,
    g: nx.MultiDiGraph,
    docs: dict[str, _Doc],
    post_edges: dict[str, tuple[str, str, str]],
) -> None:
    nodes: dict[str, dict[str, list[object]]] = dict(g.nodes(data=True))
    # target -> (its sources, ids of those sources, its dates, its marks, mentions left to read marks
    # from): one lookup per mention. Sources are one object per sentence (_source), so their ids
    # tell them apart.
    state: dict[str, tuple[list[object], set[int], set[str], list[object] | None, list[int]]] = {}
    for target, doc_iri, begin, end in mention_rows(store):
        doc = docs.get(doc_iri)
        if doc is None:
            continue
        found = state.get(target)
        if found is None:
            data = nodes.get(target)
            if data is None:
                edge = post_edges.get(target)
                if edge is None:
                    continue
                data = g.edges[edge]
            dates: set[str] = set(data["dates"])  # type: ignore[arg-type]
            found = state[target] = (data["sources"], set(), dates, data.get("marks"), [MARK_TRIES])
            data["dates"] = dates  # type: ignore[assignment]  # a list again below
        sources, ids, dates, marks, tries = found
        source = _source(doc, begin, end)
        if id(source) not in ids and len(sources) < MAX_SOURCES:
            ids.add(id(source))
            sources.append(source)
        if doc.date:
            dates.add(doc.date)
        if marks is not None and tries[0] > 0 and len(marks) < MAX_MARKS:
            tries[0] -= 1
            mark = " ".join(doc.text[begin:end].split())
            if mark and mark not in marks:
                marks.append(mark)
    for target, (_, _, dates, _, _) in state.items():
        data = nodes.get(target)
        holder = data if data is not None else g.edges[post_edges[target]]
        holder["dates"] = list(sorted(dates))


# The sentence each cluster link was read in: its rdf:Statement's ckg:evidence phrase and that
# phrase's nif:Sentence, whose IRI holds its document and offsets (#char=begin,end).
LINK_EVIDENCE = """SELECT DISTINCT ?s ?p ?o ?sentence WHERE {
    ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; ckg:evidence ?m . ?m nif:sentence ?sentence }"""


def _link_evidence(store: OxigraphStore, g: nx.MultiDiGraph, docs: dict[str, _Doc]) -> set[tuple[str, str, str]]:
    """Give each cluster-link edge the sentences its statements were read from; returns those edges."""
    found: set[tuple[str, str, str]] = set()
    seen: dict[tuple[str, str, str], set[Source]] = {}  # per edge: its sources, for a set's lookup
    for subject, predicate, target, sentence in _rows(store, LINK_EVIDENCE):
        relation, at = RELATIONS.get(predicate.value), _CHAR.search(sentence.value)
        doc = docs.get(sentence.value[:at.start()]) if at else None
        if relation is None or at is None or doc is None or not g.has_edge(subject.value, target.value, relation[0]):
            continue
        edge = (subject.value, target.value, relation[0])
        sources = g.edges[edge]["sources"]
        if edge not in seen:
            seen[edge] = set(sources)
        _add_source(sources, Source(doc.id, _sentence(doc.text, [int(at[1]), int(at[2])], 0, 1), doc.url, doc.date),
                    seen[edge])
        found.add(edge)
    return found


def _edge_sources(
    g: nx.MultiDiGraph, docs: dict[str, _Doc], edge_docs: dict[tuple[str, str, str], set[str]],
    evidenced: set[tuple[str, str, str]],
) -> None:
    """An edge's sources: the sentences it was read from when the graph states them
    (``evidenced``), else sentences of its documents that mention both ends (else one)."""
    by_doc: dict[str, dict[str, list[tuple[int, Source]]]] = {}  # node -> doc id -> its sources, in order

    def of(node: str, ids: set[str]) -> list[Source]:
        index = by_doc.get(node)
        if index is None:
            index = by_doc[node] = defaultdict(list)
            for i, x in enumerate(g.nodes[node]["sources"]):
                index[x.doc_id].append((i, x))
        found = [pair for doc_id in ids for pair in index.get(doc_id, ())]
        return [x for _, x in sorted(found, key=lambda pair: pair[0])] if len(ids) > 1 else [x for _, x in found]

    for (u, v, key), doc_iris in edge_docs.items():
        data = g.edges[u, v, key]
        if (u, v, key) in evidenced:
            data["dates"] = sorted({d for iri in doc_iris if (doc := docs.get(iri)) and (d := doc.date)})
            continue
        ids = {doc.id for iri in doc_iris if (doc := docs.get(iri))}
        u_src = of(u, ids)
        v_all = of(v, ids)
        v_sent = {(x.doc_id, x.sentence) for x in v_all}
        both = [x for x in u_src if (x.doc_id, x.sentence) in v_sent]
        seen: set[Source] = set(data["sources"])
        for source in both or u_src[:1] or v_all[:1]:
            _add_source(data["sources"], source, seen)
        data["dates"] = sorted({d for iri in doc_iris if (doc := docs.get(iri)) and (d := doc.date)})


def _regions(g: nx.MultiDiGraph) -> None:
    """Each node's regions: itself (a region), or where it is located, through at
    most :data:`LOCATION_HOPS` ``ckg:locatedIn`` steps (organisation -> settlement -> region)."""
    located: dict[str, list[str]] = defaultdict(list)
    for u, v, key in g.edges(keys=True):
        if key == "locatedIn":
            located[u].append(v)
    nodes = g.nodes
    for node, data in nodes(data=True):
        found: list[str] = data["regions"]
        level, seen = [node], {node}
        for _ in range(LOCATION_HOPS + 1):
            following: list[str] = []
            for current in level:
                if nodes[current]["cls"] == "Region":
                    if nodes[current]["label"] not in found:
                        found.append(nodes[current]["label"])
                    continue
                for target in located.get(current, ()):
                    if target not in seen:
                        seen.add(target)
                        following.append(target)
            level = following


def find_node(g: nx.MultiDiGraph, name: str, classes: frozenset[str] | None = None) -> str:
    """The node whose label or other name is ``name`` (case and ё ignored), or
    whose IRI is ``name``; only nodes of ``classes`` when given.

    An exact name wins; otherwise one node whose name contains ``name``.
    """
    if name in g and (classes is None or g.nodes[name]["cls"] in classes):
        return name
    wanted = normalize(name)
    exact: list[str] = []
    partial: list[str] = []
    for node, data in g.nodes(data=True):
        if classes is not None and data["cls"] not in classes:
            continue
        names = [normalize(n) for n in [data["label"], *data["alt"]]]
        if wanted in names:
            exact.append(node)
        elif any(wanted in n for n in names):
            partial.append(node)
    found: list[str] = exact or partial
    if len(found) == 1:
        return found[0]
    kind = "/".join(sorted(classes)) if classes else "entity"
    if not found:
        raise InputError(f"no {kind} named {name!r} in the graph")
    labels = [g.nodes[n]["label"] for n in found]
    # Two entities with one label: name them by IRI, which find_node accepts too.
    choices = sorted(f"{label} <{n}>" if labels.count(label) > 1 else label for n, label in zip(found, labels))
    shown = "; ".join(choices[:10]) + ("; …" if len(choices) > 10 else "")
    raise InputError(f"{name!r} names {len(found)} {kind} nodes: {shown}; give a longer name")


def neighbourhood(g: nx.MultiDiGraph, name: str, depth: int = 1) -> nx.MultiDiGraph:
    """The subgraph within ``depth`` steps (either direction) of the entity ``name``."""
    if depth < 0:
        raise InputError(f"depth must be 0 or more, not {depth}")
    centre = find_node(g, name)
    reach = nx.single_source_shortest_path_length(g.to_undirected(as_view=True), centre, depth)
    return g.subgraph(reach).copy()


def cluster_world(g: nx.MultiDiGraph, name: str) -> nx.MultiDiGraph:
    """One cluster's world: the cluster, everything linked to it, the parties and
    participants of its agreements and events, and the people holding posts in
    its organisations."""
    centre = find_node(g, name, frozenset({"Cluster"}))
    undirected = g.to_undirected(as_view=True)
    first = set(undirected.neighbors(centre))
    world = {centre} | first
    for node in first:
        cls = g.nodes[node]["cls"]
        if cls in FACT_CLASSES:
            world.update(undirected.neighbors(node))
        elif cls in {"Company", "Organization", "Authority"}:
            world.update(u for u, _, key in g.in_edges(node, keys=True) if key.startswith("holds:"))
    return g.subgraph(world).copy()
