"""What an analyst does in the page, done as they would (clicks, double-clicks, typing,
dragging) in a real headless Chromium: drill-down and back, the URL fragment, expand,
one region, search results, the date check, the panel, the timeline, colours."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from chromium_cdp import Chromium
from viz_data import TOY_HOSTILE, toy_store

from kg.viz.html import render_html
from kg.viz.network import cluster_world, load_network, neighbourhood
from kg.viz.picture import picture

pytestmark = pytest.mark.browser
READY = "document.body && document.body.getAttribute('data-kg-ready') === '1'"


@pytest.fixture(scope="module")
def toy_graph() -> nx.MultiDiGraph:
    return load_network(toy_store())


@pytest.fixture(scope="module")
def toy_html(toy_graph: nx.MultiDiGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("toy") / "toy.html"
    path.write_text(render_html(toy_graph, title="toy"), encoding="utf-8")
    return path


@pytest.fixture
def page(chromium: Chromium, toy_html: Path) -> Chromium:
    chromium.set_viewport(1600, 1000)
    load(chromium, toy_html)
    return chromium


def load(chromium: Chromium, path: Path, fragment: str = "") -> None:
    chromium.console_errors.clear()
    chromium.dialogs.clear()
    chromium.open("about:blank")
    chromium.open(path.as_uri() + fragment, ready=READY)
    chromium.pump(0.2)
    assert chromium.console_errors == []


def node_id(page: Chromium, iri_tail: str) -> int:
    found = page.evaluate(f"kgViz.data.nodes.findIndex(n => n.iri.endsWith({json.dumps('/' + iri_tail)}))")
    assert found >= 0, iri_tail
    return int(found)


def at(page: Chromium, node: int) -> tuple[float, float]:
    """Page coordinates of a drawn node."""
    x, y = page.evaluate(
        f"(() => {{ const p = kgViz.network.canvasToDOM(kgViz.network.getPosition({node}));"
        " const r = document.getElementById('kg-network').getBoundingClientRect();"
        " return [p.x + r.left, p.y + r.top]; })()")
    return float(x), float(y)


def drawn_iris(page: Chromium) -> set[str]:
    return set(page.evaluate("kgViz.nodes.getIds().filter(i => !kgViz.nodes.get(i).hidden)"
                             ".map(i => kgViz.data.nodes[i].iri)"))


def text(page: Chromium, selector: str) -> str:
    return str(page.evaluate(f"(document.querySelector({json.dumps(selector)}) || {{}}).textContent || ''"))


def test_interaction_double_click_opens_cluster_world_and_back(page: Chromium, toy_graph: nx.MultiDiGraph) -> None:
    overview = drawn_iris(page)
    cluster = node_id(page, "cluster/vyatka")
    page.click(*at(page, cluster), count=2)
    page.pump(0.3)
    assert page.evaluate("kgViz.state().view") == "world"
    assert drawn_iris(page) == set(cluster_world(toy_graph, "Вятка-Биополис"))
    assert "v=world" in page.evaluate("location.hash") and "n=vyatka" in page.evaluate("location.hash")
    crumbs = page.evaluate("[...document.querySelectorAll('#kg-crumbs li')].map(li => li.textContent)")
    assert crumbs[0] == "Обзор" and crumbs[-1].startswith("Окружение: Биофармацевтический кластер «Вятка-Биополис»")
    # the cluster is marked as the focus: a thick dark border
    assert page.evaluate(f"kgViz.nodes.get({cluster}).borderWidth") == 5
    page.evaluate("document.getElementById('kg-back').click()")
    assert page.evaluate("kgViz.state().view") == "overview"
    assert drawn_iris(page) == overview
    assert page.evaluate("document.getElementById('kg-back').disabled") is True


def test_interaction_fragment_restores_a_shared_view(chromium: Chromium, toy_html: Path, toy_graph: nx.MultiDiGraph) -> None:
    chromium.set_viewport(1600, 1000)
    load(chromium, toy_html, "#v=focus&n=m0&d=2&colour=community")
    assert chromium.evaluate("kgViz.state().view") == "focus"
    assert drawn_iris(chromium) == set(neighbourhood(toy_graph, "Нанолек", 2))
    assert chromium.evaluate("document.getElementById('kg-colour').value") == "community"
    assert text(chromium, "#kg-details h3") == "Нанолек"  # the focus node's panel is open
    # A date typed in the bar goes into the fragment too.
    chromium.evaluate("document.getElementById('kg-from').value = '2024-03';"
                      " document.getElementById('kg-from').dispatchEvent(new Event('change')); 0")
    assert "from=2024-03" in chromium.evaluate("location.hash")


def test_interaction_expand_adds_the_neighbours_of_a_node(page: Chromium, toy_graph: nx.MultiDiGraph) -> None:
    lonely_region = node_id(page, "region/tomsk")
    page.evaluate(f"kgViz.openFocus({lonely_region}, 1)")
    before = drawn_iris(page)
    cluster = next(iri for iri in before if iri.endswith("cluster/tomsk-pharma"))
    page.evaluate(f"kgViz.expand({node_id(page, 'cluster/tomsk-pharma')})")
    after = drawn_iris(page)
    assert after == before | set(toy_graph.to_undirected(as_view=True).neighbors(cluster))
    assert after > before


def test_interaction_only_this_region(page: Chromium, toy_graph: nx.MultiDiGraph) -> None:
    page.click(*at(page, node_id(page, "region/tomsk")))
    page.pump(0.2)
    page.evaluate("document.querySelector('.kg-only-region').click()")
    assert page.evaluate("document.getElementById('kg-region').value") == "Томская область"
    inside = {v for v, d in toy_graph.nodes(data=True) if "Томская область" in d["regions"]}
    undirected = toy_graph.to_undirected(as_view=True)
    expected = {v for v in toy_graph if v in inside or any(n in inside for n in undirected.neighbors(v))}
    assert drawn_iris(page) == expected
    assert "region=" in page.evaluate("location.hash")


def test_interaction_search_lists_results_with_next_and_previous(page: Chromium) -> None:
    page.evaluate("document.getElementById('kg-search').value = 'заседание'")
    page.evaluate("document.querySelector('#kg-search-form button[type=submit]').click()")
    items = page.evaluate("[...document.querySelectorAll('#kg-results-list li')].map(li => li.textContent)")
    assert len(items) == 14 and all("Заседание" in item for item in items)
    assert text(page, "#kg-found") == "1 из 14"
    first = text(page, "#kg-details h3")
    page.evaluate("document.getElementById('kg-next').click()")
    assert text(page, "#kg-found") == "2 из 14"
    second = text(page, "#kg-details h3")
    assert second != first
    page.evaluate("document.getElementById('kg-prev').click(); document.getElementById('kg-prev').click()")
    assert text(page, "#kg-found") == "14 из 14"
    assert page.evaluate("document.querySelector('#kg-results-list li.kg-current') !== null")
    # each result tells the entities apart: all 14 labels differ (type, place, date, subject)
    assert len(set(items)) == 14


def test_interaction_invalid_date_is_reported_not_ignored(page: Chromium) -> None:
    shown = page.evaluate("kgViz.drawnNodeCount()")
    page.evaluate("document.getElementById('kg-to').value = '2024-13-01';"
                  " document.getElementById('kg-to').dispatchEvent(new Event('change')); 0")
    assert "неверная дата: «2024-13-01»" in text(page, "#kg-date-error")
    assert page.evaluate("document.getElementById('kg-to').classList.contains('kg-invalid')") is True
    assert page.evaluate("kgViz.drawnNodeCount()") == shown
    page.evaluate("document.getElementById('kg-to').value = '2024-02';"
                  " document.getElementById('kg-to').dispatchEvent(new Event('change')); 0")
    assert text(page, "#kg-date-error") == ""
    assert page.evaluate("kgViz.drawnNodeCount()") < shown


def test_interaction_filters_refit_the_view(page: Chromium) -> None:
    page.evaluate("document.getElementById('kg-region').value = 'Томская область';"
                  " document.getElementById('kg-region').dispatchEvent(new Event('change')); 0")
    inside = page.evaluate(
        "(() => { const r = document.getElementById('kg-network').getBoundingClientRect();"
        " return kgViz.nodes.getIds().filter(i => !kgViz.nodes.get(i).hidden).every(i => {"
        " const p = kgViz.network.canvasToDOM(kgViz.network.getPosition(i));"
        " return p.x >= 0 && p.y >= 0 && p.x <= r.width && p.y <= r.height; }); })()")
    assert inside is True
    assert page.evaluate("kgViz.network.getScale()") > page.evaluate(
        "(document.getElementById('kg-reset').click(), kgViz.network.getScale())")


def test_interaction_panel_groups_relations_and_pages_sources(page: Chromium) -> None:
    cluster = node_id(page, "cluster/vyatka")
    page.click(*at(page, cluster))
    page.pump(0.2)
    groups = page.evaluate("[...document.querySelectorAll('#kg-details .kg-group h2')].map(h => h.textContent)")
    assert groups[:1] == ["Члены (4)"] and "События (14)" in groups and "Место (1)" in groups
    members = page.evaluate("[...document.querySelectorAll('#kg-details .kg-group')][0].querySelectorAll('button').length")
    assert members == 4
    # sources: 5 a page, every one reachable, the mention marked
    assert text(page, ".kg-sources h2") == "Источники (15)"
    assert text(page, ".kg-page-where").strip() == "1–5 из 15"
    marks = page.evaluate("[...document.querySelectorAll('.kg-sources mark')].map(m => m.textContent)")
    assert marks and set(marks) == {"«Вятка-Биополис»"}
    page.evaluate("document.querySelector('.kg-page-next').click(); document.querySelector('.kg-page-next').click()")
    assert text(page, ".kg-page-where").strip() == "11–15 из 15"
    assert page.evaluate("document.querySelector('.kg-page-next').disabled") is True
    # a related node is one click away
    page.evaluate("[...document.querySelectorAll('#kg-details .kg-group')][0].querySelector('button').click()")
    assert text(page, "#kg-details h3") in {"Нанолек", "Биохимзавод", "Вятские ферменты", TOY_HOSTILE}
    assert page.evaluate("typeof window.__pwned") == "undefined"


def test_interaction_tooltips_and_relations_speak_russian(page: Chromium) -> None:
    titles = page.evaluate("kgViz.edges.get().map(e => e.title)")
    assert titles
    internal = ("hasMember", "initiatedBy", "locatedIn", "participant", "about", "party", "holds", "signatory")
    assert not [t for t in titles if any(word in t for word in internal)]


def test_interaction_timeline_drag_selects_a_period(page: Chromium) -> None:
    page.evaluate("document.getElementById('kg-facts').click()")  # agreements and events folded
    assert page.evaluate("kgViz.state().facts") is False
    folded = page.evaluate("kgViz.edges.getIds().filter(i => i.startsWith('f'))")
    assert folded
    box = page.evaluate("(() => { const r = document.getElementById('kg-timeline-canvas').getBoundingClientRect();"
                        " return [r.left, r.top, r.width, r.height]; })()")
    left, top, width, height = box
    months = page.evaluate("kgViz.data.nodes.filter(n => n.date).map(n => n.date.slice(0, 7))")
    first, last = min(months), max(months)
    assert (first, last) == ("2024-02", "2024-08")
    # drag over the first two months (7 months drawn from x = 34 to the right edge - 8)
    step = (width - 42) / 7
    page.mouse("mouseMoved", left + 34 + step * 0.5, top + 20)
    page.mouse("mousePressed", left + 34 + step * 0.5, top + 20, clicks=1)
    page.mouse("mouseMoved", left + 34 + step * 1.5, top + 20, clicks=1)
    page.mouse("mouseReleased", left + 34 + step * 1.5, top + 20, clicks=1)
    assert page.evaluate("[document.getElementById('kg-from').value, document.getElementById('kg-to').value]") == [
        "2024-02", "2024-03"]
    assert "период:" in text(page, "#kg-period")
    # folded edges count only the facts of the period; those with none are hidden
    counted = page.evaluate(
        "kgViz.data.folded.map(f => [f.id, f.facts.filter(i => { const d = kgViz.data.nodes[i].date;"
        " return d >= '2024-02-01' && d <= '2024-03-31'; }).length, kgViz.edgeLabel(f.id), kgViz.edges.get(f.id).hidden])")
    assert any(n for _, n, _, _ in counted) and any(not n for _, n, _, _ in counted)
    for _, n, label, hidden in counted:
        assert hidden == (n == 0)
        if n:
            assert label.split()[0] == str(n)
    assert sorted(label for _, n, label, _ in counted if n) == ["1 событие", "1 событие", "1 соглашение", "2 события"]


def test_interaction_colour_by_community(page: Chromium) -> None:
    before = page.evaluate("kgViz.nodes.get().map(n => n.color.background)")
    page.evaluate("document.getElementById('kg-colour').value = 'community';"
                  " document.getElementById('kg-colour').dispatchEvent(new Event('change')); 0")
    after = page.evaluate("kgViz.nodes.get().map(n => n.color.background)")
    assert after != before
    assert page.evaluate("document.querySelectorAll('#kg-colour-legend li').length") >= 1
    assert "colour=community" in page.evaluate("location.hash")


def test_interaction_fact_labels_are_the_ones_python_writes(page: Chromium, toy_graph: nx.MultiDiGraph) -> None:
    """The page writes agreements' and events' labels from their parts (to carry less);
    they are the labels kg.viz.labels gives (GEXF titles, the panel)."""
    pic = picture(toy_graph)
    got = page.evaluate("kgViz.data.nodes.filter(n => n.parts).map(n => [n.iri, n.full, n.label])")
    assert len(got) == 17
    assert [(iri, pic.labels[iri][0], pic.labels[iri][1]) for iri, _, _ in got] == [tuple(row) for row in got]


def test_interaction_focus_page_opens_on_its_centre_marked(chromium: Chromium, toy_graph: nx.MultiDiGraph,
                                                          tmp_path: Path) -> None:
    """`kg viz --focus X` writes a page that opens on X's neighbourhood, X marked and labelled first."""
    centre = next(v for v, d in toy_graph.nodes(data=True) if d["label"] == "Нанолек")
    path = tmp_path / "focus.html"
    path.write_text(render_html(neighbourhood(toy_graph, "Нанолек", 1), title="focus", focus=centre, view="focus"),
                    encoding="utf-8")
    chromium.set_viewport(1600, 1000)
    load(chromium, path)
    focus = node_id(chromium, "org/m0")
    assert chromium.evaluate("kgViz.state().view") == "focus"
    assert chromium.evaluate(f"kgViz.nodes.get({focus}).borderWidth") == 5
    assert drawn_iris(chromium) == set(neighbourhood(toy_graph, "Нанолек", 1))
    first = chromium.evaluate("kgViz.drawnLabels()")[0]
    assert first["node"] == focus and first["font"].startswith("bold")
    assert text(chromium, "#kg-details h3") == "Нанолек"


def test_interaction_force_layout_on_demand_then_still(page: Chromium) -> None:
    """Physics is off; "Раскладка" runs a force layout on a small view, then turns it off again."""
    assert page.evaluate("kgViz.network.physics.options.enabled") is False
    before = page.evaluate("kgViz.network.getPositions()")
    page.evaluate("document.getElementById('kg-physics').click()")
    page.pump(1.5)
    after = page.evaluate("kgViz.network.getPositions()")
    assert after != before
    assert page.evaluate("kgViz.network.physics.options.enabled") is False
    assert page.console_errors == []
