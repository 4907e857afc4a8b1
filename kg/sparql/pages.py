"""HTML of ``kg serve``: the YASGUI home page and the entity pages (``GET /id/…``).

Every piece of text from the graph is escaped (``html.escape``): news text is shown as
text, never run as HTML. The pages load nothing from anywhere but the server itself.

>>> "<script>" in entity_html(EntityView("https://w3id.org/cluster-kg/id/org/x", "/id/org/x",
...     labels=("<script>alert(1)</script>",)), "https://w3id.org/cluster-kg/id/")
False
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

from kg.sparql.catalog import NamedQuery
from kg.vocab import ENTITY_CLASS_BY_IRI, POST

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_NAMES = {
    "http://www.w3.org/2000/01/rdf-schema#label": "название",
    "http://www.w3.org/2004/02/skos/core#altLabel": "другое название",
}

DEFAULT_QUERY = """SELECT ?cluster ?name ?region WHERE {
  ?cluster a ckg:Cluster ; rdfs:label ?name .
  OPTIONAL { ?cluster ckg:locatedIn ?place . ?place rdfs:label ?region }
}
LIMIT 50
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _json_for_script(value: object) -> str:
    """JSON inside a <script> element: '<', '>' and '&' escaped, so no text can end the element."""
    return (json.dumps(value, ensure_ascii=False)
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def yasgui_html(prefixes: Mapping[str, str], examples: Sequence[NamedQuery], base: str, title: str) -> str:
    """The home page: YASGUI on this server's /query, the project's prefixes declared in the first
    tab's query, and every named query as an example to open in a tab."""
    declared = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in prefixes.items())
    items = [{"name": q.name, "title": q.title, "description": q.description, "query": q.text} for q in examples]
    options = "".join(f'<option value="{i}">{_e(q.name)} — {_e(q.title)}</option>' for i, q in enumerate(examples))
    config = {"query": declared + "\n" + DEFAULT_QUERY, "examples": items, "base": base}
    return f"""<!DOCTYPE html>
<html lang="ru">
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<title>{_e(title)}</title>
<link rel="stylesheet" href="/static/yasgui.min.css">
<style>
body {{ font-family: sans-serif; margin: 0 1em; }}
header {{ display: flex; gap: 1em; align-items: baseline; flex-wrap: wrap; }}
header h1 {{ font-size: 1.2em; }}
#examples-help {{ color: #555; font-size: 0.9em; }}
</style>
</head>
<body>
<header>
<h1>{_e(title)}</h1>
<label>Примеры (named queries): <select id="examples"><option value="">—</option>{options}</select></label>
<span id="examples-help"></span>
</header>
<div id="yasgui"></div>
<script src="/static/yasgui.min.js"></script>
<script id="kg-config" type="application/json">{_json_for_script(config)}</script>
<script>
(function () {{
  const config = JSON.parse(document.getElementById("kg-config").textContent);
  const YasguiClass = window.Yasgui.default || window.Yasgui.Yasgui || window.Yasgui;
  const endpoint = new URL("/query", window.location.href).href;
  const yasgui = new YasguiClass(document.getElementById("yasgui"), {{
    requestConfig: {{ endpoint: endpoint, method: "POST" }},
    copyEndpointOnNewTab: true,
    persistenceId: null,
    yasqe: {{ value: config.query, autocompleters: ["prefixes", "variables"] }},
  }});
  window.kgYasgui = yasgui;
  const select = document.getElementById("examples");
  const help = document.getElementById("examples-help");
  select.addEventListener("change", function () {{
    const example = config.examples[Number(select.value)];
    if (!example) return;
    yasgui.addTab(true, {{ name: example.name, yasqe: {{ value: example.query }},
                           requestConfig: {{ endpoint: endpoint, method: "POST" }} }});
    help.textContent = example.description;
    select.value = "";
  }});
  // An IRI of this graph opens its page here (GET /id/…), not on the web.
  document.addEventListener("click", function (event) {{
    const link = event.target.closest ? event.target.closest("a[href]") : null;
    if (!link || !link.href.startsWith(config.base)) return;
    event.preventDefault();
    window.open("/id/" + link.href.slice(config.base.length), "_blank");
  }}, true);
}})();
</script>
</body>
</html>
"""


@dataclass(frozen=True, slots=True)
class Link:
    """A link of the entity: the property, the node at the other end (with its label), and the direction."""

    prop: str
    node: str
    label: str = ""
    outgoing: bool = True


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a fact or entity was read: the document, the text, its offsets, and the sentence around it."""

    doc: str
    doc_id: str
    text: str
    begin: int
    end: int
    sentence: str = ""
    date: str = ""
    title: str = ""
    source: str = ""
    about: str = ""  # the fact or entity this evidence is for (for facts linked to the entity)
    about_label: str = ""
    rule: str = ""
    confidence: str = ""


@dataclass(frozen=True, slots=True)
class EntityView:
    """Everything an entity page shows."""

    iri: str
    path: str
    labels: tuple[str, ...] = ()
    alt_labels: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    values: tuple[tuple[str, str], ...] = ()  # (property, literal) other than names
    links: tuple[Link, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    facts: tuple[Evidence, ...] = field(default=())  # evidence of the fact nodes linked to the entity


def _short(iri: str) -> str:
    for namespace, prefix in (("https://w3id.org/cluster-kg/ontology#", "ckg:"), ("http://www.w3.org/ns/org#", "org:"),
                              ("http://www.w3.org/2000/01/rdf-schema#", "rdfs:"),
                              ("http://www.w3.org/2004/02/skos/core#", "skos:"), ("http://www.w3.org/ns/prov#", "prov:"),
                              ("http://purl.org/dc/terms/", "dcterms:"), ("http://www.w3.org/2002/07/owl#", "owl:"),
                              ("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#", "nif:"),
                              ("http://www.w3.org/2005/11/its/rdf#", "itsrdf:"),
                              ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdf:")):
        if iri.startswith(namespace):
            return prefix + iri[len(namespace):]
    return iri


@cache
def _fact_class_names() -> dict[str, str]:
    """Class IRI -> Russian name of the fact types kept as nodes (``kg.facts``, imported on first use)."""
    from kg.facts import node_classes

    return {c.iri: c.label for c in node_classes()}


def _class_name(iri: str) -> str:
    entity = ENTITY_CLASS_BY_IRI.get(iri)
    if entity is not None:
        return entity.label
    fact = _fact_class_names().get(iri)
    if fact is not None:
        return fact
    return "Должность" if iri == POST else _short(iri)


def _href(iri: str, base: str) -> str:
    return "/id/" + iri[len(base):] if iri.startswith(base) else iri


def _node(iri: str, label: str, base: str) -> str:
    shown = label or _short(iri)
    return f'<a href="{_e(_href(iri, base))}">{_e(shown)}</a>'


def _evidence_rows(items: Sequence[Evidence], base: str, with_about: bool) -> str:
    rows = []
    for ev in items:
        sentence = ev.sentence or ev.text
        if ev.sentence and ev.text and ev.text in ev.sentence:
            at = ev.sentence.index(ev.text)
            sentence_html = (_e(ev.sentence[:at]) + "<mark>" + _e(ev.text) + "</mark>"
                             + _e(ev.sentence[at + len(ev.text):]))
        else:
            sentence_html = _e(sentence)
        doc = _node(ev.doc, ev.doc_id, base)
        meta = " · ".join(_e(x) for x in (ev.date, ev.title) if x)
        source = f' <a href="{_e(ev.source)}" rel="noreferrer">источник</a>' if ev.source.startswith(
            ("http://", "https://")) else ""
        how = " · ".join(_e(x) for x in (ev.rule and f"правило {ev.rule}", ev.confidence and f"уверенность {ev.confidence}") if x)
        about = f"<td>{_node(ev.about, ev.about_label, base)}</td>" if with_about else ""
        rows.append(f"<tr>{about}<td>{sentence_html}</td><td>{doc} [{ev.begin}–{ev.end}]"
                    f"{'<br>' + meta if meta else ''}{source}{'<br>' + how if how else ''}</td></tr>")
    return "".join(rows)


def entity_html(view: EntityView, base: str) -> str:
    """The page of one node: names, classes, values, links both ways, the facts with their sentences."""
    name = view.labels[0] if view.labels else _short(view.iri)
    types = ", ".join(_e(_class_name(t)) for t in view.types)
    alt = "".join(f"<li>{_e(a)}</li>" for a in view.alt_labels)
    values = "".join(f"<tr><th>{_e(_short(p))}</th><td>{_e(v)}</td></tr>" for p, v in view.values)
    out = "".join(f"<tr><th>{_e(_short(link.prop))}</th><td>{_node(link.node, link.label, base)}</td></tr>"
                  for link in view.links if link.outgoing)
    inward = "".join(f"<tr><td>{_node(link.node, link.label, base)}</td><th>{_e(_short(link.prop))}</th></tr>"
                     for link in view.links if not link.outgoing)
    sections = [f"<h1>{_e(name)}</h1>",
                f'<p class="iri"><code>{_e(view.iri)}</code> · <a href="{_e(view.path)}?format=turtle">Turtle</a></p>',
                f"<p>{types}</p>" if types else ""]
    if alt:
        sections.append(f"<h2>Другие названия</h2><ul>{alt}</ul>")
    if values:
        sections.append(f"<h2>Значения</h2><table>{values}</table>")
    if out:
        sections.append(f"<h2>Связи</h2><table>{out}</table>")
    if inward:
        sections.append(f"<h2>Ссылаются</h2><table>{inward}</table>")
    if view.facts:
        sections.append("<h2>Факты и их источники</h2><table><tr><th>факт</th><th>предложение</th>"
                        f"<th>документ</th></tr>{_evidence_rows(view.facts, base, True)}</table>")
    if view.evidence:
        sections.append("<h2>Упоминания</h2><table><tr><th>предложение</th><th>документ</th></tr>"
                        f"{_evidence_rows(view.evidence, base, False)}</table>")
    body = "\n".join(s for s in sections if s)
    return f"""<!DOCTYPE html>
<html lang="ru">
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<title>{_e(name)}</title>
<style>
body {{ font-family: sans-serif; margin: 1em 2em; max-width: 70em; }}
table {{ border-collapse: collapse; margin-bottom: 1em; }}
th, td {{ border-bottom: 1px solid #ddd; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }}
mark {{ background: #fff2a8; }}
.iri code {{ font-size: 0.85em; color: #555; }}
</style>
</head>
<body>
{body}
<p><a href="/">SPARQL</a></p>
</body>
</html>
"""
