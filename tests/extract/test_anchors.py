"""The grammar anchors skip only sentences their parser has no match in; the legal-form matches listed
without the parser (``rules._org_spans``) are the parser's."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.extract import Extractor
from kg.extract.readers.rules import _LEGAL_TRIGGER, _org_spans

pytestmark = pytest.mark.slow

# (grammar, our own sentence, does the parser match it, does it hold the anchor's tokens)
SENTENCES = [
    ("clusters", "В области создан кластер «Сибирский лес».", True, True),
    ("clusters", "Участники кластера под названием «Аэрокосмос» подписали соглашение.", True, True),
    ("clusters", "Кластер Tatarstan IT объединил двадцать компаний.", True, True),
    ("clusters", "О кластерах «Волга» и «Кама» рассказал министр.", True, True),
    ("clusters", "В Алтайском крае создан машиностроительный кластер Алтайского края.", False, False),
    ("clusters", "Кластерная политика региона обсуждалась на совещании.", False, False),
    ("clusters", "Кластер, о котором шла речь, — «Волга».", False, False),
    ("verb", "Иван Петров стал премьер-министром.", True, True),
    ("verb", "Губернатор назначил Олега Смирнова первым заместителем председателя правительства.", True, True),
    ("verb", "Анна Петрова является членом совета директоров.", True, True),
    ("verb", "Она работает директором школы с 2010 года.", True, True),
    ("verb", "Проект стал крупнейшим в регионе.", False, False),
    ("verb", "Предприятие остаётся лидером отрасли.", True, True),
    ("verb", "Он работал в Казани, потом уехал.", False, False),
    ("verb_after", "Капитаном команды стал Михаил Петров.", True, True),
    ("verb_after", "Премьер-министром страны станет глава партии Анна Смирнова.", True, True),
    ("verb_after", "Вечером стало холодно.", False, False),
    ("verb_after", "Министром он не станет.", False, True),
]


def parsers(extractor: Extractor) -> dict[str, tuple[object, object]]:
    y = extractor.yargy
    return {"clusters": (y.clusters, y.cluster_anchor), "verb": (y.verb_posts, y.verb_anchor),
            "verb_after": (y.verb_after_posts, y.verb_after_anchor)}


@pytest.mark.parametrize("grammar, sentence, matches", [row[:3] for row in SENTENCES])
def test_anchors_keep_every_sentence_with_a_match(extractor: Extractor, grammar: str, sentence: str, matches: bool) -> None:
    parser, anchor = parsers(extractor)[grammar]
    found = bool(list(parser.findall(sentence)))  # type: ignore[attr-defined]
    assert found == matches, "the table is wrong about the grammar"
    if found:
        assert anchor(sentence)  # type: ignore[operator]


@pytest.mark.parametrize("grammar, sentence, anchored", [(g, s, a) for g, s, _, a in SENTENCES])
def test_anchors_pass_only_sentences_with_the_tokens(extractor: Extractor, grammar: str, sentence: str, anchored: bool) -> None:
    _, anchor = parsers(extractor)[grammar]
    assert anchor(sentence) == anchored  # type: ignore[operator]


class _Sentence:
    """The two attributes of a Context that the grammar runner reads."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.sents = [(0, len(text))]


def _spans(pairs: object) -> list[tuple[int, int, list[str], list[int]]]:
    return [(offset + m.span.start, offset + m.span.stop, [t.value for t in m.tokens], [offset + t.span.start for t in m.tokens])
            for offset, m in pairs]  # type: ignore[attr-defined]


def _listed(pairs: object) -> list[tuple[int, int, list[str], list[int]]]:
    return [(offset + tokens[0].span.start, offset + tokens[-1].span.stop, [t.value for t in tokens],
             [offset + t.span.start for t in tokens]) for offset, tokens in pairs]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "sentence, count",
    [
        ("ООО «Ромашка» открыло цех.", 1),
        ("Соглашение подписали ПАО «Звезда» и ЗАО Intel Labs в Казани.", 2),
        ("Директор ФГУП «НПО «Микроген»» выступил, а ООО НПФ «Лютик» промолчало.", 2),
        ("В 2020году ООО«Вектор» и 1АО «Сигма» объединились.", 2),
        ("Компания АО-«Бета» и ООО без названия.", 0),
        ("Участники: ФГБОУ ВО «Томский университет», ГК «Росатом», МУП «Водоканал».", 3),
        ("АО «Завод «Прогресс» имени Ленина» и ООО Intel Retail-Group 2 & X5 сообщили.", 2),
        ("ООО «Альфа «Бета»» и АО «Гамма «Дельта» Эпсилон» и ПАО «Один «Два» Три Четыре Пять Шесть Семь Восемь»", 3),
    ],
)
def test_anchors_legal_orgs_listed_as_the_parser_finds_them(extractor: Extractor, sentence: str, count: int) -> None:
    y = extractor.yargy
    whole = _spans(y._run(y.orgs, _Sentence(sentence), _LEGAL_TRIGGER))  # type: ignore[arg-type]
    assert len(whole) == count, "the table is wrong about the grammar"
    assert _listed(y._legal_matches(_Sentence(sentence))) == whole  # type: ignore[arg-type]


# the tokens ORG_WITH_FORM reads: forms, quotes of both kinds, words it takes inside quotes and
# words it does not, Latin words and numbers with their joins, line breaks
_WORDS = ["ООО", "АО", "НПФ", "ВО", "ФГУП", "«", "»", '"', "“", "”", "„", "'", "-", ".", "&", ",", "(", ")", ":",
          "!", ";", "Ромашка", "завод", "Intel", "labs", "Group", "X", "5", "2020", "№", "Ёж", "\n", "§"]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from([" ", "", " "])), min_size=1, max_size=40))
def test_anchors_legal_org_spans_are_the_parsers_on_generated_sentences(extractor: Extractor,
                                                                       words: list[tuple[str, str]]) -> None:
    sentence = "".join(word + gap for word, gap in words).replace("\\n", "\n")
    y = extractor.yargy
    tokens = y.tokens(sentence)
    parsed = [(m.tokens[0].span.start, m.span.stop) for m in y.orgs.findall(sentence)]
    assert [(tokens[a].span.start, tokens[b - 1].span.stop) for a, b in _org_spans(tokens)] == parsed
