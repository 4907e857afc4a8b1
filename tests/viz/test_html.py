"""The HTML page: self-contained, offline, data escaped, consistent with the graph."""

from __future__ import annotations

import json
import re

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from viz_data import island

from kg.store.oxigraph import OxigraphStore
from kg.viz import render_store
from kg.viz.html import date_range, json_script, render_html

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


@pytest.fixture(scope="module")
def page(sample_store: OxigraphStore) -> str:
    return render_store(sample_store, title="<Кластеры & «регионы»>")


def test_html_loads_nothing_from_outside(page: str) -> None:
    assert FETCHES.findall(page) == []
    assert "<link" not in page.lower()
    assert "<iframe" not in page.lower()


def test_html_has_no_url_to_an_outside_host(page: str) -> None:
    """Outside the data island (a document's URL is data) and vis-network's own
    script (licence notices, the SVG namespace), the page names no URL at all."""
    urls = re.compile(r"https?://[^\s\"'<>)\\]+")
    scripts = re.findall(r"<script>(.*?)</script>", page, re.DOTALL)
    vis = next(s for s in scripts if "vis-network" in s[:200])
    assert set(urls.findall(vis)) <= VIS_URLS
    rest = page.replace(vis, "")
    rest = re.sub(r'<script type="application/json" id="kg-data">.*?</script>', "", rest, flags=re.DOTALL)
    assert urls.findall(rest) == []


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


def test_html_island_holds_every_node_and_edge(page: str, sample_graph: nx.MultiDiGraph) -> None:
    data = island(page)
    nodes, edges = data["nodes"], data["edges"]
    assert isinstance(nodes, list) and isinstance(edges, list)
    assert sorted(n.get("full", n["label"]) for n in nodes) == sorted(
        d["label"] for _, d in sample_graph.nodes(data=True)
    )
    assert len(edges) == sample_graph.number_of_edges()
    assert len({e["id"] for e in edges}) == len(edges)
    assert {n["iri"] for n in nodes} == set(sample_graph)


def test_html_island_sources_resolve_to_the_graph_sources(page: str, sample_graph: nx.MultiDiGraph) -> None:
    data = island(page)
    docs, sentences, nodes = data["docs"], data["sentences"], data["nodes"]
    assert isinstance(docs, list) and isinstance(sentences, list) and isinstance(nodes, list)
    for n in nodes:
        resolved = [(*docs[d], sentences[s]) for d, s in n["sources"]]
        expected = [(s.doc_id, s.date, s.url, s.sentence) for s in sample_graph.nodes[n["iri"]]["sources"]]
        assert resolved == expected[: len(resolved)] and len(resolved) == min(len(expected), 8)
    assert len(sentences) == len(set(sentences))


def test_html_sizes_grow_with_degree(page: str, sample_graph: nx.MultiDiGraph) -> None:
    nodes = island(page)["nodes"]
    assert isinstance(nodes, list)
    degree = dict(sample_graph.degree())
    pairs = sorted((degree[n["iri"]], n["size"]) for n in nodes)
    assert [size for _, size in pairs] == sorted(size for _, size in pairs)


def test_html_large_layout_has_no_overlapping_nodes() -> None:
    g = nx.MultiDiGraph()
    for i in range(600):
        g.add_node(str(i), label=f"n{i}", cls="Company", alt=[], regions=[], dates=[], posts=[], sources=[])
    for i in range(600):
        g.add_edge(str(i), str((i * 7 + 1) % 600), key="hasMember", rel="hasMember", label="участник",
                   dates=[], sources=[])
    nodes = island(render_html(g))["nodes"]
    assert isinstance(nodes, list)
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
        ("2024-03-15", ("2024-03-15", "2024-03-15")),
        ("2024-03", ("2024-03-01", "2024-03-31")),
        ("2024", ("2024-01-01", "2024-12-31")),
        ("--04-09", None),
    ],
)
def test_html_date_range(value: str, expected: tuple[str, str] | None) -> None:
    assert date_range(value) == expected


def test_html_empty_graph_renders() -> None:
    data = island(render_html(nx.MultiDiGraph()))
    assert data["nodes"] == [] and data["edges"] == []
