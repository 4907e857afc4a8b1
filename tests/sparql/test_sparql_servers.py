"""The servers the suite starts listen on the loopback interface only (Virtuoso has dba/dba)."""

from __future__ import annotations

from pathlib import Path

import pytest
from servers import VIRTUOSO_INI, Server, listening_addresses, skip_or_fail, virtuoso_ini

pytestmark = pytest.mark.server


@pytest.mark.parametrize("server_name", ["oxigraph_server", "oxigraph_plain_server", "virtuoso_server"])
def test_servers_listen_on_loopback_only(server_name: str, request: pytest.FixtureRequest) -> None:
    server: Server = request.getfixturevalue(server_name)
    found = listening_addresses(server.ports)
    assert {port for _, port in found} == set(server.ports)  # every port it was given is listening ...
    assert {address for address, _ in found} == {"127.0.0.1"}  # ... on 127.0.0.1 and nowhere else


def test_servers_virtuoso_ini_binds_every_port_to_loopback(tmp_path: Path) -> None:
    if not VIRTUOSO_INI.exists():
        skip_or_fail("Virtuoso is not installed (apt-get install virtuoso-opensource)")
    text = virtuoso_ini(tmp_path, 4111, 4890).read_text()
    ports = [line.split("=", 1)[1].strip() for line in text.splitlines() if line.startswith("ServerPort")]
    assert ports == ["127.0.0.1:4111", "127.0.0.1:4890"]
