"""The `kg` command line: parses arguments, calls kg's API, prints results.

Never imports rdflib or natasha (a test enforces this); errors from the library
(`KgError`) become one `Error: ...` line and exit status 1.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from kg import api
from kg.errors import KgError
from kg.model import Problem

WORKSPACE_HELP = "Workspace directory holding the store and views."


class KgGroup(click.Group):
    """Turns every KgError into `Error: <message>` with exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KgError as exc:
            raise click.ClickException(str(exc)) from exc


def workspace_option(f: Any) -> Any:
    return click.option(
        "-w", "--workspace", type=click.Path(file_okay=False, path_type=Path),
        default=Path("kg-out"), show_default=True, help=WORKSPACE_HELP,
    )(f)


def existing_workspace_option(f: Any) -> Any:
    return click.option(
        "-w", "--workspace", type=click.Path(exists=True, file_okay=False, path_type=Path),
        default=Path("kg-out"), show_default=True, help=WORKSPACE_HELP,
    )(f)


@click.group(cls=KgGroup)
@click.version_option(package_name="kg")
def cli() -> None:
    """Knowledge graphs of Russian regional clusters, read from the news."""


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@workspace_option
@click.option("--per-file", is_flag=True, help="Each .txt file is one document (default: one per line).")
@click.option("--encoding", default=None, help="Input encoding when not UTF-8, e.g. cp1251.")
@click.option("--base", default=None, help="Base IRI of minted entities [default: https://w3id.org/cluster-kg/id/].")
@click.option("--strict", is_flag=True, help="Exit with status 2 when any record was skipped.")
@click.option("-q", "--quiet", is_flag=True, help="Print no summary and no progress.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Extract in this many worker processes (same result as 1).")
def build(inputs: tuple[str, ...], workspace: Path, per_file: bool, encoding: str | None,
          base: str | None, strict: bool, quiet: bool, jobs: int) -> None:
    """Read INPUTS (.txt .jsonl .csv files, directories, - for stdin) into the workspace.

    Writes WORKSPACE/graph.ttl, graph.trig and graph.html. Building again with the
    same input changes nothing; new or changed documents are added or replaced.
    """

    def warn(problem: Problem) -> None:
        click.echo(f"Warning: {problem}", err=True)


    options: dict[str, Any] = {"per_file": per_file, "encoding": encoding, "report": warn}
    if base:
        options["base"] = base
    summary = api.build(list(inputs), workspace, jobs=jobs, progress=not quiet, **options)
    if not quiet:
        st = summary.stats
        click.echo(
            f"documents: {summary.read} read, {summary.added} added, {summary.updated} updated, "
            f"{summary.unchanged} unchanged, {summary.skipped} skipped; "
            f"{st.documents} in the workspace"
        )
        click.echo("entities: " + ", ".join(
            f"{_short(c)} {n}" for c, n in st.classes.items() if _is_entity_class(c)))
        click.echo(f"facts: {st.facts}  triples: {st.triples}  seconds: {summary.seconds:.1f}")
        for path in summary.outputs:
            click.echo(f"wrote {path}")
    if strict and summary.problems:
        raise click.exceptions.Exit(2)


ENTITY_CLASSES = ("Cluster", "Organization", "Company", "Authority", "Person", "Region",
                  "Settlement", "Country", "Sector")


def _short(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _is_entity_class(iri: str) -> bool:
    return iri.startswith("https://w3id.org/cluster-kg/ontology#") and _short(iri) in ENTITY_CLASSES


@cli.command()
@existing_workspace_option
@click.option("-f", "--format", "fmt", type=click.Choice(api.EXPORT_FORMATS), default="turtle",
              show_default=True, help="Serialization; trig and nq keep one named graph per document.")
@click.option("-o", "--output", default="-", show_default=True, help="Output file, or - for stdout.")
def export(workspace: Path, fmt: str, output: str) -> None:
    """Write the workspace graph in an RDF format."""
    if output == "-":
        api.export(workspace, fmt, sys.stdout.buffer)
        sys.stdout.buffer.flush()
    else:
        api.export(workspace, fmt, output)


@cli.command()
@existing_workspace_option
@click.option("--limit", default=50, show_default=True, help="Print at most this many violations.")
def validate(workspace: Path, limit: int) -> None:
    """Check the workspace graph against the SHACL shapes; exit 1 when it does not conform."""
    report = api.validate(workspace)
    if report.conforms:
        click.echo(f"conforms: {report.triples} triples checked")
        return
    for v in report.violations[:limit]:
        click.echo(f"{v.severity}: {v.focus} {v.path}: {v.message}")
    more = len(report.violations) - limit
    if more > 0:
        click.echo(f"... and {more} more")
    raise click.ClickException(f"{len(report.violations)} violations in {report.triples} triples")


@cli.command()
@existing_workspace_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def stats(workspace: Path, fmt: str) -> None:
    """Counts per class and property of the workspace graph."""
    st = api.stats(workspace)
    if fmt == "json":
        click.echo(json.dumps({"documents": st.documents, "triples": st.triples, "facts": st.facts,
                               "classes": st.classes, "properties": st.properties},
                              ensure_ascii=False, indent=2))
        return
    click.echo(f"documents  {st.documents}\ntriples    {st.triples}\nfacts      {st.facts}")
    click.echo("\nclass counts")
    for iri, n in st.classes.items():
        click.echo(f"  {n:>8}  {iri}")
    click.echo("\nproperty counts")
    for iri, n in st.properties.items():
        click.echo(f"  {n:>8}  {iri}")


from kg.evaluate.cli import eval_group  # noqa: E402  (kg eval: scoring against gold)

cli.add_command(eval_group)


@cli.command()
@click.argument("ids", nargs=-1, required=True)
@existing_workspace_option
@click.option("-q", "--quiet", is_flag=True, help="Print no summary.")
def remove(ids: tuple[str, ...], workspace: Path, quiet: bool) -> None:
    """Remove documents IDS and every fact only they supported; rewrite the views.

    Entities and facts that another document also states stay in the graph.
    Exits with status 1 when an id is not in the workspace (the others are removed).
    """
    summary = api.remove(list(ids), workspace)
    if not quiet:
        click.echo(f"documents: {len(summary.removed)} removed; "
                   f"{summary.stats.documents} in the workspace; triples: {summary.stats.triples}")
    if summary.missing:
        raise click.ClickException("not in the workspace: " + ", ".join(summary.missing))


@cli.command("demo-corpus")
@click.argument("n", type=click.IntRange(min=0))
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same corpus (byte for byte).")
@click.option("-o", "--output", default="-", show_default=True, help="Output .jsonl file, or - for stdout.")
def demo_corpus(n: int, seed: int, output: str) -> None:
    """Write N generated Russian cluster news items as JSONL (for demos and benchmarks)."""
    from kg.demo import write_corpus

    if output == "-":
        write_corpus(sys.stdout, n, seed)
    else:
        write_corpus(output, n, seed)


def main() -> None:
    cli(prog_name="kg")
