"""Load on ``kg serve``: N clients for S seconds, errors and latency, against a baseline server.

    .venv/bin/python benchmarks/bench_serve_load.py WORKSPACE [--clients 20] [--seconds 30]
    .venv/bin/python benchmarks/bench_serve_load.py --build 3000 --dir /tmp/load   # makes the workspace first

Each client (a thread with its own connection per request, as independent users)
POSTs the named queries that need no parameters, in turn from a different start,
for ``--seconds``. Two servers get the same load on the same store, one after the
other (fresh processes):

- ``kg serve`` (this checkout: query checks, worker processes, time limit);
- the baseline, ``oxigraph serve-read-only`` on the same store (the Rust server that
  ``kg serve`` started before issue 16), when the ``oxigraph`` binary is installed.

Prints per server: requests, errors (any status but 200, or no answer), answers/s,
p50/p90/p99/max latency; then the ratios kg serve / baseline. Client and servers
share the machine's cores.
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait(url: str, process: subprocess.Popen[bytes], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=5):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server at {url} did not start")


ACCEPT = {"CONSTRUCT": "text/turtle", "DESCRIBE": "text/turtle"}  # else SPARQL JSON results


def queries() -> list[tuple[str, str, str]]:
    """(name, text, Accept header) of the named queries that need no parameters."""
    from kg.sparql import list_queries

    return [(q.name, q.text, ACCEPT.get(q.form, "application/sparql-results+json"))
            for q in list_queries() if not any(p.required for p in q.params)]


def load(url: str, clients: int, seconds: float, work: list[tuple[str, str, str]]) -> dict[str, object]:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(number: int) -> None:
        turn = number
        while time.monotonic() < stop_at:
            name, text, accept = work[turn % len(work)]
            turn += 1
            data = urllib.parse.urlencode({"query": text}).encode()
            request = urllib.request.Request(url, data=data,
                                             headers={"Accept": accept})
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=120) as response:
                    response.read()
                    ok = response.status == 200
                    why = f"{name}: HTTP {response.status}"
            except urllib.error.HTTPError as exc:
                ok, why = False, f"{name}: HTTP {exc.code} {exc.read()[:100]!r}"
            except OSError as exc:
                ok, why = False, f"{name}: {exc}"
            spent = time.perf_counter() - started
            with lock:
                latencies.append(spent)
                if not ok:
                    errors.append(why)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] if ordered else float("nan")

    return {"requests": len(latencies), "errors": len(errors), "first_errors": errors[:3],
            "per_second": (len(latencies) - len(errors)) / wall, "p50": pct(0.50), "p90": pct(0.90),
            "p99": pct(0.99), "max": ordered[-1] if ordered else float("nan"),
            "mean": statistics.fmean(ordered) if ordered else float("nan")}


def run_server(command: list[str], url: str, clients: int, seconds: float,
               work: list[tuple[str, str, str]]) -> dict[str, object]:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait(url, process)
        return load(url, clients, seconds, work)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def build(count: int, directory: Path) -> Path:
    """A workspace of ``count`` generated documents (kg demo-corpus, seed 1), built once."""
    workspace = directory / f"ws-{count}"
    if (workspace / "store").is_dir():
        return workspace
    directory.mkdir(parents=True, exist_ok=True)
    corpus = directory / f"demo-{count}.jsonl"
    kg = [sys.executable, "-m", "kg"]
    subprocess.run([*kg, "demo-corpus", str(count), "--seed", "1", "-o", str(corpus)], check=True)
    subprocess.run([*kg, "build", str(corpus), "-w", str(workspace), "-q", "--jobs", "2"], check=True)
    return workspace


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("workspace", type=Path, nargs="?")
    parser.add_argument("--build", type=int, default=None, help="Build a workspace of this many generated docs.")
    parser.add_argument("--dir", type=Path, default=Path("/tmp/kg-bench-serve"))
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--timeout", type=float, default=10, help="kg serve --timeout")
    args = parser.parse_args()
    workspace = build(args.build, args.dir) if args.build else args.workspace
    if workspace is None:
        parser.error("give a WORKSPACE or --build N")
    work = queries()
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    print(f"workspace {workspace}; {args.clients} clients x {args.seconds:g} s; {len(work)} named queries: "
          + ", ".join(name for name, _, _ in work))
    results: dict[str, dict[str, object]] = {}
    port = free_port()
    url = f"http://127.0.0.1:{port}/query"
    results["kg serve"] = run_server([sys.executable, "-m", "kg", "serve", "-w", str(workspace), "--port", str(port),
                                      "--timeout", str(args.timeout)], url, args.clients, args.seconds, work)
    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if Path(binary).exists():
        port = free_port()
        url = f"http://127.0.0.1:{port}/query"
        results["oxigraph serve-read-only"] = run_server(
            [binary, "serve-read-only", "--location", str(workspace / "store"), "--bind", f"127.0.0.1:{port}"],
            url, args.clients, args.seconds, work)
    for name, result in results.items():
        print(f"{name:26} requests {result['requests']:>6}  errors {result['errors']:>3}  "
              f"answers/s {result['per_second']:7.1f}  p50 {result['p50']:.3f} s  p90 {result['p90']:.3f} s  "
              f"p99 {result['p99']:.3f} s  max {result['max']:.3f} s")
        if result["first_errors"]:
            print("   first errors: " + json.dumps(result["first_errors"], ensure_ascii=False))
    if len(results) == 2:
        kg, base = results["kg serve"], results["oxigraph serve-read-only"]
        print("ratio kg serve / oxigraph: " + "  ".join(
            f"{key} {float(kg[key]) / float(base[key]):.2f}x"  # type: ignore[arg-type]
            for key in ("per_second", "p50", "p90", "p99")))


if __name__ == "__main__":
    main()
