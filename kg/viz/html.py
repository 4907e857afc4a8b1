"""networkx graph -> one self-contained HTML page (pyvis + vis-network, all inline).

The page loads nothing from anywhere: vis-network's script and style (shipped
inside the pyvis package) and ours (``kg/viz/static``) are inlined, and the data is
one JSON island. Safety: every string from the news (labels, names, sentences,
URLs) reaches the page only as JSON inside ``<script type="application/json">``
with ``<``, ``>``, ``&``, U+2028 and U+2029 written as ``\\uXXXX`` escapes, so it
cannot close the script element; the script then puts it into the page only as
text (``textContent``, or vis-network's tooltip, which assigns a string title
with ``innerText``), and makes links only of ``http(s)`` URLs. Nothing from the
data is ever parsed as HTML.

Large graphs: positions come from :func:`kg.viz.layout.layout` and physics is
off, so the browser draws at once; node and edge lists are built directly
(pyvis's ``add_edge`` scans every edge for duplicates, quadratic in total).
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx
import pyvis
from markupsafe import Markup
from pyvis.network import Network

from kg.facts import drawn_classes
from kg.viz.layout import layout
from kg.viz.network import Source

# class -> (Russian name, vis shape, colour, legend glyph), in the legend's order (kg.vocab)
STYLE: dict[str, tuple[str, str, str, str]] = {
    c.name: (c.label, c.style.shape, c.style.color, c.style.glyph) for c in drawn_classes()
}
OTHER = ("Другое", "dot", "#a9a9a9", "●")
LARGE = 1000  # nodes from which edges hide while dragging and zooming
ROUNDNESS = 0.1  # curvature of an edge (vis.js curvedCW): A->B and B->A bend apart
PARALLEL_BEND = 0.2  # extra curvature of each further edge between the same two nodes
PANEL_SOURCES = 8
LABEL_MAX = 60
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


@lru_cache(maxsize=1)
def _assets() -> dict[str, Markup]:
    """The inline scripts and styles: vis-network from the pyvis package, and ours."""
    vis = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    static = resources.files("kg.viz") / "static"
    parts = {
        "vis_js": (vis / "vis-network.min.js").read_text(encoding="utf-8"),
        "vis_css": (vis / "vis-network.css").read_text(encoding="utf-8"),
        "kg_js": (static / "graph.js").read_text(encoding="utf-8"),
        "kg_css": (static / "graph.css").read_text(encoding="utf-8"),
    }
    for name, text in parts.items():
        lowered = text.lower()
        if "</script" in lowered or "</style" in lowered or "<!--" in lowered:
            raise RuntimeError(f"{name} cannot be inlined: it closes its element")
    return {name: Markup(text) for name, text in parts.items()}


@lru_cache(maxsize=4096)
def date_range(value: str) -> tuple[str, str] | None:
    """The first and last day an ISO date (full or partial) covers; None without a year.

    >>> date_range("2024-02"), date_range("--04-09")
    (('2024-02-01', '2024-02-31'), None)
    """
    if len(value) < 4 or not value[:4].isdigit():
        return None
    if len(value) >= 10:
        return value[:10], value[:10]
    if len(value) >= 7:
        return value[:7] + "-01", value[:7] + "-31"
    return value[:4] + "-01-01", value[:4] + "-12-31"


def _ranges(dates: list[str]) -> list[tuple[str, str]]:
    return _ranges_of(tuple(dates)) if dates else []


@lru_cache(maxsize=4096)
def _ranges_of(dates: tuple[str, ...]) -> list[tuple[str, str]]:
    return [r for d in dates if (r := date_range(d))]


class _Sources:
    """Interns documents and sentences: a source travels as ``[doc, sentence]``
    indexes (an edge usually quotes the sentences of its nodes)."""

    def __init__(self) -> None:
        self.docs: dict[tuple[str, str | None, str | None], int] = {}
        self.sentences: dict[str, int] = {}

    def refs(self, sources: list[Source]) -> list[tuple[int, int]]:
        out = []
        for s in sources[:PANEL_SOURCES]:
            doc = self.docs.setdefault((s.doc_id, s.date, s.url), len(self.docs))
            out.append((doc, self.sentences.setdefault(s.sentence, len(self.sentences))))
        return out


def _short(label: str) -> str:
    return label if len(label) <= LABEL_MAX else label[: LABEL_MAX - 1] + "…"


def _vis_lists(g: nx.MultiDiGraph, sources: _Sources) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    positions = layout(g)
    degree = dict(g.degree())
    index: dict[str, int] = {}
    nodes: list[dict[str, Any]] = []
    for i, (node, data) in enumerate(g.nodes(data=True)):
        index[node] = i
        _, shape, color, _ = STYLE.get(data["cls"], OTHER)
        x, y = positions[node]
        item = {
            "id": i, "label": _short(data["label"]),
            "shape": shape, "color": color, "size": min(40.0, 8 + 4 * math.sqrt(degree[node])),
            "x": x, "y": y, "cls": data["cls"], "iri": node,
            "alt": data["alt"], "regions": data["regions"], "posts": data["posts"],
            "ranges": _ranges(data["dates"]), "sources": sources.refs(data["sources"]),
        }
        if item["label"] != data["label"]:
            item["full"] = data["label"]
        nodes.append(item)
    edges: list[dict[str, Any]] = []
    seen: dict[frozenset[str], int] = {}  # edges so far between u and v, either way
    for i, (u, v, data) in enumerate(g.edges(data=True)):
        item = {
            "id": f"e{i}", "from": index[u], "to": index[v], "label": _short(data["label"]),
            "rel": data["rel"], "ranges": _ranges(data["dates"]), "sources": sources.refs(data["sources"]),
        }
        pair = frozenset((u, v))
        parallel = seen[pair] = seen.get(pair, -1) + 1
        if parallel:  # each further edge between u and v bends further out (straight ones too), so none overlap
            item["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": ROUNDNESS + PARALLEL_BEND * parallel}
        if item["label"] != data["label"]:
            item["full"] = data["label"]
        edges.append(item)
    return nodes, edges


def _options(n: int) -> dict[str, Any]:
    large = n >= LARGE
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "interaction": {
            "hover": not large, "tooltipDelay": 150, "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large, "multiselect": True,
        },
        "nodes": {"borderWidth": 1, "font": {"size": 14, "face": "sans-serif"}},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "color": {"color": "#a0a8b0", "highlight": "#333333", "hover": "#555555"},
            "font": {"size": 10, "align": "middle", "color": "#555555", "strokeWidth": 2},
            "smooth": False if large else {"enabled": True, "type": "curvedCW", "roundness": ROUNDNESS},
            "width": 1,
        },
    }


def render_html(g: nx.MultiDiGraph, *, title: str = "kg") -> str:
    """The self-contained page of ``g`` (a graph from :func:`kg.viz.network.load_network`)."""
    sources = _Sources()
    nodes, edges = _vis_lists(g, sources)
    classes = [c for c in STYLE if any(d["cls"] == c for _, d in g.nodes(data=True))]
    legend = [{"cls": c, "name": STYLE[c][0], "glyph": STYLE[c][3], "color": STYLE[c][2]} for c in classes]
    regions = sorted({r for _, d in g.nodes(data=True) for r in d["regions"]})
    net = Network(directed=True, cdn_resources="in_line", heading=title)
    # Direct lists, not add_node/add_edge: see the module docstring.
    net.nodes, net.edges = nodes, edges
    net.options = _options(len(nodes))
    vis_nodes, vis_edges, heading, _, _, _ = net.get_network_data()
    template = _environment().get_template("graph.html.j2")
    return template.render(
        _assets(),
        nodes=vis_nodes,
        edges=vis_edges,
        options=net.options,
        docs=[list(doc) for doc in sources.docs],
        sentences=list(sources.sentences),
        title=heading,
        legend=legend,
        regions=regions,
    )
