"""End-to-end ``kg build`` against natasha's full pipeline on the same documents.

    .venv/bin/python benchmarks/bench_build.py --n 10000 --jobs 1 2 [--seed 0] [--html] [--rounds 3]
    .venv/bin/python benchmarks/bench_build.py --n 100000 --jobs 2 --no-baseline   # memory only

Writes ``--n`` generated news items (``kg demo-corpus``), then runs, each in a
fresh process so model loading and peak memory are counted alike:

- ``natasha``: segmentation, morphology, syntax and NER (``Doc.segment``,
  ``tag_morph``, ``parse_syntax``, ``tag_ner``) over the same documents, read
  with ``kg.io.read_documents``; the baseline;
- ``kg build --jobs J`` into a fresh workspace, for each J: ``kg.pipeline.build.run_build``
  (read, extract, map, store, stats) and the graph.ttl/graph.trig views. The
  graph.html view (``kg.viz``, another engineer's) is left out unless ``--html``
  is given (then the run is exactly ``kg build``'s); it was left out of the earlier
  figures, which it once dominated (see BENCHMARKS.md), so the default stays
  comparable with them.

Reports wall and CPU seconds (model loading included; CPU summed over the
process and its workers, so it is the fairer figure on a loaded machine), peak
memory (resident set summed over the process and its workers, sampled every
0.1 s), triples in the workspace, and the ratios: kg / natasha time and the
speed-up of each J over the first J. The load average before the run is
printed with the figures, since the machine may be shared.

Where a build's CPU goes (Linux): the build process's main thread (reading,
planning, extraction when J is 1, graph.html), its RocksDB threads (flushes and
compactions), its other threads (the store writer and the graph.ttl/graph.trig
dumps; they have ended when it is measured), and the worker processes (extraction
when J > 1). ``--jobs 1`` runs the last three beside its main thread, on the
second core.

``--against CHECKOUT`` adds, after each ``kg build --jobs J``, the same build by another
checkout's code (its ``kg`` package first on PYTHONPATH, this venv's packages), e.g.
main before a change: the cost of the change, taken in the same round.

``--rounds R`` repeats the whole sequence R times (natasha, then each J), so that
every ratio is taken between runs minutes apart at most, and prints the median
of each ratio over the rounds: this machine's speed varies by 20% from minute to
minute (``benchmarks/bench_cores.py``).
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
import time
from pathlib import Path
from typing import Any

import psutil

from kg.pipeline.build import BLAS_THREADS

ROOT = Path(__file__).resolve().parents[1]
# Every run gets the same BLAS setting: one OpenBLAS thread per process, as kg build
# sets by default (kg.pipeline.build.single_threaded_blas). `--blas-default` leaves BLAS alone.
CHILD_ENV = dict(os.environ)


def natasha_pipeline(corpus: Path) -> None:
    """Run in a child process: natasha's full pipeline over every document."""
    from natasha import Doc, NewsEmbedding, NewsMorphTagger, NewsNERTagger, NewsSyntaxParser, Segmenter

    from kg.io import read_documents

    started = time.perf_counter()
    emb = NewsEmbedding()
    segmenter, morph = Segmenter(), NewsMorphTagger(emb)
    syntax, ner = NewsSyntaxParser(emb), NewsNERTagger(emb)
    loaded = time.perf_counter()
    n = spans = 0
    for document in read_documents([corpus]):
        doc = Doc(document.text)
        doc.segment(segmenter)
        doc.tag_morph(morph)
        doc.parse_syntax(syntax)
        doc.tag_ner(ner)
        n += 1
        spans += len(doc.spans)
    done = time.perf_counter()
    print(json.dumps({"docs": n, "spans": spans, "load_seconds": loaded - started,
                      "run_seconds": done - loaded}))


def kg_build(corpus: Path, ws: Path, jobs: int, html: bool) -> None:
    """Run in a child process: the build and its RDF views (and graph.html with ``html``);
    prints the triple count."""
    from kg.pipeline.build import run_build
    from kg.pipeline.views import write_views
    from kg.store.oxigraph import open_store

    import gc

    summary = run_build([corpus], ws, jobs=jobs, views=html)
    if not html:
        gc.collect()  # the build's store must be closed (RocksDB lock) before it is reopened
        write_views(open_store(ws), ws, html=False)
    print(json.dumps({"added": summary.added, "triples": summary.stats.triples,
                      "problems": len(summary.problems), "cpu": cpu_by_thread()}))


def cpu_by_thread() -> dict[str, float]:
    """CPU seconds of this process: its main thread, its RocksDB threads, its other threads
    (ended ones included), and its worker processes (ended). Empty without Linux's /proc."""
    task = Path("/proc/self/task")
    if not task.exists():
        return {}
    tick = os.sysconf("SC_CLK_TCK")
    main = rocksdb = 0.0
    for thread in task.iterdir():
        fields = (thread / "stat").read_text().rsplit(")", 1)[1].split()
        seconds = (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        if thread.name == str(os.getpid()):
            main += seconds
        elif (thread / "comm").read_text().startswith("rocksdb"):
            rocksdb += seconds
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    total = own.ru_utime + own.ru_stime
    return {"main": main, "workers": workers.ru_utime + workers.ru_stime, "threads": max(0.0, total - main - rocksdb),
            "rocksdb": rocksdb}


def measure(cmd: list[str], checkout: Path | None = None) -> tuple[float, int, str, float]:
    """Wall seconds, peak RSS (bytes, process tree), stdout and CPU seconds of ``cmd``
    (with ``checkout``'s kg package first on the path)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    env = CHILD_ENV if checkout is None else {**CHILD_ENV, "PYTHONPATH": str(checkout)}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=checkout or ROOT,
                            env=env)
    root = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            tree = [root, *root.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.1)
    seconds = time.perf_counter() - started
    out, err = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-3000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, peak, out, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--no-baseline", action="store_true", help="Skip the natasha run.")
    parser.add_argument("--rounds", type=int, default=1, help="Repeat natasha and every J this many times.")
    parser.add_argument("--workdir", type=Path, default=None, help="Keep corpus and workspaces here.")
    parser.add_argument("--against", type=Path, default=None,
                        help="Also build with this checkout's code after each J (same round).")
    parser.add_argument("--natasha-child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--kg-child", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument("--html", action="store_true", help="Write graph.html too, as `kg build` does.")
    parser.add_argument("--blas-default", action="store_true",
                        help="Do not set OPENBLAS/OMP/MKL_NUM_THREADS=1 for the runs.")
    args = parser.parse_args()
    if not args.blas_default:
        for name in BLAS_THREADS:
            CHILD_ENV.setdefault(name, "1")
    if args.natasha_child:
        natasha_pipeline(args.natasha_child)
        return
    if args.kg_child:
        kg_build(Path(args.kg_child[0]), Path(args.kg_child[1]), int(args.kg_child[2]), args.kg_child[3] == "html")
        return

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="kg-bench-build-"))
    workdir.mkdir(parents=True, exist_ok=True)
    corpus = workdir / f"news-{args.n}-{args.seed}.jsonl"
    from kg.demo import write_corpus

    write_corpus(corpus, args.n, args.seed)
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    blas = CHILD_ENV.get("OPENBLAS_NUM_THREADS", "default")
    print(f"cpus: {len(os.sched_getaffinity(0))}  documents: {args.n}  OPENBLAS_NUM_THREADS: {blas}  "
          f"corpus: {corpus.stat().st_size / 1e6:.1f} MB  views: {'all' if args.html else 'graph.ttl, graph.trig'}")
    rows: list[dict[str, Any]] = []
    for round_ in range(args.rounds):
        baseline = None
        if not args.no_baseline:
            seconds, peak, out, cpu = measure([sys.executable, __file__, "--natasha-child", str(corpus)])
            info = json.loads(out.strip().splitlines()[-1])
            baseline = seconds
            rows.append({"round": round_, "run": "natasha full pipeline", "seconds": seconds, "cpu": cpu,
                         "peak": peak, "triples": "", "detail": f"models {info['load_seconds']:.1f} s"})
            print(rows[-1], flush=True)
        first = None
        for jobs in args.jobs:
            for checkout in (None, args.against) if args.against else (None,):
                ws = workdir / f"ws-j{jobs}"
                shutil.rmtree(ws, ignore_errors=True)
                seconds, peak, out, cpu = measure([sys.executable, str(Path(__file__).resolve()), "--kg-child",
                                                   str(corpus), str(ws), str(jobs), "html" if args.html else "rdf"],
                                                  checkout)
                info = json.loads(out.strip().splitlines()[-1])
                if checkout is None:
                    first = first or seconds
                run = f"kg build --jobs {jobs}" + (f" ({checkout})" if checkout else "")
                rows.append({"round": round_, "run": run, "seconds": seconds, "cpu": cpu,
                             "peak": peak, "triples": info["triples"], "speed_up": (first or seconds) / seconds,
                             "natasha": seconds / baseline if baseline else None, "threads": info["cpu"],
                             "detail": f"wall speed-up over first: {(first or seconds) / seconds:.2f}"})
                print(rows[-1], flush=True)
    print_table(rows, args.n)
    if args.rounds > 1:
        print_medians(rows, args.jobs)
    if args.against:
        print_against(rows, args.jobs, args.against)
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    if not args.workdir:
        shutil.rmtree(workdir, ignore_errors=True)


def print_table(rows: list[dict[str, Any]], n: int) -> None:
    print("| round | run | wall s | CPU s | docs/s (wall) | peak memory | triples | wall / natasha | CPU / natasha "
          "| CPU s: main / workers / threads / RocksDB | notes |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|")
    baseline: dict[int, tuple[float, float]] = {}
    for row in rows:
        s, c = float(row["seconds"]), float(row["cpu"])
        if row["run"].startswith("natasha"):
            baseline[row["round"]] = (s, c)
        base = baseline.get(row["round"])
        wall_ratio = f"{s / base[0]:.2f}" if base else "-"
        cpu_ratio = f"{c / base[1]:.2f}" if base else "-"
        threads = row.get("threads") or {}
        split = " / ".join(f"{threads[k]:.1f}" for k in ("main", "workers", "threads", "rocksdb")) if threads else ""
        print(f"| {row['round']} | {row['run']} | {s:.1f} | {c:.1f} | {n / s:.1f} | {int(row['peak']) / 2**20:.0f} MiB "
              f"| {row['triples']} | {wall_ratio} | {cpu_ratio} | {split} | {row['detail']} |")


def print_medians(rows: list[dict[str, Any]], jobs: list[int]) -> None:
    """The median over the rounds of each build's wall time / natasha's and of its speed-up."""
    for j in jobs:
        runs = [row for row in rows if row["run"] == f"kg build --jobs {j}"]
        natasha = [row["natasha"] for row in runs if row["natasha"] is not None]
        line = f"--jobs {j}: median over {len(runs)} rounds: speed-up over --jobs {jobs[0]} " \
               f"{statistics.median(row['speed_up'] for row in runs):.2f}"
        if natasha:
            line += f", wall / natasha {statistics.median(natasha):.2f} (range {min(natasha):.2f}-{max(natasha):.2f})"
        print(line)


def print_against(rows: list[dict[str, Any]], jobs: list[int], checkout: Path) -> None:
    """Per J, the median over rounds of this checkout's CPU and wall over ``checkout``'s."""
    for j in jobs:
        ours = {r["round"]: r for r in rows if r["run"] == f"kg build --jobs {j}"}
        theirs = {r["round"]: r for r in rows if r["run"] == f"kg build --jobs {j} ({checkout})"}
        both = sorted(set(ours) & set(theirs))
        cpu = [float(ours[k]["cpu"]) / float(theirs[k]["cpu"]) for k in both]
        wall = [float(ours[k]["seconds"]) / float(theirs[k]["seconds"]) for k in both]
        print(f"--jobs {j}: this checkout / {checkout}, median over {len(both)} rounds: "
              f"CPU {statistics.median(cpu):.2f} (range {min(cpu):.2f}-{max(cpu):.2f}), "
              f"wall {statistics.median(wall):.2f} (range {min(wall):.2f}-{max(wall):.2f})")


if __name__ == "__main__":
    main()
