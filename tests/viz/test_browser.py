"""The relationship view in a real headless Chromium with no network."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from chromium_cdp import Chromium
from viz_data import ARTIFACTS, synthetic_store

from kg.store.oxigraph import OxigraphStore
from kg.viz import render_store
from kg.viz.html import render_html
from kg.viz.network import load_network

pytestmark = pytest.mark.browser
READY = "document.body && document.body.getAttribute('data-kg-ready') === '1'"


def open_page(chromium: Chromium, html: str, path: Path) -> None:
    path.write_bytes(html.encode("utf-8"))
    chromium.console_errors.clear()
    chromium.requests.clear()
    chromium.dialogs.clear()
    chromium.open(path.as_uri(), ready=READY)
    chromium.pump(0.3)


@pytest.fixture
def sample_page(chromium: Chromium, sample_store: OxigraphStore, tmp_path: Path) -> Chromium:
    open_page(chromium, render_store(sample_store, title="<b>Образец</b>"), tmp_path / "sample.html")
    return chromium


def test_browser_page_loads_without_errors_or_requests(sample_page: Chromium) -> None:
    assert sample_page.console_errors == []
    assert [u for u in sample_page.requests if not u.startswith(("file:", "data:", "about:"))] == []
    sample_page.screenshot(ARTIFACTS / "viz-sample.png")
    assert (ARTIFACTS / "viz-sample.png").stat().st_size > 0


def test_browser_draws_every_node_and_edge(sample_page: Chromium, sample_graph: nx.MultiDiGraph) -> None:
    assert sample_page.evaluate("kgViz.drawnNodeCount()") == sample_graph.number_of_nodes()
    assert sample_page.evaluate("kgViz.drawnEdgeCount()") == sample_graph.number_of_edges()


def test_browser_hostile_names_do_not_run(sample_page: Chromium) -> None:
    for node_id in sample_page.evaluate("kgViz.nodes.getIds()"):
        sample_page.evaluate(f"kgViz.network.selectNodes([{node_id}]); "
                             f"kgViz.network.emit('click', {{nodes: [{node_id}], edges: []}}); 0")
    sample_page.evaluate("kgViz.search('script')")
    sample_page.pump(0.3)
    assert sample_page.evaluate("typeof window.__pwned") == "undefined"
    assert sample_page.dialogs == []
    assert sample_page.evaluate("document.querySelectorAll('img').length") == 0
    # the page's own: the first data island, the later ones, vis-network, ours; none added, none loaded
    assert sample_page.evaluate("document.querySelectorAll('script').length") == 3 + sample_page.evaluate(
        "kgViz.data.meta.chunks")
    assert sample_page.evaluate("document.querySelectorAll('script[src]').length") == 0
    assert sample_page.evaluate("document.title") == "<b>Образец</b>"
    assert sample_page.console_errors == []


def test_browser_details_show_hostile_name_as_text(sample_page: Chromium, sample_graph: nx.MultiDiGraph) -> None:
    hostile = next(d["label"] for _, d in sample_graph.nodes(data=True) if d["label"].startswith("<script>"))
    ids = sample_page.evaluate(f"kgViz.search({json.dumps(hostile)})")
    # the entity first; then the facts whose labels name it
    assert sample_page.evaluate(f"kgViz.data.nodes[{ids[0]}].label") == hostile
    assert sample_page.evaluate("document.querySelector('#kg-details h3').textContent") == hostile
    links = sample_page.evaluate("[...document.querySelectorAll('#kg-details a')].map(a => a.protocol)")
    assert set(links) <= {"http:", "https:"}


@pytest.mark.parametrize(
    ("query", "label"),
    [
        ("нанолек", "Нанолек"),  # case
        ("ООО «Нанолек»", "Нанолек"),  # another name
        ("вятка", "Биофармацевтический кластер «Вятка-Биополис»"),  # part of a name
        ("алексей   орлов", "Алексей Орлов"),  # spacing
    ],
)
def test_browser_search_finds_entity(sample_page: Chromium, query: str, label: str) -> None:
    ids = sample_page.evaluate(f"kgViz.search({json.dumps(query)})")
    labels = [sample_page.evaluate(f"kgViz.data.nodes[{i}].name") for i in ids]
    assert label in labels
    assert sample_page.evaluate("kgViz.network.getSelectedNodes()") == ids


def test_browser_search_misses_unknown_name(sample_page: Chromium) -> None:
    assert sample_page.evaluate("kgViz.search('нет такого имени')") == []
    assert sample_page.evaluate("document.getElementById('kg-found').textContent") == "не найдено"


@pytest.mark.parametrize(
    ("setup", "keep"),
    [
        ("document.querySelector('.kg-class[value=Person]').checked = false",
         lambda d, near: d["cls"] != "Person"),
        ("document.getElementById('kg-region').value = 'Калужская область'",
         lambda d, near: "Калужская область" in d["regions"] or near),
        ("document.getElementById('kg-from').value = '2024'",
         lambda d, near: not d["dates"] or any(x[:4] >= "2024" for x in d["dates"])),
        ("document.getElementById('kg-to').value = '2023-12'",
         lambda d, near: not d["dates"] or any(x[:7] <= "2023-12" for x in d["dates"])),
    ],
    ids=["class", "region", "from", "to"],
)
def test_browser_filters_hide_nodes(sample_page: Chromium, sample_graph: nx.MultiDiGraph, setup: str, keep: object) -> None:
    region = "Калужская область"
    inside = {v for v, d in sample_graph.nodes(data=True) if region in d["regions"]}
    undirected = sample_graph.to_undirected(as_view=True)
    expected = sum(
        1 for v, d in sample_graph.nodes(data=True)
        if keep(d, any(n in inside for n in undirected.neighbors(v)))  # type: ignore[operator]
    )
    assert 0 < expected < sample_graph.number_of_nodes()
    assert sample_page.evaluate(f"{setup}; kgViz.applyFilters()") == expected
    assert sample_page.evaluate("kgViz.drawnNodeCount()") == expected
    sample_page.evaluate("document.getElementById('kg-reset').click()")
    assert sample_page.evaluate("kgViz.drawnNodeCount()") == sample_graph.number_of_nodes()


def test_browser_large_graph_draws_every_node(chromium: Chromium, tmp_path: Path) -> None:
    g = load_network(synthetic_store(5000, 20000))
    open_page(chromium, render_html(g, title="5000"), tmp_path / "large.html")
    assert chromium.console_errors == []
    # Nodes without links wait behind a count; one click shows them.
    alone = [v for v in g if g.degree(v) == 0]
    assert chromium.evaluate("kgViz.drawnNodeCount()") == g.number_of_nodes() - len(alone)
    assert chromium.evaluate("kgViz.drawnEdgeCount()") == g.number_of_edges()
    if alone:
        assert chromium.evaluate("document.getElementById('kg-isolated').textContent") == f"Узлы без связей: {len(alone)}"
        chromium.evaluate("document.getElementById('kg-isolated').click()")
    assert chromium.evaluate("kgViz.drawnNodeCount()") == g.number_of_nodes() == 5000
    ids = chromium.evaluate("kgViz.search('Организация 4321')")
    assert chromium.evaluate(f"kgViz.data.nodes[{ids[0]}].name") == "Организация 4321"
    chromium.screenshot(ARTIFACTS / "viz-large.png")


def test_browser_tooltip_names_class_other_names_and_sources(sample_page: Chromium) -> None:
    (node_id,) = sample_page.evaluate("kgViz.search('Нанолек')")
    title = sample_page.evaluate(f"kgViz.nodes.get({node_id}).title")
    lines = title.split("\n")
    assert lines[0] == "Нанолек"
    assert "Класс: Компания" in lines
    assert "Company" not in title  # Russian names only, no internal ones
    assert "Другие названия: ООО «Нанолек»" in lines
    assert any(line.startswith("[h01, 15.03.2024] ") and "ООО «Нанолек»" in line for line in lines)
    assert "    https://example.org/news/1?a=1&b=%3C2%3E" in lines
    edge_titles = sample_page.evaluate("kgViz.edges.get().map(e => e.title)")
    assert any(t.startswith("Алексей Орлов — заместитель губернатора → Правительство Кировской области")
               for t in edge_titles)


def test_browser_hover_tooltip_is_text(sample_page: Chromium, sample_graph: nx.MultiDiGraph) -> None:
    hostile = next(d["label"] for _, d in sample_graph.nodes(data=True) if d["label"].startswith("<script>"))
    node_id = sample_page.evaluate(f"kgViz.search({json.dumps(hostile)})")[0]
    # search() focused the node: it is at the centre of the canvas now.
    point = sample_page.evaluate(
        f"(() => {{ var p = kgViz.network.canvasToDOM(kgViz.network.getPosition({node_id}));"
        " var r = document.getElementById('kg-network').getBoundingClientRect();"
        " return [p.x + r.left, p.y + r.top]; })()"
    )
    for dx in (0, 1, 0):
        sample_page.send("Input.dispatchMouseEvent", type="mouseMoved", x=point[0] + dx, y=point[1])
    sample_page.pump(0.8)
    tooltip = sample_page.evaluate(
        "(() => { var t = document.querySelector('div.vis-tooltip');"
        " return t && t.style.visibility !== 'hidden'"
        " ? [t.innerText, [...t.querySelectorAll('*')].map(c => c.tagName)] : null; })()"
    )
    assert tooltip is not None
    text, tags = tooltip
    assert text.startswith(hostile + "\n")
    assert set(tags) <= {"BR"}  # innerText turns line breaks into <br>, nothing else
    assert sample_page.evaluate("typeof window.__pwned") == "undefined"


@pytest.mark.parametrize("large", [False, True], ids=["curved", "large-straight"])
def test_browser_parallel_edges_do_not_overlap(chromium: Chromium, tmp_path: Path, large: bool,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Three relations from A to B and one back: four edges, four different middles."""
    import kg.viz.html

    if large:  # graphs of LARGE nodes or more draw edges straight
        monkeypatch.setattr(kg.viz.html, "LARGE", 2)
    g = nx.MultiDiGraph()
    for node in ("A", "B"):
        g.add_node(node, label=node, cls="Company", alt=[], regions=[], dates=[], posts=[], sources=[])
    for u, v, rel in (("A", "B", "hasMember"), ("A", "B", "basedOn"), ("A", "B", "initiatedBy"),
                      ("B", "A", "partner")):
        g.add_edge(u, v, key=rel, rel=rel, label=rel, dates=[], sources=[])
    open_page(chromium, render_html(g, title="parallel"), tmp_path / "parallel.html")
    assert chromium.console_errors == []
    middles = chromium.evaluate(
        "kgViz.edges.getIds().map(id => { const p = kgViz.network.body.edges[id].edgeType.getPoint(0.5);"
        " return [Math.round(p.x), Math.round(p.y)]; })")
    assert len(middles) == 4
    assert len({tuple(m) for m in middles}) == 4, middles
