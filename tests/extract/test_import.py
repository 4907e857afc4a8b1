"""Importing kg.extract loads no models (they load when an Extractor is built)."""

from __future__ import annotations

import subprocess
import sys


def test_import_loads_no_models() -> None:
    code = "import sys, kg.extract; assert 'natasha' not in sys.modules and kg.extract._default is None"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
