"""A workspace directory: the store, the exported views and the write lock."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kg.errors import StoreError, WorkspaceLocked

DEFAULT_WORKSPACE = Path("kg-out")


@contextmanager
def write_lock(workspace: Path) -> Iterator[None]:
    """Hold ``workspace/lock`` for the duration; a second writer fails at once.

    The lock is an ``flock`` on the file, so the kernel releases it when the
    holder exits for any reason (SIGKILL included): a lock file left behind by a
    killed build never blocks the next one. The file only records who holds it.
    """
    path = workspace / "lock"
    try:
        workspace.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise StoreError(f"{workspace}: cannot use this workspace: {exc.strerror or exc}") from exc
    with handle:
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
