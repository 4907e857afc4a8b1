"""Failing servers: a scripted HTTP stub on 127.0.0.1 answers with errors, delays, then success."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from servers import free_port

from kg.api import query
from kg.errors import QuerySyntaxError, StoreError
from kg.sparql import Rows
from kg.store.oxigraph import OxigraphStore, open_store
from kg.store.remote import Endpoint, graph_payload, journal_path, push

OK_JSON = json.dumps({"head": {"vars": ["n"]}, "results": {"bindings": [
    {"n": {"type": "literal", "value": "1", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]}})


@dataclass
class Reply:
    status: int = 200
    body: str = OK_JSON
    delay: float = 0.0


@dataclass
class Stub:
    """Replies in order (the last one repeats); records method and path of every request."""

    replies: list[Reply] = field(default_factory=list)
    seen: list[tuple[str, str]] = field(default_factory=list)
    auth: list[str | None] = field(default_factory=list)
    url: str = ""

    def next(self, method: str, path: str) -> Reply:
        self.seen.append((method, path))
        return self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]


@pytest.fixture
def stub() -> Iterator[Stub]:
    state = Stub([Reply()])

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

        def handle_any(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            state.auth.append(self.headers.get("Authorization"))
            reply = state.next(self.command, self.path)
            if reply.delay:
                time.sleep(reply.delay)
            data = reply.body.encode()
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass

        do_GET = do_POST = do_PUT = do_DELETE = handle_any  # noqa: N815

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def endpoint(url: str, **kw: object) -> Endpoint:
    # default_graph="server": no probe for kg's union graph before each query (test_sparql_union.py)
    options: dict[str, object] = {"timeout": 5.0, "retries": 2, "backoff": 0.01, "default_graph": "server"}
    options.update(kw)
    return Endpoint(url, **options)  # type: ignore[arg-type]


COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
GRAPH = "https://w3id.org/cluster-kg/id/doc/f01"  # the fixture's first document graph


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_failures_transient_errors_are_retried(stub: Stub, status: int) -> None:
    stub.replies = [Reply(status, "busy"), Reply(status, "busy"), Reply()]
    rows = query(COUNT, endpoint=endpoint(stub.url + "/query"))
    assert isinstance(rows, Rows) and rows.as_dicts() == [{"n": 1}]
    assert len(stub.seen) == 3


def test_failures_persistent_500_is_a_clear_error(stub: Stub) -> None:
    stub.replies = [Reply(500, "internal trouble")]
    with pytest.raises(StoreError, match=r"/query: 500 server error: internal trouble \(after 3 attempts\)"):
        query(COUNT, endpoint=endpoint(stub.url + "/query"))
    assert len(stub.seen) == 3


@pytest.mark.parametrize(
    ("status", "error", "message"),
    [
        (401, StoreError, "401 unauthorized; check --user, --password and --auth"),
        (404, StoreError, "404 not found"),
        (400, QuerySyntaxError, "rejected the query: parse error at line 1"),
        (403, StoreError, "HTTP 403"),
    ],
)
def test_failures_permanent_errors_are_not_retried(stub: Stub, status: int, error: type[Exception],
                                                   message: str) -> None:
    stub.replies = [Reply(status, "parse error at line 1")]
    with pytest.raises(error, match=message):
        query(COUNT, endpoint=endpoint(stub.url + "/query"))
    assert len(stub.seen) == 1


def test_failures_timeout_is_a_clear_error(stub: Stub) -> None:
    stub.replies = [Reply(delay=3.0)]
    with pytest.raises(StoreError, match=r"no complete answer within 1 s \(time-out\)"):
        query(COUNT, endpoint=endpoint(stub.url + "/query", timeout=1.0, retries=0))


def test_failures_endpoint_down_is_a_clear_error() -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(StoreError, match=r"connection refused: is the server running\? \(after 2 attempts\)"):
        query(COUNT, endpoint=endpoint(url, retries=1))


def test_failures_not_sparql_json_is_a_clear_error(stub: Stub) -> None:
    stub.replies = [Reply(200, "<html>login</html>")]
    with pytest.raises(StoreError, match="the answer is not SPARQL JSON: <html>login"):
        query(COUNT, endpoint=endpoint(stub.url + "/query"))


def test_failures_push_retries_then_resumes_where_it_stopped(stub: Stub, workspace: Path) -> None:
    store = open_store(workspace, read_only=True)
    graphs = store.documents()
    assert len(graphs) == 3
    # first graph: one 503 then 204; second graph: 500 until retries run out
    stub.replies = [Reply(503, ""), Reply(204, ""), Reply(500, "disk full")]
    target = endpoint(stub.url + "/store", retries=1)
    with pytest.raises(StoreError, match=r"disk full.*push stopped after 1 graph\(s\); run it again to resume"):
        push(workspace, target, store=store)
    journal = json.loads(journal_path(workspace, target).read_text())
    assert list(journal["graphs"]) == graphs[:1]
    stub.seen.clear()
    # the push asks the server (its /query beside /store) what it holds before it skips anything
    triples = graph_payload(store, graphs[0]).count(b"\n")
    held = {"head": {"vars": ["g", "n"]}, "results": {"bindings": [{
        "g": {"type": "uri", "value": graphs[0]},
        "n": {"type": "literal", "value": str(triples), "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]}}
    stub.replies = [Reply(200, json.dumps(held)), Reply(204, "")]
    report = push(workspace, target, store=store)
    assert (report.skipped, report.put, report.union) == (graphs[:1], graphs[1:], "put")
    assert [(method, path.split("?")[0]) for method, path in stub.seen] == [
        ("POST", "/query"), ("PUT", "/store"), ("PUT", "/store"), ("PUT", "/store")]
    assert all("graph=https%3A%2F%2Fw3id.org%2Fcluster-kg%2Fid%2Fdoc%2F" in path for _, path in stub.seen[1:3])
    assert stub.seen[3][1].endswith("graph=https%3A%2F%2Fw3id.org%2Fcluster-kg%2Fid%2Fgraph%2Funion")


def held_answer(store: OxigraphStore, graphs: list[str]) -> str:
    """The server's answer to the push check: it holds each of ``graphs`` whole."""
    return json.dumps({"head": {"vars": ["g", "n"]}, "results": {"bindings": [{
        "g": {"type": "uri", "value": g},
        "n": {"type": "literal", "value": str(graph_payload(store, g).count(b"\n")),
              "datatype": "http://www.w3.org/2001/XMLSchema#integer"}} for g in graphs]}})


def test_failures_union_put_cut_short_is_sent_again(stub: Stub, workspace: Path) -> None:
    store = open_store(workspace, read_only=True)
    stub.replies = [Reply(204, ""), Reply(204, ""), Reply(204, ""), Reply(500, "disk full")]
    target = endpoint(stub.url + "/store", retries=0)
    with pytest.raises(StoreError, match="disk full"):
        push(workspace, target, store=store)
    journal = json.loads(journal_path(workspace, target).read_text())
    assert (len(journal["graphs"]), journal["union"]) == (3, None)  # the documents are there, the union is not
    stub.seen.clear()
    stub.replies = [Reply(200, held_answer(store, store.documents())), Reply(204, "")]
    report = push(workspace, target, store=store)
    assert (report.put, report.union) == ([], "put")
    # the check of what the server holds, which server it is (nothing else went), the union
    assert [(method, path.split("?")[0]) for method, path in stub.seen] == [
        ("POST", "/query"), ("GET", "/store"), ("PUT", "/store")]


def test_failures_push_401_stops_at_once(stub: Stub, workspace: Path) -> None:
    stub.replies = [Reply(401, "")]
    with pytest.raises(StoreError, match="401 unauthorized"):
        push(workspace, endpoint(stub.url + "/store", user="dba", password="wrong"))
    assert len(stub.seen) == 1


def test_failures_basic_auth_is_sent(stub: Stub, workspace: Path) -> None:
    stub.replies = [Reply()]
    query(COUNT, endpoint=endpoint(stub.url + "/query", user="dba", password="secret"))
    stub.replies = [Reply(204, "")]
    push(workspace, endpoint(stub.url + "/store", user="dba", password="secret"), force=True)
    assert stub.auth == ["Basic ZGJhOnNlY3JldA=="] * 5  # a query, 3 documents, the union graph


# -- issue 16: bounded answers, escaped server words, read-only workspace ------------------


@pytest.fixture(params=["body", "headers"])
def trickle(request: pytest.FixtureRequest) -> Iterator[str]:
    """A server that sends a valid 600-byte SPARQL JSON answer one byte every 0.1 s (a minute),
    or its headers that way (600 bytes of them)."""
    body = (OK_JSON + " " * 600)[:600].encode()
    slow_headers = request.param == "headers"

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

        def handle_any(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            head = (f"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                    f"X-Padding: {'x' * 500}\r\nContent-Length: {len(body)}\r\n\r\n").encode()
            if not slow_headers:
                self.wfile.write(head)
            try:
                for byte in (head + body) if slow_headers else body:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass

        do_POST = do_PUT = handle_any  # noqa: N815

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_failures_trickling_answer_is_cut_at_the_timeout(trickle: str, workspace: Path) -> None:
    """Issue 16: --timeout was per read, so a server sending 1 byte/s kept a query running for minutes."""
    with pytest.raises(StoreError, match=r"/query: no complete answer within 1 s \(time-out\)$"):
        query(COUNT, endpoint=endpoint(trickle + "/query", timeout=1.0, retries=0))
    with pytest.raises(StoreError, match=r"no complete answer within 1 s \(time-out\); push stopped after 0"):
        push(workspace, endpoint(trickle + "/store", timeout=1.0, retries=0), force=True)


@pytest.mark.parametrize("declared", [True, False], ids=["Content-Length", "chunked"])
def test_failures_huge_answer_is_refused_not_read(stub: Stub, declared: bool, monkeypatch: pytest.MonkeyPatch
                                                  ) -> None:
    """Issue 16: a 2 GiB answer took kg query --endpoint to 6-8 GB; the answer is capped."""
    stub.replies = [Reply(200, "[" + " " * (3 * 2**20) + "]")]
    if not declared:  # no Content-Length: the cap is found while reading
        monkeypatch.setattr(BaseHTTPRequestHandler, "protocol_version", "HTTP/1.0")
        original = BaseHTTPRequestHandler.send_header

        def no_length(self: BaseHTTPRequestHandler, name: str, value: str) -> None:
            if name != "Content-Length":
                original(self, name, value)

        monkeypatch.setattr(BaseHTTPRequestHandler, "send_header", no_length)
    size = " (3,145,730 bytes)" if declared else ""
    with pytest.raises(StoreError, match=rf"/query: the answer is larger than 1,048,576 bytes{re.escape(size)}; "):
        query(COUNT, endpoint=endpoint(stub.url + "/query", max_bytes=2**20))


def test_failures_server_words_are_escaped(stub: Stub) -> None:
    stub.replies = [Reply(403, "\x1b[31mdenied\x00\x07 here")]
    with pytest.raises(StoreError) as caught:
        query(COUNT, endpoint=endpoint(stub.url + "/query"))
    assert str(caught.value).endswith(r"HTTP 403 Forbidden: \x1b[31mdenied\x00\x07 here")


def test_failures_push_on_a_read_only_workspace(stub: Stub, workspace: Path, monkeypatch: pytest.MonkeyPatch
                                                ) -> None:
    """Issue 16: the journal's write error (a traceback) hid what the server said; now the upload's
    failure is the error, and a push that succeeds says the journal could not be kept."""
    from click.testing import CliRunner

    import kg.store.remote
    from kg.cli import cli

    def read_only(path: Path) -> Iterator[Path]:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        yield path  # a generator, as atomic_write

    monkeypatch.setattr(kg.store.remote, "atomic_write", contextlib.contextmanager(read_only))
    args = ["push", "-w", str(workspace), "--endpoint", stub.url + "/store", "--retries", "0"]
    stub.replies = [Reply(503, "overloaded")]
    result = CliRunner().invoke(cli, args)
    assert (result.exit_code, result.stderr) == (
        1, f"Error: {stub.url}/store: PUT {GRAPH}: HTTP 503 Service Unavailable: overloaded; push stopped after "
           "0 graph(s); run it again to resume\n")
    stub.replies = [Reply(204, "")]
    result = CliRunner().invoke(cli, args)
    journal = journal_path(workspace, Endpoint(stub.url + "/store"))
    assert (result.exit_code, result.stderr) == (
        0, f"Warning: {journal}: cannot write the push journal (Read-only file system); pushed without it\n"
           "graphs: 3 uploaded, 0 unchanged, 0 deleted; union graph: put\n")


def test_failures_push_writes_its_journal_every_100_graphs(stub: Stub, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The journal was rewritten after every graph: N graphs, N journals of up to N entries
    (10,000 graphs: about 5 GB written). Now every JOURNAL_EVERY graphs, at the end, and when
    the push stops."""
    import kg.store.remote

    store = open_store(tmp_path / "ws")
    names = [f"https://w3id.org/cluster-kg/id/doc/n{i:03}" for i in range(250)]
    store.replace_documents_nquads(
        [(g, f'<{g}> <http://purl.org/dc/terms/identifier> "n{i}" <{g}> .\n'.encode()) for i, g in enumerate(names)])
    writes: list[int] = []
    save = kg.store.remote._save_journal

    def counted(path: Path, target: Endpoint, graphs: dict[str, object]) -> None:
        writes.append(len(graphs))
        save(path, target, graphs)  # type: ignore[arg-type]

    monkeypatch.setattr(kg.store.remote, "_save_journal", counted)
    monkeypatch.setattr(kg.store.remote, "JOURNAL_SECONDS", 3600.0)
    target = endpoint(stub.url + "/store", retries=0)
    stub.replies = [Reply(204, "")] * 150 + [Reply(503, "busy")]
    with pytest.raises(StoreError, match=r"busy; push stopped after 150 graph\(s\)"):
        push(tmp_path / "ws", target, store=store)
    assert writes == [100, 150]  # every 100 graphs, and what was sent before the failure
    assert sorted(json.loads(journal_path(tmp_path / "ws", target).read_text())["graphs"]) == names[:150]
    writes.clear()
    stub.replies = [Reply(204, "")]
    report = push(tmp_path / "ws", target, store=store, force=True, union=False)
    assert len(report.put) == 250
    assert writes == [150, 200, 250]  # journal sizes: the first 150 were in it already (sent again: --force)
