"""Meta-test: kg/ type-checks under mypy --strict (the [tool.mypy] settings), as STYLE asks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_typing_kg_passes_mypy_strict() -> None:
    try:
        import mypy  # noqa: F401
    except ImportError:
        if os.environ.get("KG_STRICT_TESTS") == "1":
            raise
        pytest.skip("mypy is not installed (pip install -e '.[test]')")
    result = subprocess.run([sys.executable, "-m", "mypy", "--no-error-summary"], cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
