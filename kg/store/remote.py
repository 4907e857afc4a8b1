"""Remote SPARQL endpoints: queries through SPARQLWrapper, uploads through the Graph Store Protocol.

Every request has a deadline for the whole of it (``Endpoint.timeout``: a timer
shuts the socket down, so a server sending one byte a second cannot hold it past
that) and a cap on the answer's size (``Endpoint.max_bytes``); an answer cut short
is never taken for a whole one, and a server's words quoted in a message have
their control characters escaped. SPARQLWrapper builds each query's request; it is
sent through an opener that carries the deadline (``_Wrapper``), and its answer is
read here in capped chunks.

Transient failures (connection refused or reset, time-outs, HTTP 429/500/502/503/504)
are retried with exponential back-off; everything else fails at once with a
``StoreError`` (or ``QuerySyntaxError`` for HTTP 400) that names the endpoint.

``push`` PUTs one named graph per document: a PUT replaces the graph in one
request, so a graph is never left half written, and pushing again replaces
instead of duplicating. A journal in the workspace records what was pushed, so an
interrupted push resumes where it stopped; a graph is skipped only when the
server, asked first, still holds it with as many triples as were sent. The journal
also keeps the SHA-256 of the N-Quads the build wrote for each graph (the identity
index's ``written``), so a graph the build has not written again since it was pushed is
skipped without being read back from the store and serialised; the union graph too,
when no document graph changed.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import http.client
import json
import os
import re
import socket
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from http.client import HTTPException, HTTPResponse
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pyoxigraph as ox
from SPARQLWrapper import BASIC, CONSTRUCT, JSON, POST, SELECT, TURTLE, SPARQLWrapper

from kg.errors import KgError, QuerySyntaxError, StoreError
from kg.sparql.bind import in_graph, with_values
from kg.sparql.catalog import NamedQuery
from kg.sparql.rows import Rows
from kg.sparql.run import Result, parse_turtle, to_turtle
from kg.sparql.scope import detach_subqueries
from kg.sparql.syntax import code_only, missing_prefixes, with_prefixes
from kg.sparql.terms import Term, check_iri
from kg.workspace import Workspace, atomic_write

if TYPE_CHECKING:
    from kg.store.oxigraph import OxigraphStore

T = TypeVar("T")
AUTH_KINDS = ("basic", "digest")
# The set union of every document graph, kept by ``push`` beside them: what a query reads
# on a server whose default graph is empty (Oxigraph, Fuseki) or holds other data (Virtuoso).
UNION_GRAPH = "https://w3id.org/cluster-kg/id/graph/union"
AUTO, SERVER = "auto", "server"
_GRAPH = re.compile(r"\bGRAPH\b", re.I)
TRANSIENT_STATUS = {429, 500, 502, 503, 504}


@dataclass(frozen=True, slots=True)
class Endpoint:
    """A remote SPARQL service: the query URL (or Graph Store URL for ``push``) and how to reach it."""

    url: str
    user: str | None = None
    password: str | None = None
    auth: str = "basic"
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 0.5  # seconds before the first retry; doubled each time
    realm: str = "SPARQL"  # kept for callers; digest answers whatever realm the server names
    max_bytes: int = 512 * 2**20  # the largest answer read; a larger one is an error, not a memory blow-up
    default_graph: str = "auto"  # what a query reads: auto, server, or a graph IRI (see run_remote)

    def __post_init__(self) -> None:
        parts = urllib.parse.urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise KgError(f"endpoint must be an http(s) URL: {self.url!r}")
        if self.auth not in AUTH_KINDS:
            raise KgError(f"unknown auth {self.auth!r}; choose one of {', '.join(AUTH_KINDS)}")
        if self.default_graph not in (AUTO, SERVER):
            check_iri(self.default_graph)

    def run(self, query: NamedQuery, terms: Mapping[str, Term]) -> Result:
        """Answer a named query (``kg.sparql.QueryTarget``): ``run_remote``."""
        return run_remote(self, query, terms)


class _Transient(Exception):
    """A failure worth retrying; ``message`` is what the user sees if retries run out."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _with_retries(endpoint: Endpoint, call: Callable[[], T], sleep: Callable[[float], None] = time.sleep) -> T:
    delay = endpoint.backoff
    for attempt in range(endpoint.retries + 1):
        try:
            return call()
        except _Transient as exc:
            if attempt == endpoint.retries:
                tries = f" (after {attempt + 1} attempts)" if attempt else ""
                raise StoreError(f"{endpoint.url}: {exc.message}{tries}") from exc
            sleep(delay)
            delay *= 2
    raise AssertionError("unreachable")


def _network_error(exc: BaseException, endpoint: Endpoint) -> _Transient | None:
    """A _Transient for connection failures and time-outs; None for anything else."""
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return _Transient(f"no complete answer within {endpoint.timeout:g} s (time-out)")
    if isinstance(reason, str):  # urllib's URLError("...") without an exception inside
        return _Transient(f"cannot reach the endpoint: {reason}")
    if isinstance(reason, ConnectionRefusedError):
        return _Transient("connection refused: is the server running?")
    if isinstance(reason, (OSError, HTTPException)):
        return _Transient(f"cannot reach the endpoint: {reason}")
    return None


def _network_failure(exc: BaseException, endpoint: Endpoint) -> Exception:
    """The error to raise for a failure below HTTP: transient (retried) or final."""
    return _network_error(exc, endpoint) or StoreError(f"{endpoint.url}: {exc}")


def _status_failure(endpoint: Endpoint, status: int, message: str) -> Exception:
    """The error to raise for an HTTP error status: transient (retried) or final."""
    return _Transient(message) if status in TRANSIENT_STATUS else StoreError(f"{endpoint.url}: {message}")


def _body(data: bytes | None, limit: int = 300) -> str:
    """A server's answer for a message, on one line: decoded, whitespace runs (line breaks
    included) made one space, cut at ``limit``, control characters escaped (raw bytes from a
    server never reach the terminal)."""
    text = " ".join((data or b"")[: limit * 4].decode("utf-8", "replace").split())
    text = text if len(text) <= limit else text[:limit] + "…"
    return "".join(ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode("ascii")
                   for ch in text)


# -- HTTP with a deadline and a size cap ------------------------------------------------


class _Deadline:
    """Ends one request at ``seconds``: a timer shuts its socket down, which ends any read or
    write in progress (a per-read timeout alone lets a server trickle one byte at a time)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def attach(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


class _HTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args: Any, deadline: _Deadline, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.deadline = deadline

    def connect(self) -> None:
        super().connect()
        self.deadline.attach(self.sock)


class _HTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args: Any, deadline: _Deadline, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.deadline = deadline

    def connect(self) -> None:
        super().connect()
        self.deadline.attach(self.sock)


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(functools.partial(_HTTPConnection, deadline=self.deadline), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(functools.partial(_HTTPSConnection, deadline=self.deadline), req,
                            context=self._context)  # type: ignore[attr-defined]


def _read(response: Any, limit: int) -> bytes:
    """The body of ``response``, refused (StoreError) as soon as it is longer than ``limit`` bytes."""
    declared = response.headers.get("Content-Length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _TooLarge(int(declared))
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read(min(1 << 20, limit + 1 - size) or 1):
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise _TooLarge(None)
    data = b"".join(chunks)
    if declared is not None and declared.isdigit() and len(data) < int(declared):
        raise http.client.IncompleteRead(data, int(declared) - len(data))  # cut short: never half an answer
    return data


class _TooLarge(Exception):
    def __init__(self, declared: int | None) -> None:
        super().__init__(declared)
        self.declared = declared


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    reason: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)  # names in lower case


def _opener(endpoint: Endpoint, deadline: _Deadline) -> urllib.request.OpenerDirector:
    """An opener whose connections the ``deadline`` can shut, answering digest challenges for ``endpoint``
    (any realm the server names); basic credentials travel as a header, set by the caller."""
    handlers: list[urllib.request.BaseHandler] = [_HTTPHandler(deadline), _HTTPSHandler(deadline)]
    if endpoint.user is not None and endpoint.auth == "digest":
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, endpoint.url, endpoint.user, endpoint.password or "")
        handlers.append(urllib.request.HTTPDigestAuthHandler(manager))
    return urllib.request.build_opener(*handlers)


def _http(endpoint: Endpoint, send: Callable[[urllib.request.OpenerDirector], HTTPResponse]) -> _Answer:
    """One HTTP exchange, over in ``endpoint.timeout`` seconds, its body at most ``endpoint.max_bytes``.

    ``send`` sends the request through the opener it is given and returns the response
    (its body unread). Returns any status with its body (an error's body cut at 64 KiB);
    failures below HTTP raise ``_Transient`` (retried) or StoreError.
    """
    with _Deadline(endpoint.timeout) as deadline:
        try:
            try:
                with send(_opener(endpoint, deadline)) as response:
                    body = _read(response, endpoint.max_bytes)
                    if deadline.expired:  # a chunked answer cut by the deadline ends like a whole one
                        raise TimeoutError
                    return _Answer(int(response.status), str(response.reason), body, _lower(response.headers))
            except urllib.error.HTTPError as exc:
                return _Answer(exc.code, str(exc.reason), exc.read(64 * 1024),  # enough for a message
                               _lower(exc.headers))
        except _TooLarge as exc:
            size = f" ({exc.declared:,} bytes)" if exc.declared is not None else ""
            raise StoreError(f"{endpoint.url}: the answer is larger than {endpoint.max_bytes:,} bytes{size}; "
                             "ask for less (LIMIT) or raise Endpoint.max_bytes") from None
        except (urllib.error.URLError, OSError, HTTPException, ValueError) as exc:
            if deadline.expired:
                raise _Transient(f"no complete answer within {endpoint.timeout:g} s (time-out)") from exc
            raise _network_failure(exc, endpoint) from exc


def _lower(headers: Any) -> dict[str, str]:
    """HTTP headers (an ``email.message.Message`` or None) as a dict, names in lower case."""
    return {} if headers is None else {str(k).lower(): str(v) for k, v in headers.items()}


def _basic(endpoint: Endpoint) -> dict[str, str]:
    """The Authorization header for basic auth (none for digest or without a user)."""
    if endpoint.user is None or endpoint.auth != "basic":
        return {}
    token = base64.b64encode(f"{endpoint.user}:{endpoint.password or ''}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


# -- queries ---------------------------------------------------------------------


class _Wrapper(SPARQLWrapper):
    """SPARQLWrapper sending its request through ``opener`` (the deadline's connections, digest)
    instead of urllib's global ``urlopen``: its own ``_query`` also reads an error answer whole
    (``e.read()``), and its digest setting installs a process-wide opener. An HTTP error
    comes out as urllib's ``HTTPError``, its body unread."""

    def __init__(self, url: str, opener: urllib.request.OpenerDirector, timeout: float) -> None:
        super().__init__(url)
        self._opener = opener
        self._seconds = timeout

    def _query(self) -> tuple[HTTPResponse, str]:
        response = self._opener.open(self._createRequest(), timeout=self._seconds)
        return response, self.returnFormat


def run_remote(endpoint: Endpoint, query: NamedQuery, terms: Mapping[str, Term]) -> Result:
    """Run ``query`` on ``endpoint``; parameters travel as equality tests on escaped terms.

    Which graph the query reads (``endpoint.default_graph``): ``auto`` reads kg's union graph
    (``UNION_GRAPH``, kept by ``push``) when the endpoint has it, else the server's default
    graph, and warns (``EmptyDefaultGraph``) when that is empty while named graphs hold
    data; ``server`` always reads the server's default graph; an IRI reads that graph.

    A graph is named with the protocol's ``default-graph-uri``; but that (like ``FROM``) leaves
    a query no named graphs at all, so a query with ``GRAPH`` patterns of its own has its
    WHERE group read from the graph instead (``WHERE { GRAPH <g> { … } }``, ``in_graph``), where
    an inner ``GRAPH ?g`` still sees every graph. Only where it must: Virtuoso 7.2 loses rows
    of larger answers when a query with subqueries is nested in ``GRAPH <g>``.
    """
    where = query.origin or query.name
    graph = endpoint.default_graph
    if graph == AUTO:
        graph = UNION_GRAPH if _ask(endpoint, f"ASK {{ GRAPH <{UNION_GRAPH}> {{ ?s ?p ?o }} }}") else SERVER
    text = with_values(query.text, terms, subqueries=bool(terms) and binds_in_subqueries(_product(endpoint)))
    detached = detach_subqueries(text)
    if detached != text and not joins_subqueries_right(_product(endpoint)):
        text = detached
    default_graph_uri = None
    if graph != SERVER:
        wrapped = in_graph(text, graph) if _GRAPH.search(code_only(text)) else None
        if wrapped is None:
            default_graph_uri = graph  # the protocol's default-graph-uri: no GRAPH in the query to keep
        else:
            text = wrapped
    elif endpoint.default_graph == AUTO:
        _warn_if_default_graph_empty(endpoint)
    text = with_prefixes(text, missing_prefixes(query.text))
    graph_form = query.form in ("CONSTRUCT", "DESCRIBE")
    data = _send(endpoint, text, where, graph_form, default_graph_uri)
    if graph_form:
        try:
            return to_turtle(parse_turtle(data.decode("utf-8")), query.prefixes)
        except UnicodeDecodeError as exc:
            raise StoreError(f"{endpoint.url}: the answer is not UTF-8 Turtle: {_body(data)}") from exc
    return _decode(endpoint, data)


# The ``Server`` header of each endpoint's last answer, by URL (see ``binds_in_subqueries``).
_PRODUCTS: dict[str, str] = {}
# Products that answer wrongly when a subquery starts with a VALUES block: Virtuoso 7.2 loses or
# keeps rows (clusters-by-region with region_name, foreign-partners with country;
# tests/sparql/test_sparql_remote.py).
VALUES_IN_SUBQUERIES_WRONG = ("virtuoso",)


def binds_in_subqueries(product: str) -> bool:
    """Whether parameters also go into subqueries (``kg.sparql.scope``) for a ``Server`` header."""
    return not any(name in product.lower() for name in VALUES_IN_SUBQUERIES_WRONG)


# Products that drop rows of a DISTINCT or grouped subquery whose keys repeat across the rows
# it is joined to (Virtuoso 7.2: cluster-members lost the initiator rows of organisations that
# are also members): such subqueries are detached with a LIMIT (``kg.sparql.scope.detach_subqueries``).
SUBQUERY_JOIN_WRONG = ("virtuoso",)


def joins_subqueries_right(product: str) -> bool:
    """Whether a server (its ``Server`` header) joins DISTINCT and grouped subqueries right."""
    return not any(name in product.lower() for name in SUBQUERY_JOIN_WRONG)


def _product(endpoint: Endpoint) -> str:
    """The endpoint's ``Server`` header (asked once a process, with ``ASK {}``, if not seen yet)."""
    if endpoint.url not in _PRODUCTS:
        _ask(endpoint, "ASK {}")
    return _PRODUCTS.get(endpoint.url, "")


class EmptyDefaultGraph(UserWarning):
    """The endpoint's default graph is empty while its named graphs hold data: most queries
    will answer nothing."""


def _ask(endpoint: Endpoint, text: str) -> bool:
    return bool(_decode(endpoint, _send(endpoint, text, "<probe>", False, None)))


def _warn_if_default_graph_empty(endpoint: Endpoint) -> None:
    if _ask(endpoint, "ASK { ?s ?p ?o }") or not _ask(endpoint, "ASK { GRAPH ?g { ?s ?p ?o } }"):
        return
    warnings.warn(
        f"{endpoint.url}: the default graph is empty while named graphs hold data, so queries "
        f"that do not name a graph answer nothing. Push with `kg push` (it keeps the union graph "
        f"<{UNION_GRAPH}>, which kg query reads), or start the server with a union default graph "
        f"(README: Remote endpoints)", EmptyDefaultGraph, stacklevel=4)


def _decode(endpoint: Endpoint, data: bytes) -> Rows | bool:
    try:
        document = json.loads(data)
    except ValueError as exc:
        raise StoreError(f"{endpoint.url}: the answer is not SPARQL JSON: {_body(data)}") from exc
    if isinstance(document, dict) and "boolean" in document:
        return bool(document["boolean"])
    try:
        return Rows.from_json(document)
    except (KeyError, TypeError, AttributeError) as exc:
        raise StoreError(f"{endpoint.url}: malformed SPARQL JSON results: {exc}") from exc


def _send(endpoint: Endpoint, text: str, where: str, graph_form: bool, default_graph_uri: str | None) -> bytes:
    """POST one query (with retries); the answer's bytes: SPARQL JSON, or Turtle for graph forms."""

    def send(opener: urllib.request.OpenerDirector) -> HTTPResponse:
        wrapper = _Wrapper(endpoint.url, opener, endpoint.timeout)
        wrapper.setQuery(text)
        # A query, never an update: SPARQLWrapper guesses the form from the text with comments
        # half stripped, and a comment saying "removed" made it send an update (MOVE).
        wrapper.queryType = CONSTRUCT if graph_form else SELECT
        wrapper.setMethod(POST)
        wrapper.setOnlyConneg(True)
        wrapper.setReturnFormat(TURTLE if graph_form else JSON)
        if default_graph_uri is not None:
            wrapper.addDefaultGraph(default_graph_uri)
        for name, value in _basic(endpoint).items():
            wrapper.addCustomHttpHeader(name, value)
        response: HTTPResponse = wrapper.query().response
        return response

    def call() -> bytes:
        answer = _http(endpoint, send)
        _PRODUCTS[endpoint.url] = answer.headers.get("server", "")
        if answer.status == 200:
            _check_whole(endpoint, where, answer.headers)
            return answer.body
        if answer.status == 400:
            raise QuerySyntaxError(f"{where}: {endpoint.url} rejected the query: {_body(answer.body)}")
        if answer.status == 401:
            raise StoreError(f"{endpoint.url}: 401 unauthorized; check --user, --password "
                             f"and --auth ({endpoint.auth})")
        if answer.status == 404:
            raise StoreError(f"{endpoint.url}: 404 not found; is this the SPARQL query URL?")
        if answer.status == 414:
            raise StoreError(f"{endpoint.url}: 414 the request is too long")
        if answer.status == 500:
            limit = _server_limit(answer.body)
            if limit is not None:
                raise StoreError(f"{where}: {endpoint.url} {limit}")
            raise _Transient(f"500 server error: {_body(answer.body)}")
        message = f"HTTP {answer.status} {answer.reason}: {_body(answer.body)}"
        raise _status_failure(endpoint, answer.status, message)

    return _with_retries(endpoint, call)


_SETTINGS = "README: Remote endpoints"
_ESTIMATE = re.compile(rb"estimated execution time (-?\d+) \(sec\) exceeds the limit of (\d+) \(sec\)")


def _server_limit(body: bytes) -> str | None:
    """What a server error says when a Virtuoso limit stopped the query (not worth a retry), else None."""
    found = _ESTIMATE.search(body)
    if found:
        return (f"refused the query: Virtuoso's estimate of its cost is over the limit of {int(found[2])} s "
                f"(MaxQueryCostEstimationTime in the [SPARQL] section of virtuoso.ini; 0 turns the "
                f"estimate off, which kg's queries need on Virtuoso 7.2: {_SETTINGS})")
    if b"SR171" in body:
        return (f"stopped the query at its time limit (Virtuoso SR171: Transaction timed out; "
                f"MaxQueryExecutionTime in the [SPARQL] section of virtuoso.ini: {_SETTINGS})")
    return None


def _check_whole(endpoint: Endpoint, where: str, headers: Mapping[str, str]) -> None:
    """Raise StoreError when a server says its answer is not the whole answer: Virtuoso's
    "anytime" answers (the rows found when its time ran out, ``X-SQL-State``) and answers cut
    at its ``ResultSetMaxRows`` (``X-SPARQL-MaxRows``). Either looks complete otherwise."""
    state = headers.get("x-sql-state")
    if state is not None:
        said = " ".join(headers.get("x-sql-message", "").split("Activity:")[0].split())
        raise StoreError(f"{where}: {endpoint.url} sent a partial answer, not shown (X-SQL-State {state}: {said}); "
                         f"Virtuoso answers with the rows found so far when a query runs past a time limit "
                         f"(MaxQueryExecutionTime, or a timeout parameter in the endpoint URL: {_SETTINGS})")
    rows = headers.get("x-sparql-maxrows")
    if rows is not None:
        raise StoreError(f"{where}: {endpoint.url} stopped the answer at its limit of {rows} rows "
                         f"(X-SPARQL-MaxRows), so it may be cut, not shown: raise ResultSetMaxRows in the "
                         f"[SPARQL] section of virtuoso.ini, or ask for fewer rows with LIMIT ({_SETTINGS})")


# -- Graph Store Protocol ----------------------------------------------------------


class _FileBody:
    """A request body read from a file in blocks, from its start each time it is sent: a digest
    challenge makes urllib send a request twice, and a file object would be empty the second time."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __iter__(self) -> Iterator[bytes]:
        with self.path.open("rb") as stream:
            yield from iter(lambda: stream.read(1 << 20), b"")


def gsp_request(endpoint: Endpoint, method: str, graph: str, data: bytes | Path | None = None, *,
                headers: dict[str, str] | None = None) -> int:
    """One Graph Store Protocol request on ``graph``; returns the HTTP status (404 allowed on DELETE, GET).

    ``data`` is the Turtle to send, or a file of it, streamed (read again on a retry);
    ``headers``, when given, receives the response's headers (names in lower case).
    """
    url = f"{endpoint.url}{'&' if '?' in endpoint.url else '?'}{urllib.parse.urlencode({'graph': graph})}"
    sent = {"Content-Type": "text/turtle; charset=utf-8"} if data is not None else {}
    if isinstance(data, Path):
        sent["Content-Length"] = str(data.stat().st_size)
    sent.update(_basic(endpoint))

    def send(opener: urllib.request.OpenerDirector) -> HTTPResponse:
        body = _FileBody(data) if isinstance(data, Path) else data
        request = urllib.request.Request(url, data=body, method=method, headers=sent)
        response: HTTPResponse = opener.open(request, timeout=endpoint.timeout)
        return response

    def call() -> int:
        answer = _http(endpoint, send)
        if headers is not None:
            headers.update(answer.headers)
        if answer.status < 300:
            return answer.status
        if method in ("DELETE", "GET") and answer.status == 404:
            return 404
        if answer.status == 401:
            raise StoreError(f"{endpoint.url}: 401 unauthorized; check --user, --password and "
                             f"--auth ({endpoint.auth})")
        message = f"{method} {graph}: HTTP {answer.status} {answer.reason}: {_body(answer.body)}"
        raise _status_failure(endpoint, answer.status, message)

    return _with_retries(endpoint, call)


# Servers whose default graph is already the union of every graph (their own system graphs
# too): a union graph of ours would be counted twice there, and Virtuoso 7.2 loses rows when
# a query names a graph to read (measured: BENCHMARKS.md, "The union graph on Virtuoso").
UNION_DEFAULT_SERVERS = ("virtuoso", "graphdb")


def unions_by_itself(server: str) -> bool:
    """True for a ``Server`` header of a product whose default graph is every graph's union."""
    return any(name in server.lower() for name in UNION_DEFAULT_SERVERS)


@dataclass(slots=True)
class PushReport:
    """What ``push`` did: graphs uploaded, skipped as unchanged, and deleted remotely;
    ``union``: ``put``, ``unchanged`` or ``off`` for the union graph (``UNION_GRAPH``)."""

    put: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    journal_error: str | None = None  # why the journal could not be written, if it could not
    union: str = "off"  # put, unchanged, off, or "not needed" (a server whose default graph is the union)


def graph_payload(store: OxigraphStore, graph: str) -> bytes:
    """The triples of one named graph as N-Triples (valid Turtle), sorted so equal graphs give equal bytes."""
    triples = store.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {ox.NamedNode(graph)} {{ ?s ?p ?o }} }}")
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    lines = sorted(data.decode("utf-8").splitlines())
    return ("\n".join(lines) + "\n").encode("utf-8")


def journal_path(workspace: Path, endpoint: Endpoint) -> Path:
    return Workspace(workspace).journal(endpoint.url)


@dataclass(frozen=True, slots=True)
class Pushed:
    """What the journal says was sent for one graph: the payload's SHA-256, its triple count, and
    the digest of what the build had written for it (``written``; for the union graph, of every
    document graph's)."""

    sha256: str
    triples: int | None  # None: a journal written before counts were kept
    written: str | None = None  # None: unknown (a journal or an index from before kg kept it)


def _load_journal(path: Path) -> dict[str, Pushed]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        graphs = dict(data.get("graphs", {}))
        if data.get("union"):
            graphs[UNION_GRAPH] = data["union"]  # the union graph's, kept apart from the documents'
        return {str(g): Pushed(v, None) if isinstance(v, str) else
                Pushed(str(v["sha256"]), int(v["triples"]), str(v["written"]) if v.get("written") else None)
                for g, v in graphs.items()}
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise StoreError(f"{path}: unreadable push journal ({exc}); delete it to push everything") from exc


def _save_journal(path: Path, endpoint: Endpoint, graphs: dict[str, Pushed]) -> None:
    """Write the journal; a workspace that cannot be written (read-only) is one StoreError."""
    entries = {g: {"sha256": p.sha256, "triples": p.triples, **({"written": p.written} if p.written else {})}
               for g, p in graphs.items()}
    document = {"endpoint": endpoint.url, "union": entries.pop(UNION_GRAPH, None), "graphs": entries}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(path) as tmp:
            tmp.write_text(json.dumps(document, indent=1, sort_keys=True), encoding="utf-8")
    except OSError as exc:
        raise StoreError(f"{path}: cannot write the push journal ({exc.strerror or exc})") from exc


# Graph Store URL endings and the query URL of the same server.
QUERY_URLS = (
    ("/store", "/query"),  # Oxigraph
    ("/sparql-graph-crud-auth", "/sparql-auth"),  # Virtuoso, digest
    ("/sparql-graph-crud", "/sparql"),  # Virtuoso
    ("/data", "/query"),  # Fuseki (/dataset/data)
    ("/rdf-graphs/service", ""),  # RDF4J / GraphDB: the repository URL answers queries
)
VERIFY_CHUNK = 1000  # graphs per verifying query


def query_url_of(store_url: str) -> str | None:
    """The SPARQL query URL beside a Graph Store URL, for the servers in QUERY_URLS; else None."""
    base, sep, query = store_url.partition("?")
    for ending, replacement in QUERY_URLS:
        if base.endswith(ending):
            return base[: -len(ending)] + replacement + sep + query
    return None


def server_sizes(endpoint: Endpoint, graphs: list[str]) -> dict[str, int]:
    """Triples the server at ``endpoint`` (its query URL) holds in each of ``graphs`` (absent: not there).

    One query per VERIFY_CHUNK graphs: ``SELECT ?g (COUNT(*) AS ?n) … GRAPH ?g … GROUP BY ?g``.
    """
    sizes: dict[str, int] = {}
    for start in range(0, len(graphs), VERIFY_CHUNK):
        names = " ".join(str(ox.NamedNode(g)) for g in graphs[start:start + VERIFY_CHUNK])
        text = ("SELECT ?g (COUNT(*) AS ?n) WHERE { VALUES ?g { " + names + " } GRAPH ?g { ?s ?p ?o } } "
                "GROUP BY ?g")
        rows = run_remote(endpoint, NamedQuery("push-check", text, origin="push check"), {})
        if not isinstance(rows, Rows) or rows.variables != ("g", "n"):
            raise StoreError(f"{endpoint.url}: unexpected answer to the push check: {_body(repr(rows).encode())}")
        for graph, count in rows.rows:
            if graph is not None and count is not None:
                try:
                    sizes[graph.value] = int(count.value)
                except ValueError:
                    continue
    return sizes


def union_stamp(local: list[str], written: Mapping[str, str]) -> str | None:
    """A digest of every document graph's ``written`` digest: the union graph's content is a function
    of theirs (None when one is unknown)."""
    if any(graph not in written for graph in local):
        return None
    digest = hashlib.sha256()
    for graph in sorted(local):
        digest.update(f"{graph}\t{written[graph]}\n".encode("utf-8"))
    return digest.hexdigest()


def _on_server(graph: str, known: Pushed | None, held: Mapping[str, int]) -> bool:
    """Whether the server holds ``graph`` with as many triples as the journal says were sent."""
    return graph in held and (known is None or known.triples in (None, held[graph]))


def _written_unchanged(known: Pushed | None, stamp: str | None) -> bool:
    """Whether the journal's record was sent from what the build wrote as ``stamp`` (both known)."""
    return known is not None and stamp is not None and known.written == stamp


def _push_union(store: OxigraphStore, endpoint: Endpoint, journal: dict[str, Pushed], path: Path,
                force: bool, held: Mapping[str, int], report: PushReport, stamp: str | None = None) -> str:
    """PUT the union graph (every distinct triple of the document graphs) unless the journal
    says this content went there and the server still holds it with as many triples. With
    ``stamp`` (``union_stamp``) equal to the journal's, the content is known without dumping it.

    The union is dumped by Oxigraph (its default graph, kept as the set union) to a temporary
    file and streamed from there, so memory does not grow with the store (and a read-only
    workspace can still be pushed). Returns ``put`` or ``unchanged``.
    """
    known = journal.get(UNION_GRAPH)
    on_server = _on_server(UNION_GRAPH, known, held)
    if not force and _written_unchanged(known, stamp) and on_server:
        return "unchanged"
    handle, name = tempfile.mkstemp(prefix="kg-union-", suffix=".nt")
    os.close(handle)
    dump = Path(name)
    try:
        store.dump_union(dump)
        digest = hashlib.sha256()
        lines = 0
        with dump.open("rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
                lines += block.count(b"\n")
        sent = Pushed(digest.hexdigest(), lines, stamp)
        if not force and known is not None and known.sha256 == sent.sha256 and on_server:
            if known.written != stamp:  # next time, known without dumping
                journal[UNION_GRAPH] = sent
                _record(path, endpoint, journal, report)
            return "unchanged"
        journal.pop(UNION_GRAPH, None)
        _record(path, endpoint, journal, report)  # a PUT cut short leaves no digest: pushed again
        gsp_request(endpoint, "PUT", UNION_GRAPH, dump)
        journal[UNION_GRAPH] = sent
        _record(path, endpoint, journal, report)
        return "put"
    finally:
        dump.unlink(missing_ok=True)


def _push_documents(store: OxigraphStore, endpoint: Endpoint, local: list[str], journal: dict[str, Pushed],
                    held: Mapping[str, int], force: bool, server: dict[str, str], writer: _JournalWriter,
                    report: PushReport, progress: Callable[[str, str], None] | None,
                    written: Mapping[str, str]) -> None:
    """PUT each document graph of ``local`` unless it was pushed unchanged and the server holds it
    (``held``), then DELETE the graphs pushed before and gone from the workspace. A graph whose
    ``written`` digest is the journal's is known unchanged without being serialised."""
    for graph in local:
        known = journal.get(graph)
        on_server = _on_server(graph, known, held)
        stamp = written.get(graph)
        if not force and _written_unchanged(known, stamp) and on_server:
            report.skipped.append(graph)
            continue
        payload = graph_payload(store, graph)
        sent = Pushed(hashlib.sha256(payload).hexdigest(), payload.count(b"\n"), stamp)
        if not force and known is not None and known.sha256 == sent.sha256 and on_server:
            report.skipped.append(graph)
            if known.written != stamp:  # next time, known without serialising
                journal[graph] = sent
                writer.changed()
            continue
        try:
            gsp_request(endpoint, "PUT", graph, payload, headers=server)
        except StoreError as exc:  # push() records what was sent before; the upload's failure is the news
            raise StoreError(f"{exc}; push stopped after {len(report.put)} graph(s); "
                             f"run it again to resume") from exc
        journal[graph] = sent
        writer.changed()
        report.put.append(graph)
        if progress:
            progress("put", graph)
    for graph in sorted(set(journal) - set(local) - {UNION_GRAPH}):
        gsp_request(endpoint, "DELETE", graph)
        del journal[graph]
        writer.changed()
        report.deleted.append(graph)
        if progress:
            progress("delete", graph)


def push(
    workspace: Path,
    endpoint: Endpoint,
    *,
    store: OxigraphStore | None = None,
    force: bool = False,
    query_endpoint: Endpoint | None = None,
    progress: Callable[[str, str], None] | None = None,
    union: bool | None = None,
) -> PushReport:
    """Upload every document graph of ``workspace`` to the Graph Store at ``endpoint.url``.

    A graph is skipped only when the journal says this content was pushed to this
    endpoint and the server still holds that graph with as many triples (one query
    per 1,000 graphs to ``query_endpoint``, by default the query URL beside the
    Graph Store URL: ``query_url_of``); ``force`` uploads everything. Whether the content
    changed is told by the digest of what the build wrote for the graph (the workspace's
    identity index) when the journal holds it, else by serialising the graph. Graphs pushed
    before but gone from the workspace are deleted remotely.
    The union graph ``UNION_GRAPH`` (each triple of the documents once, as the workspace's
    default graph) is PUT after them whenever it changed, so that queries read the same
    graph on a server whose default graph is empty (``run_remote``): with ``union`` None
    (auto) unless the server is one whose default graph is already every graph's union
    (``UNION_DEFAULT_SERVERS``, told by its ``Server`` header), always with True, never with
    False; where it is not kept, one left by an earlier push is deleted (it would be read,
    stale). ``progress(action, graph)`` is called after each request.
    """
    if store is None:
        from kg.store.oxigraph import open_store

        store = open_store(workspace, read_only=True)
    path = journal_path(workspace, endpoint)
    journal = _load_journal(path)
    report = PushReport()
    local = store.documents()
    written = _written(workspace)
    held: dict[str, int] = {}
    if journal and not force:
        held = server_sizes(_query_endpoint(endpoint, query_endpoint),
                            [g for g in [*local, UNION_GRAPH] if g in journal])
    server: dict[str, str] = {}
    writer = _JournalWriter(path, endpoint, journal, report)
    try:
        _push_documents(store, endpoint, local, journal, held, force, server, writer, report, progress, written)
    finally:
        writer.flush()  # also when stopped (Ctrl-C): what was sent is recorded
    if union is None and not server:
        gsp_request(endpoint, "GET", UNION_GRAPH + "/probe", headers=server)  # which server it is (a 404)
    if union is False or (union is None and unions_by_itself(server.get("server", ""))):
        report.union = "off" if union is False else "not needed"
        # a union graph left from an earlier push would be read by kg query --endpoint, stale
        gsp_request(endpoint, "DELETE", UNION_GRAPH)
        if journal.pop(UNION_GRAPH, None) is not None:
            _record(path, endpoint, journal, report)
    else:
        try:
            report.union = _push_union(store, endpoint, journal, path, force, held, report,
                                       union_stamp(local, written))
        except StoreError as exc:
            raise StoreError(f"{exc}; the document graphs are pushed, the union graph is not; "
                             f"run it again to push it") from exc
        if progress and report.union == "put":
            progress("put", UNION_GRAPH)
    return report


def _written(workspace: Path) -> dict[str, str]:
    """Graph -> SHA-256 of the N-Quads the build stored for it (``kg.resolve.index``)."""
    from kg.resolve.index import IdentityIndex

    index = IdentityIndex.of_workspace(workspace, read_only=True)
    try:
        return index.written()
    finally:
        index.close()


JOURNAL_EVERY = 100  # graphs pushed or deleted between two writes of the journal
JOURNAL_SECONDS = 2.0  # ... or seconds, whichever comes first


class _JournalWriter:
    """Writes the journal after every JOURNAL_EVERY changes or JOURNAL_SECONDS, and on ``flush``:
    rewriting it after each graph made a push of N graphs write N journals of up to N entries
    (10,000 graphs: about 5 GB written). A push stopped between two writes sends the graphs
    since the last one again at the next push (a PUT replaces a graph)."""

    def __init__(self, path: Path, endpoint: Endpoint, journal: dict[str, Pushed], report: PushReport) -> None:
        self.path, self.endpoint, self.journal, self.report = path, endpoint, journal, report
        self.unsaved = 0
        self.saved_at = time.monotonic()

    def changed(self) -> None:
        self.unsaved += 1
        if self.unsaved >= JOURNAL_EVERY or time.monotonic() - self.saved_at >= JOURNAL_SECONDS:
            self.flush()

    def flush(self) -> None:
        if self.unsaved:
            _record(self.path, self.endpoint, self.journal, self.report)
            self.unsaved = 0
            self.saved_at = time.monotonic()


def _record(path: Path, endpoint: Endpoint, journal: dict[str, Pushed], report: PushReport) -> None:
    """Save the journal; once it cannot be written (a read-only workspace) say so in the report
    and push on without it (the next push then checks every graph with the server again)."""
    if report.journal_error is not None:
        return
    try:
        _save_journal(path, endpoint, journal)
    except StoreError as exc:
        report.journal_error = str(exc)


def _query_endpoint(endpoint: Endpoint, given: Endpoint | None) -> Endpoint:
    """Where to ask what the server holds; it reads the server's graphs as they are (``GRAPH ?g``),
    not through kg's union graph."""
    if given is not None:
        return replace(given, default_graph=SERVER)
    url = query_url_of(endpoint.url)
    if url is None:
        raise StoreError(f"{endpoint.url}: cannot tell this server's SPARQL query URL, needed to check "
                         "what it holds before skipping graphs; pass it to kg push --query-endpoint (or push with --force)")
    return replace(endpoint, url=url, default_graph=SERVER)
