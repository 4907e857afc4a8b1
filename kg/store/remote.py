"""Remote SPARQL endpoints: queries through SPARQLWrapper, uploads through the Graph Store Protocol.

Transient failures (connection refused or reset, time-outs, HTTP 429/500/502/503/504)
are retried with exponential back-off; everything else fails at once with a
``StoreError`` (or ``QuerySyntaxError`` for HTTP 400) that names the endpoint.

``push`` PUTs one named graph per document: a PUT replaces the graph in one
request, so a graph is never left half written, and pushing again replaces
instead of duplicating. A journal in the workspace records what was pushed, so an
interrupted push resumes where it stopped.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.client import HTTPException
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import pyoxigraph as ox
from SPARQLWrapper import BASIC, DIGEST, JSON, POST, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import (
    EndPointInternalError,
    EndPointNotFound,
    QueryBadFormed,
    SPARQLWrapperException,
    Unauthorized,
    URITooLong,
)

from kg.errors import KgError, QuerySyntaxError, StoreError
from kg.sparql.bind import with_values
from kg.sparql.catalog import NamedQuery
from kg.sparql.rows import Rows
from kg.sparql.run import Result, parse_turtle, to_turtle
from kg.sparql.terms import Term
from kg.workspace import Workspace, atomic_write

if TYPE_CHECKING:
    from kg.store.oxigraph import OxigraphStore

T = TypeVar("T")
AUTH_KINDS = ("basic", "digest")
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
    realm: str = "SPARQL"  # digest realm (Virtuoso's default)

    def __post_init__(self) -> None:
        parts = urllib.parse.urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise KgError(f"endpoint must be an http(s) URL: {self.url!r}")
        if self.auth not in AUTH_KINDS:
            raise KgError(f"unknown auth {self.auth!r}; choose one of {', '.join(AUTH_KINDS)}")

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
        return _Transient(f"no answer within {endpoint.timeout:g} s (time-out)")
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


def _response(exc: SPARQLWrapperException) -> bytes:
    """The server's answer that SPARQLWrapper folded into its exception message."""
    _, sep, tail = str(exc).partition("Response:\n")
    if not sep:
        return b""
    try:
        value = ast.literal_eval(tail.strip())
    except (ValueError, SyntaxError):
        return tail.encode("utf-8")
    return value if isinstance(value, bytes) else str(value).encode("utf-8")


def _body(data: bytes | None, limit: int = 300) -> str:
    text = (data or b"").decode("utf-8", "replace").strip()
    return text if len(text) <= limit else text[:limit] + "…"


# -- queries ---------------------------------------------------------------------


def run_remote(endpoint: Endpoint, query: NamedQuery, terms: Mapping[str, Term]) -> Result:
    """Run ``query`` on ``endpoint``; parameters travel as equality tests on escaped terms."""
    text = with_values(query.text, terms)
    where = query.origin or query.name
    graph_form = query.form in ("CONSTRUCT", "DESCRIBE")

    def call() -> bytes:
        wrapper = SPARQLWrapper(endpoint.url)
        wrapper.setQuery(text)
        wrapper.setMethod(POST)
        wrapper.setOnlyConneg(True)
        wrapper.setReturnFormat(TURTLE if graph_form else JSON)
        wrapper.setTimeout(max(1, round(endpoint.timeout)))
        if endpoint.user is not None:
            wrapper.setHTTPAuth(DIGEST if endpoint.auth == "digest" else BASIC)
            wrapper.setCredentials(endpoint.user, endpoint.password or "", realm=endpoint.realm)
        try:
            response = wrapper.query().response
            return response.read()
        except QueryBadFormed as exc:
            raise QuerySyntaxError(
                f"{where}: {endpoint.url} rejected the query: {_body(_response(exc))}") from exc
        except Unauthorized as exc:
            raise StoreError(f"{endpoint.url}: 401 unauthorized; check --user, --password "
                             f"and --auth ({endpoint.auth})") from exc
        except EndPointNotFound as exc:
            raise StoreError(f"{endpoint.url}: 404 not found; is this the SPARQL query URL?") from exc
        except URITooLong as exc:
            raise StoreError(f"{endpoint.url}: 414 the request is too long") from exc
        except EndPointInternalError as exc:
            raise _Transient(f"500 server error: {_body(_response(exc))}") from exc
        except SPARQLWrapperException as exc:
            raise StoreError(f"{endpoint.url}: {exc}") from exc
        except urllib.error.HTTPError as exc:
            message = f"HTTP {exc.code} {exc.reason}: {_body(exc.read())}"
            raise _status_failure(endpoint, exc.code, message) from exc
        except (urllib.error.URLError, OSError, HTTPException) as exc:
            raise _network_failure(exc, endpoint) from exc

    data = _with_retries(endpoint, call)
    if graph_form:
        return to_turtle(parse_turtle(data.decode("utf-8")), query.prefixes)
    try:
        document = json.loads(data)
    except ValueError as exc:
        raise StoreError(f"{endpoint.url}: the answer is not SPARQL JSON: {_body(data)}") from exc
    if "boolean" in document:
        return bool(document["boolean"])
    try:
        return Rows.from_json(document)
    except (KeyError, TypeError) as exc:
        raise StoreError(f"{endpoint.url}: malformed SPARQL JSON results: {exc}") from exc


# -- Graph Store Protocol ----------------------------------------------------------


def _opener(endpoint: Endpoint) -> urllib.request.OpenerDirector:
    handlers: list[urllib.request.BaseHandler] = []
    if endpoint.user is not None and endpoint.auth == "digest":
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, endpoint.url, endpoint.user, endpoint.password or "")
        handlers.append(urllib.request.HTTPDigestAuthHandler(manager))
    return urllib.request.build_opener(*handlers)


def gsp_request(endpoint: Endpoint, method: str, graph: str, data: bytes | None = None) -> int:
    """One Graph Store Protocol request on ``graph``; returns the HTTP status (404 allowed on DELETE)."""
    url = f"{endpoint.url}{'&' if '?' in endpoint.url else '?'}{urllib.parse.urlencode({'graph': graph})}"
    opener = _opener(endpoint)

    def call() -> int:
        request = urllib.request.Request(url, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "text/turtle; charset=utf-8")
        if endpoint.user is not None and endpoint.auth == "basic":
            token = base64.b64encode(f"{endpoint.user}:{endpoint.password or ''}".encode()).decode()
            request.add_header("Authorization", f"Basic {token}")
        try:
            with opener.open(request, timeout=endpoint.timeout) as response:
                response.read()
                return int(response.status)
        except urllib.error.HTTPError as exc:
            body = _body(exc.read())
            if method == "DELETE" and exc.code == 404:
                return 404
            if exc.code == 401:
                raise StoreError(f"{endpoint.url}: 401 unauthorized; check --user, --password and "
                                 f"--auth ({endpoint.auth})") from exc
            message = f"{method} {graph}: HTTP {exc.code} {exc.reason}: {body}"
            raise _status_failure(endpoint, exc.code, message) from exc
        except (urllib.error.URLError, OSError, HTTPException) as exc:
            raise _network_failure(exc, endpoint) from exc

    return _with_retries(endpoint, call)


@dataclass(slots=True)
class PushReport:
    """What ``push`` did: graphs uploaded, skipped as unchanged, and deleted remotely."""

    put: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)


def graph_payload(store: OxigraphStore, graph: str) -> bytes:
    """The triples of one named graph as N-Triples (valid Turtle), sorted so equal graphs give equal bytes."""
    triples = store.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {ox.NamedNode(graph)} {{ ?s ?p ?o }} }}")
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    lines = sorted(data.decode("utf-8").splitlines())
    return ("\n".join(lines) + "\n").encode("utf-8")


def journal_path(workspace: Path, endpoint: Endpoint) -> Path:
    return Workspace(workspace).journal(endpoint.url)


def _load_journal(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise StoreError(f"{path}: unreadable push journal ({exc}); delete it to push everything") from exc
    return {str(k): str(v) for k, v in data.get("graphs", {}).items()}


def _save_journal(path: Path, endpoint: Endpoint, graphs: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(path) as tmp:
        tmp.write_text(json.dumps({"endpoint": endpoint.url, "graphs": graphs}, indent=1, sort_keys=True),
                       encoding="utf-8")


def push(
    workspace: Path,
    endpoint: Endpoint,
    *,
    store: OxigraphStore | None = None,
    force: bool = False,
    progress: Callable[[str, str], None] | None = None,
) -> PushReport:
    """Upload every document graph of ``workspace`` to the Graph Store at ``endpoint.url``.

    Graphs whose content was already pushed to this endpoint are skipped unless
    ``force``; graphs pushed before but gone from the workspace are deleted remotely.
    ``progress(action, graph)`` is called after each request.
    """
    if store is None:
        from kg.store.oxigraph import open_store

        store = open_store(workspace, read_only=True)
    path = journal_path(workspace, endpoint)
    journal = _load_journal(path)
    report = PushReport()
    local = store.documents()
    for graph in local:
        payload = graph_payload(store, graph)
        digest = hashlib.sha256(payload).hexdigest()
        if not force and journal.get(graph) == digest:
            report.skipped.append(graph)
            continue
        try:
            gsp_request(endpoint, "PUT", graph, payload)
        except StoreError as exc:
            _save_journal(path, endpoint, journal)
            raise StoreError(f"{exc}; push stopped after {len(report.put)} graph(s); "
                             f"run it again to resume") from exc
        journal[graph] = digest
        _save_journal(path, endpoint, journal)
        report.put.append(graph)
        if progress:
            progress("put", graph)
    for graph in sorted(set(journal) - set(local)):
        gsp_request(endpoint, "DELETE", graph)
        del journal[graph]
        _save_journal(path, endpoint, journal)
        report.deleted.append(graph)
        if progress:
            progress("delete", graph)
    return report
