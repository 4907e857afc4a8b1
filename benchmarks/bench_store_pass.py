"""The client's memory in a build's store pass (resolve, map, write), with the store and without it.

    kg demo-corpus 10000 --seed 0 > news.jsonl && kg build news.jsonl -w WS10000
    .venv/bin/python benchmarks/bench_store_pass.py 2000=WS2000 10000=WS10000 [--dask local:2 | --jobs 2]

For each workspace, its ``identity.sqlite`` (the extraction pass's output, with the real
extractor when the workspace was built with it) is copied into a fresh workspace with an
empty store, and ``kg.pipeline.build.write_resolved`` runs alone in a fresh process: the
whole index resolved, every document mapped to N-Quads and written. Two variants:

- ``store``: the embedded Oxigraph store (RocksDB), as a build writes it;
- ``none``: a store that keeps nothing (every batch is still mapped, handed over and
  dropped): kg's own memory, resolution and mapping (and Dask's, with ``--dask``), alone.

Each prints the process's peak RSS over the pass (``VmHWM``, reset through
``/proc/self/clear_refs`` as the pass starts) and its RSS after every 1,024 documents
written: a per-document leak climbs steadily, a cache climbs to its size and stays.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from functools import partial
from pathlib import Path
from typing import Any

MiB = 1024


def status() -> dict[str, int]:
    """VmRSS and VmHWM of this process, MiB."""
    found = {}
    with open("/proc/self/status") as lines:
        for line in lines:
            key, _, value = line.partition(":")
            if key in ("VmHWM", "VmRSS"):
                found[key] = int(value.split()[0]) // MiB
    return found


class NoStore:
    """What ``write_resolved`` needs of a store, keeping nothing."""

    def iter_content_hashes(self) -> Any:
        return iter(())

    def content_hashes_of(self, graphs: Any) -> dict[str, str]:
        return {}

    def replace_documents_nquads(self, batch: Any) -> None:
        for _ in batch:
            pass

    def flush(self) -> None:
        pass


def child(source: Path, variant: str, backend_options: dict[str, Any]) -> None:
    import kg.pipeline.build as build
    from kg.mapping.iri import DEFAULT_BASE, IriMinter
    from kg.pipeline.backend import Backend
    from kg.resolve import IdentityIndex
    from kg.store.oxigraph import open_store

    workspace = Path(tempfile.mkdtemp(prefix="kg-bench-store-pass-"))
    shutil.copy(source / "identity.sqlite", workspace / "identity.sqlite")
    index = IdentityIndex(workspace / "identity.sqlite")
    store: Any = NoStore() if variant == "none" else open_store(workspace)
    timeline: list[tuple[int, int]] = []
    write = build._write

    def timed_write(store_: Any, index_: Any, batch: Any) -> None:
        write(store_, index_, batch)
        timeline.append((len(batch.results), status()["VmRSS"]))

    build._write = timed_write  # type: ignore[assignment]
    backend = None
    if backend_options:
        backend = Backend(partial(build.make_doc_worker, DEFAULT_BASE, build.default_extractor), **backend_options)
        if backend._pool is not None:
            backend._pool.started = True  # map on the pool's processes, as after an extraction pass
    with open("/proc/self/clear_refs", "w") as reset:
        reset.write("5")
    start = status()["VmRSS"]
    written = build.write_resolved(store, index, IriMinter(DEFAULT_BASE), backend=backend)
    if backend is not None:
        backend.close()
    peak = status()["VmHWM"]
    done, marks = 0, []
    for count, rss in timeline:
        done += count
        if done % 1024 < count or done == written:
            marks.append((done, rss))
    shutil.rmtree(workspace, ignore_errors=True)
    print(json.dumps({"written": written, "start": start, "peak": peak, "timeline": marks}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("workspaces", nargs="*", help="SIZE=WORKSPACE, built by kg build")
    parser.add_argument("--variants", nargs="+", choices=["none", "store"], default=["none", "store"])
    parser.add_argument("--dask", help="map on a Dask cluster (local:N) as a --dask build would")
    parser.add_argument("--jobs", type=int, default=1, help="map on N processes as a --jobs N build does")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    options: dict[str, Any] = {"dask": args.dask} if args.dask else {"jobs": args.jobs} if args.jobs > 1 else {}
    if args.child:
        child(Path(args.child[0]), args.child[1], options)
        return
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    print(f"mapping: {options or 'this process'}")
    print("| documents | store | written | RSS at start MiB | peak RSS MiB | RSS after every 1,024 documents MiB |")
    print("|---:|---|---:|---:|---:|---|")
    for item in args.workspaces:
        size, _, path = item.partition("=")
        for variant in args.variants:
            extra = [f"--dask={args.dask}"] if args.dask else [f"--jobs={args.jobs}"]
            proc = subprocess.run([sys.executable, __file__, "--child", path, variant, *extra],
                                  capture_output=True, text=True)
            if proc.returncode != 0:
                raise SystemExit(f"{size} {variant} failed:\n{proc.stderr[-3000:]}")
            found = json.loads(proc.stdout.strip().splitlines()[-1])
            print(f"| {size} | {variant} | {found['written']:,} | {found['start']} | **{found['peak']}** | "
                  f"{' '.join(str(rss) for _, rss in found['timeline'])} |", flush=True)
    print(f"uptime after: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")


if __name__ == "__main__":
    main()
