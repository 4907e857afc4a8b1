"""The challenge tables: one test per row of tests/data/challenge/*.tsv (see ``challenge.py``).

Rows the extractor does not read yet are ``xfail`` with their reason (strict: a row that
starts to pass must lose its mark). Pass rates per table and fact precision/recall per kind
are printed at the end of the run (``tests/extract/conftest.py``) and recorded in EVALUATION.md.
"""

from __future__ import annotations

import pytest

from kg.extract import Extractor
from kg.model import Document

from . import challenge
from .test_invariants import check_invariants

pytestmark = pytest.mark.slow


def _params() -> list[object]:
    params: list[object] = []
    for table in challenge.TABLES:
        for row in challenge.load_rows(table):
            marks = [pytest.mark.xfail(reason=row.xfail, strict=True)] if row.xfail else []
            params.append(pytest.param(row, id=f"{table}-{row.line}", marks=marks))
    return params


@pytest.mark.parametrize("row", _params())
def test_challenge_row(extractor: Extractor, row: challenge.Row) -> None:
    result = extractor.extract(Document(id=f"{row.table}-{row.line}", text=row.text))
    check_invariants(result)
    problems = challenge.check(row, result)
    challenge.TALLY.rows[row.table][1] += 1
    challenge.TALLY.halves[row.table, row.half][1] += 1
    if not problems:
        challenge.TALLY.rows[row.table][0] += 1
        challenge.TALLY.halves[row.table, row.half][0] += 1
    assert not problems, f"{row.text}\n" + "\n".join(problems)


def test_challenge_tables_parse() -> None:
    rows = [row for table in challenge.TABLES for row in challenge.load_rows(table)]
    assert {row.table for row in rows} == set(challenge.TABLES)
    for row in rows:
        assert row.text.strip(), row
        if row.table in challenge.KIND_OF_TABLE:
            assert all(e.kind == challenge.KIND_OF_TABLE[row.table] for e in row.expected), row


def test_challenge_expected_syntax() -> None:
    parsed = challenge.parse_expected(
        "member ООО «А» @ кластер «Б» | post Иван Петров = директор @ «А» | "
        "agreement соглашение о сотрудничестве [А, Б, ...] {Иван Петров} -[В] | event встреча [А, Б]")
    assert [e.kind for e in parsed] == ["link", "post", "agreement", "event"]
    assert (parsed[0].role, parsed[0].name, parsed[0].other) == ("member", "ООО «А»", "кластер «Б»")
    assert (parsed[1].name, parsed[1].other, parsed[1].where) == ("Иван Петров", "директор", "«А»")
    assert (parsed[2].name, parsed[2].parties, parsed[2].at_least) == ("соглашение о сотрудничестве", ("А", "Б"), True)
    assert (parsed[2].signatories, parsed[2].excluded) == (("Иван Петров",), ("В",))
    assert (parsed[3].name, parsed[3].parties, parsed[3].at_least) == ("встреча", ("А", "Б"), False)
    assert challenge.parse_expected("-") == ()
    with pytest.raises(ValueError):
        challenge.parse_expected("friend А @ Б")
