"""Store writes: kg's batched write path against pyoxigraph's ``bulk_load``.

    .venv/bin/python benchmarks/bench_store.py --docs 5000 [--seed 0] [--repeat 3]
    .venv/bin/python benchmarks/bench_store.py --nquads built.nq   # quads of `kg export -f nq`

Prepares the N-Quads of ``--docs`` generated documents once (real Extractor;
not timed), then writes them, each method into a fresh on-disk store (flushed at
the end, inside the timing):

- ``bulk_load``: one ``Store.bulk_load`` of the documents' quads: **the baseline**
  of the target ("store writes within 2 times of bulk_load of the same triples");
- ``bulk_load + union``: one ``Store.bulk_load`` of everything kg stores, i.e. the
  documents' quads and the same triples again in the default graph (their set
  union, which kg keeps materialised for queries); the second baseline, so the
  cost of the union is visible;
- ``load``: one ``Store.load`` of the documents' quads (one transaction, for reference);
- ``kg``: ``kg.pipeline.build._write`` in batches of ``kg.pipeline.build.BATCH`` documents, i.e.
  ``OxigraphStore.replace_documents_nquads`` as ``kg build`` calls it (new
  documents: one bulk load per batch, graphs and union copies together).

Prints wall and process CPU seconds (the best of ``--repeat`` runs; CPU includes
RocksDB's background threads) and each method's ratio to both baselines, with the
load average: on a shared machine the CPU ratios are the steadier figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from kg.pipeline.build import BATCH, Batch, DocResult, DocWorker, Job, _write
from kg.demo import generate
from kg.model import Document
from kg.store.oxigraph import OxigraphStore


def prepare(docs: int, seed: int) -> list[DocResult]:
    worker = DocWorker()
    return [worker(Job(Document(r["id"], r["text"], r["date"], r["title"]), "added"))
            for r in generate(docs, seed)]


def from_nquads(path: Path) -> list[DocResult]:
    """Per-document results from an N-Quads export (``kg export -f nq``) of a built workspace."""
    graphs: dict[str, list[ox.Quad]] = {}
    for quad in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
        graphs.setdefault(quad.graph_name.value, []).append(quad)
    return [DocResult(g, "added", ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"")
            for g, quads in graphs.items()]


def write_kg(results: list[DocResult], path: Path) -> ox.Store:
    store = OxigraphStore(path)
    for i in range(0, len(results), BATCH):
        _write(store, Batch(results[i:i + BATCH], False))
    store.flush()
    return store._store


def union_of(results: list[DocResult]) -> bytes:
    """The documents' triples in the default graph (what kg adds for the union), as N-Quads."""
    return b"".join(r.nquads.replace(f" <{r.graph}> .\n".encode(), b" .\n") for r in results)


def write_load(data: bytes, path: Path) -> ox.Store:
    store = ox.Store(str(path))
    store.load(data, ox.RdfFormat.N_QUADS)
    store.flush()
    return store


def write_bulk(data: bytes, path: Path) -> ox.Store:
    store = ox.Store(str(path))
    store.bulk_load(data, ox.RdfFormat.N_QUADS)
    store.flush()
    return store


def best_of(repeat: int, run: Callable[[Path], ox.Store]) -> tuple[float, float, int]:
    """(best wall seconds, best CPU seconds, quads in the store) over ``repeat`` fresh stores;
    the quads are counted after the timing."""
    walls, cpus, size = [], [], 0
    for _ in range(repeat):
        tmp = Path(tempfile.mkdtemp(prefix="kg-bench-store-"))
        try:
            started, cpu = time.perf_counter(), time.process_time()
            store = run(tmp / "store")
            walls.append(time.perf_counter() - started)
            cpus.append(time.process_time() - cpu)
            size = len(store)
            del store
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return min(walls), min(cpus), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--nquads", type=Path, help="Take the documents' quads from this export instead.")
    args = parser.parse_args()

    started = time.perf_counter()
    results = from_nquads(args.nquads) if args.nquads else prepare(args.docs, args.seed)
    args.docs = len(results)
    data = b"".join(r.nquads for r in results)
    everything = data + union_of(results)
    lines = data.count(b"\n")
    print(f"prepared {len(results)} documents, {lines} quads, "
          f"{len(data) / 1e6:.1f} MB N-Quads in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")

    rows = {}
    for name, run in (("bulk_load", lambda p: write_bulk(data, p)),
                      ("bulk_load + union", lambda p: write_bulk(everything, p)),
                      ("load", lambda p: write_load(data, p)),
                      ("kg", lambda p: write_kg(results, p))):
        wall, cpu, size = best_of(args.repeat, run)
        rows[name] = {"seconds": round(wall, 3), "cpu": round(cpu, 3), "quads": size}
        print(name, rows[name], file=sys.stderr, flush=True)
    docs_only, union = rows["bulk_load"], rows["bulk_load + union"]
    print(f"load average after: {os.getloadavg()[0]:.2f}  documents: {args.docs}  document quads: {lines}  "
          f"stored quads (with the union): {rows['kg']['quads']}  kg.pipeline.build.BATCH: {BATCH}")
    print(f"| method | quads written | wall s (best of {args.repeat}) | CPU s | wall / bulk_load | "
          "CPU / bulk_load | wall / bulk_load + union | CPU / bulk_load + union |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, row in rows.items():
        print(f"| {name} | {row['quads']:,} | {row['seconds']:.2f} | {row['cpu']:.2f} "
              f"| {row['seconds'] / docs_only['seconds']:.2f} | {row['cpu'] / docs_only['cpu']:.2f} "
              f"| {row['seconds'] / union['seconds']:.2f} | {row['cpu'] / union['cpu']:.2f} |")
    print(json.dumps({"docs": args.docs, "batch": BATCH, "rows": rows}))


if __name__ == "__main__":
    main()
