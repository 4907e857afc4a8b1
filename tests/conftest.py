"""Shared test setup: --update-golden, strict skips, paths to shared corpora."""

from __future__ import annotations

import os
import shutil
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/processes.py, tests/servers.py

from processes import command, descendants  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
STRICT = os.environ.get("KG_STRICT_TESTS") == "1"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="Rewrite golden files.")


def skip_or_fail(reason: str) -> None:
    """Skip on a user's machine; fail under KG_STRICT_TESTS=1 (CI)."""
    if STRICT:
        pytest.fail(f"{reason} (KG_STRICT_TESTS=1 turns this skip into a failure)")
    pytest.skip(reason)


def need_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        skip_or_fail(f"{name} is not installed")
    assert path is not None
    return path


def need_shared(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        skip_or_fail(f"{path} is absent (the shared corpora are not on this machine)")
    return path


# Python's own helper for multiprocessing semaphores; it ends with the interpreter.
LIFELONG = ("from multiprocessing.resource_tracker import main",)


@pytest.fixture(scope="session", autouse=True)
def no_process_left_behind() -> Iterator[None]:
    """The suite stops every process it starts: after the last test (and every fixture's
    own teardown), a process the suite started that is still running fails the run.

    This process becomes a child subreaper (Linux), so a process whose parent died
    (e.g. a server's child after the server was stopped) is re-parented here, not to
    init, and is found too. What is found is reported, then killed.
    """
    _become_subreaper()
    yield
    deadline = time.monotonic() + 10  # what was just stopped may take a moment to exit
    while True:
        left = [pid for pid in descendants(os.getpid()) if not any(m in command(pid) for m in LIFELONG)]
        if not left or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    if left:
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        pytest.fail("processes the test suite started are still running:\n"
                    + "\n".join(f"  {pid}: {command(pid)[:200]}" for pid in left), pytrace=False)


def _become_subreaper() -> None:
    import ctypes

    PR_SET_CHILD_SUBREAPER = 36
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: children of dead parents go to init, unseen
        pass


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))
