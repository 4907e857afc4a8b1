"""kg.mapping.nquads: the build's N-Quads are the triples of to_graph, escaped for N-Triples."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.mapping.iri import IriMinter
from kg.mapping.nquads import to_nquads
from kg.mapping.to_rdf import to_graph
from kg.model import Document, Entity, Extraction, Kind, Span
from tests.store_helpers import to_ox
from tests.mapping.test_to_rdf import sample

MINTER = IriMinter("http://example.org/kg/")


def _quads(extraction: Extraction) -> tuple[set[ox.Quad], set[ox.Quad]]:
    """(expected from to_graph, parsed from to_nquads), both in the document's graph."""
    name = ox.NamedNode(MINTER.document(extraction.document.id))
    expected = {ox.Quad(to_ox(s), to_ox(p), to_ox(o), name)  # type: ignore[arg-type]
                for s, p, o in to_graph(extraction, MINTER)}
    return expected, set(ox.parse(to_nquads(extraction, MINTER), ox.RdfFormat.N_QUADS))


def test_nquads_sample_states_the_triples_of_to_graph() -> None:
    expected, got = _quads(sample())
    assert got == expected


@pytest.mark.parametrize("text", [
    'кавычки "внутри" и \\ обратная черта',
    "строка\nперенос\r\nи\tтаб",
    "управляющие \x00\x01\x1b\x7f символы",
    "разделители \u2028 \u2029 \x85 и BOM \ufeff",
    "эмодзи 🙂 и ударение а́",
])
def test_nquads_literals_keep_any_text(text: str) -> None:
    doc = Document("d/1 ?#", text, title=text)
    entity = Entity("e1", Kind.COMPANY, text, text, (Span(0, len(text), text),), alt_labels=(text + "!",))
    expected, got = _quads(Extraction(doc, (entity,)))
    assert got == expected
    texts = {q.object.value for q in got if q.predicate.value.endswith("#isString")}
    assert texts == {text}


def test_nquads_iri_the_store_refuses_raises_value_error() -> None:
    entity = Entity("e1", Kind.REGION, "калуга", "Калуга", wikidata="Q 1")
    with pytest.raises(ValueError):
        to_nquads(Extraction(Document("d", "Калуга"), (entity,)), MINTER)


def test_nquads_states_each_triple_once() -> None:
    text = to_nquads(sample(), MINTER)
    lines = text.decode().splitlines()
    assert len(lines) == len(set(lines)) == len(to_graph(sample(), MINTER))


def test_nquads_of_a_long_document_hold_no_whole_text_copy() -> None:
    """Issue 16, item 4: the N-Quads of one long document are kept as UTF-8 lines and joined once.
    Joined as one ``str`` first, a Cyrillic letter made every character of them 2 bytes, and the
    encoding a third copy: tracemalloc's peak was 6.3x the N-Quads' size on a 60,000-character
    generated text, 2.7x after (deterministic: Python's own allocations, no machine figure)."""
    import tracemalloc

    sentence = "Предприятие «Северный завод» вошло в состав кластера. "
    text, name = sentence * 2_000, "Северный завод"
    at = sentence.index(name)
    mentions = tuple(Span(i * len(sentence) + at, i * len(sentence) + at + len(name), name) for i in range(2_000))
    entity = Entity("e1", Kind.COMPANY, "северный завод", "Северный завод", mentions)
    extraction = Extraction(Document("long", text), entities=(entity,))
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        data = to_nquads(extraction, MINTER)
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    assert data.count(b"\n") > 8_000
    assert peak < 4 * len(data)
