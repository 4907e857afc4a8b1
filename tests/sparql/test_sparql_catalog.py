"""Named queries: every queries/*.rq parses and has a complete header."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import InputError
from kg.sparql import list_queries, load_query, parse_query
from kg.sparql.bind import variables
from kg.sparql.catalog import queries_dir

QUERIES = list_queries()
NAMES = [q.name for q in QUERIES]


def test_catalog_has_at_least_fifteen_queries() -> None:
    assert len(QUERIES) >= 15, NAMES


def test_catalog_lists_sorted_by_name() -> None:
    assert NAMES == sorted(NAMES)
    assert NAMES == sorted(p.stem for p in queries_dir().glob("*.rq"))


@pytest.mark.parametrize("query", QUERIES, ids=NAMES)
def test_catalog_query_parses(query: object) -> None:
    from kg.sparql.catalog import NamedQuery

    assert isinstance(query, NamedQuery)
    result = ox.Store().query(query.text, use_default_graph_as_union=True)
    assert result is not None


@pytest.mark.parametrize("query", QUERIES, ids=NAMES)
def test_catalog_header_is_complete(query: object) -> None:
    from kg.sparql.catalog import NamedQuery

    assert isinstance(query, NamedQuery)
    assert query.title and query.description, "every query needs # title: and # description:"
    text_vars = variables(query.text.split("\nSELECT", 1)[-1])
    for param in query.params:
        assert param.doc, f"parameter {param.name} needs a description"
        assert param.name in text_vars, f"parameter {param.name} is not a variable of the query"


@pytest.mark.parametrize("query", [q for q in QUERIES if q.form == "SELECT"],
                         ids=[q.name for q in QUERIES if q.form == "SELECT"])
def test_catalog_select_params_are_projected(query: object) -> None:
    """A parameter is bound by joining with the answers, so it must be a projected variable."""
    from kg.sparql.catalog import NamedQuery

    assert isinstance(query, NamedQuery)
    body = query.text[query.text.index("SELECT"):]
    projection = body[: body.index("WHERE")]
    for param in query.params:
        assert f"?{param.name}" in projection.replace("(", " ").split() or f"?{param.name} " in projection


def test_catalog_load_by_name_and_by_path(tmp_path: Path) -> None:
    by_name = load_query("documents")
    path = tmp_path / "mine.rq"
    path.write_text("# title: Mine\n# description: d\nSELECT ?s WHERE { ?s ?p ?o }\n", encoding="utf-8")
    by_path = load_query(str(path))
    assert by_name.name == "documents" and by_name.origin.endswith("documents.rq")
    assert (by_path.name, by_path.title, by_path.origin) == ("mine", "Mine", str(path))


def test_catalog_unknown_name_lists_choices() -> None:
    with pytest.raises(InputError, match=r"unknown query 'nope'; choose one of: .*documents"):
        load_query("nope")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("# param: x colour — a colour", "unknown parameter type 'colour'"),
        ("# param: 9x iri — bad name", "bad parameter line"),
    ],
)
def test_catalog_bad_param_line_names_the_line(line: str, message: str) -> None:
    with pytest.raises(InputError, match=rf"q\.rq:2: {message}"):
        parse_query(f"# title: t\n{line}\nSELECT * WHERE {{}}", origin="q.rq")


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("# title: SELECT all\nPREFIX a: <http://a/>\nASK { ?s ?p ?o }", "ASK"),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("select * { ?s ?p ?o }", "SELECT"),
        ("DESCRIBE <http://a/b>", "DESCRIBE"),
    ],
)
def test_catalog_form_skips_the_header(text: str, form: str) -> None:
    assert parse_query(text).form == form


def test_catalog_header_fields() -> None:
    q = parse_query(
        "# title: T\n# description: D\n# param: region iri required — the region\n"
        "# param: year year - a year\nPREFIX ckg: <https://w3id.org/cluster-kg/ontology#>\n"
        "SELECT ?region ?year WHERE { ?region a ckg:Region }"
    )
    assert (q.title, q.description) == ("T", "D")
    assert [(p.name, p.type, p.required, p.doc) for p in q.params] == [
        ("region", "iri", True, "the region"), ("year", "year", False, "a year")]
    assert q.prefixes == {"ckg": "https://w3id.org/cluster-kg/ontology#"}
