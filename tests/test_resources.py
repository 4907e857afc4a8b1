"""Package data: the ontology and the named queries ship inside kg (kg.resources).

The top-level ``ontology/`` and ``queries/`` are the files; ``kg/resources/*`` link to
them. A wheel built from the checkout and installed into a fresh virtual environment
outside it builds, validates and answers a named query.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from kg.mapping.vocab import ontology_path, shapes_path
from kg.resources import ontology_dir, queries_dir
from kg.sparql.catalog import list_queries
from tests.conftest import ROOT, skip_or_fail

SHIPPED = {"ontology": "*.[tj]*", "queries": "*.rq"}  # .ttl, .jsonld


def test_resources_are_the_top_level_folders() -> None:
    assert {p.name for p in (ROOT / "ontology").glob(SHIPPED["ontology"])} >= {
        "cluster-kg.ttl", "shapes.ttl", "context.jsonld"}
    for name in SHIPPED:
        link = ROOT / "kg" / "resources" / name
        assert link.is_symlink() and os.readlink(link) == f"../../{name}"
    assert ontology_dir() == (ROOT / "ontology").resolve()
    assert queries_dir() == (ROOT / "queries").resolve()
    assert ontology_path() == ROOT / "ontology" / "cluster-kg.ttl"
    assert shapes_path() == ROOT / "ontology" / "shapes.ttl"
    assert [q.origin for q in list_queries()] == [str(p) for p in sorted((ROOT / "queries").glob("*.rq"))]


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=600)
    assert done.returncode == 0, f"{' '.join(args)} exited {done.returncode}:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def _wheel(tmp_path: Path) -> Path:
    """A wheel of this checkout, built from a copy of its sources (the checkout is not written to)."""
    src = tmp_path / "src"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", ".venv", "build", "dist")
    for name in ("kg", "ontology", "queries"):
        shutil.copytree(ROOT / name, src / name, symlinks=True, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"),
                           str(src)], capture_output=True, text=True, check=False, timeout=600)
    if done.returncode != 0:
        skip_or_fail(f"pip cannot build the wheel here (setuptools unreachable?): {done.stderr[-1500:]}")
    (wheel,) = (tmp_path / "dist").glob("kg-*.whl")
    return wheel


@pytest.mark.slow
def test_resources_wheel_installed_outside_the_checkout_builds_validates_and_queries(tmp_path: Path) -> None:
    wheel = _wheel(tmp_path)
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        for folder, pattern in SHIPPED.items():
            for path in (ROOT / folder).glob(pattern):
                member = f"kg/resources/{folder}/{path.name}"
                assert member in names, f"{member} is not in the wheel"
                assert archive.read(member) == path.read_bytes()
    # a fresh environment: kg from the wheel, its dependencies from this one's site-packages
    # (listed in a .pth file, so this environment's editable kg is not picked up)
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path)
    python = venv / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "-q",
          str(wheel)], tmp_path)
    target = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], tmp_path).strip())
    (target / "kg_test_dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")

    work = tmp_path / "elsewhere"
    work.mkdir()
    shutil.copy(ROOT / "data" / "seed-news.txt", work / "seed-news.txt")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "KG_QUERIES_DIR")}
    where = _run([str(python), "-c", "import kg.resources as r; print(r.__file__); print(r.queries_dir())"], work, env)
    assert all(Path(line).is_relative_to(venv) for line in where.split()), where
    kg = str(venv / "bin" / "kg")
    _run([kg, "build", "seed-news.txt", "-w", "ws", "-q"], work, env)
    assert _run([kg, "validate", "-w", "ws"], work, env).startswith("conforms: ")
    rows = _run([kg, "query", "documents", "-w", "ws", "-f", "csv"], work, env).splitlines()
    assert '"@context"' in _run([kg, "export", "-w", "ws", "-f", "jsonld"], work, env)  # ontology/context.jsonld
    documents = (work / "seed-news.txt").read_text(encoding="utf-8").strip().splitlines()
    assert len(rows) == 1 + len(documents)
