"""Parameter values become RDF terms; no value can change the query."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.errors import KgError
from kg.api import query
from kg.sparql import bind, parse_query, parse_value, with_values
from kg.sparql.bind import top_level_groups
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


def store_with(value: str) -> ox.Store:
    store = ox.Store()
    for obj in (value, "other"):
        store.add(ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal(obj)))
    return store


@pytest.mark.parametrize("value", HOSTILE)
def test_bind_hostile_value_is_one_term_in_remote_text(value: str) -> None:
    """The text sent to remote endpoints parses back to exactly the value given."""
    q = parse_query("# param: v string — any text\nSELECT ?v WHERE { ?s ?p ?v }")
    text = with_values(q.text, bind(q, {"v": value}))
    result = store_with(value).query(text)
    assert isinstance(result, ox.QuerySolutions)
    assert [s["v"].value for s in result] == [value]  # type: ignore[union-attr]


@pytest.mark.parametrize("value", HOSTILE)
def test_bind_hostile_value_in_ask(value: str) -> None:
    q = parse_query("# param: v string — t\nASK { ?s ?p ?v }")
    assert bool(store_with("x").query(with_values(q.text, bind(q, {"v": value})))) is (value == "x")
    assert bool(store_with(value).query(with_values(q.text, bind(q, {"v": value})))) is True


@pytest.mark.parametrize(
    ("text", "groups"),
    [
        ("ASK { }", ["{ }"]),
        ("PREFIX a: <http://a/#x>\nASK {}", ["{}"]),
        ("# a { comment\nASK {}", ["{}"]),
        ('SELECT * { ?s ?p "}" . FILTER(?s < ?o) }', ['{ ?s ?p "}" . FILTER(?s < ?o) }']),
        ("SELECT * { ?s ?p \"\"\"}\\\"\"\"\" }", ["{ ?s ?p \"\"\"}\\\"\"\"\" }"]),
        ("SELECT * { ?s ?p '}' }", ["{ ?s ?p '}' }"]),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o { } }", ["{ ?s ?p ?o }", "{ ?s ?p ?o { } }"]),
        ("DESCRIBE <http://a/b>", []),
    ],
)
def test_bind_top_level_groups_skip_iris_strings_comments(text: str, groups: list[str]) -> None:
    assert [text[start:end + 1] for start, end in top_level_groups(text)] == groups


@pytest.mark.parametrize(
    "text",
    [
        "SELECT ?v WHERE { ?s ?p ?v } ORDER BY ?v LIMIT 5",
        "SELECT ?v { ?s ?p ?v }",
        "SELECT (COUNT(*) AS ?n) ?v { ?s ?p ?v } GROUP BY ?v",
        "SELECT ?v WHERE { ?s ?p ?v } VALUES ?v { \"x\" \"y\" }",
        "SELECT ?v WHERE { ?s ?p ?v } VALUES (?v) { (\"x\") }",
        "CONSTRUCT { ?s ?p ?v } WHERE { ?s ?p ?v }",
    ],
)
def test_bind_remote_text_binds_the_where_group(text: str) -> None:
    store = store_with("x")
    q = parse_query(text)
    bound = with_values(q.text, bind(q, {"v": "x"}))
    result = store.query(bound)
    values = [t.object.value if isinstance(t, ox.Triple) else t["v"].value for t in result]  # type: ignore[union-attr,index]
    assert values == ["x"]
