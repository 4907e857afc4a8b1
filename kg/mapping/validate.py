"""SHACL validation of a graph against ontology/shapes.ttl (pySHACL)."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import SH

from kg.mapping.vocab import load_ontology, load_shapes


@dataclass(frozen=True, slots=True)
class Violation:
    """One SHACL result: the node, the property path, the message."""

    focus: str
    path: str
    message: str
    severity: str


@dataclass(frozen=True, slots=True)
class Report:
    """Outcome of validating a graph."""

    conforms: bool
    violations: tuple[Violation, ...]
    triples: int


def _short(node: object) -> str:
    return str(node) if node is not None else ""


def validate(graph: Graph) -> Report:
    """Validate ``graph`` against the shipped shapes; never raises on non-conformance."""
    import pyshacl  # 0.3 s of imports (rdflib's SPARQL engine): only when validating

    conforms, results, _text = pyshacl.validate(
        graph,
        shacl_graph=load_shapes(),
        ont_graph=load_ontology(),
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    assert isinstance(results, Graph)
    violations = []
    for result in results.subjects(URIRef(SH.focusNode), None):
        severity = results.value(result, SH.resultSeverity)
        violations.append(
            Violation(
                focus=_short(results.value(result, SH.focusNode)),
                path=_short(results.value(result, SH.resultPath)),
                message=_short(results.value(result, SH.resultMessage)),
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            )
        )
    violations.sort(key=lambda v: (v.focus, v.path, v.message))
    return Report(conforms=bool(conforms), violations=tuple(violations), triples=len(graph))
