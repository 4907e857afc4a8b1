"""Store writes: kg's batched write path against pyoxigraph's ``bulk_load``.

    .venv/bin/python benchmarks/bench_store.py --docs 5000 [--seed 0] [--repeat 3]
    .venv/bin/python benchmarks/bench_store.py --nquads built.nq   # quads of `kg export -f nq`

Prepares the N-Quads of ``--docs`` generated documents once (real Extractor;
not timed), then writes the same quads, each into a fresh on-disk store:

- ``kg``: ``kg.build._write`` in batches of ``kg.build.BATCH`` documents, i.e.
  ``OxigraphStore.replace_documents`` (one transaction per batch), as ``kg build``;
- ``load``: one ``Store.load`` of all N-Quads (one transaction, for reference);
- ``bulk_load``: one ``Store.bulk_load`` of all N-Quads (the baseline).

Prints the best of ``--repeat`` runs per method and the ratio to ``bulk_load``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from kg.build import BATCH, DocResult, DocWorker, Job, _write
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


def write_kg(results: list[DocResult], path: Path) -> int:
    store = OxigraphStore(path)
    for i in range(0, len(results), BATCH):
        _write(store, results[i:i + BATCH])
    store.flush()
    return len(store)


def write_load(data: bytes, path: Path) -> int:
    store = ox.Store(str(path))
    store.load(data, ox.RdfFormat.N_QUADS)
    store.flush()
    return len(store)


def write_bulk(data: bytes, path: Path) -> int:
    store = ox.Store(str(path))
    store.bulk_load(data, ox.RdfFormat.N_QUADS)
    store.flush()
    return len(store)


def best_of(repeat: int, run: Callable[[Path], int]) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(repeat):
        tmp = Path(tempfile.mkdtemp(prefix="kg-bench-store-"))
        try:
            started = time.perf_counter()
            size = run(tmp / "store")
            times.append(time.perf_counter() - started)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return min(times), size


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
    lines = data.count(b"\n")
    print(f"prepared {len(results)} documents, {lines} quads, "
          f"{len(data) / 1e6:.1f} MB N-Quads in {time.perf_counter() - started:.1f} s", file=sys.stderr)

    rows = {}
    for name, run in (("bulk_load", lambda p: write_bulk(data, p)),
                      ("load", lambda p: write_load(data, p)),
                      ("kg", lambda p: write_kg(results, p))):
        seconds, size = best_of(args.repeat, run)
        rows[name] = {"seconds": round(seconds, 3), "quads": size}
    base = rows["bulk_load"]["seconds"]
    print(f"load average: {os.getloadavg()[0]:.2f}  documents: {args.docs}  quads: {rows['kg']['quads']}")
    print("| method | seconds (best of %d) | quads/s | ratio to bulk_load |" % args.repeat)
    print("|---|---:|---:|---:|")
    for name, row in rows.items():
        rate = row["quads"] / row["seconds"]
        print(f"| {name} | {row['seconds']:.2f} | {rate:,.0f} | {row['seconds'] / base:.2f} |")
    print(json.dumps({"docs": args.docs, "rows": rows}))


if __name__ == "__main__":
    main()
