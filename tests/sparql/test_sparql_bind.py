"""Parameter values become RDF terms; no value can change the query."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.errors import KgError
from kg.sparql import bind, parse_query, parse_value, query, with_values
from kg.sparql.bind import first_brace
from kg.sparql.terms import XSD, Term
from kg.store.oxigraph import OxigraphStore

HOSTILE = [
    'x" } ; DROP ALL ; #',
    '"} UNION { ?s ?p ?o } #',
    '"""',
    "'''\n} INSERT DATA { <a:b> <a:c> <a:d> }",
    "back\\slash\\",
    "line\nbreak\r\ttab",
    "<http://example.org/evil>",
    "?cluster_name",
    "Калужская область «кавычки» {скобки}",
    "",
]


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        ("https://w3id.org/cluster-kg/id/region/x", "iri", Term("uri", "https://w3id.org/cluster-kg/id/region/x")),
        ("<https://example.org/a>", "iri", Term("uri", "https://example.org/a")),
        ("ckg:Cluster", "iri", Term("uri", "https://w3id.org/cluster-kg/ontology#Cluster")),
        ("id:region/x", "iri", Term("uri", "https://w3id.org/cluster-kg/id/region/x")),
        ("Калужская область", "ru", Term("literal", "Калужская область", None, "ru")),
        ("member", "string", Term("literal", "member")),
        ("0042", "integer", Term("literal", "42", XSD + "integer")),
        ("2024", "year", Term("literal", "2024", XSD + "integer")),
        ("2024-04-09", "date", Term("literal", "2024-04-09", XSD + "date")),
        ("1.5", "decimal", Term("literal", "1.5", XSD + "decimal")),
        ("true", "boolean", Term("literal", "true", XSD + "boolean")),
        ('"Франция"@ru', "term", Term("literal", "Франция", None, "ru")),
        ("<http://a.org/b>", "term", Term("uri", "http://a.org/b")),
        ("7", "term", Term("literal", "7", XSD + "integer")),
        ("plain", "term", Term("literal", "plain")),
    ],
)
def test_bind_parse_value(value: str, kind: str, expected: Term) -> None:
    assert parse_value(value, kind) == expected


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("http://x> } ; DROP ALL ; <http://y", "iri"),
        ("not an iri", "iri"),
        ("http://a/b c", "iri"),
        ("20x4", "year"),
        ("12", "date"),
        ("yes", "boolean"),
        ("1e", "integer"),
    ],
)
def test_bind_rejects_bad_values(value: str, kind: str) -> None:
    with pytest.raises(KgError):
        parse_value(value, kind)


def test_bind_unknown_parameter_lists_the_declared_ones() -> None:
    q = parse_query("# param: region iri — r\nSELECT ?region WHERE { ?region ?p ?o }", origin="q.rq")
    with pytest.raises(KgError, match=r"q\.rq: unknown parameter 'regoin'; this query takes: region"):
        bind(q, {"regoin": "http://a/b"})


def test_bind_missing_required_parameter() -> None:
    q = parse_query("# param: node iri required — n\nSELECT ?node WHERE { ?node ?p ?o }", origin="q.rq")
    with pytest.raises(KgError, match="missing required parameter.*node"):
        bind(q, {})


def test_bind_adhoc_query_needs_the_variable() -> None:
    q = parse_query("SELECT ?s WHERE { ?s ?p ?o }")
    assert bind(q, {"s": "<http://a/b>"}) == {"s": Term("uri", "http://a/b")}
    with pytest.raises(KgError, match=r"no variable \?x"):
        bind(q, {"x": "1"})


ECHO = "# param: v string — any text\nSELECT ?v WHERE { }"


@pytest.mark.parametrize("value", HOSTILE)
def test_bind_hostile_value_comes_back_unchanged_locally(value: str) -> None:
    store = OxigraphStore(None)
    rows = query(ECHO, store=store, params={"v": value})
    assert [(r[0].value if r[0] else None) for r in rows] == [value]  # type: ignore[union-attr]
    assert len(store) == 0


@pytest.mark.parametrize("value", HOSTILE)
def test_bind_hostile_value_is_one_term_in_values_clause(value: str) -> None:
    """The VALUES text sent to remote endpoints parses back to exactly the value given."""
    q = parse_query(ECHO)
    text = with_values(q.text, bind(q, {"v": value}))
    result = ox.Store().query(text)
    assert isinstance(result, ox.QuerySolutions)
    assert [s["v"].value for s in result] == [value]  # type: ignore[union-attr]


@pytest.mark.parametrize("value", HOSTILE)
def test_bind_hostile_value_in_ask_clause(value: str) -> None:
    q = parse_query('# param: v string — t\nASK { FILTER(?v = "never") }')
    text = with_values(q.text, bind(q, {"v": value}), form="ASK")
    assert bool(ox.Store().query(text)) is False
    text_ok = with_values(q.text, bind(q, {"v": "never"}), form="ASK")
    assert bool(ox.Store().query(text_ok)) is True


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ("ASK { }", 4),
        ("PREFIX a: <http://a/{x}>\nASK {}", 29),
        ("# a { comment\nASK {}", 18),
        ("ASK", -1),
    ],
)
def test_bind_first_brace_skips_iris_and_comments(text: str, index: int) -> None:
    assert first_brace(text) == index
