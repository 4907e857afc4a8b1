"""A workspace whose identity index was written by an older kg (records of another identity
scheme, or no stamp at all) is read again by the next build, so an incremental build after an
upgrade gives the graph a fresh build gives (slow: natasha)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.model import Kind
from kg.resolve.index import SCHEME, IdentityIndex
from kg.resolve.names import fold

pytestmark = pytest.mark.slow
NEWS = Path(__file__).resolve().parents[1] / "data" / "identity2" / "dev.jsonl"


def build(ws: Path) -> str:
    result = CliRunner().invoke(cli, ["build", str(NEWS), "-w", str(ws)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def nquads(ws: Path) -> list[str]:
    result = CliRunner().invoke(cli, ["export", "-w", str(ws), "-f", "nq"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return sorted(result.output.splitlines())


def age(ws: Path, stamp: str | None) -> None:
    """Make the index look written before persons were matched by parts of their names: each
    person's only match key its whole folded name (as then), and the stamp ``stamp`` (None: none)."""
    db = sqlite3.connect(ws / "identity.sqlite")
    with db:
        for graph, records in db.execute("SELECT graph, records FROM docs").fetchall():
            rows = json.loads(records)
            for row in rows:
                if row[2] == Kind.PERSON.value:
                    row[6] = [f"name:{fold(row[1])}"]
            db.execute("UPDATE docs SET records = ? WHERE graph = ?", (json.dumps(rows, ensure_ascii=False), graph))
        if stamp is None:
            db.execute("DROP TABLE meta")
        else:
            db.execute("UPDATE meta SET value = ? WHERE name = 'scheme'", (stamp,))
    db.close()


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = tmp_path_factory.mktemp("scheme") / "ws"
    build(ws)
    return ws


@pytest.mark.parametrize("stamp", [None, str(SCHEME - 1)])
def test_index_scheme_an_older_index_is_read_again_by_the_next_build(fresh: Path, tmp_path: Path,
                                                                    stamp: str | None) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(fresh, ws)
    age(ws, stamp)
    index = IdentityIndex.of_workspace(ws, read_only=True)
    assert index.outdated()
    index.close()
    output = build(ws)
    assert output.startswith("documents: 17 read, 0 added, 0 updated, 17 unchanged, 0 skipped; 17 in the workspace\n")
    assert nquads(ws) == nquads(fresh)  # the persons joined by name parts are one node again
    index = IdentityIndex.of_workspace(ws, read_only=True)
    assert index.scheme() == SCHEME and not index.outdated()
    index.close()


def test_index_scheme_a_current_index_is_kept(fresh: Path, tmp_path: Path) -> None:
    """The same ageing without touching the stamp: the build trusts the index (so the check
    above is what reads the documents again)."""
    ws = tmp_path / "ws"
    shutil.copytree(fresh, ws)
    age(ws, str(SCHEME))
    build(ws)
    assert nquads(ws) != nquads(fresh)


def test_index_scheme_suggest_refuses_an_older_index_until_a_build(fresh: Path, tmp_path: Path) -> None:
    """`kg suggest` reads the index without writing it: on an older one it says, in one line, what
    to run; after that build (no new input) it answers."""
    ws = tmp_path / "ws"
    shutil.copytree(fresh, ws)
    age(ws, None)
    result = CliRunner().invoke(cli, ["suggest", "-w", str(ws)])
    assert result.exit_code == 1
    assert result.output == (f"Error: {ws / 'identity.sqlite'}: written by an older kg (identity scheme unstamped, "
                             f"now {SCHEME}); build the workspace once first (no new input: kg build - -w {ws} "
                             "< /dev/null)\n")
    result = CliRunner().invoke(cli, ["build", "-", "-w", str(ws)], input="", catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert nquads(ws) == nquads(fresh)
    assert CliRunner().invoke(cli, ["suggest", "-w", str(ws)], catch_exceptions=False).exit_code == 0
