"""The grammar anchors skip only sentences their parser has no match in (output unchanged)."""

from __future__ import annotations

import pytest

from kg.extract import Extractor

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
