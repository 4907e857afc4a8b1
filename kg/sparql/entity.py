"""What an entity page (``kg serve``: ``GET /id/…``) shows, read with a few SPARQL queries.

``entity_view(select, iri, path)`` takes the function that runs a SELECT (text, bound terms)
and gives Rows, so the same code reads the workspace (tests) and the server's query workers.

The sentence around a mention is cut from a window of the document's text (``SUBSTR`` in
the query, so the whole text never travels) at the nearest sentence ends.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from kg.sparql.pages import EntityView, Evidence, Link, RDF_TYPE
from kg.sparql.rows import Rows
from kg.sparql.terms import Term

Select = Callable[[str, Mapping[str, Term]], Rows]

LIMIT = 500  # links and mentions shown on one page
WINDOW = 400  # characters of text read on each side of a mention
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
ALT_LABEL = "http://www.w3.org/2004/02/skos/core#altLabel"
_SENTENCE_END = re.compile(r"[.!?…](?:[»\"')\]]*)\s+(?=[«\"(\[]?[A-ZА-ЯЁ0-9])|\n\s*\n")

EXISTS = "ASK { { ?e ?p ?o } UNION { ?s ?p ?e } }"

# ?e, the entity, is bound by substitution, which Oxigraph wants projected.
ABOUT = f"""
SELECT ?e ?p ?o ?dir ?label WHERE {{
  {{ SELECT ?e ?p ?o ?dir WHERE {{
      {{ ?e ?p ?o . BIND("out" AS ?dir) }}
      UNION {{ ?o ?p ?e . BIND("in" AS ?dir) FILTER(?p != itsrdf:taIdentRef) }}
  }} LIMIT {LIMIT * 2} }}
  OPTIONAL {{ ?o rdfs:label ?label }}
}}"""

MENTION = """
  ?m itsrdf:taIdentRef TARGET ; nif:referenceContext ?doc ; nif:anchorOf ?text ;
     nif:beginIndex ?begin ; nif:endIndex ?end .
  ?doc dcterms:identifier ?doc_id ; nif:isString ?string .
  BIND(IF(?begin > WINDOW, ?begin - WINDOW, 0) AS ?from)
  BIND(SUBSTR(?string, ?from + 1, ?end - ?from + WINDOW) AS ?window)
  OPTIONAL { ?doc dcterms:date ?date } OPTIONAL { ?doc dcterms:title ?title }
  OPTIONAL { ?doc dcterms:source ?source }
""".replace("WINDOW", str(WINDOW))

MENTIONS = f"""
SELECT ?e ?doc ?doc_id ?text ?begin ?end ?from ?window ?date ?title ?source WHERE {{
  {MENTION.replace("TARGET", "?e")}
}} ORDER BY ?doc_id ?begin LIMIT {LIMIT}"""

# The facts linked to the entity: posts, agreements and events, and the rdf:Statements of its
# cluster links; each with the mention of its evidence in every document that states it, the
# sentence kg stated for it (nif:sentence of its ckg:evidence; graphs built before kg wrote
# that leave it unbound, and the page cuts the sentence from the window instead) and the
# rule and confidence of its reading in that document.
FACTS = f"""
SELECT ?e ?about ?about_label ?predicate ?doc ?doc_id ?text ?begin ?end ?from ?window ?date ?title ?source ?stated
       ?rule ?confidence WHERE {{
  {{ SELECT DISTINCT ?e ?about WHERE {{
      {{ VALUES ?class {{ org:Post ckg:Agreement ckg:Event }}
        ?about ?link ?e . ?about a ?class . }}
      UNION {{ VALUES ?end_of {{ rdf:subject rdf:object }} ?about ?end_of ?e . ?about a rdf:Statement . }}
  }} LIMIT {LIMIT} }}
  OPTIONAL {{ ?about rdfs:label ?about_label }}
  OPTIONAL {{ ?about rdf:predicate ?predicate }}
  {MENTION.replace("TARGET", "?about")}
  OPTIONAL {{ ?about ckg:evidence ?m . ?m nif:sentence ?sentence_node . ?sentence_node nif:anchorOf ?stated }}
  OPTIONAL {{ GRAPH ?doc {{ ?about ckg:extractedBy ?rule }} }}
  OPTIONAL {{ GRAPH ?doc {{ ?about ckg:confidence ?confidence }} }}
}} ORDER BY ?doc_id ?begin LIMIT {LIMIT}"""

# what a cluster link's statement is called on a page (it has no label of its own)
LINK_NAMES = {
    "http://www.w3.org/ns/org#hasMember": "участник кластера",
    "https://w3id.org/cluster-kg/ontology#initiatedBy": "инициатор кластера",
    "https://w3id.org/cluster-kg/ontology#basedOn": "кластер на базе",
}


def sentence_around(window: str, begin: int, end: int) -> str:
    """The sentence of ``window`` that holds ``window[begin:end]``.

    >>> sentence_around("Прошёл форум. В Кирове подписали меморандум. Потом обед.", 16, 22)
    'В Кирове подписали меморандум.'
    """
    start = 0
    for match in _SENTENCE_END.finditer(window, 0, max(begin, 0)):
        start = match.end()
    stop = len(window)
    following = _SENTENCE_END.search(window, max(end, start))
    if following:
        stop = following.start() + 1 if not window[following.start()].isspace() else following.start()
    return " ".join(window[start:stop].split())


def _value(term: Term | None) -> str:
    return "" if term is None else term.value


def _evidence(rows: Rows) -> tuple[Evidence, ...]:
    out = []
    for row in rows.as_dicts():
        begin, end, start = int(row["begin"] or 0), int(row["end"] or 0), int(row["from"] or 0)
        window = str(row["window"] or "")
        out.append(Evidence(
            doc=str(row["doc"]), doc_id=str(row["doc_id"]), text=str(row["text"]), begin=begin, end=end,
            sentence=str(row.get("stated") or "") or sentence_around(window, begin - start, end - start),
            date=str(row["date"] or ""), title=str(row["title"] or ""), source=str(row["source"] or ""),
            about=str(row.get("about") or row["e"] or ""),
            about_label=str(row.get("about_label") or "") or LINK_NAMES.get(str(row.get("predicate") or ""), ""),
            rule=str(row.get("rule") or ""), confidence=str(row.get("confidence") or "")))
    return tuple(out)


def entity_view(select: Select, iri: str, path: str, ask: Callable[[str, Mapping[str, Term]], bool]) -> EntityView | None:
    """The page of ``iri``, or None when the graph says nothing about it."""
    bound = {"e": Term("uri", iri)}
    if not ask(EXISTS, bound):
        return None
    labels: list[str] = []
    alt: list[str] = []
    types: list[str] = []
    values: list[tuple[str, str]] = []
    links: dict[tuple[str, str, bool], Link] = {}
    for _, prop, obj, direction, label in select(ABOUT, bound):
        if prop is None or obj is None or direction is None:
            continue
        outgoing = direction.value == "out"
        if outgoing and obj.type == "literal":
            if prop.value == LABEL:
                labels.append(obj.value)
            elif prop.value == ALT_LABEL:
                alt.append(obj.value)
            else:
                values.append((prop.value, obj.value))
            continue
        if outgoing and prop.value == RDF_TYPE:
            types.append(obj.value)
            continue
        key = (prop.value, obj.value, outgoing)
        if key not in links or (label is not None and not links[key].label):
            links[key] = Link(prop.value, obj.value, _value(label), outgoing)
    return EntityView(
        iri=iri, path=path, labels=tuple(sorted(set(labels))), alt_labels=tuple(sorted(set(alt) - set(labels))),
        types=tuple(sorted(set(types))), values=tuple(sorted(set(values))),
        links=tuple(sorted(links.values(), key=lambda k: (not k.outgoing, k.prop, k.label, k.node))),
        evidence=_evidence(select(MENTIONS, bound)), facts=_evidence(select(FACTS, bound)))
