"""The nesting/size battery: no query may crash `kg query` or `kg serve`.

Each vector at the engine's crash size is refused with one line; at the largest
size the guard lets through it is answered, or stopped by the time limit, and
never crashes the engine (the worker would report it).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from query_battery import CRASH, VECTORS, largest_accepted

from kg.cli import cli


def kg_query(workspace: Path, query: str, *extra: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["query", "-", "-w", str(workspace), "-f", "json", *extra], input=query)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("name", sorted(CRASH))
def test_battery_crash_sizes_are_refused_by_kg_query(battery_workspace: Path, name: str) -> None:
    code, out, err = kg_query(battery_workspace, VECTORS[name](CRASH[name]))
    assert code == 1 and out == ""
    assert err.startswith("Error: <stdin>: ") and err.count("\n") == 1, err
    assert "deep (the limit is 64)" in err or "more than 1,500 keywords and operators" in err


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_battery_largest_accepted_never_crashes(battery_workspace: Path, name: str) -> None:
    size = largest_accepted(VECTORS[name])
    assert size < CRASH.get(name, 10**9) / 2  # the guard keeps a margin below every crash measured
    code, out, err = kg_query(battery_workspace, VECTORS[name](size), "--timeout", "3")
    if code == 0:
        assert "head" in json.loads(out)
    else:  # too slow to plan or run: stopped, one line
        assert (code, err) == (1, "Error: the query was stopped after 3 s (the time limit)\n")


def post(url: str, query: str) -> tuple[int, str]:
    data = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(url, data=data, headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@pytest.mark.server
def test_battery_kg_serve_refuses_and_stays_up(battery_server: str) -> None:
    # the query of issue 16: 5,000 levels of braces overflowed the server's stack and ended it
    status, body = post(battery_server, VECTORS["braces"](5000))
    assert (status, body) == (400, "query refused: brackets nested 65 deep (the limit is 64)\n")
    for name, size in sorted(CRASH.items()):
        status, body = post(battery_server, VECTORS[name](size))
        assert status == 400 and body.startswith("query refused: ") and body.count("\n") == 1, (name, body)
    status, body = post(battery_server, "ASK { ?s ?p ?o }")
    assert (status, json.loads(body)) == (200, {"head": {}, "boolean": True})
