"""Real SPARQL servers for tests, on free 127.0.0.1 ports, started and stopped by fixtures.

- ``oxigraph_server``: the ``oxigraph`` CLI from PyPI (``pip install oxigraph``), in memory,
  with the union of all named graphs as default graph (as our embedded store);
  ``oxigraph_plain_server``: the same started as it comes, with an empty default graph.
- ``virtuoso_server``: Virtuoso Open Source (Debian ``virtuoso-opensource``), a throwaway
  database in a temporary directory, the packaged virtuoso.ini with the settings kg needs
  (``KG_VIRTUOSO_SETTINGS``), listening on 127.0.0.1 only (HTTP and SQL ports); updates
  go through the digest-authenticated Graph Store endpoint ``/sparql-graph-crud-auth`` (dba/dba,
  the packaged default: the loopback binding is what keeps it from other machines).

A missing binary skips the test with a reason, or fails it under KG_STRICT_TESTS=1.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

STRICT = os.environ.get("KG_STRICT_TESTS") == "1"
VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")


@dataclass(frozen=True)
class Server:
    """A running server: where to query, where to PUT graphs, and the credentials to use."""

    name: str
    query_url: str
    store_url: str
    user: str | None = None
    password: str | None = None
    auth: str = "basic"
    pid: int = 0  # the server process
    ports: tuple[int, ...] = ()  # every port it was told to listen on


def skip_or_fail(reason: str) -> None:
    if STRICT:
        pytest.fail(f"{reason} (KG_STRICT_TESTS=1 turns this skip into a failure)")
    pytest.skip(reason)


def find_binary(name: str) -> str | None:
    """``name`` on PATH or next to this Python (the venv's bin/)."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_http(url: str, process: subprocess.Popen[bytes], seconds: float, log: Path | None = None) -> None:
    """Wait until ``url`` answers (any HTTP status), or fail with the server's log."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    stop(process)
    text = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
    pytest.fail(f"server at {url} did not start within {seconds:g} s\n{text}")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def start_oxigraph(location: Path | None = None, *, read_only: bool = False,
                   union: bool = True) -> tuple[subprocess.Popen[bytes], int]:
    binary = find_binary("oxigraph")
    if binary is None:
        skip_or_fail("the oxigraph server is not installed (pip install oxigraph)")
    assert binary is not None
    port = free_port()
    command = [binary, "serve-read-only" if read_only else "serve", "--bind", f"127.0.0.1:{port}"]
    if union:
        command.append("--union-default-graph")
    if location is not None:
        command += ["--location", str(location)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_http(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", process, 30)
    return process, port


def start_kg_serve(workspace: Path, *options: str) -> tuple[subprocess.Popen[bytes], str]:
    """``kg serve`` on ``workspace`` on a free port, answering; its process and query URL.

    Stop it with ``stop_kg_serve``, which returns what it wrote on stderr.
    """
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "kg", "serve", "-w", str(workspace), "--port", str(port),
                                *options], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/query"
    wait_http(url + "?query=ASK%7B%7D", process, 60)
    return process, url


def stop_kg_serve(process: subprocess.Popen[bytes]) -> str:
    """Stop a ``start_kg_serve`` process; its stderr (a child that kept the pipe open fails here)."""
    stop(process)
    _, err = process.communicate(timeout=30)
    return err.decode("utf-8", "replace")


@pytest.fixture(scope="session")
def oxigraph_server() -> Iterator[Server]:
    process, port = start_oxigraph()
    base = f"http://127.0.0.1:{port}"
    try:
        yield Server("oxigraph", f"{base}/query", f"{base}/store", pid=process.pid, ports=(port,))
    finally:
        stop(process)


@pytest.fixture(scope="session")
def oxigraph_plain_server() -> Iterator[Server]:
    """A stock Oxigraph server: its default graph is a graph of its own, empty unless written."""
    process, port = start_oxigraph(union=False)
    base = f"http://127.0.0.1:{port}"
    try:
        yield Server("oxigraph-plain", f"{base}/query", f"{base}/store", pid=process.pid, ports=(port,))
    finally:
        stop(process)


# What kg needs changed in the packaged virtuoso.ini (README: Remote endpoints): Virtuoso 7.2's
# cost estimate refuses the queries kg rewrites for it (kg.sparql.scope.detach_subqueries).
KG_VIRTUOSO_SETTINGS = {"MaxQueryCostEstimationTime": "0"}


def virtuoso_ini(directory: Path, sql_port: int, http_port: int,
                 settings: dict[str, str] | None = None) -> Path:
    """A copy of the packaged virtuoso.ini with its files in ``directory`` and our ports, on 127.0.0.1,
    and ``settings`` (default: ``KG_VIRTUOSO_SETTINGS``) in place of the packaged values.

    A bare ``ServerPort = N`` (the packaged file) listens on every interface; ``HOST:N`` on that one.
    """
    text = VIRTUOSO_INI.read_text()
    for name, value in (KG_VIRTUOSO_SETTINGS if settings is None else settings).items():
        text, found = re.subn(rf"(?m)^{name}\s*=.*$", f"{name} = {value}", text)
        assert found == 1, f"{name} is not in {VIRTUOSO_INI}"
    text = text.replace("/var/lib/virtuoso-opensource-7/db/", f"{directory}/")
    text = re.sub(r"(?m)^ServerPort\s*=\s*1111\b", f"ServerPort = 127.0.0.1:{sql_port}", text)
    text = re.sub(r"(?m)^ServerPort\s*=\s*8890\b", f"ServerPort = 127.0.0.1:{http_port}", text)
    text = re.sub(r"(?m)^DirsAllowed\s*=.*$", f"DirsAllowed = ., {directory}", text)
    text = re.sub(r"(?m)^DefaultHost\s*=.*$", f"DefaultHost = 127.0.0.1:{http_port}", text)
    path = directory / "virtuoso.ini"
    path.write_text(text)
    return path


def start_virtuoso(directory: Path, settings: dict[str, str] | None = None) -> tuple[subprocess.Popen[bytes], Server]:
    """Virtuoso on a throwaway database in ``directory`` (``virtuoso_ini``'s ``settings``), answering."""
    binary = find_binary("virtuoso-t")
    if binary is None or not VIRTUOSO_INI.exists():
        skip_or_fail("Virtuoso is not installed (apt-get install virtuoso-opensource)")
    assert binary is not None
    sql_port, http_port = free_port(), free_port()
    ini = virtuoso_ini(directory, sql_port, http_port, settings)
    log = directory / "virtuoso.log"
    process = subprocess.Popen([binary, "+foreground", "+configfile", str(ini)], cwd=directory,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{http_port}"
    wait_http(f"{base}/sparql?query=ASK%7B%7D", process, 120, log)
    return process, Server("virtuoso", f"{base}/sparql", f"{base}/sparql-graph-crud-auth",
                           "dba", "dba", "digest", pid=process.pid, ports=(http_port, sql_port))


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Virtuoso with the settings kg needs (``KG_VIRTUOSO_SETTINGS``)."""
    process, server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    try:
        yield server
    finally:
        stop(process)


def listening_addresses(ports: tuple[int, ...]) -> set[tuple[str, int]]:
    """(address, port) of every TCP socket of this machine listening on one of ``ports`` (Linux /proc)."""
    found: set[tuple[str, int]] = set()
    for table, width in (("/proc/net/tcp", 4), ("/proc/net/tcp6", 16)):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            address, port = fields[1].split(":")
            if fields[3] != "0A" or int(port, 16) not in ports:  # 0A: LISTEN
                continue
            raw = bytes.fromhex(address)
            words = [raw[i:i + 4][::-1] for i in range(0, len(raw), 4)]  # each 32-bit word is little-endian
            found.add((socket.inet_ntop(socket.AF_INET if width == 4 else socket.AF_INET6, b"".join(words)),
                       int(port, 16)))
    return found
