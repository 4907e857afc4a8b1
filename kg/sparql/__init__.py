"""Named SPARQL queries: load ``queries/*.rq`` by name, bind parameters safely, run on a target, format.

Never imports ``kg.store``; ``kg.query`` (``kg.api.query``) runs a query on a workspace or an endpoint.
"""

from kg.sparql.bind import bind, values_clause, with_values
from kg.sparql.catalog import NamedQuery, Param, list_queries, load_query, parse_query, queries_dir
from kg.sparql.formats import ALL_FORMATS, FORMATS, format_result, format_rows
from kg.sparql.graph import GRAPH_FORMATS, Turtle
from kg.sparql.rows import Rows
from kg.sparql.run import QueryTarget, Result, find, run, run_local
from kg.sparql.terms import Term, parse_value

__all__ = [
    "ALL_FORMATS",
    "FORMATS",
    "GRAPH_FORMATS",
    "NamedQuery",
    "Param",
    "QueryTarget",
    "Result",
    "Rows",
    "Term",
    "Turtle",
    "bind",
    "find",
    "format_result",
    "format_rows",
    "list_queries",
    "load_query",
    "parse_query",
    "parse_value",
    "queries_dir",
    "run",
    "run_local",
    "values_clause",
    "with_values",
]
