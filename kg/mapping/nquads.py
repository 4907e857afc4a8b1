"""Extraction -> N-Quads of the document's graph, without building an rdflib Graph.

``kg build`` stores each document as the N-Quads of its named graph. Building an
rdflib Graph (``to_graph``) and serializing it cost about 4 ms a document (rdflib's
``Graph.add`` and ``Literal`` construction); this module runs the same ``_Mapper``
with terms that are N-Triples text, so it writes exactly the triples of
``to_graph`` (a test compares the two) at a fraction of the cost.

>>> from kg.model import Document, Extraction
>>> text = to_nquads(Extraction(Document("d1", 'Текст "в кавычках"')), IriMinter("http://ex.org/"))
>>> print(text.decode().splitlines()[0])
<http://ex.org/doc/d1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/cluster-kg/ontology#Document> <http://ex.org/doc/d1> .
"""

from __future__ import annotations

import re

from rdflib import Literal, URIRef

from kg.mapping.iri import IriMinter
from kg.mapping.to_rdf import _Mapper, content_hash
from kg.model import Extraction

# Characters an N-Triples string literal must (quote, backslash, line breaks) or should
# (other controls) escape; everything else is written as it is.
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f"\\\x7f]')
_ESCAPES = {ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t",
            **{c: f"\\u{c:04X}" for c in [*range(0x20), 0x7F] if c not in (0x09, 0x0A, 0x0D)}}
# Characters that cannot appear in an N-Triples IRIREF: such an IRI is checked by
# pyoxigraph (which raises ValueError, as the store would), never written as it is.
_NOT_IN_IRIREF = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _string(value: str) -> str:
    return '"' + (value.translate(_ESCAPES) if _NEEDS_ESCAPE.search(value) else value) + '"'


class NTriplesTerms:
    """Terms as N-Triples text (plain ``str``); vocabulary URIRefs are written by ``_term``."""

    @staticmethod
    def iri(value: str) -> str:
        if _NOT_IN_IRIREF.search(value):
            from pyoxigraph import NamedNode

            return str(NamedNode(value))  # raises ValueError on an IRI the store refuses
        return f"<{value}>"

    @staticmethod
    def plain(value: str) -> str:
        return _string(value)

    @staticmethod
    def lang(value: str, lang: str) -> str:
        return f"{_string(value)}@{lang}"

    @staticmethod
    def typed(value: int | str, datatype: URIRef) -> str:
        # integers are written as rdflib writes them; other values (dates) take rdflib's
        # lexical form, which it may normalise
        lexical = str(value) if isinstance(value, int) else str(Literal(value, datatype=datatype))
        return f"{_string(lexical)}^^<{datatype}>"


# the N-Triples text of each vocabulary term met (a URIRef is only ever a vocabulary term here,
# ``Terms``): a few dozen entries, each written once rather than at every triple
_VOCABULARY: dict[str, str] = {}


def _term(term: str) -> str:
    """A term's N-Triples text: vocabulary terms are URIRefs, every other term is text already."""
    if type(term) is str:
        return term
    text = _VOCABULARY.get(term)
    if text is None:
        if not isinstance(term, URIRef):
            return term
        text = f"<{term}>"
        if len(_VOCABULARY) < 10_000:  # a bound, should a caller ever pass URIRefs of its own
            _VOCABULARY[term] = text
    return text


def to_nquads(extraction: Extraction, minter: IriMinter | None = None, graph_iri: str | None = None) -> bytes:
    """The triples of ``to_graph(extraction, minter)`` as N-Quads in graph ``graph_iri``.

    ``graph_iri`` defaults to the document's IRI (its named graph in the store). Each
    distinct triple is written once, in the order the mapping first states it.
    """
    minter = minter or IriMinter()
    graph = NTriplesTerms.iri(graph_iri or minter.document(extraction.document.id))
    # each line is kept as UTF-8 bytes: joined as one str, a single Cyrillic letter made every
    # character of the document's N-Quads take 2 bytes (and then a third copy, the encoding)
    lines: dict[bytes, None] = {}

    def add(s: str, p: str, o: str) -> None:
        lines[f"{_term(s)} {_term(p)} {_term(o)} {graph} .\n".encode("utf-8")] = None

    _Mapper(extraction, minter, NTriplesTerms(), add).run(content_hash(extraction.document))
    return b"".join(lines)
