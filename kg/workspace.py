"""A workspace directory: the store, the exported views and the write lock."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kg.errors import WorkspaceLocked

DEFAULT_WORKSPACE = Path("kg-out")


@contextmanager
def write_lock(workspace: Path) -> Iterator[None]:
    """Hold ``workspace/lock`` for the duration; a second writer fails at once."""
    workspace.mkdir(parents=True, exist_ok=True)
    path = workspace / "lock"
    with open(path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise WorkspaceLocked(
                f"{workspace}: workspace is in use by {holder}; wait for it to finish"
            ) from exc
        handle.seek(0)
        handle.truncate()
        handle.write(f"kg pid {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)
