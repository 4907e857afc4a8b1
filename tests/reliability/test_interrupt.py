"""Ctrl-C during `kg build`: one `Interrupted.` line, no worker traceback, no process left,
and the next build finishes the job."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from reliability_support import PYTHON, REPO, store_quads, write_corpus
from fake_kg import SCRIPT


def _children(pid: int) -> list[int]:
    """Worker processes (multiprocessing spawn) whose parent is ``pid``, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid and b"spawn_main" in cmdline:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads worker processes from /proc")
@pytest.mark.parametrize("jobs", [1, 2])
def test_interrupt_ctrl_c_stops_build_with_one_line(tmp_path: Path, jobs: int) -> None:
    corpus, ws = tmp_path / "news.jsonl", tmp_path / "ws"
    write_corpus(corpus, 400, seed=3)
    env = dict(os.environ, PYTHONHASHSEED="0", KG_FAKE_EXTRACT_SECONDS="0.02")
    # a terminal's Ctrl-C: SIGINT to the whole foreground process group
    proc = subprocess.Popen([PYTHON, str(SCRIPT), "build", str(corpus), "-w", str(ws), "--jobs", str(jobs)],
                            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    workers: list[int] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        workers = _children(proc.pid)
        if len(workers) == (jobs if jobs > 1 else 0) and (ws / "store").exists():
            break
        time.sleep(0.05)
    time.sleep(0.5)  # extracting
    assert proc.poll() is None, "the build finished before the interrupt"
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=60)

    assert (proc.returncode, err.decode(), out.decode()) == (130, "Interrupted.\n", "")
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(w) for w in workers), "a worker process outlived the build"

    finish = subprocess.run([PYTHON, str(SCRIPT), "build", str(corpus), "-w", str(ws), "-q"],
                            cwd=REPO, env=dict(env, KG_FAKE_EXTRACT_SECONDS="0"), capture_output=True)
    assert finish.returncode == 0, finish.stderr.decode()
    assert len({q.graph_name for q in store_quads(ws)}) == 400 + 1  # the documents and the union
