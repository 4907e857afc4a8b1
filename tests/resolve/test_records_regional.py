"""records.scoped: a federal body of the reference table named with a region after it is that
region's body («Минпромторг Татарстана» is the ministry of Tatarstan, not the federal one)."""

from __future__ import annotations

import pytest

from kg.mapping.iri import IriMinter
from kg.model import Document, Entity, Extraction, Kind, Span
from kg.resolve.lexicon import Lexicon, common_words
from kg.resolve.records import records_of, scoped

MINTER = IriMinter("https://example.org/id/")


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    from natasha import MorphVocab

    from kg.extract.morph import Morph

    morph = Morph(MorphVocab())
    return Lexicon.build(morph.lemma, common_words(morph))


def authority(text: str, written: str, label: str) -> Extraction:
    """A document whose every occurrence of ``written`` names one authority ``label``."""
    spans, start = [], text.find(written)
    while start >= 0:
        spans.append(Span(start, start + len(written), written))
        start = text.find(written, start + 1)
    entity = Entity("e1", Kind.AUTHORITY, label.lower(), label, tuple(spans))
    return Extraction(Document("d1", text), (entity,))


@pytest.mark.parametrize(("text", "written", "label", "key"), [
    ("Минпромторг Татарстана подписал соглашение с заводом.", "Минпромторг", "Минпромторг",
     "минпромторг @RU-TA"),
    ("Минпромторг РТ подготовил ещё 12 заявок.", "Минпромторг", "Минпромторг", "минпромторг @RU-TA"),
    ("Семинар провело Минэкономразвития Томской области, сообщили в министерстве.", "Минэкономразвития",
     "Минэкономразвития", "минэкономразвития @RU-TOM"),
    # the federal ministry, said or not; two regions in one text: nothing is guessed
    ("Минпромторг России выделил средства.", "Минпромторг", "Минпромторг", "минпромторг"),
    ("Минпромторг выделил средства, сообщили в Татарстане.", "Минпромторг", "Минпромторг", "минпромторг"),
    ("Минпромторг Татарстана и Минпромторг России подписали карту.", "Минпромторг", "Минпромторг", "минпромторг"),
    # a body that is not in the reference table keeps its key
    ("Минлесхоз Татарстана провёл проверку.", "Минлесхоз", "Минлесхоз", "минлесхоз"),
])
def test_records_regional_body_of_a_federal_name(lexicon: Lexicon, text: str, written: str, label: str,
                                                 key: str) -> None:
    assert scoped(authority(text, written, label), lexicon).entities[0].key == key


def test_records_regional_body_joins_its_full_name(lexicon: Lexicon) -> None:
    """Its match key is the reference entry's name in that region: the key of «Министерство
    промышленности и торговли Республики Татарстан»; the federal name keeps the entry."""
    short = records_of(scoped(authority("Минпромторг РТ подготовил заявки.", "Минпромторг", "Минпромторг"),
                              lexicon), MINTER, lexicon)
    full_text = "Министерство промышленности и торговли Республики Татарстан подготовило заявки."
    full = records_of(scoped(authority(full_text, full_text[:59], full_text[:59]), lexicon), MINTER, lexicon)
    federal = records_of(scoped(authority("Минпромторг России выделил средства.", "Минпромторг", "Минпромторг"),
                                lexicon), MINTER, lexicon)
    assert short[0].keys == ("name:министерство промышленность и торговля@RU-TA",)
    assert short[0].keys[0] in full[0].keys
    assert short[0].ref is None and federal[0].ref == "minpromtorg"
