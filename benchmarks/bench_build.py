"""End-to-end ``kg build`` against natasha's full pipeline on the same documents.

    .venv/bin/python benchmarks/bench_build.py --n 10000 --jobs 1 2 [--seed 0]
    .venv/bin/python benchmarks/bench_build.py --n 100000 --jobs 2 --no-baseline   # memory only

Writes ``--n`` generated news items (``kg demo-corpus``), then runs, each in a
fresh process so model loading and peak memory are counted alike:

- ``natasha``: segmentation, morphology, syntax and NER (``Doc.segment``,
  ``tag_morph``, ``parse_syntax``, ``tag_ner``) over the same documents, read
  with ``kg.io.read_documents``; the baseline;
- ``kg build -q --jobs J`` into a fresh workspace, for each J.

Reports wall seconds (model loading included), documents per second, peak
memory (resident set summed over the process and its workers, sampled every
0.1 s), triples in the workspace, and the ratios: kg / natasha time and the
speed-up of each J over the first J. The load average before the run is
printed with the figures, since the machine may be shared.
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
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]


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


def measure(cmd: list[str]) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (bytes, process tree) and stdout of ``cmd``."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
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
    return seconds, peak, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--no-baseline", action="store_true", help="Skip the natasha run.")
    parser.add_argument("--workdir", type=Path, default=None, help="Keep corpus and workspaces here.")
    parser.add_argument("--natasha-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.natasha_child:
        natasha_pipeline(args.natasha_child)
        return

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="kg-bench-build-"))
    workdir.mkdir(parents=True, exist_ok=True)
    corpus = workdir / f"news-{args.n}-{args.seed}.jsonl"
    from kg.demo import write_corpus

    write_corpus(corpus, args.n, args.seed)
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    print(f"cpus: {len(os.sched_getaffinity(0))}  documents: {args.n}  "
          f"corpus: {corpus.stat().st_size / 1e6:.1f} MB")
    rows: list[dict[str, object]] = []
    baseline = None
    if not args.no_baseline:
        seconds, peak, out = measure([sys.executable, __file__, "--natasha-child", str(corpus)])
        info = json.loads(out.strip().splitlines()[-1])
        baseline = seconds
        rows.append({"run": "natasha full pipeline", "seconds": seconds, "peak": peak,
                     "triples": "", "detail": f"models {info['load_seconds']:.1f} s"})
    kg = [sys.executable, "-m", "kg"]
    first = None
    for jobs in args.jobs:
        ws = workdir / f"ws-j{jobs}"
        shutil.rmtree(ws, ignore_errors=True)
        seconds, peak, _ = measure([*kg, "build", str(corpus), "-w", str(ws), "-q", "--jobs", str(jobs)])
        stats = json.loads(subprocess.run([*kg, "stats", "-w", str(ws), "--format", "json"],
                                          capture_output=True, text=True, check=True, cwd=ROOT).stdout)
        first = first or seconds
        rows.append({"run": f"kg build --jobs {jobs}", "seconds": seconds, "peak": peak,
                     "triples": stats["triples"], "detail": f"speed-up over first: {first / seconds:.2f}"})
    print("| run | seconds | docs/s | peak memory | triples | ratio to natasha | notes |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for row in rows:
        s = float(row["seconds"])  # type: ignore[arg-type]
        ratio = f"{s / baseline:.2f}" if baseline else "-"
        print(f"| {row['run']} | {s:.1f} | {args.n / s:.1f} | {int(row['peak']) / 2**20:.0f} MiB "  # type: ignore[call-overload]
              f"| {row['triples']} | {ratio} | {row['detail']} |")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    if not args.workdir:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
