"""A deterministic generator of Russian cluster news for benchmarks and the demo.

``generate(n, seed)`` first draws a small *world* from the seed (regions, their
governors and ministers, clusters with directors, member companies with chief
executives), then writes ``n`` news items about it from the templates in
``kg.demo.templates``. The same people, companies and clusters recur across
items, as in real news, so the graph has entities shared by many documents.
Same ``(n, seed)`` -> same records, byte for byte.

>>> [r["id"] for r in generate(2, seed=1)]
['gen-1-000000', 'gen-1-000001']
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import IO

from kg.demo import gazetteer as gz
from kg.demo.templates import TEMPLATES, Slots

START = date(2023, 1, 9)
DAYS = 3 * 365


@dataclass(frozen=True, slots=True)
class Person:
    name: gz.Name
    post: str  # nominative title with its organisation: "министр промышленности Томской области"
    post_gen: str  # genitive: "министра промышленности Томской области"


@dataclass(frozen=True, slots=True)
class Company:
    name: str  # ООО «ТехноМаш»
    head: Person


@dataclass(frozen=True, slots=True)
class Cluster:
    nom: str  # Фармацевтический кластер Томской области
    gen: str  # Фармацевтического кластера Томской области
    sector: gz.Sector
    director: Person
    members: tuple[Company, ...]
    university: str


@dataclass(frozen=True, slots=True)
class Place:
    region: gz.Region
    governor: Person
    minister: Person
    clusters: tuple[Cluster, ...]


class World:
    """Regions, people, companies and clusters drawn once from a seed."""

    def __init__(self, rng: random.Random, regions: int = 12) -> None:
        self.rng = rng
        self._used_names: set[tuple[str, str]] = set()
        self._used_companies: set[str] = set()
        chosen = rng.sample(gz.REGIONS, k=min(regions, len(gz.REGIONS)))
        self.places = tuple(self._place(region) for region in chosen)

    def _name(self) -> gz.Name:
        while True:
            female = self.rng.random() < 0.35
            first = self.rng.choice(gz.FEMALE_FIRST if female else gz.MALE_FIRST)
            name = gz.person_name(first, self.rng.choice(gz.SURNAME_STEMS), female)
            if (name.first, name.last) not in self._used_names:
                self._used_names.add((name.first, name.last))
                return name

    def _company_name(self) -> str:
        while True:
            core = self.rng.choice(gz.COMPANY_HEADS) + self.rng.choice(gz.COMPANY_TAILS)
            if core not in self._used_companies:
                self._used_companies.add(core)
                return f"{self.rng.choice(gz.LEGAL_FORMS)} «{core}»"

    def _place(self, region: gz.Region) -> Place:
        governor = Person(self._name(), f"губернатор {region.gen}", f"губернатора {region.gen}")
        minister = Person(self._name(), f"министр промышленности {region.gen}",
                          f"министра промышленности {region.gen}")
        sectors = self.rng.sample(gz.SECTORS, k=self.rng.randint(1, 3))
        return Place(region, governor, minister, tuple(self._cluster(region, s) for s in sectors))

    def _cluster(self, region: gz.Region, sector: gz.Sector) -> Cluster:
        nom = f"{sector.nom.capitalize()} кластер {region.gen}"
        gen = f"{sector.gen.capitalize()} кластера {region.gen}"
        director = Person(self._name(), f"директор {gen}", f"директора {gen}")
        members = []
        for _ in range(self.rng.randint(3, 6)):
            company = self._company_name()
            title = self.rng.choice(("генеральный директор", "исполнительный директор"))
            head = Person(self._name(), f"{title} {company}", f"{_genitive_title(title)} {company}")
            members.append(Company(company, head))
        university = self.rng.choice(gz.UNIVERSITIES).format(Adj=region.adj.capitalize())
        return Cluster(nom, gen, sector, director, tuple(members), university)


def _genitive_title(title: str) -> str:
    return {"генеральный директор": "генерального директора",
            "исполнительный директор": "исполнительного директора"}[title]


def _slots(world: World, rng: random.Random, day: date) -> Slots:
    place = rng.choice(world.places)
    cluster = rng.choice(place.clusters)
    a, b, c = rng.sample(cluster.members, k=3)
    return Slots(
        region=place.region, governor=place.governor, minister=place.minister, cluster=cluster,
        company=a, company2=b, company3=c, day=f"{day.day} {gz.MONTHS_GEN[day.month - 1]}",
        exhibition=rng.choice(gz.EXHIBITIONS), number=rng.randint(2, 40) * 10,
        year=day.year + rng.randint(1, 3),
    )


def generate(n: int, seed: int = 0) -> Iterator[dict[str, str]]:
    """``n`` news records ``{"id", "date", "title", "text"}`` drawn from ``seed``."""
    if n < 0:
        raise ValueError(f"n must be at least 0, not {n}")
    rng = random.Random(seed)
    world = World(rng)
    for i in range(n):
        day = START + timedelta(days=rng.randrange(DAYS))
        template = rng.choice(TEMPLATES)
        slots = _slots(world, rng, day)
        title, text = template(slots, rng)
        yield {"id": f"gen-{seed}-{i:06d}", "date": day.isoformat(), "title": title, "text": text}


def write_corpus(output: str | Path | IO[str], n: int, seed: int = 0) -> int:
    """Write ``generate(n, seed)`` as JSONL to a path or text stream; the number of records."""
    if isinstance(output, (str, Path)):
        with open(output, "w", encoding="utf-8", newline="\n") as handle:
            return write_corpus(handle, n, seed)
    count = 0
    for record in generate(n, seed):
        output.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count
