"""JSON-LD with the published ``@context`` (``ontology/context.jsonld``): compact keys, one node a line.

``label``, ``hasMember``, ``wasDerivedFrom`` … instead of full property IRIs; ``@ru`` is the
default language, so a Russian name is a plain JSON string; IRIs of link properties are plain
strings; integers are JSON numbers. A dataset is written as one ``{"@id": graph, "@graph": […]}``
per document, so the per-document named graphs survive. The context is written inline: the
file reads offline, with no fetch of a remote context.

>>> import pyoxigraph as ox
>>> t = ox.Triple(ox.NamedNode("https://x/c"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
...               ox.Literal("Кластер", language="ru"))
>>> node_object(ox.NamedNode("https://x/c"), [t])
{'@id': 'https://x/c', 'label': 'Кластер'}
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from functools import cache
from itertools import groupby
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from kg.resources import ontology_dir

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"
_CANONICAL_INTEGER = frozenset("0123456789")


def context_path() -> Path:
    """``ontology/context.jsonld``: the published JSON-LD context of kg's graphs (package data)."""
    return ontology_dir() / "context.jsonld"


@cache
def context() -> dict[str, Any]:
    """The ``@context`` object (parsed once per process; treat it as read-only)."""
    document = json.loads(context_path().read_text(encoding="utf-8"))
    return dict(document["@context"])


@cache
def _terms() -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """Property IRI -> (key, kind: ``id`` | ``plain`` | ``default``), and prefix -> namespace."""
    ctx = context()
    prefixes = {k: v for k, v in ctx.items() if isinstance(v, str) and v.endswith(("#", "/"))}

    def expand(name: str) -> str:
        prefix, _, local = name.partition(":")
        return prefixes[prefix] + local if prefix in prefixes else name

    terms: dict[str, tuple[str, str]] = {}
    for key, value in ctx.items():
        if key.startswith("@") or key in prefixes:
            continue
        if isinstance(value, str):
            terms[expand(value)] = (key, "default")
        else:
            kind = "id" if value.get("@type") == "@id" else "plain" if value.get("@language", "") is None else "default"
            terms[expand(value["@id"])] = (key, kind)
    return terms, prefixes


def compact_iri(iri: str) -> str:
    """``ckg:Cluster`` for an IRI in a namespace of the context whose local part needs no escaping."""
    for prefix, namespace in _terms()[1].items():
        local = iri[len(namespace):]
        if iri.startswith(namespace) and local and local.replace("_", "a").replace("-", "a").isalnum():
            return f"{prefix}:{local}"
    return iri


def _id(node: ox.NamedNode | ox.BlankNode | ox.Triple | ox.Literal) -> str:
    return f"_:{node.value}" if isinstance(node, ox.BlankNode) else str(node.value)  # type: ignore[union-attr]


def _value(obj: object, kind: str) -> Any:
    """The JSON form of one object, given how the context defines its property."""
    if isinstance(obj, (ox.NamedNode, ox.BlankNode)):
        return _id(obj) if kind == "id" else {"@id": _id(obj)}
    assert isinstance(obj, ox.Literal)
    datatype = obj.datatype.value
    if obj.language:
        if kind == "default" and obj.language == "ru":
            return obj.value
        return {"@value": obj.value, "@language": obj.language}
    if datatype == XSD + "string":
        return obj.value if kind == "plain" else {"@value": obj.value}
    if kind == "default" and datatype == XSD + "integer" and _canonical_integer(obj.value):
        return int(obj.value)
    if kind == "default" and datatype == XSD + "boolean" and obj.value in ("true", "false"):
        return obj.value == "true"
    return {"@value": obj.value, "@type": compact_iri(datatype)}


def _canonical_integer(text: str) -> bool:
    digits = text[1:] if text.startswith("-") else text
    return bool(digits) and set(digits) <= _CANONICAL_INTEGER and (digits == "0" or digits[0] != "0") and text != "-0"


def node_object(subject: ox.NamedNode | ox.BlankNode, triples: Iterable[ox.Triple]) -> dict[str, Any]:
    """One node object: ``@id``, ``@type`` (compact class IRIs) and one key per property."""
    terms = _terms()[0]
    node: dict[str, Any] = {"@id": _id(subject)}
    for triple in triples:
        predicate = triple.predicate.value
        if predicate == RDF_TYPE and isinstance(triple.object, ox.NamedNode):
            node.setdefault("@type", []).append(compact_iri(triple.object.value))
            continue
        key, kind = terms.get(predicate) or (compact_iri(predicate), "default")
        node.setdefault(key, []).append(_value(triple.object, kind))
    return {k: v[0] if isinstance(v, list) and len(v) == 1 else v for k, v in node.items()}


def _nodes(triples: Iterable[ox.Triple]) -> Iterator[dict[str, Any]]:
    """Node objects of ``triples``; consecutive triples of one subject make one node (a subject
    met again later makes a second node object for it, which JSON-LD merges)."""
    for subject, group in groupby(triples, key=lambda t: t.subject):
        yield node_object(subject, group)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def write_jsonld(out: IO[bytes], triples: Iterable[ox.Triple] | None = None,
                 graphs: Iterable[tuple[ox.NamedNode | ox.BlankNode, Iterable[ox.Triple]]] | None = None) -> None:
    """Write a JSON-LD document: ``triples`` (a graph) or ``graphs`` (named graphs), node by node."""
    terms = ",\n  ".join(f"{_dumps(key)}: {_dumps(value)}" for key, value in context().items())
    head = '{"@context": {\n  ' + terms + '},\n "@graph": ['
    out.write(head.encode("utf-8"))
    first = True

    def item(text: str) -> None:
        nonlocal first
        out.write((("\n  " if first else ",\n  ") + text).encode("utf-8"))
        first = False

    if graphs is None:
        for node in _nodes(triples or ()):
            item(_dumps(node))
    else:
        for name, members in graphs:
            inner = ",\n   ".join(_dumps(node) for node in _nodes(members))
            item(f'{{"@id": {_dumps(_id(name))}, "@graph": [\n   {inner}]}}')
    out.write(b"\n ]}\n")


def graph_document(triples: Iterable[ox.Triple]) -> str:
    """A JSON-LD document of one graph, as text (for a CONSTRUCT answer)."""
    import io

    buffer = io.BytesIO()
    write_jsonld(buffer, sorted(triples, key=lambda t: str(t.subject)))
    return buffer.getvalue().decode("utf-8")
