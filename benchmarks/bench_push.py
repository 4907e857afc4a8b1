"""A server kept in step with a workspace at scale: ``kg build --push`` and the named queries there.

    flock /tmp/kg-bench.lock .venv/bin/python benchmarks/bench_push.py --n 10000 [--servers oxigraph virtuoso] [--pushes-only]

1. Builds ``--n`` generated news items (``kg demo-corpus N --seed 0``) with ``--dask local:2``,
   then ``kg push`` to each server twice: every graph travels, then none (the server is
   checked). Servers: Oxigraph in memory with ``--union-default-graph``; Virtuoso in a
   throwaway database, digest auth; both started here as the tests start them
   (``tests/servers.py``) and stopped at the end.
2. Changes 10 documents and adds 10, ``kg build --push`` to each server: only those 20 graphs travel.
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


def kg_run(args: list[str]) -> tuple[float, str]:
    """``kg ARGS`` in a fresh process: its wall seconds, and stdout then stderr."""
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"kg {' '.join(args)} failed:\n{proc.stderr[-3000:]}")
    return time.perf_counter() - started, proc.stdout + proc.stderr


def last_line(out: str) -> str:
    return out.strip().splitlines()[-1] if out.strip() else ""


def compare(workspace: Path, query_url: str, user: str | None, auth: str,
            timeout: float) -> tuple[int, set[tuple[str, str]], dict[tuple[str, str], str], list[tuple[float, str]]]:
    """Every named-query case on the workspace and on the server: the cases, those whose answers
    differ, those the server did not answer (with the error) and the server's seconds per case."""
    from test_sparql_remote import normal, param_cases

    from kg.api import query
    from kg.errors import KgError
    from kg.store.oxigraph import open_store
    from kg.store.remote import Endpoint

    endpoint = Endpoint(query_url, user, "dba" if user else None, auth, timeout=timeout, retries=0)
    store = open_store(workspace, read_only=True)
    cases = param_cases(store)
    differ: set[tuple[str, str]] = set()
    failed: dict[tuple[str, str], str] = {}
    times: list[tuple[float, str]] = []
    for q, params in cases:
        optional = [p.name for p in q.params if not p.required and p.name in params]
        case = (q.name, optional[0] if optional else "")
        local = query(q, store=store, params=params)
        started = time.perf_counter()
        try:
            remote = query(q, endpoint=endpoint, params=params)
        except KgError as exc:
            failed[case] = str(exc).splitlines()[0][:160]
            continue
        finally:
            times.append((time.perf_counter() - started, f"{case[0]} {case[1]}".strip()))
        if normal(local) != normal(remote):
            differ.add(case)
    return len(cases), differ, failed, sorted(times, reverse=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--servers", nargs="+", choices=["oxigraph", "virtuoso"], default=["oxigraph", "virtuoso"])
    parser.add_argument("--dask", default="local:2")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds a query on the server may take")
    parser.add_argument("--pushes-only", action="store_true",
                        help="step 1 only: the full push and the pushes with nothing to send")
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
        seconds, out = kg_run(["build", str(corpus), "-w", str(ws), "--dask", args.dask, "--quiet"])
        print(f"kg build of {args.n} documents (--dask {args.dask}, views included, no push): {seconds:.1f} s",
              flush=True)
        for name, push in pushes.items():
            endpoint = ["push", "-w", str(ws), "--endpoint", *push[1:]]
            full, out = kg_run(endpoint)
            print(f"{name}: kg push of {args.n} graphs: {full:.1f} s; {last_line(out)}", flush=True)
            for _ in range(2):
                seconds, out = kg_run(endpoint)
                print(f"{name}: kg push again (the server checked, nothing travels): {seconds:.1f} s "
                      f"({seconds / full:.2f}x the full push); {last_line(out)}", flush=True)
        if args.pushes_only:
            return
        records = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines()]
        for record in records[:: max(1, len(records) // 10)][:10]:
            record["text"] += " Соглашение подписали ООО «Проверка» и губернатор."
        records += [dict(r, id=f"extra-{i}") for i, r in enumerate(generate(10, seed=77))]
        corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        for n, (name, push) in enumerate(pushes.items()):
            extra = ["--dask", args.dask] if n == 0 else []
            seconds, out = kg_run(["build", str(corpus), "-w", str(ws), *extra, *push])
            print(f"{name}: incremental build (10 changed, 10 new) + push: {seconds:.1f} s; "
                  f"{out.strip().splitlines()[0]}; {last_line(out)}", flush=True)
        for name, push in pushes.items():
            base = push[1].rsplit("/", 1)[0]
            query_url = f"{base}/query" if name == "oxigraph" else f"{base}/sparql"
            user = "dba" if name == "virtuoso" else None
            started = time.perf_counter()
            cases, found, failed, times = compare(ws, query_url, user, "digest" if user else "basic", args.timeout)
            print(f"{name}: {cases} named-query cases on the workspace and the server, "
                  f"{time.perf_counter() - started:.1f} s; answers differ: {sorted(found) or 'none'}; "
                  f"not answered within {args.timeout:.0f} s: {failed or 'none'}", flush=True)
            print(f"{name}: slowest on the server: "
                  + ", ".join(f"{label} {seconds:.1f} s" for seconds, label in times[:5]), flush=True)
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
