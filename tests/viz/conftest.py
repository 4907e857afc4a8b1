"""Fixtures of the viz tests: the TriG sample store and its graph, a headless Chromium."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

sys.path.insert(0, str(Path(__file__).parent))  # chromium_cdp, viz_data: helpers of these tests

from chromium_cdp import Chromium, find_chromium  # noqa: E402
from viz_data import SAMPLE, load_trig, skip_or_fail  # noqa: E402

from kg.store.oxigraph import OxigraphStore  # noqa: E402
from kg.viz.network import load_network  # noqa: E402


@pytest.fixture(scope="session")
def sample_store() -> OxigraphStore:
    return load_trig(SAMPLE)


@pytest.fixture(scope="session")
def sample_graph(sample_store: OxigraphStore) -> nx.MultiDiGraph:
    return load_network(sample_store)


@pytest.fixture(scope="session")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chromium]:
    binary = find_chromium()
    if binary is None:
        skip_or_fail("chromium or websocket-client is not installed "
                     "(apt-get install chromium; pip install -e '.[test]')")
    assert binary is not None
    browser = Chromium(binary, tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield browser
    finally:
        browser.close()
