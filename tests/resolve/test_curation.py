"""The curation file: parsing with line numbers, appending, and reject lines applied to N-Quads."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import InputError
from kg.resolve.curation import Curation, append_curation, apply_rejects, load_curation, parse_curation

A, B = "http://ex.org/org/a", "http://ex.org/org/b"


def test_curation_parse_every_verb_and_comments() -> None:
    text = (f"# header\nsame\t<{A}>\tВектор\t# seen in two texts\n\ndifferent\t{A}\t{B}\n"
            f"reject\t<http://ex.org/doc/d1#char=1,5>\t# a comment\nreject\t<{A}>\t<http://p>\t<{B}>\n")
    curation = parse_curation(text)
    assert curation.same == ((A, "Вектор"),)
    assert curation.different == ((A, B),)
    assert curation.reject == (("http://ex.org/doc/d1#char=1,5",), (A, "http://p", B))


@pytest.mark.parametrize(("line", "message"), [
    ("same\ta", "needs two different entities"),
    ("same\ta\ta", "needs two different entities"),
    ("reject\tnot-an-iri", "needs one fact IRI"),
    ("reject\thttp://a\thttp://b", "needs one fact IRI"),
    ("merge\ta\tb", "unknown correction 'merge'"),
])
def test_curation_parse_bad_line_names_its_line(line: str, message: str) -> None:
    with pytest.raises(InputError, match=rf"curation.tsv:2: .*{message}"):
        parse_curation("# header\n" + line + "\n", "curation.tsv")


def test_curation_append_then_load(tmp_path: Path) -> None:
    assert load_curation(tmp_path) == Curation()
    append_curation(tmp_path, "same", A, "ОАК", comment="one company")
    append_curation(tmp_path, "reject", A)
    text = (tmp_path / "curation.tsv").read_text(encoding="utf-8")
    assert text.startswith("# kg curation")
    assert f"same\t<{A}>\tОАК\t# one company\n" in text
    assert load_curation(tmp_path) == Curation(same=((A, "ОАК"),), reject=((A,),))
    with pytest.raises(InputError):
        append_curation(tmp_path, "same", A, A)
    assert load_curation(tmp_path).same == ((A, "ОАК"),)  # a refused line is not written


NQ = (f'<{A}> <http://www.w3.org/2000/01/rdf-schema#label> "Альфа <b> и «Бета»"@ru <http://g> .\n'
      f'<http://m> <http://www.w3.org/2005/11/its/rdf#taIdentRef> <{A}> <http://g> .\n'
      f'<http://m> <http://nif#anchorOf> "Альфа" <http://g> .\n'
      f'<http://c> <http://www.w3.org/ns/org#hasMember> <{A}> <http://g> .\n'
      f'<http://c> <http://www.w3.org/ns/org#hasMember> <{B}> <http://g> .\n').encode()


def test_curation_reject_node_drops_it_its_mentions_and_links() -> None:
    kept, applied = apply_rejects(NQ, ((A,),))
    assert applied == ((A,),)
    assert kept.decode().splitlines() == [f"<http://c> <http://www.w3.org/ns/org#hasMember> <{B}> <http://g> ."]


def test_curation_reject_statement_drops_only_it() -> None:
    kept, applied = apply_rejects(NQ, (("http://c", "http://www.w3.org/ns/org#hasMember", B),))
    assert applied and len(kept.decode().splitlines()) == 4 and f"<{B}>" not in kept.decode()


def test_curation_reject_that_matches_nothing_changes_nothing() -> None:
    assert apply_rejects(NQ, (("http://nowhere",),)) == (NQ, ())
