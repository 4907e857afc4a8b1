"""CPU of the build's mapping (``kg.mapping.nquads.to_nquads``) against another checkout's, on the same extractions.

    .venv/bin/python benchmarks/bench_mapping.py --n 300 --against /path/to/main-checkout [--rounds 3]

Extracts ``kg demo-corpus N --seed S`` once (this checkout's extractor), then, alternately in
fresh processes, maps every extraction to N-Quads with this checkout's code and with
``--against``'s (its ``kg`` package first on PYTHONPATH, this venv's packages). Each process
maps the whole set five times and reports its fastest pass (process CPU); the script prints
each round's pair, the median ratio this / against, and whether both wrote the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def map_child(extractions: Path) -> None:
    """Run in a child process: the fastest of five passes of ``to_nquads`` over the extractions."""
    from kg.mapping.iri import IriMinter
    from kg.mapping.nquads import to_nquads

    items = pickle.loads(extractions.read_bytes())
    minter = IriMinter()
    best, out = float("inf"), []
    for _ in range(5):
        started = time.process_time()
        out = [to_nquads(x, minter) for x in items]
        best = min(best, time.process_time() - started)
    print(json.dumps({"cpu": best, "md5": hashlib.md5(b"".join(out)).hexdigest()}))


def measure(extractions: Path, checkout: Path | None) -> dict[str, float | str]:
    env = dict(os.environ) if checkout is None else {**os.environ, "PYTHONPATH": str(checkout)}
    done = subprocess.run([sys.executable, __file__, "--child", str(extractions)], env=env, cwd=checkout or ROOT,
                          capture_output=True, text=True, check=True)
    result: dict[str, float | str] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--against", type=Path, help="The checkout to compare with (required).")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        map_child(args.child)
        return
    if args.against is None:
        parser.error("--against CHECKOUT is required")
    from kg.demo import write_corpus
    from kg.io import read_documents
    from kg.pipeline.worker import default_extractor

    with tempfile.TemporaryDirectory(prefix="kg-bench-mapping-") as tmp:
        corpus, extractions = Path(tmp) / "news.jsonl", Path(tmp) / "extractions.pickle"
        write_corpus(corpus, args.n, args.seed)
        documents = list(read_documents([corpus]))
        extractions.write_bytes(pickle.dumps(default_extractor().extract_many(documents)))
        print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
        ratios, same = [], True
        for round_ in range(args.rounds):
            ours, theirs = measure(extractions, None), measure(extractions, args.against)
            same = same and ours["md5"] == theirs["md5"]
            ratios.append(float(ours["cpu"]) / float(theirs["cpu"]))
            print(f"round {round_}: this {float(ours['cpu']):.3f} s, {args.against} {float(theirs['cpu']):.3f} s "
                  f"CPU for {args.n} documents")
        print(f"this / {args.against}: CPU median {statistics.median(ratios):.2f} "
              f"(range {min(ratios):.2f}-{max(ratios):.2f}); same N-Quads: {same}")
        print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
