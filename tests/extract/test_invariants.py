"""Offsets index the raw text; ids are consistent; extract never raises."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.extract import Extractor, extract
from kg.facts.founding import Founding
from kg.facts.management import Management
from kg.model import Agreement, ClusterLink, Document, Event, Extraction, Post

from .conftest import read

pytestmark = pytest.mark.slow


def check_invariants(result: Extraction) -> None:
    text = result.document.text
    ids = {e.id for e in result.entities}
    for entity in result.entities:
        assert entity.mentions, entity
        for span in entity.mentions:
            assert text[span.start:span.stop] == span.text, (span, entity.label)
            assert span.stop > span.start
        if entity.located_in is not None:
            assert entity.located_in in ids
        assert all(s in ids for s in entity.sectors)
    for fact in result.facts:
        assert text[fact.evidence.start:fact.evidence.stop] == fact.evidence.text
        if isinstance(fact, Post):
            refs = [fact.holder] + ([fact.post_in] if fact.post_in else [])
        elif isinstance(fact, ClusterLink):
            refs = [fact.cluster, fact.target]
        elif isinstance(fact, Agreement):
            refs = [*fact.parties, *fact.signatories, *fact.witnesses, *fact.about] + ([fact.place] if fact.place else [])
        elif isinstance(fact, Management):
            refs = [fact.cluster, fact.body]
        elif isinstance(fact, Founding):
            refs = [fact.cluster]
        else:
            assert isinstance(fact, Event)
            refs = [*fact.participants, *fact.about] + ([fact.place] if fact.place else [])
        assert all(r in ids for r in refs), fact


@pytest.mark.parametrize(
    "text",
    [
        "9 апреля в присутствии заместителя Председателя Правительства Тверской областиПетра Сидорова подписали меморандум.",
        "<p>Губернатор&nbsp;Тверской области <b>Игорь Руденя</b> посетил завод.</p><script>var x = 1;</script>",
        "<div>Компания &laquo;Ромашка&raquo; вошла в кластер.</div>",
        "Директор ООО «Лютик» Иван\x00Петров\x07 выступил.",
        "Кластер «Север» создан в Мурманске.\n\nООО «Полярник» стало участником кластера «Север».",
    ],
)
def test_pipeline_offsets_index_raw_text(extractor: Extractor, text: str) -> None:
    check_invariants(read(extractor, text))


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "<p></p>", "...", "1234"])
def test_pipeline_empty_or_junk_gives_empty_extraction(extractor: Extractor, text: str) -> None:
    result = read(extractor, text)
    assert result.facts == ()
    check_invariants(result)


def test_pipeline_html_entities_and_tags_are_not_mentions(extractor: Extractor) -> None:
    text = "<p>Генеральный директор АО «Вектор» <i>Олег Смирнов</i> подписал договор.</p>"
    result = read(extractor, text)
    person = next(e for e in result.entities if e.label == "Олег Смирнов")
    assert person.mentions[0].text == "Олег Смирнов"
    assert all("<" not in m.text for e in result.entities for m in e.mentions)


def test_pipeline_glued_words_are_split(extractor: Extractor) -> None:
    text = "Выступил министр экономики Пензенской областиСергей Волков."
    result = read(extractor, text)
    person = next(e for e in result.entities if e.label == "Сергей Волков")
    assert person.mentions[0].text == "Сергей Волков"
    check_invariants(result)


def test_extract_uses_given_extractor(extractor: Extractor) -> None:
    result = extract(Document(id="x", text="Губернатор Андрей Иванов провёл совещание."), extractor)
    check_invariants(result)
    assert any(e.label == "Андрей Иванов" for e in result.entities)


def test_extract_caches_the_default_extractor(extractor: Extractor, monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.extract

    monkeypatch.setattr(kg.extract, "_default", extractor)
    result = extract(Document(id="x", text="Губернатор Андрей Иванов провёл совещание."))
    assert kg.extract._default is extractor
    assert any(e.label == "Андрей Иванов" for e in result.entities)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_pipeline_never_raises_on_any_text(extractor: Extractor, text: str) -> None:
    check_invariants(extractor.extract(Document(id="h", text=text)))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(["кластер", "«", "»", "ООО", " ", "Иван Петров", "областиАлексея", "<b>", "&amp;",
                                 "подписали", "соглашение", "Калужской области", ",", ".", "—", "\x00", "9 апреля"]),
                max_size=40))
def test_pipeline_never_raises_on_domain_soup(extractor: Extractor, parts: list[str]) -> None:
    check_invariants(extractor.extract(Document(id="h", text=" ".join(parts))))
