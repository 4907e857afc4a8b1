"""Our own identity sets (tests/data/identity2, identity3): their items and gold, and the checks
every such set passes: each gold mention is in its item's text, and the halves follow the fixed
story rule (odd stories dev, even holdout) with no entity spanning the two."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from kg.evaluate.identity import GoldMention, load_identity_gold, occurrences
from kg.model import Problem

DATA = Path(__file__).resolve().parents[1] / "data"
HALVES = ("dev", "holdout")


@dataclass(frozen=True)
class IdentitySet:
    name: str  # the folder under tests/data: "identity2"
    minimum: int  # items the two halves hold at least

    def texts(self, half: str) -> dict[str, str]:
        rows = map(json.loads, (DATA / self.name / f"{half}.jsonl").read_text(encoding="utf-8").splitlines())
        return {r["id"]: r["text"] for r in rows}

    def gold(self, half: str) -> list[GoldMention]:
        problems: list[Problem] = []
        found = load_identity_gold(DATA / self.name / f"{half}.json", problems.append)
        assert problems == []
        return found

    def check_gold_matches_the_texts(self, half: str) -> None:
        items = self.texts(half)
        mentions = self.gold(half)
        assert {m.doc for m in mentions} == set(items)  # every item has gold mentions
        for m in mentions:
            assert occurrences(items[m.doc], m.mention), f"{m.doc}: {m.mention!r} not in the text"

    def check_halves_follow_the_story_rule(self) -> None:
        """Odd stories are the dev half, even ones the holdout; no entity spans the halves."""
        for half, parity in (("dev", 1), ("holdout", 0)):
            assert {story(doc) % 2 for doc in self.texts(half)} == {parity}
        assert not {m.entity for m in self.gold("dev")} & {m.entity for m in self.gold("holdout")}
        assert len(self.texts("dev")) + len(self.texts("holdout")) >= self.minimum


def story(doc: str) -> int:
    """id3-s07-c -> 7."""
    return int(doc.split("-")[1][1:])
