"""RDF terms as plain values, their N-Triples form, and parameter values parsed into terms.

A ``Term`` mirrors one binding of the SPARQL 1.1 JSON results format, so local
(pyoxigraph) and remote (JSON over HTTP) answers compare with ``==``.

>>> parse_value("Калужская область", "ru").n3()
'"Калужская область"@ru'
>>> parse_value('x" } ; DROP ALL ; {', "string").n3()
'"x\\\\" } ; DROP ALL ; {"'
>>> parse_value("2024", "integer").n3()
'"2024"^^<http://www.w3.org/2001/XMLSchema#integer>'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg import vocab
from kg.errors import KgError

XSD = vocab.XSD_NS
XSD_STRING = XSD + "string"
RDF_LANG_STRING = vocab.RDF_NS + "langString"

# Characters an IRI reference may not contain (RFC 3987 and the SPARQL IRIREF rule).
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_LANG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


@dataclass(frozen=True, slots=True)
class Term:
    """One RDF term: ``type`` is ``uri``, ``literal`` or ``bnode`` (as in SPARQL JSON results)."""

    type: str
    value: str
    datatype: str | None = None  # None for simple (xsd:string) and language-tagged literals
    lang: str | None = None

    def __str__(self) -> str:
        return self.value

    def n3(self) -> str:
        """The term in N-Triples / SPARQL syntax, escaped so it can never end early."""
        if self.type == "uri":
            return f"<{check_iri(self.value)}>"
        if self.type == "bnode":
            return f"_:{self.value}"
        text = "".join(_ESCAPES.get(ch, ch) for ch in self.value)
        if self.lang:
            return f'"{text}"@{self.lang}'
        if self.datatype:
            return f'"{text}"^^<{check_iri(self.datatype)}>'
        return f'"{text}"'


def iri(value: str) -> Term:
    return Term("uri", check_iri(value))


def literal(value: str, datatype: str | None = None, lang: str | None = None) -> Term:
    """A literal; ``xsd:string`` is folded into the simple literal (RDF 1.1 makes them one)."""
    if lang:
        if not _LANG.match(lang):
            raise KgError(f"not a language tag: {lang!r}")
        return Term("literal", value, None, lang.lower())
    if datatype in (XSD_STRING, RDF_LANG_STRING):
        datatype = None
    return Term("literal", value, datatype)


def check_iri(value: str) -> str:
    """Return ``value`` if it is an absolute IRI that needs no escaping inside ``<...>``."""
    if not _SCHEME.match(value) or _BAD_IRI.search(value):
        raise KgError(f"not an absolute IRI: {value!r}")
    return value


# The prefixes a query may use without declaring them: kg's own, and ``id:`` for instance IRIs.
STANDARD_PREFIXES = {
    "ckg": vocab.CKG_NS,
    "id": vocab.DEFAULT_BASE,
    **{prefix: vocab.PREFIXES[prefix] for prefix in (
        "org", "foaf", "schema", "prov", "dcterms", "skos", "nif", "itsrdf", "rdf", "rdfs", "xsd", "owl")},
}

PARAM_TYPES = ("iri", "string", "ru", "label", "integer", "decimal", "date", "year", "boolean", "term")

_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEAR = re.compile(r"^\d{4}$")
_LITERAL = re.compile(r'^"(?P<text>.*)"(?:@(?P<lang>[A-Za-z0-9-]+)|\^\^<(?P<dt>[^>]*)>)?$', re.S)


def parse_value(value: str, kind: str, prefixes: dict[str, str] | None = None) -> Term:
    """The RDF term for a ``--param`` value of the declared ``kind``.

    ``iri`` takes ``<...>``, a full IRI or a prefixed name (``ckg:Cluster``);
    ``term`` guesses: ``<iri>``, ``"text"@lang``, an integer, else a plain string.
    """
    prefixes = STANDARD_PREFIXES if prefixes is None else prefixes
    if kind == "iri":
        return iri(_expand(value, prefixes))
    if kind == "string":
        return literal(value)
    if kind in ("ru", "label"):  # a label parameter is given its entity's label by kg.sparql.names
        return literal(value, lang="ru")
    if kind == "integer":
        if not _INTEGER.match(value):
            raise KgError(f"not an integer: {value!r}")
        return literal(str(int(value)), XSD + "integer")
    if kind == "decimal":
        if not _DECIMAL.match(value):
            raise KgError(f"not a decimal: {value!r}")
        return literal(value, XSD + "decimal")
    if kind == "date":
        if not _DATE.match(value):
            raise KgError(f"not a date (YYYY-MM-DD): {value!r}")
        return literal(value, XSD + "date")
    if kind == "year":
        if not _YEAR.match(value):
            raise KgError(f"not a year (YYYY): {value!r}")
        return literal(str(int(value)), XSD + "integer")
    if kind == "boolean":
        if value not in ("true", "false"):
            raise KgError(f"not a boolean (true or false): {value!r}")
        return literal(value, XSD + "boolean")
    if kind == "term":
        return _guess(value, prefixes)
    raise KgError(f"unknown parameter type {kind!r}; choose one of {', '.join(PARAM_TYPES)}")


def _expand(value: str, prefixes: dict[str, str]) -> str:
    if value.startswith("<") and value.endswith(">"):
        return value[1:-1]
    prefix, sep, local = value.partition(":")
    if sep and prefix in prefixes and not local.startswith("//"):
        return prefixes[prefix] + local
    return value


def _guess(value: str, prefixes: dict[str, str]) -> Term:
    if value.startswith("<") and value.endswith(">"):
        return iri(value[1:-1])
    match = _LITERAL.match(value)
    if match:
        text = match["text"]
        return literal(text, match["dt"], match["lang"])
    if _INTEGER.match(value):
        return literal(str(int(value)), XSD + "integer")
    prefix, sep, _ = value.partition(":")
    if sep and prefix in prefixes:
        return iri(_expand(value, prefixes))
    return literal(value)
