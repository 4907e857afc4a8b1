"""Resolution at scale: ``kg.resolve.resolve`` over the records of N generated documents.

Records are generated the way documents name entities: each document names a few
companies (from a pool that grows with N, some written in Latin in one document and
in Cyrillic in another, some as an abbreviation beside their expansion), a described
cluster of its region and sector, an authority of its region and a person. The pool
grows with the corpus, so blocks stay the size real news gives them.

Prints, per size, the time of ``resolve`` and the time per record, the ratio of each
size's time per record to the smallest size's (1.0: linear), and the peak of memory
Python allocates during a second, traced run.

    python benchmarks/bench_resolve.py --docs 10000 100000
"""

from __future__ import annotations

import argparse
import random
import resource
import time
import tracemalloc

from kg.mapping.iri import IriMinter
from kg.model import Kind
from kg.resolve.identity import resolve
from kg.resolve.records import EntityRecord

MINTER = IriMinter()
REGIONS = [f"RU-R{n:02d}" for n in range(85)]
SECTORS = ["фарма", "ит", "авиа", "судостроение", "химия", "машиностроение", "агро", "металлургия"]
SYLLABLES = ["ро", "та", "ми", "ка", "не", "со", "ли", "ва", "пе", "ду", "гри", "зо", "бу", "ле", "ха", "фу"]
LATIN = {"ро": "ro", "та": "ta", "ми": "mi", "ка": "ka", "не": "ne", "со": "so", "ли": "li", "ва": "va", "пе": "pe",
         "ду": "du", "гри": "gri", "зо": "zo", "бу": "bu", "ле": "le", "ха": "ha", "фу": "fu"}


def company_name(rng: random.Random) -> list[str]:
    return [rng.choice(SYLLABLES) for _ in range(rng.randint(3, 5))]


def records(docs: int, seed: int) -> dict[str, list[EntityRecord]]:
    rng = random.Random(seed)
    pool = [company_name(rng) for _ in range(max(50, docs // 4))]
    out: dict[str, list[EntityRecord]] = {}
    for d in range(docs):
        region, sector = rng.choice(REGIONS), rng.choice(SECTORS)
        recs = []
        for syllables in rng.sample(pool, 3):
            latin = rng.random() < 0.1
            name = "".join(LATIN[s] for s in syllables).capitalize() if latin else "".join(syllables).capitalize()
            key = name.lower()
            skel = "skel:latin:" if latin else "skel:cyrillic:"
            recs.append(EntityRecord(MINTER.entity(Kind.COMPANY, key), key, "company", name, (name,), None,
                                     (f"name:{key}", skel + "".join(LATIN[s] for s in syllables))))
        cluster = f"кластер {sector} @{region}"
        recs.append(EntityRecord(MINTER.entity(Kind.CLUSTER, cluster), cluster, "cluster", f"кластер {sector}",
                                 (f"кластер {sector}",), region, (f"sig:{region}:{sector}",), named=False))
        gov = f"правительство {region}"
        recs.append(EntityRecord(MINTER.entity(Kind.AUTHORITY, gov), gov, "authority", "правительство",
                                 ("правительство",), region, (f"name:правительство@{region}",)))
        person = f"иван {rng.randrange(docs)}"
        recs.append(EntityRecord(MINTER.entity(Kind.PERSON, person), person, "person", person.title(), (person,),
                                 None, (f"name:{person}",)))
        out[f"doc-{d}"] = recs
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    first: float | None = None
    print(f"{'documents':>10} {'records':>9} {'seconds':>8} {'us/record':>10} {'peak MiB':>9} {'ratio':>6} groups")
    for n in args.docs:
        data = records(n, args.seed)
        count = sum(len(v) for v in data.values())
        started = time.perf_counter()
        result = resolve(data, MINTER)
        seconds = time.perf_counter() - started
        tracemalloc.start()  # memory in a second run: tracing slows allocation down several times
        resolve(data, MINTER)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        per = seconds / count * 1e6
        first = first or per
        print(f"{n:>10} {count:>9} {seconds:>8.2f} {per:>10.1f} {peak / 2**20:>9.1f} {per / first:>6.2f} "
              f"{sum(len(g.members) > 1 for g in result.groups)}")
    print(f"max RSS of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
