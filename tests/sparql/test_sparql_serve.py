"""kg serve and local kg query under attack: federation, time limits, odd requests, signals, ports."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from processes import children, command, cpu_seconds, descendants, wait_gone
from servers import start_kg_serve, stop_kg_serve

from kg.cli import cli
from kg.store.oxigraph import open_store
from tests.store_helpers import add_quads

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def big_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 triples: a four-way cartesian COUNT over them runs for minutes."""
    workspace = tmp_path_factory.mktemp("serve")
    store = open_store(workspace)
    p = ox.NamedNode("http://example.org/p")
    add_quads(store, (ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), p, ox.Literal(str(i)),
                            ox.NamedNode(f"http://example.org/doc{i % 30}")) for i in range(300)))
    store.flush()
    del store
    return workspace


class Recorder:
    """An HTTP server on 127.0.0.1 that records the paths it is asked for (the SSRF target)."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                return

            def do_GET(self) -> None:  # noqa: N802
                self._answer()

            def do_POST(self) -> None:  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self._answer()

            def _answer(self) -> None:
                recorder.paths.append(self.path)
                body = b'{"head":{"vars":["secret"]},"results":{"bindings":[]}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/internal"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    target = Recorder()
    yield target
    target.close()


def post(url: str, query: str, timeout: float = 60) -> tuple[int, str]:
    data = urllib.parse.urlencode({"query": query}).encode()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def raw_request(url: str, head: bytes, body: bytes = b"") -> bytes:
    """Send bytes as they are (no client library fixes them up); the whole answer."""
    parts = urllib.parse.urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(head + body)
        chunks = []
        while data := sock.recv(65536):
            chunks.append(data)
    return b"".join(chunks)


def status_line(answer: bytes) -> tuple[int, str]:
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), body.decode()


# -- federation (SERVICE) -------------------------------------------------------------


@pytest.fixture(scope="module")
def served(big_workspace: Path) -> Iterator[str]:
    """``kg serve`` with its defaults on the module's workspace; after the tests, its stderr
    must hold the ready line alone (no traceback, no warning)."""
    process, url = start_kg_serve(big_workspace)
    try:
        yield url
    finally:
        err = stop_kg_serve(process)
    assert err == f"SPARQL endpoint: {url}  (Ctrl-C to stop)\n"


@pytest.mark.server
def test_serve_refuses_service_by_default(served: str, recorder: Recorder) -> None:
    status, body = post(served, f"SELECT * WHERE {{ SERVICE <{recorder.url}> {{ ?s ?p ?o }} }}")
    assert (status, body) == (400, "query refused: SERVICE (federated query) at 1:18 is off "
                                   "(--allow-service turns it on)\n")
    assert recorder.paths == []


@pytest.mark.server
def test_serve_allow_service_federates(big_workspace: Path, recorder: Recorder) -> None:
    process, url = start_kg_serve(big_workspace, "--allow-service")
    try:
        status, body = post(url, f"SELECT * WHERE {{ SERVICE <{recorder.url}> {{ ?secret ?p ?o }} }}")
    finally:
        stop_kg_serve(process)
    assert status == 200 and json.loads(body)["results"]["bindings"] == []
    assert recorder.paths == ["/internal"]


def test_query_refuses_service_locally(big_workspace: Path, recorder: Recorder) -> None:
    query = f"SELECT * WHERE {{ SERVICE <{recorder.url}> {{ ?s ?p ?o }} }}"
    result = CliRunner().invoke(cli, ["query", "-", "-w", str(big_workspace)], input=query)
    assert (result.exit_code, result.stderr) == (
        1, "Error: <stdin>: SERVICE (federated query) at 1:18 is off (--allow-service turns it on)\n")
    assert recorder.paths == []
    result = CliRunner().invoke(cli, ["query", "-", "-w", str(big_workspace), "--allow-service"], input=query)
    assert result.exit_code == 0, result.output
    assert recorder.paths == ["/internal"]


# -- time limits -------------------------------------------------------------------------


@pytest.mark.server
def test_serve_timeout_stops_the_query_and_its_cpu(big_workspace: Path) -> None:
    process, url = start_kg_serve(big_workspace, "--timeout", "1", "--workers", "1")
    try:
        before = set(descendants(process.pid))
        status, body = post(url, CARTESIAN)
        assert (status, body) == (503, "the query was stopped after 1 s (the time limit)\n")
        time.sleep(0.5)
        after = descendants(process.pid)
        assert not before & set(after)  # the worker that ran it is gone (a fresh one replaced it)
        used = sum(cpu_seconds(pid) for pid in after)
        time.sleep(1.5)
        assert sum(cpu_seconds(pid) for pid in descendants(process.pid)) - used < 0.5
        status, body = post(url, "ASK { ?s ?p ?o }")  # and the endpoint still answers
        assert (status, json.loads(body)["boolean"]) == (200, True)
    finally:
        stop_kg_serve(process)


def test_query_timeout_locally(big_workspace: Path) -> None:
    result = CliRunner().invoke(cli, ["query", "-", "-w", str(big_workspace), "--timeout", "1"], input=CARTESIAN)
    assert (result.exit_code, result.stderr) == (1, "Error: the query was stopped after 1 s (the time limit)\n")


# -- odd requests ------------------------------------------------------------------------


@pytest.mark.server
@pytest.mark.parametrize(("head", "body", "status", "message"), [
    (b"Content-Length: -1\r\n", b"", 400, "bad Content-Length: '-1'\n"),
    (b"Content-Length: lots\r\n", b"", 400, "bad Content-Length: 'lots'\n"),
    (b"Content-Length: 20000000000\r\n", b"", 413, "the body has 20,000,000,000 bytes (the limit is 8,388,608)\n"),
    (b"", b"", 411, "a POST needs a Content-Length\n"),
    (b"Content-Type: application/sparql-query\r\nContent-Length: 21\r\n", b"ASK { ?s ?p \"\xff\xfe\xfd\" }  ",
     400, "the body is not UTF-8 (byte 13)\n"),
    (b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 12\r\n", b"query=%FF%FE",
     400, "the request's parameters are not UTF-8\n"),
])
def test_serve_odd_requests_get_one_line(served: str, head: bytes, body: bytes, status: int,
                                         message: str) -> None:
    answer = raw_request(served, b"POST /query HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + head + b"\r\n",
                         body)
    assert status_line(answer) == (status, message)
    assert post(served, "ASK { ?s ?p ?o }")[0] == 200


# -- signals and ports -------------------------------------------------------------------


@pytest.mark.server
def test_serve_sigterm_stops_every_process(big_workspace: Path) -> None:
    process, url = start_kg_serve(big_workspace, "--workers", "2")
    workers = descendants(process.pid)
    assert len(workers) == 2
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    left = wait_gone(workers)
    err = stop_kg_serve(process)
    assert left == []
    assert err == f"SPARQL endpoint: {url}  (Ctrl-C to stop)\n"


def test_serve_busy_port_is_one_line(big_workspace: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "-w", str(big_workspace), "--port", str(port)])
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (f"Error: 127.0.0.1:{port} is in use; stop what listens there or choose "
                             "another port with --port\n")


def test_serve_stops_workers_when_the_port_is_busy(big_workspace: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        CliRunner().invoke(cli, ["serve", "-w", str(big_workspace), "--port", str(taken.getsockname()[1])])
    assert [pid for pid in children(os.getpid()) if "kg.sparql.worker" in command(pid)] == []


def test_serve_kill_leaves_no_worker_behind(big_workspace: Path) -> None:
    """SIGKILL cannot be caught: the workers notice their input closing and exit."""
    process, _ = start_kg_serve(big_workspace, "--workers", "2")
    workers = descendants(process.pid)
    process.kill()
    stop_kg_serve(process)
    assert wait_gone(workers) == []


def test_serve_stream_cut_by_the_time_limit_is_incomplete(big_workspace: Path) -> None:
    """An answer cut after its first chunks is not a complete-looking one (chunked, no last chunk)."""
    process, url = start_kg_serve(big_workspace, "--timeout", "2")
    try:
        query = "SELECT * WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"  # 27 million rows: more than 2 s
        request = urllib.request.Request(url, data=urllib.parse.urlencode({"query": query}).encode())
        with pytest.raises(http.client.IncompleteRead):
            with urllib.request.urlopen(request, timeout=60) as response:
                assert response.status == 200 and response.headers["Transfer-Encoding"] == "chunked"
                while response.read(1 << 20):
                    pass
    finally:
        stop_kg_serve(process)
