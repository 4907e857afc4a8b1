"""The most ``kg build --jobs 2`` can gain on this machine: two processes against one, same work.

    .venv/bin/python benchmarks/bench_cores.py [--n 240] [--rounds 3]

For each workload, in each round:

- ``1 process``: one process runs the work alone; T1 is its time after its models are loaded;
- ``2 processes``: two processes run the same work each, at the same moment (they wait at a
  barrier once loaded); T2 is the time from the first start to the last end.

``2 x T1 / T2`` is then the speed-up a perfectly parallel job could reach: 2.00 on two
idle, independent cores, less when the two CPUs share a physical core, caches or memory
bandwidth, or when something else runs on the machine (the load average is printed).
No build can have ``--jobs 2`` beat this ratio over ``--jobs 1``, however little else it does.

Workloads:

- ``python``: a pure-Python integer loop (no memory traffic): the CPUs themselves;
- ``extract``: ``Extractor.extract_many`` over ``--n`` generated news items (``kg.demo``),
  in chunks of ``kg.pipeline.build.CHUNK``: what each ``kg build`` worker does.

Models are loaded before the barrier and are not timed; BLAS gets one thread per
process, as ``kg build`` sets (``kg.pipeline.build.single_threaded_blas``).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import subprocess
import time
from collections.abc import Callable
from typing import Any

from kg.pipeline.build import CHUNK, single_threaded_blas
from kg.parallel import chunked

LOOP = 100_000_000


def python_work(n: int) -> Callable[[], object]:
    def run() -> int:
        total = 0
        for i in range(LOOP):
            total += i & 7
        return total
    return run


def extract_work(n: int) -> Callable[[], object]:
    from kg.demo.corpus import generate
    from kg.extract import Extractor
    from kg.model import Document

    extractor = Extractor()
    docs = [Document(r["id"], r["text"], r["date"], r["title"]) for r in generate(n, seed=0)]
    extractor.extract_many(docs[:CHUNK])  # warm up (first calls build caches)

    def run() -> int:
        return sum(len(extractor.extract_many(chunk)) for chunk in chunked(iter(docs), CHUNK))
    return run


WORKLOADS: dict[str, Callable[[int], Callable[[], object]]] = {"python": python_work, "extract": extract_work}


def child(name: str, n: int, barrier: Any, out: Any) -> None:
    single_threaded_blas()
    run = WORKLOADS[name](n)
    barrier.wait()
    started = time.perf_counter()  # CLOCK_MONOTONIC: comparable across processes
    run()
    out.put((started, time.perf_counter()))


def timed(name: str, n: int, processes: int) -> float:
    """Seconds from the first start to the last end of ``processes`` children running ``name``."""
    ctx = mp.get_context("spawn")
    barrier, out = ctx.Barrier(processes), ctx.Queue()
    procs = [ctx.Process(target=child, args=(name, n, barrier, out)) for _ in range(processes)]
    for proc in procs:
        proc.start()
    spans: list[tuple[float, float]] = [out.get() for _ in procs]
    for proc in procs:
        proc.join()
        if proc.exitcode:
            raise SystemExit(f"{name}: a child failed ({proc.exitcode})")
    return max(end for _, end in spans) - min(start for start, _ in spans)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=240, help="generated documents for `extract`")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workloads", nargs="+", choices=sorted(WORKLOADS), default=list(WORKLOADS))
    args = parser.parse_args()
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    print(f"cpus: {len(os.sched_getaffinity(0))}  extract documents: {args.n}")
    print("| round | workload | T1 (1 process) s | T2 (2 processes) s | ceiling 2 x T1 / T2 |")
    print("|---|---|---:|---:|---:|")
    for round_ in range(args.rounds):
        for name in args.workloads:
            one = timed(name, args.n, 1)
            two = timed(name, args.n, 2)
            print(f"| {round_} | {name} | {one:.2f} | {two:.2f} | {2 * one / two:.2f} |", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
