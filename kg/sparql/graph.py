"""``Turtle``: the answer of a CONSTRUCT or DESCRIBE query, as Turtle text with its triples at hand.

It is a ``str`` (what ``kg.query`` always returned for graphs), so code that printed or
parsed the text keeps working; ``triples()``, ``serialize()`` and ``to_networkx()`` add
what a notebook needs.

>>> answer = Turtle('<https://x/a> <https://x/p> <https://x/b> , "b"@ru .\\n')
>>> [str(o) for _, _, o in answer.triples()]
['https://x/b', 'b']
>>> print(answer.serialize("nt"), end="")
<https://x/a> <https://x/p> "b"@ru .
<https://x/a> <https://x/p> <https://x/b> .
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from kg.errors import KgError
from kg.sparql.terms import STANDARD_PREFIXES, Term, literal

GRAPH_FORMATS = ("turtle", "nt", "jsonld")
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def _term(node: object) -> Term:
    if isinstance(node, ox.NamedNode):
        return Term("uri", node.value)
    if isinstance(node, ox.BlankNode):
        return Term("bnode", node.value)
    if isinstance(node, ox.Literal):
        return literal(node.value, node.datatype.value, node.language)
    raise KgError(f"cannot represent RDF term {node!r}")


class Turtle(str):
    """Turtle text of a graph answer; its triples parsed on demand (pyoxigraph)."""

    __slots__ = ()

    def _parsed(self) -> list[ox.Triple]:
        try:
            quads = ox.parse(self.encode("utf-8"), format=ox.RdfFormat.TURTLE)
            return list(dict.fromkeys(q.triple for q in quads))
        except SyntaxError as exc:
            raise KgError(f"the graph answer is not Turtle: {exc}") from exc

    def triples(self) -> list[tuple[Term, Term, Term]]:
        """Each triple once, as ``(subject, predicate, object)`` Terms, in the text's order."""
        return [(_term(t.subject), _term(t.predicate), _term(t.object)) for t in self._parsed()]

    def serialize(self, fmt: str = "turtle") -> str:
        """The same triples as ``turtle``, ``nt`` (N-Triples, sorted) or ``jsonld`` (compact, with @context)."""
        if fmt == "turtle":
            return str(self)
        if fmt == "nt":
            data = ox.serialize(self._parsed(), format=ox.RdfFormat.N_TRIPLES) or b""
            return "".join(sorted(data.decode("utf-8").splitlines(keepends=True)))
        if fmt == "jsonld":
            from kg.sparql.jsonld import graph_document

            return graph_document(self._parsed())
        raise KgError(f"unknown graph format {fmt!r}; choose one of {', '.join(GRAPH_FORMATS)}")

    def to_networkx(self) -> Any:
        """A ``networkx.MultiDiGraph``: a node per IRI or blank node, an edge per triple between two
        of them (``key`` and ``predicate``: the property IRI). A node's literals are its attributes:
        ``label`` (its rdfs:label), ``types`` (rdf:type IRIs) and ``literals`` ({property IRI: [values]})."""
        import networkx as nx

        graph = nx.MultiDiGraph()

        def node(term: Term) -> str:
            if term.value not in graph:
                graph.add_node(term.value, label=None, types=[], literals={})
            return term.value

        for s, p, o in self.triples():
            subject = node(s)
            if o.type == "literal":
                attrs = graph.nodes[subject]
                attrs["literals"].setdefault(p.value, []).append(o.value)
                if p.value == RDFS_LABEL and attrs["label"] is None:
                    attrs["label"] = o.value
            elif p.value == RDF_TYPE:
                graph.nodes[subject]["types"].append(o.value)
            else:
                graph.add_edge(subject, node(o), key=p.value, predicate=p.value)
        return graph


def prefixed(iri: str) -> str:
    """``ckg:Cluster`` for an IRI in one of the project's namespaces, else the IRI."""
    for prefix, base in STANDARD_PREFIXES.items():
        if prefix != "id" and iri.startswith(base) and iri[len(base):].replace("_", "a").isalnum():
            return f"{prefix}:{iri[len(base):]}"
    return iri
