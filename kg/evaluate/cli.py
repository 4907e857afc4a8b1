"""``kg eval``: score the extractor against gold (factRuEval folders, JSONL gold) and the
built graph's cross-document identity (identity gold).

Added to the main CLI by ``cli.add_command(eval_group)`` in ``kg/cli.py``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from kg.errors import KgError
from kg.evaluate.halves import Half

EXTRACTORS = ("default",)


class _EvalGroup(click.Group):
    """Turns a KgError into ``Error: ...`` when the group runs on its own."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KgError as exc:
            raise click.ClickException(str(exc)) from exc


def _extractor(name: str) -> Any:
    from kg.extract import Extractor  # loads the NLP models: only when a command runs

    return Extractor()


def _half(value: str | None) -> Half | None:
    return "A" if value == "A" else "B" if value == "B" else None


def _progress() -> Callable[[str], None] | None:
    """A one-line progress counter on stderr, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        return None

    def show(message: str) -> None:
        click.echo(f"\r{message:<40}", err=True, nl=False)

    return show


def half_option(f: Any) -> Any:
    return click.option(
        "--half", type=click.Choice(("A", "B")), default=None,
        help="Only the documents of this fixed half of the set (A: read while developing, B: held out; "
             "SHA-256 of the document id even -> A). Default: all.",
    )(f)


def extractor_option(f: Any) -> Any:
    return click.option(
        "--extractor", type=click.Choice(EXTRACTORS), default="default", show_default=True,
        help="Extractor to evaluate (kg.extract.Extractor).",
    )(f)


@click.group("eval", cls=_EvalGroup)
def eval_group() -> None:
    """Score the extractor against gold annotations."""


@eval_group.command("factru")
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the book_N.task1 / book_N.task3 responses.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Only the first N documents.")
@click.option("--misses", "misses", multiple=True, type=click.Choice(("occupation", "deal", "meeting")),
              help="After the scores, list the Track 3 facts of this type missed, extra or partly matched "
                   "(repeatable).")
@half_option
@extractor_option
def factru(directory: Path, out: Path, limit: int | None, misses: tuple[str, ...], half: str | None,
           extractor: str) -> None:
    """Write factRuEval-2016 Track 1 and Track 3 responses for DIRECTORY/book_N.txt.

    Where gold layers (.objects, .facts) lie beside the texts, prints precision,
    recall and F1 per tag (Track 1) and per fact type, easy mode (Track 3);
    with --misses, the gold facts missed, the response facts unmatched and the
    partial pairs of the chosen fact types, each with its sentence.
    """
    from kg.evaluate.factru import format_result, list_books, run_factru

    list_books(directory)  # fail on a bad folder before loading models
    result = run_factru(directory, out, _extractor(extractor), limit=limit, progress=_progress(), misses=misses,
                        half=_half(half))
    if sys.stderr.isatty():
        click.echo("", err=True)
    click.echo(format_result(result))


@eval_group.command("gold")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the scores and misses as JSON.")
@half_option
@extractor_option
def gold(file: Path, as_json: bool, half: str | None, extractor: str) -> None:
    """Score the extractor on a JSONL FILE whose records carry a `gold` object.

    Prints precision and recall per class and relation, then for each class the
    gold items missed and the extracted items the gold does not hold, each with
    its document id.
    """
    import json

    from kg.evaluate.gold import format_report, load_gold, score_gold

    records = load_gold(file)
    report = score_gold(records, _extractor(extractor), progress=_progress(), half=_half(half))
    if sys.stderr.isatty():
        click.echo("", err=True)
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(report))


@eval_group.command("identity")
@click.argument("file", metavar="GOLD.json", type=click.Path(path_type=Path))
@click.option("--corpus", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Build this corpus with `kg build` into a temporary workspace and measure that.")
@click.option("-w", "--workspace", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Measure this built workspace [default: kg-out, when --corpus is not given].")
@click.option("--json", "as_json", is_flag=True, help="Print the scores, merges and mentions as JSON.")
def identity(file: Path, corpus: Path | None, workspace: Path | None, as_json: bool) -> None:
    """Score cross-document identity: one node per real cluster or organisation.

    GOLD.json lists mentions (document id, string, gold entity id, class cluster|org).
    Each mention takes the node of its class named by the NIF phrase overlapping it most
    (none: a node of its own). Prints per class B-cubed precision/recall/F1 over mentions,
    and over pairs of mentions in different documents the merge recall and merge
    precision, then the missed merges, the wrong merges and the unresolved mentions.
    Gold rows that cannot be scored are reported on stderr and left out.
    """
    import json

    from kg.evaluate.identity import evaluate_identity, format_identity
    from kg.model import Problem

    if corpus is not None and workspace is not None:
        raise click.UsageError("give --corpus or -w/--workspace, not both")
    if corpus is None and workspace is None:
        workspace = Path("kg-out")
    if workspace is not None and not workspace.is_dir():
        raise click.ClickException(f"{workspace}: no such workspace; build one with `kg build` or give --corpus")

    def warn(problem: Problem) -> None:
        click.echo(f"Warning: {problem}", err=True)

    report = evaluate_identity(file, workspace=workspace, corpus=corpus, report=warn)
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(format_identity(report))
