"""The workspace lock: a second writer fails at once; a killed holder never blocks the next run."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import pytest

from kg.errors import WorkspaceLocked
from kg.workspace import write_lock
from reliability_support import by_graph, fake_kg, store_quads

WAIT = 60.0  # seconds to wait for a subprocess to take the lock (a hang guard, not a timing claim)


def _start_holder(workspace: Path) -> subprocess.Popen[bytes]:
    """A `kg build -` that takes the lock, then waits for its standard input."""
    proc = fake_kg(["build", "-", "-w", str(workspace), "-q"],
                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    lock = workspace / "lock"
    deadline = time.monotonic() + WAIT
    while not (lock.exists() and lock.read_text() == f"kg pid {proc.pid}"):
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        assert time.monotonic() < deadline, "the first build never took the lock"
        time.sleep(0.05)
    return proc


def _build(workspace: Path, corpus: Path) -> subprocess.CompletedProcess[bytes]:
    proc = fake_kg(["build", str(corpus), "-w", str(workspace), "-q"],
                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.communicate(timeout=300)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def test_lock_second_build_fails_at_once_then_first_finishes(tmp_path: Path, corpus: Path) -> None:
    workspace = tmp_path / "ws"
    holder = _start_holder(workspace)
    try:
        second = _build(workspace, corpus)
        assert second.returncode == 1
        assert second.stderr.decode().splitlines() == [
            f"Error: {workspace}: workspace is in use by kg pid {holder.pid}; wait for it to finish"
        ]
        out, err = holder.communicate(input="Титан провёл форум с Калугой\n".encode(), timeout=300)
        assert holder.returncode == 0, err.decode()
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
    assert len(by_graph(store_quads(workspace))) == 1  # only the first build wrote
    third = _build(workspace, corpus)
    assert third.returncode == 0, third.stderr.decode()


def test_lock_left_by_a_killed_build_does_not_block(tmp_path: Path, corpus: Path) -> None:
    workspace = tmp_path / "ws"
    holder = _start_holder(workspace)
    holder.send_signal(signal.SIGKILL)
    holder.communicate(timeout=60)
    assert holder.returncode == -signal.SIGKILL
    assert (workspace / "lock").read_text() == f"kg pid {holder.pid}"  # stale file left behind
    after = _build(workspace, corpus)
    assert after.returncode == 0, after.stderr.decode()
    assert (workspace / "lock").read_text() == ""


def test_lock_second_holder_in_one_process_refused(tmp_path: Path) -> None:
    with write_lock(tmp_path), pytest.raises(WorkspaceLocked, match="workspace is in use"):
        with write_lock(tmp_path):
            pass
    with write_lock(tmp_path):  # released on exit
        pass
