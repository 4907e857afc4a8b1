"""kg serve as a place to work: YASGUI with the project's prefixes and the named queries (in a real
headless Chromium), entity pages (HTML for browsers, Turtle for Accept: text/turtle), --cors."""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from servers import start_kg_serve, stop_kg_serve

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "viz"))

import chromium_cdp  # noqa: E402
from chromium_cdp import Chromium, find_chromium  # noqa: E402

from kg.sparql import list_queries  # noqa: E402
from kg.store.oxigraph import open_store  # noqa: E402
from tests.store_helpers import add_quads  # noqa: E402

pytestmark = pytest.mark.server

ID = "https://w3id.org/cluster-kg/id/"
NANOLEK = ID + "org/nanolek-8136245a"
PHARMA = ID + "cluster/farmatsevticheskii-klaster-kaluzhskoi-oblasti-f2ad744c"
HOSTILE = '<img src=x onerror="alert(1)">Кластер <script>alert(2)</script>'


@pytest.fixture(scope="module")
def pages_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The SPARQL fixture, plus a cluster whose name is markup (it must be shown as text)."""
    workspace = tmp_path_factory.mktemp("pages")
    store = open_store(workspace)
    add_quads(store, ox.parse(path=str(Path(__file__).parent / "data" / "fixture.trig"), format=ox.RdfFormat.TRIG))
    doc = ox.NamedNode(ID + "doc/hostile")
    node = ox.NamedNode(ID + "cluster/hostile")
    add_quads(store, [
        ox.Quad(node, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                ox.NamedNode("https://w3id.org/cluster-kg/ontology#Cluster"), doc),
        ox.Quad(node, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal(HOSTILE, language="ru"),
                doc)])
    store.flush()
    del store
    return workspace


@pytest.fixture(scope="module")
def served(pages_workspace: Path) -> Iterator[str]:
    process, url = start_kg_serve(pages_workspace)
    try:
        yield url.removesuffix("/query")
    finally:
        err = stop_kg_serve(process)
    assert err.startswith("SPARQL endpoint: ") and err.count("\n") == 1


def get(url: str, accept: str = "text/html", method: str = "GET",
        data: bytes | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, data=data, method=method, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chromium]:
    binary = find_chromium()
    if binary is None:
        from servers import skip_or_fail

        skip_or_fail("chromium or websocket-client is not installed (apt-get install chromium)")
    assert binary is not None
    # no network but this machine's loopback, where kg serve listens
    flags = chromium_cdp.FLAGS
    chromium_cdp.FLAGS = tuple(f"{f}, EXCLUDE 127.0.0.1" if f.startswith("--host-resolver-rules=") else f
                               for f in flags)
    try:
        chromium = Chromium(binary, tmp_path_factory.mktemp("pages-chromium"))
    finally:
        chromium_cdp.FLAGS = flags
    try:
        yield chromium
    finally:
        chromium.close()


@pytest.mark.browser
def test_pages_yasgui_runs_queries_and_loads_nothing_from_elsewhere(served: str, browser: Chromium) -> None:
    browser.requests.clear()
    browser.console_errors.clear()
    browser.open(served + "/", ready="window.kgYasgui && document.querySelector('.CodeMirror')")
    first = browser.evaluate("kgYasgui.getTab().getYasqe().getValue()")
    for prefix in ("ckg", "org", "rdfs", "skos", "prov", "nif", "itsrdf", "dcterms", "owl", "xsd"):
        assert f"PREFIX {prefix}: <" in first
    names = browser.evaluate("Array.from(document.querySelectorAll('#examples option')).map(o => o.textContent)")
    assert [n.split(" — ")[0] for n in names[1:]] == [q.name for q in list_queries()]
    # the first tab's query runs as it is
    browser.evaluate("kgYasgui.getTab().query()")
    rows = wait_rows(browser)
    assert rows >= 3
    # an example opens in a tab of its own and runs against this server
    index = [q.name for q in list_queries()].index("documents")
    browser.evaluate(f"(() => {{ const s = document.getElementById('examples'); s.value = '{index}';"
                     " s.dispatchEvent(new Event('change')); })()")
    assert browser.evaluate("kgYasgui.getTab().getName()") == "documents"
    assert "dcterms:identifier" in browser.evaluate("kgYasgui.getTab().getYasqe().getValue()")
    browser.evaluate("kgYasgui.getTab().query()")
    assert wait_rows(browser) == 3  # the three documents of the fixture
    # an IRI of the graph in the results opens its page on this server, not on the web
    opened = browser.evaluate(
        "(() => { const opened = []; window.open = (url) => opened.push(url);"
        f" const a = Array.from(document.querySelectorAll('a[href]')).find(x => x.href.startsWith('{ID}doc/'));"
        " a.click(); return opened; })()")
    assert len(opened) == 1 and opened[0].startswith("/id/doc/f0")
    assert all(url.startswith(served + "/") for url in browser.requests), browser.requests
    assert browser.console_errors == [] and browser.dialogs == []


def wait_rows(browser: Chromium) -> int:
    import time

    deadline = time.monotonic() + 60
    expression = ("(() => { const y = kgYasgui.getTab().getYasr(); return y && y.results && y.results.getBindings"
                  " ? y.results.getBindings().length : -1; })()")
    while time.monotonic() < deadline:
        count = browser.evaluate(expression)
        if count is not None and count >= 0:
            return int(count)
        browser.pump(0.2)
    raise AssertionError("no results shown")


def test_pages_entity_html(served: str) -> None:
    status, headers, body = get(served + "/id/org/nanolek-8136245a")
    page = body.decode("utf-8")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert "<h1>Нанолек</h1>" in page
    assert f'<a href="/id/cluster/{PHARMA.removeprefix(ID + "cluster/")}">' in page  # a member of this cluster
    assert "<mark>ООО «Нанолек»</mark>" in page  # a sentence it was read from, the mention marked
    assert "/id/doc/f02" in page  # and its document


@pytest.mark.browser
def test_pages_entity_page_shows_markup_as_text(served: str, browser: Chromium) -> None:
    browser.requests.clear()
    browser.console_errors.clear()
    browser.open(served + "/id/cluster/hostile", ready="document.querySelector('h1')")
    assert browser.evaluate("document.querySelector('h1').textContent") == HOSTILE
    assert browser.evaluate("document.querySelectorAll('img, h1 script').length") == 0
    browser.pump(0.5)
    assert browser.dialogs == [] and browser.console_errors == []
    assert all(url.startswith(served + "/") for url in browser.requests), browser.requests


def test_pages_entity_turtle(served: str) -> None:
    status, headers, body = get(served + "/id/org/nanolek-8136245a", accept="text/turtle")
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    triples = {(t.subject.value, t.predicate.value, t.object.value)
               for t in ox.parse(body, format=ox.RdfFormat.TURTLE)}
    assert (NANOLEK, "http://www.w3.org/2000/01/rdf-schema#label", "Нанолек") in triples
    assert (PHARMA, "http://www.w3.org/ns/org#hasMember", NANOLEK) in triples  # what points to it too
    assert get(served + "/id/org/nanolek-8136245a?format=turtle")[2] == body


@pytest.mark.parametrize("path", ["/id/org/nothing-here", "/id/", "/id/org/a%20b<c>", "/static/README.md",
                                  "/static/../serve.py"])
def test_pages_unknown_is_404(served: str, path: str) -> None:
    status, _, body = get(served + path)
    assert status == 404 and body.decode().count("\n") == 1


def test_pages_static_files(served: str) -> None:
    status, headers, body = get(served + "/static/yasgui.min.js")
    assert status == 200 and headers["content-type"].startswith("text/javascript") and len(body) > 100_000


def test_pages_served_queries_need_no_prefix_lines(served: str) -> None:
    data = urllib.parse.urlencode({"query": "SELECT ?n WHERE { ?c a ckg:Cluster ; rdfs:label ?n }"}).encode()
    status, _, body = get(served + "/query", accept="application/sparql-results+json", method="POST", data=data)
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 4
    data = urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ex:p ?o }"}).encode()
    status, _, body = get(served + "/query", method="POST", data=data)
    assert status == 400 and body.decode().count("\n") == 1 and "undefined prefix 'ex:'" in body.decode()


def test_pages_cors_off_by_default(served: str) -> None:
    _, headers, _ = get(served + "/query?query=ASK%7B%7D", accept="application/sparql-results+json")
    assert "access-control-allow-origin" not in headers
    status, headers, _ = get(served + "/query", method="OPTIONS")
    assert status == 405 and "access-control-allow-origin" not in headers


def test_pages_cors_on(pages_workspace: Path) -> None:
    process, url = start_kg_serve(pages_workspace, "--cors")
    try:
        _, headers, _ = get(url + "?query=ASK%7B%7D", accept="application/sparql-results+json")
        assert headers["access-control-allow-origin"] == "*"
        status, headers, _ = get(url, method="OPTIONS")
        assert status == 204 and headers["access-control-allow-origin"] == "*"
        assert "POST" in headers["access-control-allow-methods"]
        _, headers, _ = get(url.removesuffix("/query") + "/id/org/nanolek-8136245a")
        assert headers["access-control-allow-origin"] == "*"
    finally:
        stop_kg_serve(process)
