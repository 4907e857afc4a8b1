"""HTML view of large graphs: kg.viz against pyvis's own add_node/add_edge path, same graph, same run.

    .venv/bin/python benchmarks/bench_viz.py [--sizes 1000:4000 5000:20000] [--repeat 3] [--no-browser]

For each NODES:EDGES size, a synthetic store (tests/viz/viz_data.py: organisations,
clusters, people, regions; hasMember/locatedIn/participant edges over 50 dated
documents, one mention each) is read into the analyst graph, then timed (best of
--repeat):

- ``load``: ``kg.viz.network.load_network`` (SPARQL over the store -> networkx);
- ``layout``: ``kg.viz.layout.layout`` alone;
- ``kg html``: ``kg.viz.html.render_html`` (overview, layout and the whole string),
  wall and CPU seconds;
- ``pyvis``: the same node and edge dicts given to ``pyvis.network.Network(directed=True)``
  one by one (``add_node``, ``add_edge``), then ``generate_html()`` with
  ``cdn_resources="in_line"``; once. Each ``add_edge`` copies the node ids into a
  list twice to check that both ends exist: O(nodes x edges) in all.
- ``pyvis undirected``: the same with ``directed=False``, where ``add_edge`` also
  scans every edge added so far for a duplicate: O(edges^2). Skipped above
  --undirected-max edges.

With Chromium (unless --no-browser): seconds from navigation to the first drawing
of the kg page, and the time of a search and of a filter over every node.
The load average is printed, since the machine may be shared.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "viz")]  # tests.store_helpers, viz_data

from chromium_cdp import Chromium, find_chromium  # noqa: E402
from pyvis.network import Network  # noqa: E402
from viz_data import synthetic_store  # noqa: E402

from kg.viz.html import page_data, render_html  # noqa: E402
from kg.viz.layout import layout  # noqa: E402
from kg.viz.network import load_network  # noqa: E402


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Best wall seconds of ``repeat`` runs, and the result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), result


def best_cpu(fn: Callable[[], Any], repeat: int) -> float:
    """Best CPU seconds of this process over ``repeat`` runs (less sensitive to a busy machine)."""
    times = []
    for _ in range(repeat):
        started = time.process_time()
        fn()
        times.append(time.process_time() - started)
    return min(times)


def vis_lists(g: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The page's nodes and edges as the dicts pyvis takes (id, label, position; from, to)."""
    first, later = page_data(g)
    rows = first["nodes"] + [n for chunk in later for n in chunk.get("nodes", [])]
    edges = first["edges"] + [e for chunk in later for e in chunk.get("edges", [])]
    nodes = [{"id": n["id"], "label": n.get("label", ""), "x": n["x"], "y": n["y"], "shape": "dot"} for n in rows]
    return nodes, [{"id": f"e{i}", "from": e[0], "to": e[1], "label": e[2]} for i, e in enumerate(edges)]


def pyvis_path(nodes: list[dict[str, Any]], edges: list[dict[str, Any]], *, directed: bool = True) -> str:
    net = Network(directed=directed, cdn_resources="in_line")
    for n in nodes:
        extra = {k: v for k, v in n.items() if k not in {"id", "label"}}
        net.add_node(n["id"], label=n["label"], **extra)
    for e in edges:
        extra = {k: v for k, v in e.items() if k not in {"id", "from", "to"}}
        net.add_edge(e["from"], e["to"], **extra)
    return str(net.generate_html())


def browser_figures(html: str, workdir: Path) -> dict[str, float]:
    binary = find_chromium()
    if binary is None:
        return {}
    page = workdir / "page.html"
    page.write_bytes(html.encode("utf-8"))
    browser = Chromium(binary, workdir / "profile", timeout=300)
    try:
        started = time.perf_counter()
        browser.open(page.as_uri(), ready="document.body && document.body.getAttribute('data-kg-ready') === '1'")
        drawn = time.perf_counter() - started
        started = time.perf_counter()
        browser.evaluate("kgViz.search('Организация 4321')")
        search = time.perf_counter() - started
        started = time.perf_counter()
        browser.evaluate("document.querySelector('.kg-class[value=Person]').checked = false; kgViz.applyFilters()")
        filtered = time.perf_counter() - started
        errors = len(browser.console_errors)
    finally:
        browser.close()
    return {"drawn": drawn, "search": search, "filter": filtered, "errors": errors}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", default=["1000:4000", "2000:8000", "5000:20000"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--undirected-max", type=int, default=20000)
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    header = (f"{'nodes':>6} {'edges':>6} {'load s':>7} {'layout s':>8} {'kg html s':>9} {'cpu s':>6} "
              f"{'pyvis s':>8} {'pyvis/kg':>8} {'undirected s':>12} {'undir/kg':>8} {'MB':>5} {'browser drawn s':>15} {'search s':>8} {'filter s':>8}")
    print(header)
    for size in args.sizes:
        n, m = (int(x) for x in size.split(":"))
        store = synthetic_store(n, m)
        t_load, g = best(lambda: load_network(store), args.repeat)  # noqa: B023
        t_layout, _ = best(lambda: layout(g), args.repeat)  # noqa: B023
        t_html, html = best(lambda: render_html(g), args.repeat)  # noqa: B023
        cpu_html = best_cpu(lambda: render_html(g), args.repeat)  # noqa: B023
        nodes, edges = vis_lists(g)
        t_pyvis, _ = best(lambda: pyvis_path(nodes, edges), 1)  # noqa: B023
        t_undirected = float("nan")
        if m <= args.undirected_max:
            t_undirected, _ = best(lambda: pyvis_path(nodes, edges, directed=False), 1)  # noqa: B023
        figures: dict[str, float] = {}
        if not args.no_browser:
            with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
                figures = browser_figures(html, Path(tmp))
        print(
            f"{g.number_of_nodes():>6} {g.number_of_edges():>6} {t_load:>7.2f} {t_layout:>8.2f} {t_html:>9.2f} {cpu_html:>6.2f} "
            f"{t_pyvis:>8.2f} {t_pyvis / t_html:>8.1f} {t_undirected:>12.2f} {t_undirected / t_html:>8.1f} "
            f"{len(html.encode()) / 1e6:>5.1f} "
            f"{figures.get('drawn', float('nan')):>15.2f} {figures.get('search', float('nan')):>8.3f} "
            f"{figures.get('filter', float('nan')):>8.3f}"
            + (f"  console errors: {figures['errors']}" if figures.get("errors") else ""),
            flush=True,
        )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
