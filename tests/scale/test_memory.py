"""Memory stays flat: the build's peak does not grow with the number of documents."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

PROBE = Path(__file__).with_name("memory_probe.py")


def probe(n: int, workdir: Path) -> dict[str, int]:
    out = subprocess.run([sys.executable, str(PROBE), str(n), str(workdir)],
                         check=True, capture_output=True, text=True, timeout=900)
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_memory_build_peak_flat_from_500_to_2000_documents(tmp_path: Path) -> None:
    small = probe(500, tmp_path / "small")
    large = probe(2000, tmp_path / "large")
    assert (small["added"], large["added"]) == (500, 2000)
    assert large["triples"] > 2 * small["triples"]  # more data was really stored
    # Four times the documents: the Python peak stays within 1.5x (a per-document
    # leak or an unbounded queue would make it grow about 4x).
    assert large["python_peak"] < 1.5 * small["python_peak"], (small, large)
