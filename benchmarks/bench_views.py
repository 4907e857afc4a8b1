"""CPU, wall time and peak memory of each view ``kg build`` writes, on a built workspace.

    .venv/bin/python benchmarks/bench_views.py WORKSPACE [--repeat 3] [--views html ttl trig]

Each view is written by a fresh process (so its peak RSS is its own) from the
workspace's store opened read-only, ``--repeat`` times, the views interleaved:

- html: ``kg.viz.render_store`` (graph.html: the store read into networkx, laid out, written);
- ttl: ``OxigraphStore.dump`` as Turtle (graph.ttl, the union graph);
- trig: ``OxigraphStore.dump`` as TriG (graph.trig, every named graph).

Prints one line per run: CPU seconds (``time.process_time``, every thread), wall
seconds, the RSS before (store open, modules imported) and the peak. Nothing is
written into the workspace (the output goes to a temporary file).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

VIEWS = ("html", "ttl", "trig")


def child(workspace: Path, view: str) -> None:
    from kg.mapping.vocab import PREFIXES
    from kg.store.oxigraph import open_store
    from kg.viz import render_store

    store = open_store(workspace, read_only=True)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cpu, wall = time.process_time(), time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"view.{view}"
        if view == "html":
            out.write_text(render_store(store, title="bench"), encoding="utf-8")
        else:
            store.dump(str(out), "turtle" if view == "ttl" else "trig", PREFIXES)
        size = out.stat().st_size
    print(json.dumps({
        "cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall, "bytes": size,
        "rss_before": before * 1024, "rss_peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("workspace", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--views", nargs="+", choices=VIEWS, default=list(VIEWS))
    parser.add_argument("--child", choices=VIEWS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.workspace, args.child)
        return
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    print("| view | run | CPU s | wall s | MB written | RSS before MiB | peak RSS MiB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for run in range(1, args.repeat + 1):
        for view in args.views:
            done = subprocess.run([sys.executable, __file__, str(args.workspace), "--child", view],
                                  capture_output=True, text=True, env=os.environ)
            if done.returncode != 0:
                raise SystemExit(f"{view}: failed ({done.returncode}):\n{done.stderr[-3000:]}")
            r = json.loads(done.stdout.strip().splitlines()[-1])
            print(f"| {view} | {run} | {r['cpu']:.2f} | {r['wall']:.2f} | {r['bytes'] / 1e6:.1f} | "
                  f"{r['rss_before'] / 2**20:.0f} | {r['rss_peak'] / 2**20:.0f} |", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
