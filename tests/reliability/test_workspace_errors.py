"""A damaged or unusable workspace gives one clear `Error:` line naming it, not a traceback."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli


def _garbage_store(ws: Path) -> None:
    store = ws / "store"
    store.mkdir(parents=True)
    (store / "CURRENT").write_bytes(os.urandom(64).replace(b"\n", b"x"))
    (store / "000001.sst").write_bytes(os.urandom(4096))


def _truncated_store(ws: Path) -> None:
    store = ws / "store"
    store.mkdir(parents=True)
    (store / "CURRENT").write_text("MANIFEST-000009\n")  # names a manifest that is not there


def _store_is_a_file(ws: Path) -> None:
    ws.mkdir()
    (ws / "store").write_text("not a database\n")


def _lock_is_a_directory(ws: Path) -> None:
    (ws / "lock").mkdir(parents=True)


DAMAGE: dict[str, Callable[[Path], None]] = {
    "garbage-store": _garbage_store,
    "truncated-store": _truncated_store,
    "store-is-a-file": _store_is_a_file,
}


@pytest.mark.parametrize("damage", DAMAGE)
@pytest.mark.parametrize("command", [["build", "CORPUS"], ["stats"], ["export"], ["validate"]])
@pytest.mark.usefixtures("fake_extractor")
def test_workspace_damaged_store_is_a_clear_error(
    tmp_path: Path, corpus: Path, damage: str, command: list[str]
) -> None:
    ws = tmp_path / "ws"
    DAMAGE[damage](ws)
    args = [str(corpus) if a == "CORPUS" else a for a in command]
    result = CliRunner().invoke(cli, [*args, "-w", str(ws)])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {ws / 'store'}: "), lines
    assert "Traceback" not in result.output


@pytest.mark.usefixtures("fake_extractor")
def test_workspace_lock_unusable_is_a_clear_error(tmp_path: Path, corpus: Path) -> None:
    ws = tmp_path / "ws"
    _lock_is_a_directory(ws)
    result = CliRunner().invoke(cli, ["build", str(corpus), "-w", str(ws)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"Error: {ws}: cannot use this workspace: Is a directory"]


@pytest.mark.usefixtures("fake_extractor")
def test_workspace_that_is_a_file_is_refused(tmp_path: Path, corpus: Path) -> None:
    ws = tmp_path / "ws"
    ws.write_text("a file\n")
    result = CliRunner().invoke(cli, ["build", str(corpus), "-w", str(ws)])
    assert result.exit_code == 2  # click's usage error
    assert "is a file" in result.stderr
    assert ws.read_text() == "a file\n"
