"""Byte-identity harness: every user-visible output of a kg checkout, then a file-by-file comparison.

    python benchmarks/golden_outputs.py run /tmp/golden-base                  # this checkout
    python benchmarks/golden_outputs.py run /tmp/golden-main --checkout /work/main
    python benchmarks/golden_outputs.py compare /tmp/golden-base /tmp/golden-new

``run`` drives the ``kg`` command line of a checkout (``python -m kg`` with the checkout
first on PYTHONPATH, so any checkout runs with this venv's packages) over four corpora,
each built into a fresh workspace under /tmp:

- ``data``: the checkout's ``data/`` folder;
- ``dev``: /work/shared/corpora/cluster-news-dev.jsonl;
- ``factru``: the factRuEval dev texts (``book_N.txt``) as one JSONL, written to /tmp;
- ``demo2000``: ``kg demo-corpus 2000 --seed 11`` (the corpus file is kept and compared too).

For each it writes the build's summary (seconds masked), the store's N-Quads sorted,
graph.ttl, graph.trig, graph.html, ``kg stats --format json`` and table, ``kg validate``'s
output and status; for ``data`` and ``dev`` also every named query without required
parameters (``kg query NAME -f tsv``), ``kg queries --format json`` and the GraphML/GEXF
exports. Then ``kg eval gold`` on the dev corpus and ``PYTHONHASHSEED=0 kg eval factru``
on the factRuEval dev folder, with every ``.task1``/``.task3`` file.

``compare`` prints every file that is missing on one side or differs (with the first
differing lines) and exits 1 if there is any difference. Not a pytest test: a run takes
several minutes.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHARED = Path("/work/shared/corpora")
DEV = SHARED / "cluster-news-dev.jsonl"
FACTRU = SHARED / "factru-dev"
DEMO_DOCS, DEMO_SEED = 2000, 11
QUERY_CORPORA = ("data", "dev")


class Runner:
    """Runs ``python -m kg`` of one checkout."""

    def __init__(self, checkout: Path, python: str, log: bool = True) -> None:
        self.checkout = checkout
        self.python = python
        self.log = log
        # kg stats' Louvain communities and the order of CONSTRUCT answers vary with str hashing
        self.env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": str(checkout)}

    def kg(self, *args: str, env: dict[str, str] | None = None, check: bool = True) -> subprocess.CompletedProcess[bytes]:
        started = time.perf_counter()
        done = subprocess.run([self.python, "-m", "kg", *args], env={**self.env, **(env or {})},
                              cwd=tempfile.gettempdir(), capture_output=True, check=False)
        if self.log:
            print(f"  kg {' '.join(args)[:100]}  -> {done.returncode} ({time.perf_counter() - started:.1f} s)",
                  file=sys.stderr)
        if check and done.returncode != 0:
            raise SystemExit(f"kg {' '.join(args)} failed ({done.returncode}):\n{done.stderr.decode()[-2000:]}")
        return done

    def check_checkout(self) -> None:
        found = subprocess.run([self.python, "-c", "import kg; print(kg.__file__)"], env=self.env,
                               cwd=tempfile.gettempdir(), capture_output=True, text=True, check=True).stdout.strip()
        if not Path(found).resolve().is_relative_to(self.checkout.resolve()):
            raise SystemExit(f"kg is imported from {found}, not from {self.checkout}")


_SECONDS = re.compile(rb"seconds: [0-9.]+")


def factru_jsonl(path: Path) -> None:
    """The factRuEval dev texts as JSONL records ``{"id": "book_N", "text": ...}``, in book order."""
    books = sorted(FACTRU.glob("book_*.txt"), key=lambda p: int(p.stem.split("_")[1]))
    with path.open("w", encoding="utf-8") as out:
        for book in books:
            with book.open(encoding="utf-8", newline="") as handle:
                text = handle.read().removeprefix("\ufeff")
            out.write(json.dumps({"id": book.stem, "text": text}, ensure_ascii=False) + "\n")


def canonical_turtle(data: bytes) -> bytes:
    """The triples of a Turtle answer as sorted N-Triples lines."""
    import pyoxigraph as ox

    lines = (ox.serialize(ox.parse(data, format=ox.RdfFormat.TURTLE), format=ox.RdfFormat.N_TRIPLES) or b"")
    return b"".join(sorted(lines.splitlines(keepends=True)))


def write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def corpus_outputs(kg: Runner, name: str, inputs: list[str], out: Path, work: Path, jobs: int) -> None:
    ws = work / f"ws-{name}"
    shutil.rmtree(ws, ignore_errors=True)
    dest = out / name
    built = kg.kg("build", *inputs, "-w", str(ws), "-j", str(jobs))
    write(dest / "build.stdout", _SECONDS.sub(b"seconds: X", built.stdout).replace(str(ws).encode(), b"WS"))
    write(dest / "build.stderr", built.stderr)
    nq = kg.kg("export", "-w", str(ws), "-f", "nq").stdout
    write(dest / "store.sorted.nq", b"".join(sorted(nq.splitlines(keepends=True))))
    for view in ("graph.ttl", "graph.trig", "graph.html"):
        shutil.copyfile(ws / view, dest / view)
    write(dest / "stats.json", kg.kg("stats", "-w", str(ws), "--format", "json").stdout)
    write(dest / "stats.txt", kg.kg("stats", "-w", str(ws)).stdout)
    validated = kg.kg("validate", "-w", str(ws), check=False)
    write(dest / "validate.txt", validated.stdout + validated.stderr + f"\nstatus {validated.returncode}\n".encode())
    if name in QUERY_CORPORA:
        for fmt in ("graphml", "gexf"):
            write(dest / f"network.{fmt}", kg.kg("export", "-w", str(ws), "-f", fmt).stdout)
        catalog = json.loads(kg.kg("queries", "--format", "json").stdout)
        for query in catalog:
            if any(p["required"] for p in query["params"]):
                continue
            done = kg.kg("query", query["name"], "-w", str(ws), "-f", "tsv", check=False)
            answer = done.stdout
            if query["form"] in ("CONSTRUCT", "DESCRIBE") and done.returncode == 0:
                answer = canonical_turtle(answer)  # Oxigraph's answer order varies between runs
            write(dest / "queries" / f"{query['name']}.tsv",
                  answer + done.stderr + f"\nstatus {done.returncode}\n".encode())
        viz = kg.kg("viz", "-w", str(ws), "-o", str(dest / "viz-default.html"))
        write(dest / "viz.stdout", viz.stdout.replace(str(dest).encode(), b"OUT"))
    shutil.rmtree(ws, ignore_errors=True)


def run(out: Path, checkout: Path, python: str, only: set[str] | None, jobs: int) -> None:
    kg = Runner(checkout, python)
    kg.check_checkout()
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="kg-golden-"))
    try:
        factru_input = work / "factru-dev.jsonl"
        factru_jsonl(factru_input)
        demo = work / "demo2000.jsonl"
        corpora = {
            "data": [str(checkout / "data")],
            "dev": [str(DEV)],
            "factru": [str(factru_input)],
            "demo2000": [str(demo)],
        }
        write(out / "queries.json", kg.kg("queries", "--format", "json").stdout)
        write(out / "help.txt", kg.kg("--help").stdout)
        for name, inputs in corpora.items():
            if only and name not in only:
                continue
            print(f"{name}:", file=sys.stderr)
            if name == "demo2000":
                kg.kg("demo-corpus", str(DEMO_DOCS), "--seed", str(DEMO_SEED), "-o", str(demo))
                shutil.copyfile(demo, out / "demo2000.jsonl")
            corpus_outputs(kg, name, inputs, out, work, jobs)
        if not only or "eval" in only:
            print("eval:", file=sys.stderr)
            gold = kg.kg("eval", "gold", str(DEV))
            write(out / "eval" / "gold.txt", gold.stdout)
            write(out / "eval" / "gold.json", kg.kg("eval", "gold", str(DEV), "--json").stdout)
            responses = work / "factru-responses"
            factru = kg.kg("eval", "factru", str(FACTRU), "--out", str(responses),
                           "--misses", "occupation", "--misses", "deal", "--misses", "meeting",
                           env={"PYTHONHASHSEED": "0"})
            write(out / "eval" / "factru.txt", factru.stdout)
            (out / "eval" / "factru").mkdir(parents=True)
            for path in sorted(responses.iterdir()):
                shutil.copyfile(path, out / "eval" / "factru" / path.name)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def compare(a: Path, b: Path, context: int = 3) -> int:
    left, right = files(a), files(b)
    differences = 0
    for name in sorted(left - right):
        print(f"only in {a}: {name}")
        differences += 1
    for name in sorted(right - left):
        print(f"only in {b}: {name}")
        differences += 1
    for name in sorted(left & right):
        x, y = (a / name).read_bytes(), (b / name).read_bytes()
        if x == y:
            continue
        differences += 1
        print(f"differs: {name} ({len(x)} vs {len(y)} bytes)")
        diff = difflib.unified_diff(x.decode("utf-8", "replace").splitlines(),
                                    y.decode("utf-8", "replace").splitlines(),
                                    str(a / name), str(b / name), lineterm="", n=context)
        for number, line in enumerate(diff):
            if number >= 40:
                print("  ...")
                break
            print("  " + line[:300])
    print(f"{len(left & right)} files compared, {differences} differences")
    return 1 if differences else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="write every output of a checkout into OUT")
    r.add_argument("out", type=Path)
    r.add_argument("--checkout", type=Path, default=Path(__file__).resolve().parents[1])
    r.add_argument("--python", default=sys.executable, help="Python with kg's dependencies installed")
    r.add_argument("--only", default="", help="comma-separated subset of data,dev,factru,demo2000,eval")
    r.add_argument("--jobs", type=int, default=1, help="kg build --jobs (the output is the same for any N)")
    c = sub.add_parser("compare", help="compare two output folders file by file")
    c.add_argument("a", type=Path)
    c.add_argument("b", type=Path)
    args = parser.parse_args()
    if args.command == "run":
        if args.out.exists():
            shutil.rmtree(args.out)
        started = time.perf_counter()
        run(args.out, args.checkout.resolve(), args.python, set(filter(None, args.only.split(","))) or None, args.jobs)
        print(f"wrote {args.out} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    else:
        raise SystemExit(compare(args.a, args.b))


if __name__ == "__main__":
    main()
