"""Where ``kg build --jobs 2``'s speed-up over ``--jobs 1`` goes: the same build with parts of it off.

    .venv/bin/python benchmarks/bench_jobs.py --n 2000 [--rounds 3] [--seed 0]

Builds ``--n`` generated news items (``kg demo-corpus``) with ``--jobs 1`` and
``--jobs 2``, each run in a fresh process, in three forms:

- ``extraction``: ``kg.pipeline.build.run_build`` with its store write (``kg.pipeline.build._write``)
  replaced by nothing and no views: reading, extraction, mapping to N-Quads and the
  pipeline that carries them (worker processes, chunks, the writer thread);
- ``+ writes``: the store written as ``kg build`` writes it, still no views;
- ``+ views``: all of ``kg build`` (graph.ttl, graph.trig, graph.html, stats).

Every round runs the three forms, ``--jobs 1`` then ``--jobs 2``, one after the
other, so each speed-up compares runs a minute apart; the medians over the rounds
come last. The work each form adds runs beside the extraction in ``--jobs 1``
(on the second core) but competes with it in ``--jobs 2``, whose two workers
already fill both cores: that is the part of the speed-up it costs.
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

FORMS = ("extraction", "+ writes", "+ views")


def child(form: str, corpus: Path, ws: Path, jobs: int) -> None:
    """Run in a fresh process: one build; prints its wall and CPU seconds (workers included)."""
    import kg.pipeline.build

    if form == "extraction":
        kg.pipeline.build._write = lambda store, batch: None
    started = time.perf_counter()
    summary = kg.pipeline.build.run_build([corpus], ws, jobs=jobs, views=form == "+ views")
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime
    print(json.dumps({"wall": time.perf_counter() - started, "cpu": cpu, "read": summary.read}))


def run(form: str, corpus: Path, ws: Path, jobs: int) -> dict[str, float]:
    shutil.rmtree(ws, ignore_errors=True)
    proc = subprocess.run([sys.executable, __file__, "--child", form, str(corpus), str(ws), str(jobs)],
                          capture_output=True, text=True)  # BLAS threads: kg.build's own setting
    if proc.returncode != 0:
        raise SystemExit(f"{form} --jobs {jobs} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        form, corpus, ws, jobs = args.child
        child(form, Path(corpus), Path(ws), int(jobs))
        return

    from kg.demo import write_corpus

    workdir = Path(tempfile.mkdtemp(prefix="kg-bench-jobs-"))
    corpus = workdir / f"news-{args.n}-{args.seed}.jsonl"
    write_corpus(corpus, args.n, args.seed)
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    print(f"cpus: {len(os.sched_getaffinity(0))}  documents: {args.n}")
    print("| round | form | `--jobs 1` wall s / CPU s | `--jobs 2` wall s / CPU s | speed-up |")
    print("|---|---|---:|---:|---:|")
    speed_ups: dict[str, list[float]] = {form: [] for form in FORMS}
    try:
        for round_ in range(args.rounds):
            for form in FORMS:
                one = run(form, corpus, workdir / "ws", 1)
                two = run(form, corpus, workdir / "ws", 2)
                speed_ups[form].append(one["wall"] / two["wall"])
                print(f"| {round_} | {form} | {one['wall']:.1f} / {one['cpu']:.1f} | {two['wall']:.1f} / {two['cpu']:.1f} "
                      f"| {speed_ups[form][-1]:.2f} |", flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    for form in FORMS:
        values = speed_ups[form]
        if values:
            print(f"{form}: median speed-up {statistics.median(values):.2f} over {len(values)} rounds "
                  f"({', '.join(f'{v:.2f}' for v in values)})")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
