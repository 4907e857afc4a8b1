"""``kg push`` with nothing to send reads no graph back: the build's digest of what it wrote for
each graph (the identity index's ``written``) is compared with the journal (issue 16 item 7,
issue 19), while the server is still asked what it holds (a real Oxigraph server)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from servers import Server

sys.path.insert(0, str(Path(__file__).parent))

from test_build_push import empty, push_args, write_jsonl  # noqa: E402
from test_sparql_remote import gsp  # noqa: E402

import kg.store.remote as remote  # noqa: E402
from kg.cli import cli  # noqa: E402
from kg.resolve.index import IdentityIndex  # noqa: E402
from kg.store.oxigraph import OxigraphStore  # noqa: E402
from kg.store.remote import gsp_request  # noqa: E402

pytestmark = [pytest.mark.server, pytest.mark.slow]

N = 12


@pytest.fixture
def server(oxigraph_server: Server) -> Iterator[Server]:
    empty(oxigraph_server)
    yield oxigraph_server
    empty(oxigraph_server)


class Reads:
    """How many graphs ``kg push`` serialised, and how often it dumped the union graph."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.graphs: list[str] = []
        self.unions = 0
        payload, dump = remote.graph_payload, OxigraphStore.dump_union

        def counted_payload(store: OxigraphStore, graph: str) -> bytes:
            self.graphs.append(graph)
            return payload(store, graph)

        def counted_dump(store: OxigraphStore, path: str) -> None:
            self.unions += 1
            dump(store, path)

        monkeypatch.setattr(remote, "graph_payload", counted_payload)
        monkeypatch.setattr(OxigraphStore, "dump_union", counted_dump)

    def take(self) -> tuple[int, int]:
        taken = (len(self.graphs), self.unions)
        self.graphs, self.unions = [], 0
        return taken


def push(server: Server, ws: Path) -> str:
    result = CliRunner().invoke(cli, ["push", "-w", str(ws), "--endpoint", server.store_url],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stderr.strip()


def test_push_written_nothing_changed_serialises_no_graph(server: Server, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.demo import generate

    records = list(generate(N, seed=23))
    corpus = write_jsonl(tmp_path / "news.jsonl", records)
    ws = tmp_path / "ws"
    assert CliRunner().invoke(cli, ["build", str(corpus), "-w", str(ws), "--quiet"]).exit_code == 0
    index = IdentityIndex.of_workspace(ws, read_only=True)
    written = index.written()
    index.close()
    assert len(written) == N
    reads = Reads(monkeypatch)

    assert push(server, ws) == f"graphs: {N} uploaded, 0 unchanged, 0 deleted; union graph: put"
    assert reads.take() == (N, 1)
    assert push(server, ws) == f"graphs: 0 uploaded, {N} unchanged, 0 deleted; union graph: unchanged"
    assert reads.take() == (0, 0)  # nothing read back, nothing dumped

    # the server is still asked: a graph it lost goes up again (read back to be sent), the rest are not read
    lost = sorted(written)[2]
    gsp_request(gsp(server), "DELETE", lost)
    assert push(server, ws) == f"graphs: 1 uploaded, {N - 1} unchanged, 0 deleted; union graph: unchanged"
    assert reads.take() == (1, 0)

    # one document changes: its graph (and the union) are read and sent; a rebuild writing the same
    # bytes again keeps the others' digests
    records[5]["text"] += " Соглашение подписали губернатор и ООО «Северный Ветер»."
    write_jsonl(corpus, records)
    build = CliRunner().invoke(cli, ["build", str(corpus), "-w", str(ws), *push_args(server)],
                               catch_exceptions=False)
    assert build.exit_code == 0, build.output
    assert build.stdout.splitlines()[-1] == (f"pushed to {server.store_url}, graphs: 1 uploaded, "
                                             f"{N - 1} unchanged, 0 deleted; union graph: put")
    assert reads.take() == (1, 1)
    assert push(server, ws) == f"graphs: 0 uploaded, {N} unchanged, 0 deleted; union graph: unchanged"
    assert reads.take() == (0, 0)


def test_push_written_cleared_before_a_write(tmp_path: Path) -> None:
    """A write cut short between the store and the index leaves no digest for the graph, so the
    next push reads it back rather than trusting the digest of what was there before."""
    index = IdentityIndex(tmp_path / "identity.sqlite")
    index.put([("g1", "h1", "{}", ()), ("g2", "h2", "{}", ())])
    index.set_applied([("g1", "a", (), "w1"), ("g2", "a", (), "w2")])
    assert index.written() == {"g1": "w1", "g2": "w2"}
    index.clear_written(["g1"])
    assert index.written() == {"g2": "w2"}
    index.put([("g2", "h3", "{}", ())])  # extracted again: its stored graph is about to change
    assert index.written() == {}
    index.close()


def test_push_written_index_of_an_older_build(tmp_path: Path) -> None:
    """An identity index written before ``written`` existed gains the column when opened to write,
    and reads as no digests when opened read-only."""
    import sqlite3

    path = tmp_path / "identity.sqlite"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE docs (graph TEXT PRIMARY KEY, hash TEXT NOT NULL, extraction BLOB NOT NULL, "
               "records TEXT NOT NULL, applied TEXT, rejected TEXT NOT NULL DEFAULT '[]')")
    db.execute("INSERT INTO docs VALUES ('g1', 'h1', x'00', '[]', 'a', '[]')")
    db.commit()
    db.close()
    old = IdentityIndex(path, read_only=True)
    assert old.written() == {}
    old.close()
    index = IdentityIndex(path)
    index.set_applied([("g1", "a", (), "w1")])
    assert index.written() == {"g1": "w1"}
    index.close()
