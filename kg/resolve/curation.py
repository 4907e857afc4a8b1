"""People's corrections, kept in the workspace as plain text and applied on every build.

``WORKSPACE/curation.tsv``, one correction per line, fields separated by tabs, ``#``
starts a comment::

    same        <IRI or name>   <IRI or name>     # one real entity
    different   <IRI or name>   <IRI or name>     # never one entity
    reject      <IRI>                              # a fact node (post, agreement, event) is false
    reject      <S IRI>  <P IRI>  <O IRI>          # one statement is false

An entity is named by an IRI (as ``kg find`` or a query shows it) or by a name: every
node carrying that name (case, ё and quotes ignored) is meant. The file diffs well in
git; ``kg merge``, ``kg split`` and ``kg reject`` append to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import InputError

FILENAME = "curation.tsv"
HEADER = "# kg curation: same | different | reject, tab-separated; applied on every build\n"
VERBS = ("same", "different", "reject")


@dataclass(frozen=True, slots=True)
class Curation:
    """Pairs of entities (IRIs or names) that are one entity or two, and facts that are false."""

    same: tuple[tuple[str, str], ...] = ()
    different: tuple[tuple[str, str], ...] = ()
    reject: tuple[tuple[str, ...], ...] = field(default=())


def parse_curation(text: str, origin: str = FILENAME) -> Curation:
    """Read a curation file's text; a bad line is an InputError naming its line."""
    same: list[tuple[str, str]] = []
    different: list[tuple[str, str]] = []
    reject: list[tuple[str, ...]] = []
    for number, line in enumerate(text.splitlines(), 1):
        body = line.split("#", 1)[0] if not line.lstrip().startswith("reject") else _strip_comment(line)
        fields = [f.strip() for f in body.split("\t") if f.strip()]
        if not fields:
            continue
        verb, args = fields[0], [_term(f) for f in fields[1:]]
        if verb in ("same", "different"):
            if len(args) != 2 or args[0] == args[1]:
                raise InputError(f"{origin}:{number}: '{verb}' needs two different entities (IRIs or names)")
            (same if verb == "same" else different).append((args[0], args[1]))
        elif verb == "reject":
            if len(args) not in (1, 3) or not all(a.startswith(("http://", "https://")) for a in args):
                raise InputError(f"{origin}:{number}: 'reject' needs one fact IRI, or the three IRIs of a statement")
            reject.append(tuple(args))
        else:
            raise InputError(f"{origin}:{number}: unknown correction {verb!r}; use one of {', '.join(VERBS)}")
    return Curation(tuple(same), tuple(different), tuple(reject))


def _strip_comment(line: str) -> str:
    """A reject line's IRIs may hold ``#char=…``: only `` #`` (after a space or tab) starts its comment."""
    for marker in ("\t#", " #"):
        if marker in line:
            line = line.split(marker, 1)[0]
    return line


def _term(text: str) -> str:
    text = text.strip()
    return text[1:-1] if text.startswith("<") and text.endswith(">") else text


def load_curation(workspace: Path) -> Curation:
    """The workspace's ``curation.tsv`` (absent: no corrections)."""
    from kg.workspace import Workspace

    path = Workspace(workspace).curation
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Curation()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the curation file: {exc}") from exc
    return parse_curation(text, str(path))


def append_curation(workspace: Path, verb: str, *args: str, comment: str = "") -> Path:
    """Add one correction line to ``curation.tsv`` (created with a header when absent)."""
    if verb not in VERBS:
        raise InputError(f"unknown correction {verb!r}; use one of {', '.join(VERBS)}")
    line = "\t".join([verb, *(f"<{a}>" if a.startswith(("http://", "https://")) else a for a in args)])
    parse_curation(line + "\n", "correction")  # the same checks as when it is read back
    from kg.workspace import Workspace

    path = Workspace(workspace).curation
    workspace.mkdir(parents=True, exist_ok=True)
    new = not path.exists()
    with path.open("a", encoding="utf-8") as out:
        if new:
            out.write(HEADER)
        out.write(line + (f"\t# {comment}" if comment else "") + "\n")
    return path


def apply_rejects(nquads: bytes, rejects: tuple[tuple[str, ...], ...]) -> tuple[bytes, tuple[tuple[str, ...], ...]]:
    """A document's N-Quads without what ``reject`` lines say is false; and the lines that
    removed something.

    ``reject <X>`` drops every statement with X as subject or object, and the mentions
    (NIF phrases) that point at X; ``reject <S> <P> <O>`` drops that statement.
    """
    if not rejects:
        return nquads, ()
    nodes = {f"<{r[0]}>": r for r in rejects if len(r) == 1}
    statements = {f"<{r[0]}> <{r[1]}> <{r[2]}>": r for r in rejects if len(r) == 3}
    lines = nquads.decode("utf-8").splitlines(keepends=True)
    applied: set[tuple[str, ...]] = set()
    dropped_subjects: set[str] = set()
    for line in lines:
        subject, _, rest = line.partition(" ")
        predicate, _, rest = rest.partition(" ")
        obj = rest[: rest.rfind(" <")] if " <" in rest else rest
        for term in (subject, obj):
            if term in nodes:
                applied.add(nodes[term])
                if predicate == _TA_IDENT_REF and term == obj:
                    dropped_subjects.add(subject)  # the mention of a rejected node goes with it
        triple = f"{subject} {predicate} {obj}"
        if triple in statements:
            applied.add(statements[triple])
    if not applied:
        return nquads, ()
    kept = []
    for line in lines:
        subject, _, rest = line.partition(" ")
        predicate, _, rest = rest.partition(" ")
        obj = rest[: rest.rfind(" <")] if " <" in rest else rest
        if subject in nodes or obj in nodes or subject in dropped_subjects or f"{subject} {predicate} {obj}" in statements:
            continue
        kept.append(line)
    return "".join(kept).encode("utf-8"), tuple(sorted(applied))


_TA_IDENT_REF = "<http://www.w3.org/2005/11/its/rdf#taIdentRef>"
