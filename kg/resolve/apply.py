"""A document's extraction as its graph is written: every resolved entity as its canonical node.

``resolved(extraction, resolution, minter)`` gives each entity whose node resolves to a
canonical one the canonical key (so its IRI, and the IRIs of posts minted from keys,
are the canonical ones), the canonical label and Wikidata id; the names it was read
with become its other names (``skos:altLabel``). The mapping (``kg.mapping``) then writes
the document as it writes any extraction.

>>> from kg.mapping.iri import IriMinter
>>> from kg.model import Document, Entity, Extraction, Kind
>>> from kg.resolve.identity import Canonical, Resolution
>>> minter = IriMinter("http://ex.org/")
>>> x = Extraction(Document("d", "ОАК"), (Entity("e1", Kind.ORGANIZATION, "оак", "ОАК"),))
>>> canon = Canonical(minter.entity(Kind.ORGANIZATION, "ref:uac"), "ref:uac", "Объединённая авиастроительная корпорация", "Q1")
>>> entity = resolved(x, Resolution({minter.entity(Kind.ORGANIZATION, "оак"): canon}), minter).entities[0]
>>> entity.key, entity.label, entity.alt_labels, entity.wikidata
('ref:uac', 'Объединённая авиастроительная корпорация', ('ОАК',), 'Q1')
"""

from __future__ import annotations

from dataclasses import replace

from kg.mapping.iri import IriMinter
from kg.model import Extraction
from kg.resolve.identity import Resolution


def resolved(extraction: Extraction, resolution: Resolution, minter: IriMinter) -> Extraction:
    """The extraction with its resolved entities in their canonical form (see the module)."""
    entities = []
    changed = False
    for entity in extraction.entities:
        canon = resolution.get(minter.entity(entity.kind, entity.key))
        if canon is not None:
            names = tuple(dict.fromkeys(n for n in (entity.label, *entity.alt_labels) if n != canon.label))
            entity = replace(entity, key=canon.key, label=canon.label, alt_labels=names,
                             wikidata=canon.wikidata or entity.wikidata)
            changed = True
        entities.append(entity)
    return replace(extraction, entities=tuple(entities)) if changed else extraction
