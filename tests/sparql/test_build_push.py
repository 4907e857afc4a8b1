"""``kg build --push``: a server kept in step with the workspace, build after build, and every
named query answering there as on the workspace (real servers; the real extractor)."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from servers import Server

sys.path.insert(0, str(Path(__file__).parent))

from test_sparql_remote import SERVERS, gsp, mismatches, param_cases, remote_graphs  # noqa: E402

from kg.cli import cli  # noqa: E402
from kg.store.oxigraph import open_store  # noqa: E402
from kg.store.remote import gsp_request  # noqa: E402

pytestmark = [pytest.mark.server, pytest.mark.slow]

N = 120

# Virtuoso 7.2 differences this test allowed, none now. officials-by-region lost rows of one
# person (3 of 75) while its region's name was a third DISTINCT name subquery joined last; it
# reads that name by triple patterns now. signed-with-whom (its pairs joined to two name
# lookups) and cluster-profile with relation bound lost rows on earlier extractions; both
# answered as on the workspace on 2026-12-04 (this test with nothing allowed, a fresh server),
# with their queries unchanged: a Virtuoso join bug that depends on the data, which may come back.
VIRTUOSO_KNOWN: set[tuple[str, str]] = set()


def write_jsonl(path: Path, records: list[dict[str, str]]) -> Path:
    import json

    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, str]]]:
    """N generated news items built once with the real extractor (copied by each test)."""
    from kg.demo import generate

    records = list(generate(N, seed=19))
    base = tmp_path_factory.mktemp("push-build")
    corpus = write_jsonl(base / "news.jsonl", records)
    result = CliRunner().invoke(cli, ["build", str(corpus), "-w", str(base / "ws"), "--quiet"],
                                catch_exceptions=False)
    assert result.exit_code == 0
    return base / "ws", records


def push_args(server: Server) -> list[str]:
    args = ["--push", server.store_url]
    if server.user:
        args += ["--user", server.user, "--password", server.password or "", "--auth", server.auth]
    return args


def empty(server: Server) -> None:
    for graph in remote_graphs(server):
        gsp_request(gsp(server), "DELETE", graph)


@pytest.fixture
def emptied(request: pytest.FixtureRequest) -> Iterator[Server]:
    """The server of the test's ``server_name``, without document graphs before and after
    the test (the servers are shared by the whole session)."""
    server: Server = request.getfixturevalue(request.node.callspec.params["server_name"])
    empty(server)
    yield server
    empty(server)


@pytest.mark.parametrize("server_name", SERVERS)
def test_build_push_keeps_the_server_in_step(server_name: str, emptied: Server,
                                             built: tuple[Path, list[dict[str, str]]], tmp_path: Path) -> None:
    server = emptied
    ws = tmp_path / "ws"
    shutil.copytree(built[0], ws)
    records = [dict(r) for r in built[1]]
    corpus = write_jsonl(tmp_path / "news.jsonl", records)

    union = "not needed" if server.name == "virtuoso" else "put"  # its default graph is every graph's union
    first = CliRunner().invoke(cli, ["build", str(corpus), "-w", str(ws), *push_args(server)],
                               catch_exceptions=False)
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines()[-1] == f"pushed to {server.store_url}, graphs: {N} uploaded, 0 unchanged, 0 deleted; union graph: {union}"

    # two documents change, three are new: only those five graphs travel
    records[3]["text"] += " Соглашение подписали губернатор и ООО «Северный Ветер»."
    records[40]["title"] = "Новый заголовок"
    from kg.demo import generate

    records += [dict(r, id=f"new-{i}") for i, r in enumerate(generate(3, seed=91))]
    write_jsonl(corpus, records)
    second = CliRunner().invoke(cli, ["build", str(corpus), "-w", str(ws), *push_args(server)],
                                catch_exceptions=False)
    assert second.exit_code == 0, second.output
    assert second.stdout.splitlines()[0].startswith(f"documents: {N + 3} read, 3 added, 2 updated, {N - 2} unchanged")
    assert second.stdout.splitlines()[-1] == (f"pushed to {server.store_url}, graphs: 5 uploaded, "
                                              f"{N - 2} unchanged, 0 deleted; union graph: {union}")

    # a document removed from the workspace (and the input) goes from the server at the next push
    gone = records.pop(7)["id"]
    write_jsonl(corpus, records)
    assert CliRunner().invoke(cli, ["remove", gone, "-w", str(ws), "--quiet"]).exit_code == 0
    third = CliRunner().invoke(cli, ["build", str(corpus), "-w", str(ws), *push_args(server)],
                               catch_exceptions=False)
    assert third.stdout.splitlines()[-1] == (f"pushed to {server.store_url}, graphs: 0 uploaded, "
                                             f"{N + 2} unchanged, 1 deleted; union graph: {union}")

    store = open_store(ws, read_only=True)
    assert remote_graphs(server) == set(store.documents())
    cases = param_cases(store)
    assert len(cases) > 20
    known = VIRTUOSO_KNOWN if server.name == "virtuoso" else set()
    assert mismatches(server, store, cases) - known == set()


def test_build_push_virtuoso_after_other_graphs(virtuoso_server: Server, workspace: Path,
                                                built: tuple[Path, list[dict[str, str]]]) -> None:
    """Virtuoso answers as the workspace also after it held other graphs: the fixture pushed,
    queried and deleted, then the 120 documents (signatories lost its posts on some rows and
    doubled them, 57 rows for 52, when its posts were an OPTIONAL grouped subquery)."""
    from test_sparql_remote import fresh_push

    empty(virtuoso_server)
    fresh_push(workspace, virtuoso_server)
    fixture = open_store(workspace, read_only=True)
    assert mismatches(virtuoso_server, fixture, param_cases(fixture)) == set()
    empty(virtuoso_server)
    try:
        fresh_push(built[0], virtuoso_server)
        store = open_store(built[0], read_only=True)
        assert mismatches(virtuoso_server, store, param_cases(store)) == set()
    finally:
        empty(virtuoso_server)
