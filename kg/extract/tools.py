"""``Tools``: what an Extractor builds once and hands to every reader it builds.

Readers get everything they use at construction (``ClusterReader(tools)``,
``FactType.readers[i].make(tools)``); nothing is set on a reader afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.extract.gazetteer import Gazetteer
from kg.extract.morph import Morph
from kg.extract.readers.lexicon import Lexicon

if TYPE_CHECKING:
    from kg.extract.readers.rules import YargyGrammars


@dataclass(frozen=True, slots=True)
class Tools:
    """pymorphy2 with caches, the place gazetteers, the positions lexicon and the yargy parsers."""

    morph: Morph
    gazetteer: Gazetteer
    lexicon: Lexicon
    yargy: YargyGrammars
