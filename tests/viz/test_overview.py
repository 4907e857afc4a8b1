"""The overview as an analyst first sees it, measured in a real headless Chromium at
1600x1000: the graph.html that `kg build` writes for data/ and for 3,000 generated
documents (`kg demo-corpus 3000 --seed 1`).

Labels are measured where they are drawn: label_probe.HOOK records the ink box of every
text drawn on the relationship canvas; a screenshot of each cluster's label box shows
that it reaches the screen (ink there with labels on, none with labels off).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from chromium_cdp import Chromium, find_chromium
from label_probe import HOOK, Box, drawn_texts, overlapping
from png import read_png
from viz_data import ARTIFACTS, skip_or_fail

from kg import api

pytestmark = [pytest.mark.browser, pytest.mark.slow]
READY = "document.body && document.body.getAttribute('data-kg-ready') === '1'"
WINDOW = (1600, 1000)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chromium]:
    binary = find_chromium()
    if binary is None:
        skip_or_fail("chromium or websocket-client is not installed")
    assert binary is not None
    page = Chromium(binary, tmp_path_factory.mktemp("chromium-overview"), timeout=300)
    try:
        page.set_viewport(*WINDOW)
        page.on_new_document(HOOK)
        yield page
    finally:
        page.close()


@pytest.fixture(scope="module")
def data_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = tmp_path_factory.mktemp("data-ws")
    api.build([ROOT / "data"], workspace=ws)
    return ws / "graph.html"


@pytest.fixture(scope="module")
def demo_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """graph.html of 3,000 generated documents, as `kg build` writes it (about a minute)."""
    from kg.demo import write_corpus

    ws = tmp_path_factory.mktemp("demo-ws")
    corpus = ws.parent / "demo3k.jsonl"
    write_corpus(corpus, 3000, 1)
    api.build([corpus], workspace=ws)
    return ws / "graph.html"


def open_page(page: Chromium, path: Path, fragment: str = "") -> None:
    page.console_errors.clear()
    page.open(path.as_uri() + fragment, ready=READY)
    page.pump(0.3)
    assert page.console_errors == []


def clusters(page: Chromium) -> dict[int, str]:
    """Clusters drawn in the current view: node id -> its label."""
    return dict(page.evaluate(
        "kgViz.nodes.getIds().filter(i => kgViz.data.nodes[i].cls === 'Cluster' && !kgViz.nodes.get(i).hidden)"
        ".map(i => [i, kgViz.data.nodes[i].label])"))


def label_boxes(page: Chromium) -> dict[str, list[Box]]:
    boxes: dict[str, list[Box]] = {}
    for box in drawn_texts(page):
        boxes.setdefault(box.text, []).append(box)
    return boxes


def ink(page: Chromium, box: Box) -> int:
    """Dark pixels in ``box`` of a screenshot of the page."""
    import base64

    clip = {"x": max(0.0, box.left), "y": max(0.0, box.top), "width": max(1.0, box.right - box.left),
            "height": max(1.0, box.bottom - box.top), "scale": 1}
    shot = read_png(base64.b64decode(page.send("Page.captureScreenshot", format="png", clip=clip)["data"]))
    return sum(1 for y in range(shot.height) for x in range(shot.width) if sum(shot.rgb(x, y)) < 300)


COVERED = """(() => {
  const net = kgViz.network, scale = net.getScale(), state = kgViz.state();
  const centre = state.view === 'overview' ? kgViz.data.meta.focus : state.node;
  const marks = kgViz.nodes.getIds().filter(i => !kgViz.nodes.get(i).hidden).map(i => {
    const p = net.canvasToDOM(net.getPosition(i)), b = net.body.nodes[i];
    return [i, p.x, p.y, Math.max(1.5, (b.options.size + (b.options.borderWidth || 1)) * scale * 0.9) - 1];
  });
  const out = [];
  for (const l of kgViz.drawnLabels()) {
    if (l.node !== undefined && (kgViz.data.nodes[l.node].cls === 'Cluster' || l.node === centre)) continue;
    for (const [i, x, y, r] of marks) {
      if (i === l.node || r <= 0) continue;
      if (x + r > l.x && x - r < l.x + l.w && y + r > l.y && y - r < l.y + l.h) out.push([l.text, kgViz.data.nodes[i].label]);
    }
  }
  return out;
})()"""


def covered(page: Chromium) -> list[list[str]]:
    """Labels (but a cluster's or the centre's) drawn over another node's mark: [label, node]."""
    return list(page.evaluate(COVERED))


def assert_clusters_labelled_without_overlap(page: Chromium) -> dict[int, str]:
    assert page.evaluate("kgViz.network.getScale()") == pytest.approx(
        page.evaluate("(kgViz.network.fit({animation: false}), kgViz.network.getScale())"), rel=1e-6)
    texts = drawn_texts(page)
    assert texts, "no label drawn at the fitted zoom"
    assert overlapping(texts) == []
    drawn = {box.text for box in texts}
    found = clusters(page)
    assert found
    assert sorted(set(found.values()) - drawn) == []
    # by node, not by text: several clusters may share a label («Металлургический кластер»)
    labelled = set(page.evaluate("kgViz.drawnLabels().map(l => l.node)"))
    assert sorted(found[i] for i in set(found) - labelled) == []
    return found


def test_overview_data_labels_do_not_overlap_and_name_every_cluster(browser: Chromium, data_page: Path) -> None:
    open_page(browser, data_page)
    assert_clusters_labelled_without_overlap(browser)
    assert covered(browser) == []
    browser.screenshot(ARTIFACTS / "viz-data-overview.png")


MARKS = """(() => {
  const net = kgViz.network;
  return kgViz.nodes.getIds().filter(i => kgViz.data.nodes[i].cls === 'Cluster' && !kgViz.nodes.get(i).hidden)
    .map(i => { const b = net.getBoundingBox(i), a = net.canvasToDOM({x: b.left, y: b.top}),
                      z = net.canvasToDOM({x: b.right, y: b.bottom});
                return [kgViz.data.nodes[i].label, z.x - a.x, z.y - a.y]; });
})()"""


def cluster_marks(page: Chromium) -> list[tuple[str, float, float]]:
    """Clusters drawn at the current zoom: (label, width, height) in screen pixels of the
    star vis-network draws (its bounding box: the page draws the labels itself)."""
    return [(label, float(w), float(h)) for label, w, h in page.evaluate(MARKS)]


def assert_cluster_marks_large(page: Chromium) -> None:
    """At the fitted zoom every cluster's star is at least 20 px across (a radius of 10 px,
    the smallest cluster's planned size) and larger than any other node."""
    marks = cluster_marks(page)
    assert marks
    assert [m for m in marks if min(m[1], m[2]) < 19.9] == []
    others = page.evaluate(
        "Math.max(...kgViz.nodes.getIds().filter(i => kgViz.data.nodes[i].cls !== 'Cluster')"
        ".map(i => kgViz.network.body.nodes[i].options.size)) * kgViz.network.getScale()")
    assert max(min(w, h) for _, w, h in marks) / 2 > others


def test_overview_data_cluster_marks_are_large_at_fitted_zoom(browser: Chromium, data_page: Path) -> None:
    open_page(browser, data_page)
    assert_cluster_marks_large(browser)


def test_overview_3000_cluster_marks_are_large_at_fitted_zoom(browser: Chromium, demo_page: Path) -> None:
    open_page(browser, demo_page)
    assert_cluster_marks_large(browser)


def test_overview_data_labels_hold_when_zoomed_in(browser: Chromium, data_page: Path) -> None:
    """More labels fit as one zooms in (level of detail); still none overlaps."""
    open_page(browser, data_page)
    fitted = len(drawn_texts(browser))
    browser.evaluate("kgViz.network.moveTo({scale: kgViz.network.getScale() * 2.5, animation: false}); 0")
    zoomed = drawn_texts(browser)
    assert overlapping(zoomed) == []
    centre = browser.evaluate("kgViz.network.getViewPosition()")
    assert centre is not None
    assert len(zoomed) > 0 and fitted > 0


def test_overview_3000_is_cluster_centred_and_laid_out(browser: Chromium, demo_page: Path) -> None:
    open_page(browser, demo_page)
    assert browser.evaluate("kgViz.network.physics.options.enabled") is False
    data_nodes = browser.evaluate("kgViz.data.nodes.length")
    drawn = browser.evaluate("kgViz.nodes.getIds()")
    classes = set(browser.evaluate("kgViz.nodes.getIds().map(i => kgViz.data.nodes[i].cls)"))
    # Agreements and events are folded into edges: none is a node of the overview.
    assert not classes & {"Agreement", "Event"}
    assert "Cluster" in classes and len(drawn) < data_nodes / 3
    assert browser.evaluate("kgViz.edges.getIds().filter(i => i.startsWith('f')).length") > 0
    # Drawn where Python put them (vis-network drops the fraction): nothing moved, no physics ran.
    moved = browser.evaluate(
        "(() => { const b = kgViz.network.body.nodes; return kgViz.nodes.getIds().filter(i =>"
        " Math.abs(b[i].x - kgViz.data.nodes[i].x) >= 1 || Math.abs(b[i].y - kgViz.data.nodes[i].y) >= 1).length; })()")
    assert moved == 0
    # Clusters are the largest nodes.
    sizes = browser.evaluate("kgViz.nodes.get().map(n => [kgViz.data.nodes[n.id].cls, n.size])")
    assert min(s for c, s in sizes if c == "Cluster") > max(s for c, s in sizes if c != "Cluster")


def test_overview_3000_labels_every_cluster_on_screen(browser: Chromium, demo_page: Path) -> None:
    open_page(browser, demo_page)
    found = assert_clusters_labelled_without_overlap(browser)
    boxes = label_boxes(browser)
    browser.screenshot(ARTIFACTS / "viz-3000-overview.png")
    with_labels = {label: ink(browser, boxes[label][0]) for label in set(found.values())}
    browser.evaluate("kgViz.setLabels(false); 0")
    browser.pump(0.2)
    without = {label: ink(browser, boxes[label][0]) for label in set(found.values())}
    browser.evaluate("kgViz.setLabels(true); 0")
    for label in found.values():
        box = boxes[label][0]
        area = (box.right - box.left) * (box.bottom - box.top)
        assert with_labels[label] > max(without[label] + 0.08 * area, 10), (label, with_labels[label], without[label])


def drawn_ids(page: Chromium) -> set[int]:
    return set(page.evaluate("kgViz.nodes.getIds().filter(i => !kgViz.nodes.get(i).hidden)"))


def biggest_cluster(page: Chromium) -> int:
    return int(page.evaluate(
        "kgViz.data.nodes.filter(n => n.cls === 'Cluster').sort((a, b) => (b.members || 0) - (a.members || 0))[0].id"))


def busiest_organisation(page: Chromium) -> int:
    return int(page.evaluate(
        "kgViz.data.nodes.filter(n => ['Company', 'Organization', 'Authority'].includes(n.cls))"
        ".map(n => [n.id, kgViz.data.edges.filter(e => e.from === n.id || e.to === n.id).length])"
        ".sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0]"))


def assert_world(page: Chromium, stem: str) -> None:
    """A cluster's world, opened as a double-click opens it: the cluster marked, every member
    drawn and named (here or in its tooltip), no two labels over each other."""
    cluster = biggest_cluster(page)
    page.evaluate(f"kgViz.openWorld({cluster}); 0")
    page.pump(0.5)
    assert page.evaluate("kgViz.state().view") == "world"
    members = set(page.evaluate(
        f"kgViz.data.edges.filter(e => e.from === {cluster} && e.rel === 'hasMember').map(e => e.to)"))
    assert members and members <= drawn_ids(page)
    assert page.evaluate(f"kgViz.nodes.get({cluster}).borderWidth") == 5
    texts = drawn_texts(page)
    assert overlapping(texts) == []
    assert covered(page) == []
    assert page.evaluate("kgViz.drawnLabels()")[0]["node"] == cluster
    page.screenshot(ARTIFACTS / f"{stem}-world.png")
    assert page.console_errors == []


def assert_focus(page: Chromium, stem: str) -> None:
    """The neighbourhood of the most connected organisation: it and all its neighbours drawn,
    it marked and labelled first, in bold; no two labels over each other."""
    centre = busiest_organisation(page)
    page.evaluate(f"kgViz.openFocus({centre}, 1); 0")
    page.pump(0.5)
    assert page.evaluate("kgViz.state().view") == "focus"
    neighbours = set(page.evaluate(
        f"kgViz.data.edges.filter(e => e.from === {centre} || e.to === {centre}).map(e => e.from + e.to - {centre})"))
    assert {centre} | neighbours <= drawn_ids(page)
    assert page.evaluate(f"kgViz.nodes.get({centre}).borderWidth") == 5
    first = page.evaluate("kgViz.drawnLabels()")[0]
    assert first["node"] == centre and first["font"].startswith("bold")
    assert overlapping(drawn_texts(page)) == []
    assert covered(page) == []
    page.screenshot(ARTIFACTS / f"{stem}-focus.png")
    assert page.console_errors == []


def test_overview_data_cluster_world_and_focus(browser: Chromium, data_page: Path) -> None:
    open_page(browser, data_page)
    assert_world(browser, "viz-data")
    assert_focus(browser, "viz-data")


def test_overview_3000_cluster_world_and_focus(browser: Chromium, demo_page: Path) -> None:
    open_page(browser, demo_page)
    assert_world(browser, "viz-3000")
    assert_focus(browser, "viz-3000")
