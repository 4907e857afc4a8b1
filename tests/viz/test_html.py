"""The HTML page: self-contained, offline, data escaped, consistent with the graph."""

from __future__ import annotations

import json
import re

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from viz_data import island, page_json

from kg.store.oxigraph import OxigraphStore
from kg.viz import render_store
from kg.viz.html import day_numbers, day_ranges, json_script, render_html
from kg.viz.overview import fold

# Anything that makes a browser fetch: attributes, CSS url()/@import, JS loaders.
FETCHES = re.compile(
    r"""(?:\b(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:url\(\s*["']?\s*(?:https?:)?//)|(?:@import)|(?:\bimportScripts\s*\()""",
    re.IGNORECASE,
)
# URLs inside vis-network.min.js: licence notices, error messages and the SVG
# namespace; none is ever fetched.
VIS_URLS = {
    "http://almende.com", "http://opensource.org/licenses/MIT", "http://www.apache.org/licenses/LICENSE-2.0",
    "http://www.w3.org/2000/svg", "https://github.com/uuidjs/uuid#getrandomvalues-not-supported",
    "https://github.com/visjs", "https://github.com/zloirock/core-js",
    "https://github.com/zloirock/core-js/blob/v3.21.1/LICENSE", "https://visjs.github.io/vis-network/",
}
NAMESPACES = {"http://www.w3.org/2000/svg", "http://www.w3.org/2000/xmlns/", "http://gexf.net/1.3",
              "http://gexf.net/1.3/viz"}


@pytest.fixture(scope="module")
def page(sample_store: OxigraphStore) -> str:
    return render_store(sample_store, title="<Кластеры & «регионы»>")


def test_html_loads_nothing_from_outside(page: str) -> None:
    assert FETCHES.findall(page) == []
    assert "<link" not in page.lower()
    assert "<iframe" not in page.lower()


def test_html_has_no_url_to_an_outside_host(page: str) -> None:
    """Outside the data islands (a document's URL is data) and vis-network's own
    script (licence notices, the SVG namespace), the page names no URL at all."""
    urls = re.compile(r"https?://[^\s\"'<>)\\]+")
    scripts = re.findall(r"<script>(.*?)</script>", page, re.DOTALL)
    vis = next(s for s in scripts if "vis-network" in s[:200])
    assert set(urls.findall(vis)) <= VIS_URLS
    rest = page.replace(vis, "")
    rest = re.sub(r'<script type="application/json" (?:id="kg-data"|class="kg-more")>.*?</script>', "", rest,
                  flags=re.DOTALL)
    # XML namespace names of the SVG and GEXF exports: identifiers, never fetched.
    assert set(urls.findall(rest)) <= NAMESPACES


def test_html_forbids_loading_by_content_security_policy(page: str) -> None:
    assert "default-src 'none'" in page
    assert "connect-src 'none'" in page


def test_html_declares_utf8_and_is_one_document(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in page
    assert page.count("<html") == 1 and page.rstrip().endswith("</html>")
    page.encode("utf-8")  # no lone surrogates


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>window.__pwned=1</script>",
        '<img src=x onerror="window.__pwned=2">',
        "</script><script>window.__pwned=3</script>",
    ],
)
def test_html_hostile_names_never_appear_raw(page: str, hostile: str) -> None:
    assert hostile not in page
    assert hostile.replace('"', "&#34;") not in page


def test_html_title_is_escaped(page: str) -> None:
    assert "<title>&lt;Кластеры &amp; «регионы»&gt;</title>" in page


def test_html_islands_hold_every_node_and_edge(page: str, sample_graph: nx.MultiDiGraph) -> None:
    data = page_json(page)
    nodes, edges = data["nodes"], data["edges"]
    assert {n["iri"] for n in nodes} == set(sample_graph)
    assert len(nodes) == sample_graph.number_of_nodes()
    entities = [n for n in nodes if "parts" not in n]
    assert sorted(n.get("name", n.get("full", n.get("label"))) for n in entities) == sorted(
        d["label"] for _, d in sample_graph.nodes(data=True) if d["cls"] not in {"Agreement", "Event"})
    assert len(edges) == sample_graph.number_of_edges()
    assert sorted((nodes[e["from"]]["iri"], nodes[e["to"]]["iri"], e["rel"]) for e in edges) == sorted(
        (u, v, d["rel"]) for u, v, d in sample_graph.edges(data=True))


def test_html_first_island_holds_what_the_overview_draws(page: str, sample_graph: nx.MultiDiGraph) -> None:
    """Entities first, with their relations and the folded facts: the page draws the
    overview before it reads the other islands."""
    first = island(page)
    nodes = first["nodes"]
    assert isinstance(nodes, list)
    assert all(n["cls"] not in {"Agreement", "Event"} for n in nodes)
    assert len(nodes) == sum(1 for _, d in sample_graph.nodes(data=True) if d["cls"] not in {"Agreement", "Event"})
    assert all(row[0] < len(nodes) and row[1] < len(nodes) for row in first["edges"])  # type: ignore[union-attr]
    assert first["folded"]


def test_html_islands_sources_are_every_source_of_the_graph(page: str, sample_graph: nx.MultiDiGraph) -> None:
    data = page_json(page)
    docs, sentences = data["docs"], data["sentences"]
    for n in data["nodes"]:
        resolved = [(*docs[d], sentences[s]) for d, s in n["sources"]]
        expected = [(s.doc_id, s.date, s.url, s.sentence) for s in sample_graph.nodes[n["iri"]]["sources"]]
        assert resolved == expected
    assert len(sentences) == len(set(sentences))


def test_html_sizes_clusters_largest_others_grow_with_links(page: str, sample_graph: nx.MultiDiGraph) -> None:
    nodes = page_json(page)["nodes"]
    ov = fold(sample_graph)
    entities = [n for n in nodes if n["cls"] not in {"Cluster", "Agreement", "Event"}]
    pairs = sorted((ov.graph.degree(n["iri"]), n["size"]) for n in entities)
    assert [size for _, size in pairs] == sorted(size for _, size in pairs)
    assert len({size for _, size in pairs}) > 1
    clusters = [n["size"] for n in nodes if n["cls"] == "Cluster"]
    assert clusters and min(clusters) > max(size for _, size in pairs)


def test_html_large_layout_has_no_overlapping_nodes() -> None:
    g = nx.MultiDiGraph()
    for i in range(600):
        g.add_node(str(i), label=f"n{i}", cls="Company", alt=[], regions=[], dates=[], posts=[], sources=[])
    for i in range(600):
        g.add_edge(str(i), str((i * 7 + 1) % 600), key="hasMember", rel="hasMember", label="участник",
                   dates=[], sources=[])
    nodes = page_json(render_html(g))["nodes"]
    positions = {(n["x"], n["y"]) for n in nodes}
    assert len(positions) == len(nodes)


@given(st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=20,
))
def test_html_json_script_round_trips_and_cannot_close_script(value: object) -> None:
    text = str(json_script(value))
    assert json.loads(text) == value
    assert "<" not in text and ">" not in text and "&" not in text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1970-01-01", (0, 0)),
        ("2024-03-15", (19797, 19797)),
        ("2024-02", (19754, 19782)),  # a leap February: 29 days
        ("2024", (19723, 20088)),
        ("--04-09", None),
    ],
)
def test_html_day_numbers(value: str, expected: tuple[int, int] | None) -> None:
    assert day_numbers(value) == expected


def test_html_day_ranges_merge_touching_days() -> None:
    assert day_ranges(["2024-03-15", "2024-03-16", "2024-03", "2024-05-01"]) == [19783, 19813, 19844, 19844]
    assert day_ranges([]) == []


def test_html_empty_graph_renders() -> None:
    data = page_json(render_html(nx.MultiDiGraph()))
    assert data["nodes"] == [] and data["edges"] == []


def test_html_names_every_drawn_relation_in_russian() -> None:
    """Every relation the view draws (kg.facts, ckg:managedBy included) has a Russian name on
    the page, not its property name («Связь: managedBy» was shown on data/)."""
    from kg.facts import drawn_relations
    from kg.viz.html import REL_NAMES

    for relation in drawn_relations():
        names = REL_NAMES[relation.name]
        assert all(re.search("[а-яё]", name) for name in names), (relation.name, names)
