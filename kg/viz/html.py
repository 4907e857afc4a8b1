"""networkx graph -> one self-contained HTML page (vis-network from the pyvis package, all inline).

The page loads nothing from anywhere: vis-network's script and style (shipped
inside the pyvis package) and ours (``kg/viz/static``) are inlined, and the data is
one JSON island. Safety: every string from the news (labels, names, sentences,
URLs) reaches the page only as JSON inside ``<script type="application/json">``
with ``<``, ``>``, ``&``, U+2028 and U+2029 written as ``\\uXXXX`` escapes, so it
cannot close the script element; the script then puts it into the page only as
text (``textContent``, canvas text, vis-network's tooltip, which assigns a string
title with ``innerText``), and makes links only of ``http(s)`` URLs. Nothing from
the data is ever parsed as HTML.

What the page gets (see ``static/*.js`` for what it does with it): every node and
relation of the graph; the overview (:mod:`kg.viz.overview`: agreements and events
folded into edges and counts) with positions computed here (:mod:`kg.viz.layout`),
so the browser draws at once with physics off; fact nodes placed next to what they
bind, for when they are shown; informative labels (:mod:`kg.viz.labels`); Louvain
communities; relation names and panel groups in Russian. Node and edge lists are
built directly (pyvis's ``add_edge`` scans every edge for duplicates, quadratic).
"""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from importlib import resources
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx
from markupsafe import Markup

from kg.facts import drawn_classes, drawn_relations
from kg.viz.gephi import OTHER_COLOUR, day_span
from kg.viz.labels import fact_date
from kg.viz.layout import fitted_scale
from kg.viz.network import Source
from kg.viz.overview import FACT_CLASSES
from kg.viz.picture import LABEL_FONT, SHOW_FACTS_MAX, picture

# class -> (Russian name, vis shape, colour, legend glyph), in the legend's order (kg.vocab)
STYLE: dict[str, tuple[str, str, str, str]] = {
    c.name: (c.label, c.style.shape, c.style.color, c.style.glyph) for c in drawn_classes()
}
OTHER = ("Другое", "dot", OTHER_COLOUR, "●")
# relation -> (Russian name of the relation, panel group seen from its subject, from its object)
REL_NAMES: dict[str, tuple[str, str, str]] = {
    "hasMember": ("участник", "Члены", "Член кластеров"),
    "initiatedBy": ("инициатор", "Инициаторы", "Инициатор кластеров"),
    "basedOn": ("на базе", "Опорная организация", "Опора кластеров"),
    "locatedIn": ("находится в", "Место", "Находятся здесь"),
    "sector": ("отрасль", "Отрасль", "Кластеры отрасли"),
    "party": ("сторона", "Стороны", "Соглашения"),
    "signatory": ("подписал", "Подписали", "Соглашения"),
    "witness": ("присутствовал", "Присутствовали", "Соглашения"),
    "about": ("касается", "О чём", "События"),
    "participant": ("участник", "Участники", "События"),
    "holds": ("должность", "Должность", "Должностные лица"),
    "managedBy": ("управляющая организация", "Управляющая организация", "Управляет кластерами"),
}
# A relation a fact type adds later is named by its own label (kg.facts), never by its property.
for _relation in drawn_relations():
    REL_NAMES.setdefault(_relation.name, (_relation.label, _relation.label.capitalize(), _relation.label.capitalize()))
FOLDED_NAMES = {"Agreement": ("соглашение", "соглашения", "соглашений"),
                "Event": ("событие", "события", "событий")}
FACT_NODES_MAX = 6000  # above this many facts the page offers them only in drill-downs
LARGE = 1000  # nodes drawn from which edges hide while dragging and zooming
ROUNDNESS = 0.1  # curvature (vis.js curvedCW) of the second edge between two nodes, either way
PARALLEL_BEND = 0.2  # extra curvature of each further one
SCRIPTS = ("core.js", "layout.js", "labels.js", "panel.js", "views.js", "timeline.js", "export.js", "main.js")
_JSON_ESCAPES = (
    ("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"),
)


def json_script(value: object) -> Markup:
    """JSON that is safe inside ``<script type="application/json">``.

    >>> str(json_script({"a": "</script><b>&"}))
    '{"a":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escape in _JSON_ESCAPES:
        text = text.replace(char, escape)
    return Markup(text)


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    static = resources.files("kg.viz") / "static"
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(lambda name: (static / name).read_text(encoding="utf-8")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["jsonscript"] = json_script
    return env


def _pyvis_dir() -> Path:
    """The pyvis package's directory, found without importing it (pyvis imports IPython
    and jsonpickle: 0.2 s of CPU a `kg viz` does not need)."""
    spec = find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the pyvis package (vis-network's script) is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


@lru_cache(maxsize=1)
def _assets() -> dict[str, Markup]:
    """The inline scripts and styles: vis-network from the pyvis package, and ours."""
    vis = _pyvis_dir() / "templates" / "lib" / "vis-9.1.2"
    static = resources.files("kg.viz") / "static"
    parts = {
        "vis_js": (vis / "vis-network.min.js").read_text(encoding="utf-8"),
        "vis_css": (vis / "vis-network.css").read_text(encoding="utf-8"),
        # One function scope for all our scripts: they share its names, the page's globals stay clean.
        "kg_js": "(function () {\n\"use strict\";\n"
                 + "\n".join((static / name).read_text(encoding="utf-8") for name in SCRIPTS) + "\n})();",
        "kg_css": (static / "graph.css").read_text(encoding="utf-8"),
    }
    for name, text in parts.items():
        lowered = text.lower()
        if "</script" in lowered or "</style" in lowered or "<!--" in lowered:
            raise RuntimeError(f"{name} cannot be inlined: it closes its element")
    return {name: Markup(text) for name, text in parts.items()}


EPOCH = date(1970, 1, 1).toordinal()
# Later JSON islands are read one per task: each small enough to take well under 200 ms.
CHUNK_NODES = 1500  # agreements and events in one later island
CHUNK_EDGES = 6000  # edges (or ranges, or sources of edges) in one
CHUNK_ROWS = 3000  # nodes' ranges, or sources, in one
CHUNK_SENTENCES = 4000


@lru_cache(maxsize=8192)
def day_numbers(value: str) -> tuple[int, int] | None:
    """The first and last day an ISO date (full or partial) covers, as days since
    1970-01-01 (what the page compares); None without a year.

    >>> day_numbers("1970-01-02"), day_numbers("2024-02"), day_numbers("--04-09")
    ((1, 1), (19754, 19782), None)
    """
    span = day_span(value)
    if span is None:
        return None
    try:
        low, high = date.fromisoformat(span[0]), date.fromisoformat(span[1])
    except ValueError:
        return None
    return low.toordinal() - EPOCH, high.toordinal() - EPOCH


def day_ranges(dates: list[str]) -> list[int]:
    """The days ``dates`` cover, as a flat list ``[first, last, first, last, ...]`` of
    day numbers, touching or overlapping spans merged (the page's filters test
    whether a period meets one)."""
    if len(dates) == 1:  # most edges and facts: one document
        one = day_numbers(dates[0])
        return list(one) if one else []
    spans = sorted(r for d in set(dates) if (r := day_numbers(d)))
    merged: list[int] = []
    for low, high in spans:
        if merged and low <= merged[-1] + 1:
            merged[-1] = max(merged[-1], high)
        else:
            merged += [low, high]
    return merged


class _Interned:
    """Strings carried once in the page; values refer to them by index."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def __call__(self, text: str) -> int:
        found = self.index.get(text)
        if found is None:
            found = self.index[text] = len(self.index)
        return found


class _Sources:
    """Interns documents and sentences: a source travels as ``doc, sentence`` indexes
    (an edge usually quotes the sentences of its nodes); one lookup per source object."""

    def __init__(self) -> None:
        self.docs: dict[tuple[str, str | None, str | None], int] = {}
        self.sentences = _Interned()
        self.seen: dict[int, tuple[int, int]] = {}

    def refs(self, sources: list[Source]) -> list[int]:
        out: list[int] = []
        seen, extend = self.seen, out.extend
        for s in sources:
            pair = seen.get(id(s))
            if pair is None:
                doc = self.docs.setdefault((s.doc_id, s.date, s.url), len(self.docs))
                pair = seen[id(s)] = (doc, self.sentences(s.sentence))
            extend(pair)
        return out


def _blocks(items: list[Any], size: int) -> list[tuple[int, list[Any]]]:
    return [(i, items[i:i + size]) for i in range(0, len(items), size)]


def page_data(
    g: nx.MultiDiGraph, *, focus: str | None = None, view: str | None = None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """What the page's scripts read: the first JSON island (what the first drawing needs:
    the entities, their relations, the folded facts) and the later ones (agreements and
    events, the other relations, dates, sources), each small enough to be read in one
    short task after the first drawing. Node ids are places in the node list, entities
    first; IRIs under the base are written without it."""
    pic = picture(g)
    ov, described, sizes, positions = pic.overview, pic.labels, pic.sizes, pic.positions
    isolated = set(ov.isolated())
    attrs = dict(g.nodes(data=True))  # one lookup per node: NodeView's cost more
    facts = [n for n in g if attrs[n]["cls"] in FACT_CLASSES]
    facts.sort(key=lambda n: (fact_date(attrs[n]), described[n][0], str(n)))
    fact_set = set(facts)
    order = [n for n in g if n not in fact_set] + facts
    index = {node: i for i, node in enumerate(order)}
    base = _base(order)
    marks = _Interned()

    def iri(node: str) -> str:
        return node[len(base):] if base and node.startswith(base) else node

    nodes: list[dict[str, Any]] = []
    for node in order:
        data = attrs[node]
        cls = data["cls"]
        full, short, sub = described[node]
        x, y = positions[node]
        item: dict[str, Any] = {"id": index[node], "cls": cls, "iri": iri(node), "x": x, "y": y}
        if node in fact_set:
            head, named, tail = pic.parts[node]
            item["parts"] = [head, [index[n] for n in named], tail]
            if not named:
                item["name"] = data["label"]
            if day := fact_date(data):
                item["date"] = day
        else:
            item.update(label=short, size=round(sizes[node], 1), rank=pic.rank[node],
                        community=ov.community.get(node, -1))
            if full != short:
                item["full"] = full
            if sub:
                item["sub"] = sub
            if data["label"] != full:
                item["name"] = data["label"]
            for key in ("alt", "regions", "posts"):
                if data[key]:
                    item[key] = data[key]
        if data.get("kind"):
            item["kind"] = data["kind"]
        if data.get("marks"):
            item["marks"] = [marks(m) for m in data["marks"]]
        if counts := ov.counts.get(node):
            item["counts"] = counts
        if cls == "Cluster":
            item["members"] = ov.members.get(node, 0)
        if node in isolated:
            item["isolated"] = 1
        nodes.append(item)
    edge_list = list(g.edges(data=True))
    edge_list.sort(key=lambda e: (e[0] in fact_set or e[1] in fact_set))  # stable: entities' relations first
    edges = [[index[u], index[v], d["rel"]] + ([d["label"]] if d["rel"] == "holds" else []) for u, v, d in edge_list]
    entity_edges = sum(1 for u, v, _ in edge_list if u not in fact_set and v not in fact_set)
    folded = [[index[f.u], index[f.v], f.cls, [index[x] for x in f.facts]] for f in ov.folded]
    sources = _Sources()
    node_sources = [sources.refs(attrs[n]["sources"]) for n in order]
    edge_sources = [sources.refs(d["sources"]) for _, _, d in edge_list]
    node_ranges = [day_ranges(attrs[n]["dates"]) for n in order]
    edge_ranges = [day_ranges(d["dates"]) for _, _, d in edge_list]
    present = {d["cls"] for d in attrs.values()}
    legend = [{"cls": c, "name": STYLE[c][0], "shape": STYLE[c][1], "color": STYLE[c][2], "glyph": STYLE[c][3]}
              for c in STYLE if c in present]
    show_facts = g.number_of_nodes() <= SHOW_FACTS_MAX
    entities = len(order) - len(facts)
    overview_positions = {v: positions[v] for v in ov.graph if v not in isolated}
    later: list[dict[str, Any]] = []
    later += [{"nodes": block} for _, block in _blocks(nodes[entities:], CHUNK_NODES)]
    later += [{"edges": block} for _, block in _blocks(edges[entity_edges:], CHUNK_EDGES)]
    later += [{"docs": [list(doc) for doc in sources.docs]}]
    later += [{"sentences": block} for _, block in _blocks(list(sources.sentences.index), CHUNK_SENTENCES)]
    later += [{"nodeRanges": [i, block]} for i, block in _blocks(node_ranges, CHUNK_ROWS)]
    later += [{"nodeSources": [i, block]} for i, block in _blocks(node_sources, CHUNK_ROWS)]
    later += [{"edgeRanges": [i, block]} for i, block in _blocks(edge_ranges, CHUNK_EDGES)]
    later += [{"edgeSources": [i, block]} for i, block in _blocks(edge_sources, CHUNK_EDGES)]
    later.append({"marks": list(marks.index)})  # read by the panel only
    first = {
        "meta": {
            "view": view or ("full" if show_facts else "overview"),
            "focus": index[focus] if focus is not None and focus in index else None,
            "factsShown": show_facts, "factNodesMax": FACT_NODES_MAX, "large": LARGE,
            "fittedScale": round(fitted_scale(overview_positions, sizes), 4),
            "labelFont": LABEL_FONT, "base": base, "entities": entities, "nodeCount": len(order),
            "edgeCount": len(edges), "factSize": round(sizes[facts[0]], 1) if facts else 0,
            "chunks": len(later), "bend": [ROUNDNESS, PARALLEL_BEND],
        },
        "legend": legend,
        "other": {"name": OTHER[0], "shape": OTHER[1], "color": OTHER[2], "glyph": OTHER[3]},
        "rels": {rel: list(names) for rel, names in REL_NAMES.items()},
        "foldedNames": FOLDED_NAMES,
        "options": _options(g.number_of_nodes()),
        "nodes": nodes[:entities],
        "edges": edges[:entity_edges],
        "folded": folded,
    }
    return first, later


def _base(iris: list[str]) -> str:
    """The longest common prefix of the IRIs that ends with "/" (kg's instance base)."""
    if not iris:
        return ""
    low, high = min(iris), max(iris)
    common = 0
    while common < min(len(low), len(high)) and low[common] == high[common]:
        common += 1
    return low[:common].rsplit("/", 1)[0] + "/" if "/" in low[:common] else ""


def _options(n: int) -> dict[str, Any]:
    large = n >= LARGE
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "interaction": {
            "hover": True, "tooltipDelay": 200, "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large, "multiselect": True, "zoomView": True,
        },
        "nodes": {"borderWidth": 1, "font": {"size": 0}, "chosen": True},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.4}},
            "color": {"color": "#b4bcc4", "highlight": "#333333", "hover": "#555555", "inherit": False},
            "font": {"size": 0},
            # Straight: curved edges cost vis-network several times more to add (0.4 ms
            # each, measured); a second edge between two nodes bends (static/views.js).
            "smooth": False,
            "width": 1, "selectionWidth": 1.5,
        },
    }


def render_html(g: nx.MultiDiGraph, *, title: str = "kg", focus: str | None = None, view: str | None = None) -> str:
    """The self-contained page of ``g`` (a graph from :func:`kg.viz.network.load_network`).

    ``focus``: a node of ``g`` the page opens on, marked; ``view``: ``"focus"`` (its
    neighbourhood) or ``"world"`` (a cluster's world) to open on, else the overview.
    """
    template = _environment().get_template("graph.html.j2")
    first, later = page_data(g, focus=focus, view=view)
    regions = sorted({r for _, d in g.nodes(data=True) for r in d["regions"]})
    return template.render(
        _assets(),
        data=first,
        later=later,
        title=title,
        legend=first["legend"],
        regions=regions,
    )
