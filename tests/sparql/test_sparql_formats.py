"""Output formats of query answers."""

from __future__ import annotations

import csv
import io
import json

import pytest

from kg.errors import KgError
from kg.sparql import Rows, Term, format_result
from kg.sparql.terms import XSD

ROWS = Rows(
    ("org", "name", "n"),
    (
        (Term("uri", "https://w3id.org/cluster-kg/id/org/a"), Term("literal", 'ООО «А», "x"', None, "ru"),
         Term("literal", "2", XSD + "integer")),
        (Term("uri", "https://w3id.org/cluster-kg/id/org/b"), Term("literal", "a|b\nc"), None),
    ),
)


def test_formats_table() -> None:
    assert format_result(ROWS, "table") == (
        "org                                   name          n\n"
        "------------------------------------  ------------  -\n"
        'https://w3id.org/cluster-kg/id/org/a  ООО «А», "x"  2\n'
        "https://w3id.org/cluster-kg/id/org/b  a|b c\n"
        "(2 rows)\n"
    )


def test_formats_csv_round_trips() -> None:
    text = format_result(ROWS, "csv")
    assert list(csv.reader(io.StringIO(text))) == [
        ["org", "name", "n"],
        ["https://w3id.org/cluster-kg/id/org/a", 'ООО «А», "x"', "2"],
        ["https://w3id.org/cluster-kg/id/org/b", "a|b\nc", ""],
    ]


def test_formats_tsv_uses_sparql_terms() -> None:
    assert format_result(ROWS, "tsv") == (
        "?org\t?name\t?n\n"
        '<https://w3id.org/cluster-kg/id/org/a>\t"ООО «А», \\"x\\""@ru\t"2"^^<http://www.w3.org/2001/XMLSchema#integer>\n'
        '<https://w3id.org/cluster-kg/id/org/b>\t"a|b\\nc"\t\n'
    )


def test_formats_json_is_sparql_results_and_round_trips() -> None:
    document = json.loads(format_result(ROWS, "json"))
    assert document["head"] == {"vars": ["org", "name", "n"]}
    assert document["results"]["bindings"][0]["name"] == {
        "type": "literal", "value": 'ООО «А», "x"', "xml:lang": "ru"}
    assert "n" not in document["results"]["bindings"][1]
    assert Rows.from_json(document) == ROWS


def test_formats_markdown_escapes_pipes() -> None:
    assert format_result(ROWS, "md").splitlines() == [
        "| org | name | n |",
        "|---|---|---|",
        '| https://w3id.org/cluster-kg/id/org/a | ООО «А», "x" | 2 |',
        "| https://w3id.org/cluster-kg/id/org/b | a\\|b c |  |",
    ]


@pytest.mark.parametrize(("answer", "text"), [(True, "true\n"), (False, "false\n"), ("<a:b> <a:c> <a:d> .", "<a:b> <a:c> <a:d> .\n")])
def test_formats_ask_and_graph_answers(answer: bool | str, text: str) -> None:
    assert format_result(answer, "table") == text


@pytest.mark.parametrize("answer", [True, False])
def test_formats_ask_as_sparql_json(answer: bool) -> None:
    assert json.loads(format_result(answer, "json")) == {"head": {}, "boolean": answer}


GRAPH = ('@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
         '<https://w3id.org/cluster-kg/id/cluster/a> rdfs:label "Кластер"@ru ; '
         '<http://www.w3.org/ns/org#hasMember> <https://w3id.org/cluster-kg/id/org/b> .\n')


def test_formats_graph_as_ntriples() -> None:
    assert format_result(GRAPH, "nt") == (
        '<https://w3id.org/cluster-kg/id/cluster/a> <http://www.w3.org/2000/01/rdf-schema#label> "Кластер"@ru .\n'
        '<https://w3id.org/cluster-kg/id/cluster/a> <http://www.w3.org/ns/org#hasMember> '
        '<https://w3id.org/cluster-kg/id/org/b> .\n')


def test_formats_graph_as_jsonld_with_context() -> None:
    document = json.loads(format_result(GRAPH, "jsonld"))
    assert document["@context"]["label"] == "rdfs:label"
    assert document["@graph"] == [{"@id": "https://w3id.org/cluster-kg/id/cluster/a", "label": "Кластер",
                                   "hasMember": "https://w3id.org/cluster-kg/id/org/b"}]


@pytest.mark.parametrize(("answer", "fmt", "message"), [
    (True, "csv", "an ASK answer prints as table (true or false) or json, not csv"),
    (GRAPH, "csv", "a CONSTRUCT answer (a graph) prints as turtle, nt, jsonld, not csv"),
    (ROWS, "turtle", "a SELECT answer (a table) prints as table, csv, tsv, json, md, not turtle"),
    (ROWS, "xlsx", "a SELECT answer (a table) prints as table, csv, tsv, json, md, not xlsx"),
])
def test_formats_a_format_that_does_not_fit_is_an_error(answer: object, fmt: str, message: str) -> None:
    with pytest.raises(KgError) as caught:
        format_result(answer, fmt)  # type: ignore[arg-type]
    assert str(caught.value) == message


def test_formats_json_reads_virtuoso_typed_literal() -> None:
    document = {"head": {"vars": ["n"]}, "results": {"bindings": [
        {"n": {"type": "typed-literal", "datatype": XSD + "integer", "value": "1"}}]}}
    assert Rows.from_json(document).rows == ((Term("literal", "1", XSD + "integer"),),)
