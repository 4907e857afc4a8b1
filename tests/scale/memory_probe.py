"""Run one build in a fresh process and print its peak memory as JSON.

    python memory_probe.py N WORKDIR [--real] [--jobs J]

Writes a generated corpus of N items, builds it (fake extractor unless
``--real``) and prints ``{"n", "python_peak", "max_rss_kb", "triples"}``:
``python_peak`` is tracemalloc's peak of Python allocations during the build,
``max_rss_kb`` the process's peak resident set (Rust/RocksDB memory included).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int)
    parser.add_argument("workdir", type=Path)
    parser.add_argument("--real", action="store_true")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()

    from fake_extractor import make_fake_extractor

    from kg.pipeline.build import run_build
    from kg.demo import write_corpus

    args.workdir.mkdir(parents=True, exist_ok=True)
    news = args.workdir / "news.jsonl"
    write_corpus(news, args.n, seed=11)
    tracemalloc.start()
    summary = run_build([news], args.workdir / "ws", jobs=args.jobs,
                        make_extractor=None if args.real else make_fake_extractor)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"n": args.n, "python_peak": peak, "max_rss_kb": rss,
                      "triples": summary.stats.triples, "added": summary.added}))


if __name__ == "__main__":
    main()
