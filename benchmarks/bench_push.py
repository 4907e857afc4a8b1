"""A server kept in step with a workspace at scale: ``kg build --push`` and the named queries there.

    flock /tmp/kg-bench.lock .venv/bin/python benchmarks/bench_push.py --n 10000 [--servers oxigraph virtuoso]

1. Builds ``--n`` generated news items (``kg demo-corpus N --seed 0``) with ``--dask local:2``
   and ``--push`` to each server (Oxigraph server in memory with ``--union-default-graph``;
   Virtuoso in a throwaway database, digest auth), both started here as the tests start them
   (``tests/servers.py``) and stopped at the end.
2. Changes 10 documents and adds 10, builds again with ``--push``: only those 20 graphs travel.
3. Runs every named query, once with its required parameters and once more per optional
   parameter (values from the query's own local answer: ``tests/sparql/test_sparql_remote.py``),
   on the workspace and on each server, and lists the (query, parameter) pairs whose answers
   differ (as multisets of rows).

Prints the wall time of each step and the differences.
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

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "sparql")]


def start(name: str, workdir: Path) -> tuple[subprocess.Popen[bytes], list[str]]:
    """A server and the ``--push`` options that reach it."""
    import servers

    if name == "oxigraph":
        process, port = servers.start_oxigraph()
        return process, ["--push", f"http://127.0.0.1:{port}/store"]
    directory = workdir / "virtuoso"
    directory.mkdir()
    sql_port, http_port = servers.free_port(), servers.free_port()
    ini = servers.virtuoso_ini(directory, sql_port, http_port)
    binary = servers.find_binary("virtuoso-t")
    if binary is None:
        raise SystemExit("virtuoso-t is not installed")
    process = subprocess.Popen([binary, "+foreground", "+configfile", str(ini)], cwd=directory,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    servers.wait_http(f"http://127.0.0.1:{http_port}/sparql?query=ASK%7B%7D", process, 120)
    return process, ["--push", f"http://127.0.0.1:{http_port}/sparql-graph-crud-auth",
                     "--user", "dba", "--password", "dba", "--auth", "digest"]


def kg_build(args: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "kg", "build", *args], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"kg build {' '.join(args)} failed:\n{proc.stderr[-3000:]}")
    return time.perf_counter() - started, proc.stdout


def compare(workspace: Path, query_url: str, user: str | None, auth: str) -> tuple[int, set[tuple[str, str]], float]:
    from servers import Server
    from test_sparql_remote import mismatches, param_cases

    from kg.store.oxigraph import open_store

    server = Server("bench", query_url, "", user, "dba" if user else None, auth)
    store = open_store(workspace, read_only=True)
    cases = param_cases(store)
    started = time.perf_counter()
    found = mismatches(server, store, cases)
    return len(cases), found, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--servers", nargs="+", choices=["oxigraph", "virtuoso"], default=["oxigraph", "virtuoso"])
    parser.add_argument("--dask", default="local:2")
    args = parser.parse_args()

    from kg.demo import generate, write_corpus

    workdir = Path(tempfile.mkdtemp(prefix="kg-bench-push-"))
    corpus = workdir / "news.jsonl"
    write_corpus(corpus, args.n, 0)
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    print(f"documents: {args.n}  build: --dask {args.dask}  servers: {args.servers}")
    processes = []
    try:
        pushes = {}
        for name in args.servers:
            process, push = start(name, workdir)
            processes.append(process)
            pushes[name] = push
        ws = workdir / "ws"
        first = None
        for name, push in pushes.items():
            seconds, out = kg_build([str(corpus), "-w", str(ws), "--dask", args.dask, "--quiet", *push]
                                    if first is None else [str(corpus), "-w", str(ws), *push])
            first = first or seconds
            print(f"{name}: build{' + ' if name == args.servers[0] else ' (nothing new) + '}push of {args.n} graphs: "
                  f"{seconds:.1f} s {out.strip().splitlines()[-1] if out.strip() else ''}", flush=True)
        records = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines()]
        for record in records[:: max(1, len(records) // 10)][:10]:
            record["text"] += " Соглашение подписали ООО «Проверка» и губернатор."
        records += [dict(r, id=f"extra-{i}") for i, r in enumerate(generate(10, seed=77))]
        corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        for n, (name, push) in enumerate(pushes.items()):
            extra = ["--dask", args.dask] if n == 0 else []
            seconds, out = kg_build([str(corpus), "-w", str(ws), *extra, *push])
            print(f"{name}: incremental build (10 changed, 10 new) + push: {seconds:.1f} s; "
                  f"{out.strip().splitlines()[0]}; {out.strip().splitlines()[-1]}", flush=True)
        for name, push in pushes.items():
            base = push[1].rsplit("/", 1)[0]
            query_url = f"{base}/query" if name == "oxigraph" else f"{base}/sparql"
            user = "dba" if name == "virtuoso" else None
            cases, found, seconds = compare(ws, query_url, user, "digest" if user else "basic")
            print(f"{name}: {cases} named-query cases on the workspace and the server, {seconds:.1f} s; "
                  f"answers differ: {sorted(found) or 'none'}", flush=True)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
