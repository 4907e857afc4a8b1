"""Shared test setup: --update-golden, strict skips, paths to shared corpora."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

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


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))
