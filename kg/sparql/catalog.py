"""Named queries: ``queries/*.rq`` files with a header that says what they answer.

The header is the comment block at the top of the file::

    # title: Clusters by region and sector
    # description: Every cluster with its region and sector.
    # param: region iri of ckg:Region — only clusters of this region (its IRI or its name)
    # param: region_name label of ckg:Region — only the region of this name
    # param: role string in member|initiator|anchor — only this role
    # param: year year required — the year to look at

A parameter is a variable of the query (projected, for SELECT). A value given for
it is joined with the answers as an RDF term, never pasted into the text; a
parameter left out stays a free variable, so it matches anything. ``of CLASS[|CLASS]``
lets an ``iri`` parameter take a name instead (``kg.sparql.names`` finds the entity), and
makes a ``label`` parameter the canonical label of the entity a name finds; ``in A|B|C``
lists the values a parameter may take.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from kg import resources
from kg.errors import InputError
from kg.sparql.terms import PARAM_TYPES, STANDARD_PREFIXES

QUERIES_ENV = "KG_QUERIES_DIR"

_FIELD = re.compile(r"^#\s*(?P<key>title|description|param)\s*:\s*(?P<value>.*?)\s*$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+(?P<type>[a-z]+)"
    r"(?:\s+of\s+(?P<classes>[A-Za-z][\w.-]*:[A-Za-z]\w*(?:\|[A-Za-z][\w.-]*:[A-Za-z]\w*)*))?"
    r"(?:\s+in\s+(?P<choices>[^\s|]+(?:\|[^\s|]+)*))?"
    r"(?P<required>\s+required)?"
    r"\s*(?:(?:—|--|-)\s*(?P<doc>.*))?$"
)
_PREFIX = re.compile(r"^\s*PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.I | re.M)
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)


@dataclass(frozen=True, slots=True)
class Param:
    """One parameter: a query variable with a value type (see ``kg.sparql.terms.PARAM_TYPES``)."""

    name: str
    type: str = "term"
    required: bool = False
    doc: str = ""
    classes: tuple[str, ...] = ()  # class IRIs of the entity a name may stand for (``of ckg:Cluster``)
    choices: tuple[str, ...] = ()  # the values allowed (``in member|initiator|anchor``)


@dataclass(frozen=True, slots=True)
class NamedQuery:
    """A SPARQL query with its header; ``origin`` is the file (or ``<stdin>``) it came from."""

    name: str
    text: str
    title: str = ""
    description: str = ""
    params: tuple[Param, ...] = ()
    origin: str = ""
    prefixes: dict[str, str] = field(default_factory=dict)

    @property
    def form(self) -> str:
        """SELECT, ASK, CONSTRUCT or DESCRIBE: the first query keyword outside the header."""
        body = "\n".join(line for line in self.text.splitlines() if not line.lstrip().startswith("#"))
        match = _FORM.search(body)
        return match.group(1).upper() if match else "SELECT"

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


def queries_dir() -> Path:
    """Where named queries live: ``$KG_QUERIES_DIR``, else ``queries/`` (package data, ``kg.resources``)."""
    env = os.environ.get(QUERIES_ENV)
    return Path(env) if env else resources.queries_dir()


def parse_query(text: str, *, name: str = "query", origin: str = "") -> NamedQuery:
    """A NamedQuery from the text of an ``.rq`` file; a bad header line raises InputError."""
    title = description = ""
    params: list[Param] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        match = _FIELD.match(line)
        if not match:
            continue
        key, value = match["key"], match["value"]
        if key == "title":
            title = value
        elif key == "description":
            description = value
        else:
            params.append(_param(value, f"{origin or name}:{lineno}"))
    prefixes = {m.group(1) or "": m.group(2) for m in _PREFIX.finditer(text)}
    return NamedQuery(name, text, title, description, tuple(params), origin, prefixes)


def _param(value: str, where: str) -> Param:
    match = _PARAM.match(value)
    if not match:
        raise InputError(f"{where}: bad parameter line {value!r}; expected 'NAME TYPE [required] — text'")
    if match["type"] not in PARAM_TYPES:
        raise InputError(
            f"{where}: unknown parameter type {match['type']!r}; choose one of {', '.join(PARAM_TYPES)}"
        )
    classes: list[str] = []
    for curie in (match["classes"] or "").split("|") if match["classes"] else []:
        prefix, _, local = curie.partition(":")
        if prefix not in STANDARD_PREFIXES:
            raise InputError(f"{where}: unknown prefix in {curie!r}; use one of {', '.join(STANDARD_PREFIXES)}")
        classes.append(STANDARD_PREFIXES[prefix] + local)
    if match["type"] == "label" and not classes:
        raise InputError(f"{where}: a label parameter needs the class it names: 'NAME label of ckg:Region'")
    choices = tuple(match["choices"].split("|")) if match["choices"] else ()
    return Param(match["name"], match["type"], bool(match["required"]), (match["doc"] or "").strip(),
                 tuple(classes), choices)


def load_query_file(path: Path) -> NamedQuery:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the query: {exc}") from exc
    return parse_query(text, name=path.stem, origin=str(path))


def list_queries(directory: Path | None = None) -> list[NamedQuery]:
    """Every named query, sorted by name."""
    folder = directory or queries_dir()
    return [load_query_file(p) for p in sorted(folder.glob("*.rq"))]


def load_query(name: str, directory: Path | None = None) -> NamedQuery:
    """A named query (``clusters-by-region``) or an ``.rq`` file given by path."""
    path = Path(name)
    if name.endswith(".rq") or path.is_file():
        if not path.is_file():
            raise InputError(f"{name}: no such query file")
        return load_query_file(path)
    folder = directory or queries_dir()
    candidate = folder / f"{name}.rq"
    if candidate.is_file():
        return load_query_file(candidate)
    names = ", ".join(p.stem for p in sorted(folder.glob("*.rq")))
    raise InputError(f"unknown query {name!r}; choose one of: {names}")
