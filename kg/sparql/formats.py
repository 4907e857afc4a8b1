"""Text forms of query answers.

SELECT: table, csv, tsv, json (SPARQL 1.1 JSON results), md. CONSTRUCT and DESCRIBE:
turtle, nt, jsonld (``table``, the default, is turtle). ASK: ``true``/``false`` (table) or
the SPARQL 1.1 JSON boolean document (json). A format that does not fit the answer is an
error naming the ones that do, never silently ignored.
"""

from __future__ import annotations

import csv
import io
import json

from kg.errors import KgError
from kg.sparql.graph import GRAPH_FORMATS, Turtle
from kg.sparql.rows import Rows
from kg.sparql.terms import Term

FORMATS = ("table", "csv", "tsv", "json", "md")
BOOLEAN_FORMATS = ("table", "json")
ALL_FORMATS = FORMATS + GRAPH_FORMATS


def check_format(form: str, fmt: str) -> None:
    """Raise KgError when ``fmt`` cannot print the answer of a query of this form (SELECT, ASK, …)."""
    fits: tuple[str, ...]
    if form == "ASK":
        fits, what = BOOLEAN_FORMATS, "an ASK answer prints as table (true or false) or json"
    elif form in ("CONSTRUCT", "DESCRIBE"):
        fits, what = ("table",) + GRAPH_FORMATS, f"a {form} answer (a graph) prints as {', '.join(GRAPH_FORMATS)}"
    else:
        fits, what = FORMATS, f"a SELECT answer (a table) prints as {', '.join(FORMATS)}"
    if fmt not in fits:
        raise KgError(f"{what}, not {fmt}")


def format_result(result: Rows | bool | str, fmt: str = "table") -> str:
    """The text to print for a query answer, ending with a newline."""
    if isinstance(result, bool):
        check_format("ASK", fmt)
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": result}) + "\n"
        return "true\n" if result else "false\n"
    if isinstance(result, str):
        check_format("CONSTRUCT", fmt)
        text = Turtle(result).serialize("turtle" if fmt == "table" else fmt)
        return text if text.endswith("\n") or not text else text + "\n"
    check_format("SELECT", fmt)
    return format_rows(result, fmt)


def format_rows(rows: Rows, fmt: str = "table") -> str:
    if fmt == "table":
        return _table(rows)
    if fmt == "csv":
        return _csv(rows)
    if fmt == "tsv":
        return _tsv(rows)
    if fmt == "json":
        return json.dumps(rows.to_json(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "md":
        return _markdown(rows)
    raise KgError(f"unknown output format {fmt!r}; choose one of {', '.join(FORMATS)}")


def _cell(term: Term | None) -> str:
    return "" if term is None else term.value


def _table(rows: Rows) -> str:
    cells = [[_cell(t).replace("\n", " ") for t in row] for row in rows]
    widths = [max([len(v)] + [len(r[i]) for r in cells]) for i, v in enumerate(rows.variables)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(rows.variables, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _csv(rows: Rows) -> str:
    """SPARQL 1.1 CSV: plain values, no type information."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(rows.variables)
    for row in rows:
        writer.writerow([_cell(t) for t in row])
    return out.getvalue()


def _tsv(rows: Rows) -> str:
    """SPARQL 1.1 TSV: ``?var`` headers and terms in SPARQL syntax."""
    lines = ["\t".join(f"?{v}" for v in rows.variables)]
    lines += ["\t".join("" if t is None else t.n3() for t in row) for row in rows]
    return "\n".join(lines) + "\n"


def _markdown(rows: Rows) -> str:
    def esc(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(esc(v) for v in rows.variables) + " |",
             "|" + "|".join("---" for _ in rows.variables) + "|"]
    lines += ["| " + " | ".join(esc(_cell(t)) for t in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
