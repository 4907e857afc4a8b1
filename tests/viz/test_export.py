"""Export what you see: PNG and SVG of the screen, GEXF and CSV of the visible graph, a
printable list of the visible facts with their sources; files saved as a user's
downloads from a real headless Chromium, then read back."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from chromium_cdp import Chromium
from png import read_png
from test_interaction import READY, drawn_iris, load, node_id
from viz_data import TOY_HOSTILE, toy_store

from kg.viz.html import render_html
from kg.viz.network import load_network

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def toy_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("toy-export") / "toy.html"
    path.write_text(render_html(load_network(toy_store()), title="toy"), encoding="utf-8")
    return path


@pytest.fixture
def page(chromium: Chromium, toy_html: Path, tmp_path: Path) -> Chromium:
    chromium.set_viewport(1600, 1000)
    load(chromium, toy_html)
    chromium.allow_downloads(tmp_path / "downloads")
    chromium.evaluate("document.getElementById('kg-export').open = true; 0")
    return chromium


def export(page: Chromium, kind: str, name: str, tmp_path: Path) -> bytes:
    page.evaluate(f"document.querySelector('[data-export={kind}]').click(); 0")
    return page.wait_for_file(tmp_path / "downloads" / name)


def test_export_png_is_the_canvas(page: Chromium, tmp_path: Path) -> None:
    image = read_png(export(page, "png", "kg-obzor.png", tmp_path))
    width, height = page.evaluate("[kgViz.network.canvas.frame.canvas.width, kgViz.network.canvas.frame.canvas.height]")
    assert (image.width, image.height) == (width, height)
    # white background, and something drawn on it
    assert image.rgb(0, 0) == (255, 255, 255)
    dark = sum(1 for y in range(0, image.height, 4) for x in range(0, image.width, 4) if sum(image.rgb(x, y)) < 200)
    assert dark > 20


def test_export_svg_holds_what_is_drawn(page: Chromium, tmp_path: Path) -> None:
    data = export(page, "svg", "kg-obzor.svg", tmp_path)
    root = ET.fromstring(data)
    ns = {"s": "http://www.w3.org/2000/svg"}
    texts = [t.text for t in root.iterfind(".//s:text", ns)]
    drawn = [label["text"] for label in page.evaluate("kgViz.drawnLabels()")]
    assert texts and sorted(texts) == sorted(drawn)
    titles = {t.text for t in root.iterfind(".//s:title", ns)}
    assert TOY_HOSTILE in titles  # names travel as XML text, escaped
    assert b"<img" not in data
    assert len(root.findall(".//s:circle", ns)) + len(root.findall(".//s:polygon", ns)) == page.evaluate(
        "kgViz.drawnNodeCount()")


def test_export_gexf_of_the_visible_graph(page: Chromium, tmp_path: Path) -> None:
    page.evaluate("document.getElementById('kg-region').value = 'Томская область';"
                  " document.getElementById('kg-region').dispatchEvent(new Event('change')); 0")
    visible = drawn_iris(page)
    g = nx.read_gexf(io.BytesIO(export(page, "gexf", "kg-obzor.gexf", tmp_path)))
    assert set(g) == visible
    for node, data in g.nodes(data=True):
        assert {"r", "g", "b"} <= set(data["viz"]["color"]) and data["viz"]["size"] > 0
        assert "position" in data["viz"]
    assert g.number_of_edges() == page.evaluate(
        "kgViz.edges.get().filter(e => !e.hidden && !kgViz.nodes.get(e.from).hidden && !kgViz.nodes.get(e.to).hidden).length")


def test_export_csv_rows_are_the_visible_nodes_and_edges(page: Chromium, tmp_path: Path) -> None:
    page.evaluate(f"kgViz.openWorld({node_id(page, 'cluster/vyatka')})")
    nodes = list(csv.DictReader(io.StringIO(
        export(page, "nodes-csv", "kg-world-vyatka-nodes.csv", tmp_path).decode("utf-8-sig"))))
    assert {row["iri"] for row in nodes} == drawn_iris(page)
    hostile = next(row for row in nodes if row["iri"].endswith("/org/m3"))
    assert hostile["название"] == TOY_HOSTILE
    edges = list(csv.DictReader(io.StringIO(
        export(page, "edges-csv", "kg-world-vyatka-edges.csv", tmp_path).decode("utf-8-sig"))))
    assert len(edges) == page.evaluate("kgViz.edges.length")
    assert {row["связь"] for row in edges} >= {"участник", "должность"} or {row["связь"] for row in edges} >= {"участник"}
    assert not any(row[key].startswith(("=", "+", "@")) for row in edges + nodes for key in row)


def test_export_facts_list_with_sources(page: Chromium) -> None:
    page.evaluate("document.getElementById('kg-from').value = '2024-03';"
                  " document.getElementById('kg-to').value = '2024-03';"
                  " document.getElementById('kg-to').dispatchEvent(new Event('change')); 0")
    page.evaluate("document.querySelector('[data-export=facts]').click(); 0")
    assert page.evaluate("document.getElementById('kg-print').hidden") is False
    heads = page.evaluate("[...document.querySelectorAll('#kg-print-list .kg-print-fact .kg-print-head')].map(h => h.textContent)")
    expected = page.evaluate("kgViz.data.nodes.filter(n => n.date && n.date.startsWith('2024-03')).length")
    assert len(heads) == expected > 0
    assert all("03.2024" in head for head in heads)
    sources = page.evaluate("[...document.querySelectorAll('#kg-print-list .kg-print-fact')].map(li =>"
                            " li.querySelectorAll('.kg-sentence').length)")
    assert all(n >= 1 for n in sources)
    assert "период:" in page.evaluate("document.getElementById('kg-print-note').textContent")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    page.evaluate("document.getElementById('kg-print-close').click()")
    assert page.evaluate("document.getElementById('kg-print').hidden") is True
