"""Members listed after «это» standing for a set just counted (issue 15, session 6): «пополнился двумя
участниками — это X и Y», «вошли три компании. Это, в частности, X и Y», «Число резидентов … достигло 12.
По данным дирекции, это X, Y». Our own sentences, none from a test set."""

from __future__ import annotations

import pytest

from kg.extract import Extractor
from kg.model import ClusterLink, Document, Extraction

pytestmark = pytest.mark.slow


def links(extractor: Extractor, text: str) -> set[tuple[str, str, str]]:
    result: Extraction = extractor.extract(Document(id="shape", text=text))
    return {(f.role.value, result.entity(f.target).label, result.entity(f.cluster).label)
            for f in result.facts if isinstance(f, ClusterLink)}


TWO = {("member", "Сысертский резец", "Уральский инструмент"), ("member", "Ревдинская сталь", "Уральский инструмент")}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Кластер «Уральский инструмент» пополнился двумя участниками — это ООО «Сысертский резец» и "
         "АО «Ревдинская сталь».", TWO),
        ("В кластер «Уральский инструмент» вошли три компании. Это, в частности, ООО «Сысертский резец» и "
         "АО «Ревдинская сталь».", TWO),
        ("Число резидентов кластера «Уральский инструмент» достигло 12. По данным дирекции, это ООО «Сысертский "
         "резец», АО «Ревдинская сталь» и другие.", TWO),
        # «это» stands for what the sentence before says, not for a counted set
        ("Кластер «Уральский инструмент» объединил усилия предприятий. Это ООО «Сысертский резец» предложило первым.",
         set()),
        # the counted set is only planned
        ("В кластер «Уральский инструмент» планируют войти три компании. Это ООО «Сысертский резец» и "
         "АО «Ревдинская сталь».", set()),
    ],
)
def test_membership_shapes_these_are_the_counted_members(extractor: Extractor, text: str,
                                                         expected: set[tuple[str, str, str]]) -> None:
    assert links(extractor, text) == expected
