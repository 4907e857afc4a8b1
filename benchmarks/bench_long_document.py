"""One long document through ``kg build``: time and memory against the text's length (issue 16, item 4).

    .venv/bin/python benchmarks/bench_long_document.py [--chars 50000] [--sizes 1 4 16] [--whole 1 4]

Builds a workspace from a JSONL file holding one document of ``chars x size``
characters (generated news, ``kg.demo``, joined by blank lines), for each size,
each in a fresh process (``kg.pipeline.build.run_build``, ``--jobs 1``, no views):
the extraction runs in that process, so its peak resident set (``ru_maxrss``)
is the build's. A first process builds a 2,000-character document: its time and
peak are the fixed costs (models, store), subtracted from the others'.

Prints, per size: seconds (wall and CPU), peak memory, and the ratios of the
CPU time and of the memory above the fixed cost to those of size 1: linear means
the ratio follows the size (4x text, ~4x). ``--whole`` also runs the listed sizes
with the text read whole, as before windows (``kg.extract.windows.WINDOW`` raised
past the text), for comparison.
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


def text_of(chars: int) -> str:
    from kg.demo import generate

    parts: list[str] = []
    size = 0
    for record in generate(1_000_000, seed=17):
        parts.append(record["text"])
        size += len(record["text"]) + 2
        if size >= chars:
            break
    return "\n\n".join(parts)[:chars]


def child(chars: int, whole: bool, workdir: Path) -> None:
    """One build of one document of ``chars`` characters; prints its figures as JSON."""
    if whole:
        import kg.extract.pipeline

        kg.extract.pipeline.WINDOW = chars + 1  # type: ignore[attr-defined]
    from kg.pipeline.build import run_build

    corpus = workdir / f"long-{chars}.jsonl"
    corpus.write_text(json.dumps({"id": "long", "text": text_of(chars)}, ensure_ascii=False) + "\n",
                      encoding="utf-8")
    wall, cpu = time.perf_counter(), time.process_time()
    summary = run_build([corpus], workdir / f"ws-{chars}-{whole}", jobs=1, views=False)
    print(json.dumps({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
                      "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "triples": summary.stats.triples, "problems": len(summary.problems)}))


def run(chars: int, whole: bool, workdir: Path) -> dict[str, float]:
    args = [sys.executable, __file__, "--child", str(chars), "--workdir", str(workdir)]
    if whole:
        args.append("--child-whole")
    done = subprocess.run(args, capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chars", type=int, default=50_000, help="Characters of size 1.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--whole", type=int, nargs="*", default=[], help="Sizes also run without windows.")
    parser.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--child-whole", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="kg-long-"))
    if args.child is not None:
        child(args.child, args.child_whole, workdir)
        return
    print(f"uptime: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} (load 1/5/15 min)")
    base = run(2_000, False, workdir)
    print(f"fixed cost (2,000 characters): {base['wall']:.1f} s wall, {base['cpu']:.1f} s CPU, "
          f"peak {base['peak_mib']:.0f} MiB")
    print("mode     size   characters   wall s   CPU s  peak MiB  above fixed MiB  triples  "
          "CPU ratio  memory ratio")
    for mode, sizes in (("windows", args.sizes), ("whole", args.whole)):
        first: dict[str, float] | None = None
        for size in sizes:
            chars = args.chars * size
            got = run(chars, mode == "whole", workdir)
            above = max(got["peak_mib"] - base["peak_mib"], 0.0)
            cpu = max(got["cpu"] - base["cpu"], 0.01)
            first = first or {"cpu": cpu, "above": max(above, 1.0), "size": size}
            print(f"{mode:8} {size:4}x {chars:12,} {got['wall']:8.1f} {got['cpu']:7.1f} {got['peak_mib']:9.0f} "
                  f"{above:16.0f} {got['triples']:8.0f} {cpu / first['cpu']:9.2f}x "
                  f"{above / first['above']:12.2f}x  (text {size / first['size']:.0f}x)", flush=True)


if __name__ == "__main__":
    main()
