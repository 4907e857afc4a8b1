"""``kg serve``: the workspace as a read-only SPARQL endpoint on 127.0.0.1.

The ``oxigraph`` server from PyPI serves the workspace's Oxigraph directory
directly (``serve-read-only``; the store's default graph is already the union of
the document graphs). Without it, a small
built-in server answers the SPARQL 1.1 Protocol (GET or POST ``query`` on
``/query``) with pyoxigraph.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import urllib.parse
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox

from kg.errors import StoreError

HOST = "127.0.0.1"
RESULT_TYPES = {
    "json": (ox.QueryResultsFormat.JSON, "application/sparql-results+json"),
    "xml": (ox.QueryResultsFormat.XML, "application/sparql-results+xml"),
    "csv": (ox.QueryResultsFormat.CSV, "text/csv"),
    "tsv": (ox.QueryResultsFormat.TSV, "text/tab-separated-values"),
}


def oxigraph_binary() -> str | None:
    """The ``oxigraph`` CLI next to this Python (a venv's bin/) or on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def server_command(workspace: Path, port: int, binary: str) -> list[str]:
    return [binary, "serve-read-only", "--location", str(workspace / "store"),
            "--bind", f"{HOST}:{port}"]


def serve(workspace: Path, port: int = 7878, *, builtin: bool = False,
          ready: Callable[[str], None] | None = None) -> int:
    """Serve ``workspace`` until interrupted; ``ready(query_url)`` is called once listening.

    Returns the server's exit status (0 after Ctrl-C).
    """
    store_dir = workspace / "store"
    if not store_dir.is_dir():
        raise StoreError(f"{workspace}: no store here; run `kg build INPUT -w {workspace}` first")
    binary = None if builtin else oxigraph_binary()
    url = f"http://{HOST}:{port}/query"
    if binary is None:
        return _serve_builtin(store_dir, port, ready)
    process = subprocess.Popen(server_command(workspace, port, binary))
    if ready:
        ready(url)
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        process.wait()
        return 0


def make_server(store_dir: Path, port: int) -> ThreadingHTTPServer:
    """A SPARQL 1.1 Protocol server over the store in ``store_dir`` (read-only, union default graph)."""
    try:
        store = ox.Store.read_only(str(store_dir))
    except OSError as exc:
        raise StoreError(f"{store_dir}: cannot open the store: {exc}") from exc

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return  # stdout is for data; the library never prints

        def do_GET(self) -> None:  # noqa: N802
            parts = urllib.parse.urlsplit(self.path)
            self._answer(parts.path, urllib.parse.parse_qs(parts.query).get("query", [""])[0])

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8")
            kind = (self.headers.get("Content-Type") or "").split(";")[0].strip()
            if kind == "application/sparql-query":
                text = body
            else:
                text = urllib.parse.parse_qs(body).get("query", [""])[0]
            self._answer(urllib.parse.urlsplit(self.path).path, text)

        def _answer(self, path: str, text: str) -> None:
            if path not in ("/query", "/sparql"):
                self._send(404, "text/plain", b"not found: use /query\n")
                return
            if not text:
                self._send(400, "text/plain", b"missing the query parameter\n")
                return
            try:
                result = store.query(text, use_default_graph_as_union=True)
            except SyntaxError as exc:
                self._send(400, "text/plain", f"{exc}\n".encode())
                return
            except (RuntimeError, ValueError, OSError) as exc:
                self._send(500, "text/plain", f"{exc}\n".encode())
                return
            accept = self.headers.get("Accept") or ""
            if isinstance(result, ox.QueryTriples):
                data = ox.serialize(result, format=ox.RdfFormat.N_TRIPLES) or b""
                self._send(200, "text/turtle; charset=utf-8", data)
                return
            key = next((k for k, (_, mime) in RESULT_TYPES.items() if mime in accept), "json")
            fmt, mime = RESULT_TYPES[key]
            self._send(200, f"{mime}; charset=utf-8", result.serialize(format=fmt) or b"")

        def _send(self, status: int, mime: str, data: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", mime)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return ThreadingHTTPServer((HOST, port), Handler)


def _serve_builtin(store_dir: Path, port: int, ready: Callable[[str], None] | None) -> int:
    server = make_server(store_dir, port)
    if ready:
        ready(f"http://{HOST}:{server.server_address[1]}/query")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
