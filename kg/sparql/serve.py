"""``kg serve``: the workspace as a read-only SPARQL endpoint on 127.0.0.1.

A small HTTP server answers the SPARQL 1.1 Protocol (GET or POST ``query`` on
``/query`` or ``/sparql``). Each request is checked before anything runs — body
size, UTF-8, the query's size, nesting and ``SERVICE`` (``kg.sparql.guard``) — and
refused with 400/413 and a one-line reason. Queries then run in a pool of worker
processes (``kg.sparql.worker``) over the store opened read-only: a query past the
time limit is stopped (its worker killed and replaced) and answered 503, and a
crash of the query engine costs that one query (500), never the server. The
default graph is the store's: the set union of the document graphs.

Routes are a table (``ROUTES``: path -> function of a ``Request`` returning a
``Response``; ``PREFIX_ROUTES`` for paths under a prefix), so new pages are one function
each: ``/`` is YASGUI (``kg.sparql.pages``) with the project's prefixes and the named queries
as examples, ``/static/`` its files, and ``/id/…`` the page of the node ``{base}…``: HTML for
a browser, Turtle for ``Accept: text/turtle`` (``kg.sparql.entity``). With ``cors`` every
answer allows any origin (``Access-Control-Allow-Origin: *``, and OPTIONS preflights).
SIGTERM and Ctrl-C stop the server and every worker.
"""

from __future__ import annotations

import errno
import os
import signal
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType

from kg.errors import KgError, QueryRefused, QuerySyntaxError, QueryTimeout, StoreError
from kg.sparql.catalog import NamedQuery
from kg.sparql.guard import DEFAULT_LIMITS, Limits, check_query
from kg.sparql.rows import Rows
from kg.sparql.terms import Term, check_iri
from kg.vocab import DEFAULT_BASE
from kg.sparql.worker import RESULT_FORMATS, Job, Worker, WorkerGone, WorkerPool
from kg.workspace import Workspace

HOST = "127.0.0.1"
DEFAULT_TIMEOUT = 10.0  # seconds a query may run
MAX_BODY = 8 * 2**20  # bytes of a POST body (a query of Limits.max_chars, form-encoded, fits)
IDLE_SECONDS = 30  # a connection that sends nothing for this long is closed
BUFFER_BYTES = 2**20  # an answer up to this size is sent whole, with its Content-Length


@dataclass(frozen=True, slots=True)
class Settings:
    """How the endpoint behaves: the query time limit, query limits, workers."""

    timeout: float = DEFAULT_TIMEOUT
    limits: Limits = DEFAULT_LIMITS
    workers: int = 2
    max_body: int = MAX_BODY
    log: Callable[[str], None] | None = None  # one line per unexpected failure of a request
    cors: bool = False  # answer cross-origin requests from any page (Access-Control-Allow-Origin: *)
    base: str = DEFAULT_BASE  # the IRIs served as /id/…: {base}… (kg build --base)
    title: str = "kg SPARQL"


@dataclass(frozen=True, slots=True)
class Request:
    """One HTTP request, as the routes see it."""

    method: str
    path: str
    params: dict[str, list[str]]
    headers: dict[str, str]  # names in lower case
    body: str = ""


@dataclass(slots=True)
class Response:
    """What a route answers: a body of bytes, or chunks streamed as they come."""

    status: int
    mime: str
    body: bytes | Iterator[bytes] = b""
    headers: dict[str, str] = field(default_factory=dict)


def text(status: int, message: str) -> Response:
    """A plain-text answer of one line."""
    return Response(status, "text/plain; charset=utf-8", (message.rstrip("\n") + "\n").encode("utf-8"))


class Endpoint:
    """The routes' shared state: the worker pool and the settings."""

    def __init__(self, store_dir: Path, settings: Settings) -> None:
        self.settings = settings
        self.pool = WorkerPool(store_dir, settings.workers)

    def close(self) -> None:
        self.pool.close()


def sparql(endpoint: Endpoint, request: Request) -> Response:
    """The SPARQL 1.1 Protocol query operation."""
    if request.method == "POST" and _media_type(request) == "application/sparql-query":
        query = request.body
    else:
        query = request.params.get("query", [""])[0]
    if not query:
        return text(400, "missing the query parameter")
    try:
        check_query(query, endpoint.settings.limits)
    except QueryRefused as exc:
        return text(400, f"query refused: {exc}")
    fmt = _negotiate(request.headers.get("accept", ""))
    timeout = endpoint.settings.timeout
    job = Job(NamedQuery("query", query), fmt=fmt, seconds=timeout, limits=endpoint.settings.limits)
    return _run(endpoint.pool, job, time.monotonic() + timeout, timeout)


def home(endpoint: Endpoint, request: Request) -> Response:
    """YASGUI on /query, with the project's prefixes and the named queries as examples."""
    from kg.sparql.catalog import list_queries
    from kg.sparql.pages import yasgui_html
    from kg.sparql.terms import STANDARD_PREFIXES

    page = yasgui_html({k: v for k, v in STANDARD_PREFIXES.items() if k != "id"}, list_queries(),
                       endpoint.settings.base, endpoint.settings.title)
    return Response(200, "text/html; charset=utf-8", page.encode("utf-8"))


STATIC_FILES = {"yasgui.min.js": "text/javascript; charset=utf-8", "yasgui.min.css": "text/css; charset=utf-8"}


def static(endpoint: Endpoint, request: Request) -> Response:
    """The page's own files (``kg/sparql/static/``), nothing else."""
    name = request.path[len("/static/"):]
    if name not in STATIC_FILES:
        return text(404, f"not found: {request.path[:200]!r}")
    data = (Path(__file__).parent / "static" / name).read_bytes()
    return Response(200, STATIC_FILES[name], data, {"Cache-Control": "max-age=86400"})


def entity(endpoint: Endpoint, request: Request) -> Response:
    """``GET /id/…``: the node ``{base}…``; Turtle for ``Accept: text/turtle`` (or ``?format=turtle``),
    else an HTML page (names, classes, links, facts with their sentences and documents)."""
    from kg.sparql.entity import entity_view
    from kg.sparql.pages import entity_html

    iri = endpoint.settings.base + request.path[len("/id/"):]
    try:
        iri = check_iri(iri)
    except KgError:
        return text(404, f"not a node of this graph: {request.path[:200]!r}")
    timeout = endpoint.settings.timeout
    deadline = time.monotonic() + timeout
    wanted = request.params.get("format", [""])[0]
    accept = request.headers.get("accept", "")
    if wanted == "turtle" or (not wanted and _prefers_turtle(accept)):
        query = NamedQuery("entity", DESCRIBE_ENTITY, origin="<entity>")
        job = Job(query, {"e": Term("uri", iri)}, fmt="json", seconds=timeout, limits=endpoint.settings.limits)
        if not _result(endpoint, NamedQuery("exists", "ASK { { ?e ?p ?o } UNION { ?s ?p ?e } }"),
                       {"e": Term("uri", iri)}, deadline):
            return text(404, f"nothing is known about <{iri}>")
        return _run(endpoint.pool, job, deadline, timeout)

    def select(sparql_text: str, terms: Mapping[str, Term]) -> Rows:
        result = _result(endpoint, NamedQuery("entity", sparql_text, origin="<entity>"), terms, deadline)
        assert isinstance(result, Rows)
        return result

    def ask(sparql_text: str, terms: Mapping[str, Term]) -> bool:
        return bool(_result(endpoint, NamedQuery("entity", sparql_text, origin="<entity>"), terms, deadline))

    try:
        view = entity_view(select, iri, request.path, ask)
    except QueryTimeout:
        return text(503, f"the page was stopped after {timeout:g} s (the time limit)")
    if view is None:
        return text(404, f"nothing is known about <{iri}>")
    return Response(200, "text/html; charset=utf-8", entity_html(view, endpoint.settings.base).encode("utf-8"))


DESCRIBE_ENTITY = "CONSTRUCT { ?e ?p ?o . ?s ?q ?e } WHERE { { ?e ?p ?o } UNION { ?s ?q ?e } }"


def _prefers_turtle(accept: str) -> bool:
    """True when an Accept header asks for Turtle (or N-Triples) before HTML."""
    for part in accept.split(","):
        mime = part.split(";")[0].strip().lower()
        if mime in ("text/turtle", "application/n-triples", "application/x-turtle"):
            return True
        if mime in ("text/html", "application/xhtml+xml", "*/*"):
            return False
    return False


def _result(endpoint: Endpoint, query: NamedQuery, terms: Mapping[str, Term], deadline: float) -> object:
    """The Result of one query on a worker (``fmt`` None: the pickled Rows, bool or Turtle)."""
    import pickle

    worker = endpoint.pool.acquire(deadline)
    healthy = False
    try:
        worker.send(Job(query, dict(terms), seconds=endpoint.settings.timeout, limits=endpoint.settings.limits))
        data = bytearray()
        for kind, payload in worker.frames(deadline):
            if kind == b"D":
                data += payload
        healthy = True
        return pickle.loads(data)
    finally:
        endpoint.pool.release(worker, healthy)


ROUTES: dict[str, Callable[[Endpoint, Request], Response]] = {
    "/query": sparql,
    "/sparql": sparql,
    "/": home,
}
PREFIX_ROUTES: dict[str, Callable[[Endpoint, Request], Response]] = {
    "/id/": entity,
    "/static/": static,
}


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def _negotiate(accept: str) -> str:
    """The results format the Accept header asks for first (JSON when it names none we know)."""
    wanted = [part.split(";")[0].strip().lower() for part in accept.split(",")]
    for mime in wanted:
        for key, known in RESULT_FORMATS.items():
            if mime == known:
                return key
    return "json"


def _run(pool: WorkerPool, job: Job, deadline: float, timeout: float) -> Response:
    """Run ``job`` on a worker: an answer up to BUFFER_BYTES is sent whole, a larger one streamed."""
    try:
        worker = pool.acquire(deadline)
    except QueryTimeout as exc:
        return text(503, f"{exc} ({timeout:g} s)")
    frames = worker.frames(deadline)
    try:
        worker.send(job)
        mime, chunks, complete = _head(frames)
    except QuerySyntaxError as exc:
        pool.release(worker, True)
        return text(400, f"query syntax: {exc}")
    except QueryTimeout:
        pool.release(worker, False)
        return text(503, f"the query was stopped after {timeout:g} s (the time limit)")
    except WorkerGone as exc:
        pool.release(worker, False)
        return text(500, str(exc))
    except KgError as exc:  # the engine's own error, reported by a worker that carries on
        pool.release(worker, True)
        return text(500, str(exc))
    except BaseException:
        pool.release(worker, False)
        raise
    if complete:
        pool.release(worker, True)
        return Response(200, mime, b"".join(chunks))
    return Response(200, mime, _stream(pool, worker, frames, chunks))


def _head(frames: Iterator[tuple[bytes, bytes]]) -> tuple[str, list[bytes], bool]:
    """The media type and the first chunks of an answer, and whether that is all of it."""
    kind, payload = next(frames)
    if kind != b"M":
        raise StoreError(f"unexpected frame {kind!r} from a query worker")
    mime = f"{payload.decode()}; charset=utf-8"
    chunks: list[bytes] = []
    size = 0
    for kind, payload in frames:
        if kind == b"E":
            return mime, chunks, True
        chunks.append(payload)
        size += len(payload)
        if size >= BUFFER_BYTES:
            return mime, chunks, False
    raise StoreError("a query worker ended its answer without its end frame")


def _stream(pool: WorkerPool, worker: Worker, frames: Iterator[tuple[bytes, bytes]],
            chunks: list[bytes]) -> Iterator[bytes]:
    done = False
    try:
        yield from chunks
        for kind, payload in frames:
            if kind == b"E":
                done = True
                return
            yield payload
    finally:
        pool.release(worker, done)


class _Stop(Exception):
    """SIGTERM: leave serve_forever and clean up."""


class Handler(BaseHTTPRequestHandler):
    """Reads and checks a request, calls its route, writes the Response."""

    protocol_version = "HTTP/1.1"
    timeout = IDLE_SECONDS
    server: Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        return  # stdout is for data; the library never prints

    def do_GET(self) -> None:  # noqa: N802
        self._handle("GET", "")

    def do_OPTIONS(self) -> None:  # noqa: N802
        """A CORS preflight: allowed when ``--cors`` is on (204), else 405."""
        if not self.server.endpoint.settings.cors:
            self._send(text(405, "cross-origin requests are not allowed here; start kg serve with --cors"))
            return
        self._send(Response(204, "text/plain; charset=utf-8", b"", {
            "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
            "Access-Control-Allow-Headers": "Content-Type, Accept",
            "Access-Control-Max-Age": "600"}))

    def do_POST(self) -> None:  # noqa: N802
        body = self._body()
        if body is not None:
            self._handle("POST", body)

    def _body(self) -> str | None:
        """The POST body as text; None after answering an error (400, 411, 413)."""
        if self.headers.get("Transfer-Encoding"):
            self._send(text(411, "send the body with a Content-Length"), close=True)
            return None
        raw = self.headers.get("Content-Length")
        if raw is None:
            self._send(text(411, "a POST needs a Content-Length"), close=True)
            return None
        try:
            length = int(raw)
            if length < 0:
                raise ValueError(raw)
        except ValueError:
            self._send(text(400, f"bad Content-Length: {raw[:40]!r}"), close=True)
            return None
        limit = self.server.endpoint.settings.max_body
        if length > limit:
            self._send(text(413, f"the body has {length:,} bytes (the limit is {limit:,})"), close=True)
            return None
        data = self.rfile.read(length)
        if len(data) < length:
            self.close_connection = True
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            self._send(text(400, f"the body is not UTF-8 (byte {exc.start})"))
            return None

    def _handle(self, method: str, body: str) -> None:
        parts = urllib.parse.urlsplit(self.path)
        route = ROUTES.get(parts.path) or next(
            (function for prefix, function in PREFIX_ROUTES.items() if parts.path.startswith(prefix)), None)
        if route is None:
            self._send(text(404, f"not found: {parts.path[:200]!r}; use /query"))
            return
        try:
            params = urllib.parse.parse_qs(parts.query, errors="strict")
            headers = {k.lower(): v for k, v in self.headers.items()}
            if method == "POST" and headers.get("content-type", "").startswith(
                    "application/x-www-form-urlencoded"):
                params = {**params, **urllib.parse.parse_qs(body, errors="strict")}
        except UnicodeDecodeError:
            self._send(text(400, "the request's parameters are not UTF-8"))
            return
        request = Request(method, parts.path, params, headers, body)
        try:
            response = route(self.server.endpoint, request)
        except KgError as exc:
            response = text(500, str(exc))
        self._send(response)

    def _send(self, response: Response, *, close: bool = False) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.mime)
        if self.server.endpoint.settings.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
        for name, value in response.headers.items():
            self.send_header(name, value)
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        if isinstance(response.body, bytes):
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            self.wfile.write(response.body)
            return
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        chunks = response.body
        try:
            for chunk in chunks:
                if chunk:
                    self.wfile.write(b"%X\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.write(b"0\r\n\r\n")
        except (KgError, OSError):
            # cut short (time limit, engine crash, client gone): no final chunk, so the client
            # sees an incomplete answer, never a truncated one that looks whole
            self.close_connection = True
        finally:
            close_chunks = getattr(chunks, "close", None)
            if close_chunks is not None:
                close_chunks()


class Server(ThreadingHTTPServer):
    """The HTTP server with its Endpoint."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        super().__init__(address, Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        """One line to ``settings.log`` instead of socketserver's traceback on stderr."""
        error = sys.exc_info()[1]
        if isinstance(error, OSError | _Stop):  # the client went away, or we are stopping
            return
        log = self.endpoint.settings.log
        if log is not None:
            log(f"{client_address}: {type(error).__name__}: {error}")


def make_server(store_dir: Path, port: int, settings: Settings | None = None) -> Server:
    """The endpoint over the store in ``store_dir``, bound to 127.0.0.1:``port`` (0: any free port).

    A port in use raises StoreError; so does a store the workers cannot open.
    """
    endpoint = Endpoint(store_dir, settings or Settings())
    try:
        return Server((HOST, port), endpoint)
    except OSError as exc:
        endpoint.close()
        if exc.errno == errno.EADDRINUSE:
            raise StoreError(f"{HOST}:{port} is in use; stop what listens there or choose "
                             "another port with --port") from exc
        raise StoreError(f"cannot listen on {HOST}:{port}: {exc.strerror or exc}") from exc


def serve(workspace: Path, port: int = 7878, *, settings: Settings | None = None,
          ready: Callable[[str], None] | None = None) -> int:
    """Serve ``workspace`` until Ctrl-C or SIGTERM; ``ready(query_url)`` is called once listening.

    Returns 0 once stopped; every worker process is stopped with it.
    """
    ws = Workspace(workspace)
    ws.require_store()
    server = make_server(ws.store_dir, port, settings)
    previous = _on_sigterm()
    try:
        if ready:
            ready(f"http://{HOST}:{server.server_address[1]}/query")
        server.serve_forever()
    except (KeyboardInterrupt, _Stop):
        pass
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        server.server_close()
        server.endpoint.close()
    return 0


def _on_sigterm() -> signal.Handlers | Callable[[int, FrameType | None], object] | int | None:
    """Make SIGTERM leave serve_forever (main thread only); return the handler it replaces."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def stop(signum: int, frame: FrameType | None) -> None:
        raise _Stop

    return signal.signal(signal.SIGTERM, stop)


def default_workers() -> int:
    """Two workers, or as many as there are cores up to four."""
    return max(2, min(4, os.cpu_count() or 2))
