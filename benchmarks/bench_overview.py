"""The analyst's overview of a workspace: how long `kg viz` takes to write it, how long a
headless Chromium takes to draw it and whether it freezes, and what it shows.

    .venv/bin/python benchmarks/bench_overview.py --build 3000 30000 [--seed 1] [--workdir DIR] [--rounds 3]
    .venv/bin/python benchmarks/bench_overview.py --workspace 3000=/path/to/ws ... [--baseline REV]

For each workspace (built with ``kg build`` from ``kg demo-corpus N --seed S`` when
--build names it and WORKDIR holds none yet):

- ``written``: ``kg viz -w WS -o FILE`` run as a subprocess, wall and CPU seconds
  (user + system of the child), each round; the target is the wall time. With
  ``--baseline REV`` (a git revision, e.g. the commit before the view work) the same
  command of that revision (a ``git worktree`` in WORKDIR, imported first through
  PYTHONPATH, same interpreter) runs in turn with each round, and the ratios
  current / baseline of the best wall and CPU are printed; that revision's page is
  also loaded in turn with each browser round (first draw, long tasks, labels);
- ``first draw``: ms from navigation start to the page's ``kg-first-draw`` performance
  mark (the first drawing of the overview), in a fresh Chromium (1600x1000) each round;
  ``ready``: to ``kg-ready`` (every later island read);
- ``long tasks``: PerformanceObserver 'longtask' entries from navigation to ready (+1 s):
  how many took over 200 ms and the longest; then the same during the first interactions
  (the biggest cluster's world, back, a search, the busiest organisation's neighbours);
- ``labels``: at the fitted zoom, clusters whose label is drawn (by node) / clusters drawn, and
  pairs of drawn labels that overlap (ink boxes of every text drawn on the canvas,
  tests/viz/label_probe.py);
- screenshots of the overview, the world of the cluster with most members and the
  neighbourhood of the most connected organisation: tests/artifacts/viz-N-*.png.

The machine may be shared: the load average is printed before and after, and the best
(least disturbed) round is given next to the others.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "viz"))

from chromium_cdp import Chromium, find_chromium  # noqa: E402
from label_probe import HOOK, drawn_texts, overlapping  # noqa: E402

KG = str(Path(sys.executable).with_name("kg"))
ARTIFACTS = ROOT / "tests" / "artifacts"
READY = "document.body && document.body.getAttribute('data-kg-ready') === '1'"
LONG_TASKS = """window.__kgLong = [];
new PerformanceObserver(list => { for (const e of list.getEntries()) window.__kgLong.push([e.startTime, e.duration]); })
  .observe({type: 'longtask', buffered: true});"""


def build(n: int, seed: int, workdir: Path) -> Path:
    ws = workdir / f"ws{n}-s{seed}"
    if (ws / "store").exists():
        return ws
    corpus = workdir / f"demo{n}-s{seed}.jsonl"
    subprocess.run([KG, "demo-corpus", str(n), "--seed", str(seed), "-o", str(corpus)], check=True)
    print(f"building {ws} ...", flush=True)
    subprocess.run([KG, "build", str(corpus), "-w", str(ws)], check=True, stdout=subprocess.DEVNULL)
    return ws


def baseline_tree(rev: str, workdir: Path) -> Path:
    """A git worktree of ``rev`` in ``workdir`` (made once, detached)."""
    tree = workdir / f"baseline-{rev}"
    if not (tree / "kg").exists():
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), rev], check=True,
                       stdout=subprocess.DEVNULL)
    return tree


def written(ws: Path, out: Path, tree: Path | None = None) -> tuple[float, float]:
    """Wall and CPU seconds of `kg viz -w WS -o OUT` in a child process (of the checkout
    ``tree`` when given)."""
    env = dict(os.environ)
    command = [KG, "viz", "-w", str(ws), "-o", str(out)]
    if tree is not None:
        env["PYTHONPATH"] = str(tree)
        command = [sys.executable, "-m", "kg", *command[1:]]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def browser_round(page: Path, shots: str | None) -> dict[str, Any]:
    binary = find_chromium()
    if binary is None:
        raise SystemExit("chromium is not installed")
    with tempfile.TemporaryDirectory() as profile:
        browser = Chromium(binary, Path(profile), timeout=600)
        try:
            browser.set_viewport(1600, 1000)
            browser.on_new_document(LONG_TASKS)
            browser.on_new_document(HOOK)
            browser.open(page.as_uri(), ready=READY)
            browser.pump(1.0)
            marks = dict(browser.evaluate("performance.getEntriesByType('mark').map(m => [m.name, m.startTime])"))
            ready = marks["kg-ready"]
            tasks = [d for start, d in browser.evaluate("window.__kgLong") if start <= ready + 1000]
            texts = drawn_texts(browser)
            clusters = browser.evaluate(
                "kgViz.nodes.getIds().filter(i => kgViz.data.nodes[i].cls === 'Cluster' && !kgViz.nodes.get(i).hidden)")
            drawn = set(browser.evaluate("kgViz.drawnLabels().map(l => l.node)"))  # by node: labels repeat
            result = {
                "first": marks.get("kg-first-draw", float("nan")), "ready": ready,
                "long": sum(1 for d in tasks if d > 200), "longest": max(tasks, default=0.0),
                "labelled": sum(1 for c in clusters if c in drawn), "clusters": len(clusters),
                "overlaps": len(overlapping(texts)), "errors": len(browser.console_errors),
            }
            if shots:  # the views as they open, then the page again for the interactions
                screenshots(browser, shots)
                browser.open(page.as_uri(), ready=READY)
                browser.pump(1.0)
            # First interactions, as an analyst makes them: the biggest cluster's world (a
            # double-click), back to the overview, a search, the busiest organisation's neighbours.
            since = browser.evaluate("performance.now()")
            browser.evaluate(f"kgViz.openWorld({BIGGEST}); 0")
            browser.pump(0.5)
            browser.evaluate("kgViz.back(); 0")
            browser.pump(0.5)
            browser.evaluate("kgViz.search('кластер'); 0")
            browser.pump(0.5)
            browser.evaluate(f"kgViz.openFocus({BUSIEST}, 1); 0")
            browser.pump(1.0)
            later = [d for start, d in browser.evaluate("window.__kgLong") if start >= since]
            result.update(acted=sum(1 for d in later if d > 200), acted_longest=max(later, default=0.0),
                          errors=len(browser.console_errors))
            return result
        finally:
            browser.close()


BIGGEST = ("kgViz.data.nodes.filter(n => n.cls === 'Cluster')"
           ".sort((a, b) => (b.members || 0) - (a.members || 0))[0].id")
BUSIEST = ("kgViz.data.nodes.filter(n => ['Company', 'Organization', 'Authority'].includes(n.cls))"
           ".map(n => [n.id, kgViz.data.edges.filter(e => e.from === n.id || e.to === n.id).length])"
           ".sort((a, b) => b[1] - a[1])[0][0]")


def screenshots(browser: Chromium, stem: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser.screenshot(ARTIFACTS / f"{stem}-overview.png")
    browser.evaluate(f"kgViz.openWorld({BIGGEST}); 0")
    browser.pump(1.0)
    browser.screenshot(ARTIFACTS / f"{stem}-world.png")
    browser.evaluate(f"kgViz.openFocus({BUSIEST}, 1); 0")
    browser.pump(1.0)
    browser.screenshot(ARTIFACTS / f"{stem}-focus.png")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", type=int, nargs="*", default=[], metavar="N")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/kg-bench-overview"))
    parser.add_argument("--workspace", nargs="*", default=[], metavar="N=PATH")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", metavar="REV", help="also time `kg viz` of this git revision, in turn")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    spaces = [(n, build(n, args.seed, args.workdir)) for n in args.build]
    spaces += [(int(spec.split("=", 1)[0]), Path(spec.split("=", 1)[1])) for spec in args.workspace]
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    for n, ws in spaces:
        out = args.workdir / f"overview-{n}.html"
        tree = baseline_tree(args.baseline, args.workdir) if args.baseline else None
        runs, base = [], []
        for _ in range(args.rounds):
            runs.append(written(ws, out))
            if tree is not None:
                base.append(written(ws, args.workdir / f"baseline-{n}.html", tree))
        size = out.stat().st_size / 1e6
        pages, base_pages = [], []
        for i in range(args.rounds):  # the baseline's page in turn, when there is one
            pages.append(browser_round(out, f"viz-{n}" if i == 0 else None))
            if tree is not None:
                base_pages.append(browser_round(args.workdir / f"baseline-{n}.html", None))
        best = min(pages, key=lambda r: r["first"])
        print(f"\n{n} documents ({ws}), page {size:.1f} MB")
        print("  written wall s: " + ", ".join(f"{w:.2f}" for w, _ in runs) + f" (best {min(w for w, _ in runs):.2f});"
              " CPU s: " + ", ".join(f"{c:.2f}" for _, c in runs))
        if base:
            print(f"  baseline {args.baseline} wall s: " + ", ".join(f"{w:.2f}" for w, _ in base) + "; CPU s: "
                  + ", ".join(f"{c:.2f}" for _, c in base) + f"; current / baseline: wall"
                  f" {min(w for w, _ in runs) / min(w for w, _ in base):.2f}x, CPU"
                  f" {min(c for _, c in runs) / min(c for _, c in base):.2f}x (best of each)")
        print("  first draw ms: " + ", ".join(f"{r['first']:.0f}" for r in pages) + f" (best {best['first']:.0f});"
              " ready ms: " + ", ".join(f"{r['ready']:.0f}" for r in pages))
        print("  long tasks > 200 ms: " + ", ".join(str(r["long"]) for r in pages) + "; longest ms: "
              + ", ".join(f"{r['longest']:.0f}" for r in pages))
        print("  first interactions (world, back, search, focus): tasks > 200 ms: "
              + ", ".join(str(r["acted"]) for r in pages) + "; longest ms: "
              + ", ".join(f"{r['acted_longest']:.0f}" for r in pages))
        print(f"  clusters labelled at the fitted zoom: {best['labelled']}/{best['clusters']}; overlapping label pairs: "
              + ", ".join(str(r["overlaps"]) for r in pages) + "; console errors: "
              + ", ".join(str(r["errors"]) for r in pages), flush=True)
        if base_pages:
            print(f"  baseline {args.baseline} page: first draw ms: " + ", ".join(f"{r['first']:.0f}" for r in base_pages)
                  + "; long tasks > 200 ms: " + ", ".join(str(r["long"]) for r in base_pages) + "; longest ms: "
                  + ", ".join(f"{r['longest']:.0f}" for r in base_pages) + "; first interactions, longest ms: "
                  + ", ".join(f"{r['acted_longest']:.0f}" for r in base_pages) + "; clusters labelled: "
                  + ", ".join(f"{r['labelled']}/{r['clusters']}" for r in base_pages), flush=True)
    print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
