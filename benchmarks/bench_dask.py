"""``kg build --dask local:2`` against ``--jobs 2`` and ``--jobs 1``, with the machine's ceiling beside them.

    flock /tmp/kg-bench.lock .venv/bin/python benchmarks/bench_dask.py --sizes 2000 10000 [--rounds 3]

For each size, ``--sizes`` generated news items (``kg demo-corpus N --seed 0``) are built
three ways, each in a fresh process, views off (they are the same work after any build):
``--jobs 1``, ``--jobs 2`` and ``--dask local:2``. Each round also measures the two-process
ceiling of ``benchmarks/bench_cores.py`` (``extract`` workload: two processes against one on
the same extraction, ``--ceiling-reps`` interleaved runs of each, the least disturbed of each
kind taken), so every ratio compares runs minutes apart on the same machine.

Per build: wall seconds and documents/s over the whole build (worker start-up and model
loading included), the start-up alone (until the first document's result reaches the
writer), the peak RSS of the building process (the client: reader, scheduler for
``local:2``, writer and store) and of each worker process (sampled every 0.25 s with psutil).

Targets (issue 19): ``--dask local:2`` >= 0.9 x the documents/s of ``--jobs 2`` and
>= 0.85 x the ceiling (its speed-up over ``--jobs 1`` divided by the ceiling); the client's
peak RSS at the largest size within 10% of the smallest. The medians over the rounds end
the output, with the per-document costs of the ``--dask local:2`` builds that the
1,000,000-document projection in BENCHMARKS.md starts from: the client's CPU (reading,
planning, submitting, gathering, writing the store; the scheduler too, in-process for
``local:N``), the workers' CPU, and the bytes that travel back (encoded extraction and entity records).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

MODES = {"--jobs 1": {"jobs": 1}, "--jobs 2": {"jobs": 2}, "--dask local:2": {"dask": "local:2"}}
MiB = 1024 * 1024


def sample_rss(peaks: dict[int, int], stop: threading.Event) -> None:
    import psutil

    me = psutil.Process()
    while not stop.is_set():
        for proc in [me, *me.children(recursive=True)]:
            try:
                rss = proc.memory_info().rss
            except psutil.Error:
                continue
            peaks[proc.pid] = max(peaks.get(proc.pid, 0), rss)
        stop.wait(0.25)


def child(mode: str, corpus: Path, ws: Path, fake: bool) -> None:
    """Run in a fresh process: one build; prints one JSON line."""
    import kg.pipeline.build

    make_extractor = None
    if fake:  # the pipeline alone: tests/scale/fake_extractor.py reads names with two regexes
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "scale"))
        from fake_extractor import make_fake_extractor as make_extractor

    stamps: list[float] = []
    back = [0]  # bytes of what comes back per document: encoded extraction + entity records
    index_results = kg.pipeline.build._index_results

    def stamped_index_results(index: Any, results: Any, *rest: Any) -> None:
        def stamped() -> Any:
            for result in results:
                if not stamps:
                    stamps.append(time.perf_counter())
                back[0] += len(result.extraction) + len(repr(result.records))
                yield result
        index_results(index, stamped(), *rest)
        extracted.update(peaks)  # the peaks so far: the extraction pass, before resolution and store writes

    kg.pipeline.build._index_results = stamped_index_results  # type: ignore[assignment]
    peaks: dict[int, int] = {}
    extracted: dict[int, int] = {}
    stop = threading.Event()
    sampler = threading.Thread(target=sample_rss, args=(peaks, stop), daemon=True)
    sampler.start()
    started = time.perf_counter()
    summary = kg.pipeline.build.run_build([corpus], ws, views=False, make_extractor=make_extractor,
                                             **MODES[mode])  # type: ignore[arg-type]
    wall = time.perf_counter() - started
    stop.set()
    sampler.join()
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    client = peaks.pop(os.getpid(), 0)
    client_extract = extracted.get(os.getpid(), 0)
    workers = sorted((rss for rss in peaks.values() if rss > 100 * MiB), reverse=True)  # not the helpers
    print(json.dumps({"wall": wall, "startup": stamps[0] - started, "read": summary.read,
                      "triples": summary.stats.triples, "client": client, "client_extract": client_extract, "workers": workers,
                      "client_cpu": own.ru_utime + own.ru_stime, "workers_cpu": children.ru_utime + children.ru_stime,
                      "back": back[0]}))


def build(mode: str, corpus: Path, ws: Path, fake: bool = False) -> dict[str, Any]:
    shutil.rmtree(ws, ignore_errors=True)
    proc = subprocess.run([sys.executable, __file__, "--child", mode, str(corpus), str(ws), *(["--fake"] if fake else [])],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{mode} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    shutil.rmtree(ws, ignore_errors=True)
    return result


def ceiling(n: int, reps: int) -> Any:
    """bench_cores' extract workload, ``reps`` interleaved solo and two-process runs (a ``bench_cores.Ceiling``)."""
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_cores import measure

    return measure("extract", n, reps)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--modes", nargs="+", choices=list(MODES), default=list(MODES),
                        help="builds to run (ratios need --jobs 1 and --jobs 2 among them)")
    parser.add_argument("--ceiling-n", type=int, default=480, help="documents of bench_cores' extract workload")
    parser.add_argument("--ceiling-reps", type=int, default=3,
                        help="interleaved solo and two-process runs of the ceiling per round (bench_cores --reps)")
    parser.add_argument("--fake", action="store_true",
                        help="tests/scale/fake_extractor.py instead of natasha: the pipeline's own costs (memory)")
    parser.add_argument("--no-ceiling", action="store_true", help="skip bench_cores' ceiling")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, corpus, ws = args.child
        child(mode, Path(corpus), Path(ws), args.fake)
        return

    from kg.demo import write_corpus

    workdir = Path(tempfile.mkdtemp(prefix="kg-bench-dask-"))
    corpora = {}
    for n in args.sizes:
        corpora[n] = workdir / f"news-{n}.jsonl"
        write_corpus(corpora[n], n, 0)
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    print(f"cpus: {len(os.sched_getaffinity(0))}  sizes: {args.sizes}  rounds: {args.rounds}")
    print("| round | documents | build | wall s | docs/s | start-up s | client peak RSS (extraction pass / build) | "
          "worker peak RSS | CPU ms/doc client / workers | triples | vs `--jobs 2` | speed-up / ceiling |")
    print("|---|---:|---|---:|---:|---:|---:|---|---:|---:|---:|---:|")
    ratios: dict[tuple[int, str], list[float]] = {}
    clients: dict[tuple[str, str], dict[int, list[float]]] = {}
    costs: dict[int, list[tuple[float, float, float]]] = {}
    ceilings: list[Any] = []
    for round_ in range(args.rounds):
        if args.no_ceiling:
            top = float("nan")
        else:
            found = ceiling(args.ceiling_n, args.ceiling_reps)
            top = found.value
            ceilings.append(found)
            print(f"| {round_} | {args.ceiling_n} | two-process ceiling (bench_cores extract, {args.ceiling_reps} reps) | "
                  f"min T1 {min(found.one):.2f} / min T2 {min(found.two):.2f} | | | | | | | | **{found.describe()}** |",
                  flush=True)
        for n, corpus in corpora.items():
            runs = {mode: build(mode, corpus, workdir / "ws", args.fake) for mode in args.modes}
            rate = {mode: r["read"] / r["wall"] for mode, r in runs.items()}
            for mode, r in runs.items():
                vs_jobs2 = rate[mode] / rate["--jobs 2"] if "--jobs 2" in rate else float("nan")
                of_ceiling = rate[mode] / rate["--jobs 1"] / top if "--jobs 1" in rate else float("nan")
                if mode == "--dask local:2" and len(runs) == len(MODES):
                    ratios.setdefault((n, mode + " vs --jobs 2"), []).append(vs_jobs2)
                    ratios.setdefault((n, mode + " speed-up / ceiling"), []).append(of_ceiling)
                clients.setdefault((mode, "build"), {}).setdefault(n, []).append(r["client"] / MiB)
                clients.setdefault((mode, "extraction pass"), {}).setdefault(n, []).append(r["client_extract"] / MiB)
                if mode == "--dask local:2":
                    costs.setdefault(n, []).append((1000 * r["client_cpu"] / r["read"],
                                                    1000 * r["workers_cpu"] / r["read"], r["back"] / r["read"] / 1024))
                workers = ", ".join(f"{w / MiB:.0f}" for w in r["workers"]) or "-"
                print(f"| {round_} | {n} | {mode} | {r['wall']:.1f} | {rate[mode]:.1f} | {r['startup']:.1f} | "
                      f"{r['client_extract'] / MiB:.0f} / {r['client'] / MiB:.0f} MiB | {workers} MiB | "
                      f"{1000 * r['client_cpu'] / r['read']:.1f} / {1000 * r['workers_cpu'] / r['read']:.1f} | {r['triples']:,} | "
                      f"{vs_jobs2:.2f} | {of_ceiling:.2f} |", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print("\nmedians over the rounds:")
    if ceilings:
        values = [c.value for c in ceilings]
        reps = [r for c in ceilings for r in c.ratios]
        print(f"  two-process ceiling: {statistics.median(values):.2f} ({', '.join(f'{v:.2f}' for v in values)}); "
              f"every rep's 2 x T1 / T2: {min(reps):.2f}-{max(reps):.2f}")
    for (n, what), values in sorted(ratios.items()):
        print(f"  {n} documents, {what}: {statistics.median(values):.2f}  ({', '.join(f'{v:.2f}' for v in values)})")
    for (mode, phase), sizes in sorted(clients.items()):
        if len(sizes) > 1:
            small, large = min(sizes), max(sizes)
            growth = statistics.median(sizes[large]) / statistics.median(sizes[small])
            print(f"  {mode} client peak RSS ({phase}), {large} vs {small} documents: {growth:.2f}x "
                  f"({statistics.median(sizes[small]):.0f} -> {statistics.median(sizes[large]):.0f} MiB)")
    for n, values in sorted(costs.items()):
        client_ms, workers_ms, kib = (statistics.median(v) for v in zip(*values))
        print(f"  {n} documents, --dask local:2 per document (start-up and model loading included): "
              f"client CPU {client_ms:.2f} ms, workers CPU {workers_ms:.2f} ms, back to the client {kib:.1f} KiB")
    if len(costs) > 1:  # the cost of one more document: start-up and model loading cancel out
        (small, low), (large, high) = min(costs.items()), max(costs.items())
        client = (statistics.median(v[0] for v in high) * large - statistics.median(v[0] for v in low) * small)
        workers = (statistics.median(v[1] for v in high) * large - statistics.median(v[1] for v in low) * small)
        print(f"  --dask local:2, each document beyond {small}: client CPU {client / (large - small):.2f} ms, "
              f"workers CPU {workers / (large - small):.2f} ms")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
