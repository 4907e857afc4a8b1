"""Files kg ships as package data: the ontology and SHACL shapes, and the named queries.

The top-level ``ontology/`` and ``queries/`` folders of a checkout are what users
read and edit; ``kg/resources/ontology`` and ``kg/resources/queries`` are symbolic
links to them, so the package's files and the user's are the same files. A wheel
holds copies (setuptools follows the links when it builds one), so an installed kg
finds them with ``importlib.resources`` wherever it is installed.
tests/test_resources.py checks both: the links, and a wheel installed outside the
checkout running ``kg build``, ``kg validate`` and ``kg query documents``.

>>> ontology_dir().joinpath("cluster-kg.ttl").is_file(), queries_dir().joinpath("documents.rq").is_file()
(True, True)
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["ontology_dir", "queries_dir"]


def _folder(name: str) -> Path:
    """The shipped folder ``name`` as a real path (links resolved: in a checkout, the top-level folder)."""
    return Path(str(resources.files("kg.resources").joinpath(name))).resolve()


def ontology_dir() -> Path:
    """``cluster-kg.ttl`` (the published vocabulary) and ``shapes.ttl`` (the SHACL shapes)."""
    return _folder("ontology")


def queries_dir() -> Path:
    """The named queries, ``*.rq``."""
    return _folder("queries")
