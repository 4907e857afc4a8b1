"""The README's notebook example runs as written (on the shipped news in data/, in a fresh directory)."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def readme_block(heading: str) -> str:
    """The first ```python block after ``heading`` in README.md."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index(heading):]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, f"no python block after {heading!r}"
    return match.group(1)


@pytest.mark.slow
def test_readme_notebook_example_runs(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    for name in ("seed-news.txt", "demo-news.jsonl"):
        shutil.copy(ROOT / "data" / name, tmp_path / "data" / name)
    code = readme_block("### Python and Jupyter")
    out = io.StringIO()
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(code, "README.md (Python and Jupyter)", "exec"), {"__name__": "readme"})
    finally:
        os.chdir(cwd)
    printed = out.getvalue().splitlines()
    assert "cluster_name" in printed[0] and "region_name" in printed[0]
    assert any(line.endswith(" links") for line in printed)
    assert printed[-1].startswith("['")  # five person names
