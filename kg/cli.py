"""The `kg` command line: parses arguments, calls one function of ``kg.api``, prints the result.

Imports nothing of kg but ``kg.api`` (tests/test_architecture.py enforces this), so never
rdflib or natasha; errors from the library (`KgError`) become one `Error: ...` line and
exit status 1.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from kg import api

WORKSPACE_HELP = "Workspace directory holding the store and views."


class KgGroup(click.Group):
    """Turns every KgError into `Error: <message>` with exit status 1, and Ctrl-C into
    one `Interrupted.` line with exit status 130 (what a shell reports for SIGINT)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except api.KgError as exc:
            raise click.ClickException(str(exc)) from exc
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)


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


class EndpointURL(click.ParamType):
    """An http(s) URL of a SPARQL or Graph Store endpoint."""

    name = "URL"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value)
        if not text.startswith(("http://", "https://")) or "://" == text[-3:]:
            self.fail(f"{text!r} is not an http(s) URL", param, ctx)
        return text


def endpoint_options(f: Any) -> Any:
    for option in reversed([
        click.option("--user", default=None, help="User name for the endpoint."),
        click.option("--password", default=None, envvar="KG_ENDPOINT_PASSWORD",
                     help="Password (or set KG_ENDPOINT_PASSWORD)."),
        click.option("--auth", type=click.Choice(["basic", "digest"]), default="basic", show_default=True,
                     help="HTTP authentication scheme (Virtuoso's /sparql-auth and /sparql-graph-crud-auth use digest)."),
        click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
                     help="Seconds a query (or each upload) may take in all, then it is stopped."),
        click.option("--retries", type=click.IntRange(min=0), default=3, show_default=True,
                     help="Retries of transient failures (connection errors, time-outs, HTTP 429/5xx), with back-off."),
    ]):
        f = option(f)
    return f


def _endpoint(url: str, user: str | None, password: str | None, auth: str, timeout: float,
              retries: int, default_graph: str = "auto") -> api.Endpoint:
    return api.Endpoint(url, user, password, auth, timeout, retries, default_graph=default_graph)


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
@click.option("--dask", "dask", metavar="ADDRESS", default=None,
              help="Extract on a Dask cluster (same result): local:N starts N worker processes, "
                   "tcp://HOST:PORT joins a running scheduler. Needs pip install 'kg[dask]'.")
@click.option("--push", "push_url", type=EndpointURL(), default=None,
              help="Then upload the changed document graphs to this Graph Store URL (as kg push; "
                   "--user, --password, --auth, --timeout, --retries apply).")
@endpoint_options
def build(inputs: tuple[str, ...], workspace: Path, per_file: bool, encoding: str | None,
          base: str | None, strict: bool, quiet: bool, jobs: int, dask: str | None, push_url: str | None,
          user: str | None, password: str | None, auth: str, timeout: float, retries: int) -> None:
    """Read INPUTS (.txt .jsonl .csv files, directories, - for stdin) into the workspace.

    Writes WORKSPACE/graph.ttl, graph.trig and graph.html. Building again with the
    same input changes nothing; new or changed documents are added or replaced.
    """

    def warn(problem: api.Problem) -> None:
        click.echo(f"Warning: {problem}", err=True)

    options: dict[str, Any] = {"per_file": per_file, "encoding": encoding, "report": warn}
    if base:
        options["base"] = base
    if push_url:
        options["push"] = _endpoint(push_url, user, password, auth, timeout, retries)
    summary = api.build(list(inputs), workspace, jobs=jobs, dask=dask, progress=not quiet, **options)
    if summary.pushed is not None and summary.pushed.journal_error:
        click.echo(f"Warning: {summary.pushed.journal_error}; pushed without it", err=True)
    if not quiet:
        st = summary.stats
        click.echo(
            f"documents: {summary.read} read, {summary.added} added, {summary.updated} updated, "
            f"{summary.unchanged} unchanged, {summary.skipped} skipped; "
            f"{st.documents} in the workspace"
        )
        click.echo("entities: " + ", ".join(f"{name} {n}" for name, n in st.entities.items()))
        click.echo(f"facts: {st.facts}  triples: {st.triples}  seconds: {summary.seconds:.1f}")
        for path in summary.outputs:
            click.echo(f"wrote {path}")
        if summary.pushed is not None:
            click.echo(f"pushed to {push_url}, graphs: {len(summary.pushed.put)} uploaded, "
                       f"{len(summary.pushed.skipped)} unchanged, {len(summary.pushed.deleted)} deleted; "
                       f"union graph: {summary.pushed.union}")
    if strict and summary.problems:
        raise click.exceptions.Exit(2)


@cli.command()
@existing_workspace_option
@click.option("-f", "--format", "fmt", type=click.Choice([*api.EXPORT_FORMATS, *api.NETWORK_FORMATS]),
              default="turtle", show_default=True,
              help="Serialization; trig and nq keep one named graph per document; "
                   "graphml and gexf write the entity network for Gephi.")
@click.option("-o", "--output", default="-", show_default=True, help="Output file, or - for stdout.")
def export(workspace: Path, fmt: str, output: str) -> None:
    """Write the workspace graph in an RDF format, or its network for Gephi."""
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
    """Counts per class and property of the workspace graph, and network analytics:
    top organisations and people by degree and betweenness, connected components,
    Louvain communities, clusters per region."""
    st = api.stats(workspace, network=True)
    analytics = st.network
    assert analytics is not None
    if fmt == "json":
        click.echo(json.dumps({"documents": st.documents, "triples": st.triples, "facts": st.facts,
                               "classes": st.classes, "properties": st.properties,
                               "network": analytics.to_dict()},
                              ensure_ascii=False, indent=2))
        return
    click.echo(f"documents  {st.documents}\ntriples    {st.triples}\nfacts      {st.facts}")
    click.echo("\nclass counts")
    for iri, n in st.classes.items():
        click.echo(f"  {n:>8}  {iri}")
    click.echo("\nproperty counts")
    for iri, n in st.properties.items():
        click.echo(f"  {n:>8}  {iri}")
    click.echo("\nnetwork\n" + analytics.format())


@cli.command()
@existing_workspace_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="HTML file to write [default: WORKSPACE/graph.html].")
@click.option("--focus", metavar="LABEL", default=None,
              help="Draw only the neighbourhood of this entity (name or other name).")
@click.option("--depth", type=click.IntRange(min=0), default=1, show_default=True,
              help="Steps around --focus.")
@click.option("--cluster", metavar="NAME", default=None,
              help="Draw one cluster's world: members, initiators, facts about it, their people.")
@click.option("--title", default=None, help="Page title.")
def viz(workspace: Path, output: Path | None, focus: str | None, depth: int, cluster: str | None,
        title: str | None) -> None:
    """Write an interactive relationship view: one self-contained HTML file that works offline."""
    path = api.view(workspace, output, focus=focus, depth=depth, cluster=cluster, title=title)
    click.echo(f"wrote {path}")



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


# -- identity: people's corrections (WORKSPACE/curation.tsv, kg.resolve) ----------------------


def _curated(summary: Any) -> None:
    click.echo(f"recorded in {summary.path}: {summary.line}")
    click.echo(f"documents written again: {summary.written}; triples: {summary.stats.triples}")


@cli.command()
@click.argument("a", metavar="A")
@click.argument("b", metavar="B")
@existing_workspace_option
@click.option("-m", "--comment", default="", help="Why (kept in curation.tsv).")
def merge(a: str, b: str, workspace: Path, comment: str) -> None:
    """Say that A and B (IRIs or names) are one real entity; kept in WORKSPACE/curation.tsv
    and applied on every build."""
    _curated(api.curate(workspace, "same", a, b, comment=comment))


@cli.command()
@click.argument("a", metavar="A")
@click.argument("b", metavar="B")
@existing_workspace_option
@click.option("-m", "--comment", default="", help="Why (kept in curation.tsv).")
def split(a: str, b: str, workspace: Path, comment: str) -> None:
    """Say that A and B (IRIs or names) are two entities, never to be merged; kept in
    WORKSPACE/curation.tsv and applied on every build."""
    _curated(api.curate(workspace, "different", a, b, comment=comment))


@cli.command()
@click.argument("terms", nargs=-1, required=True, metavar="FACT | S P O")
@existing_workspace_option
@click.option("-m", "--comment", default="", help="Why (kept in curation.tsv).")
def reject(terms: tuple[str, ...], workspace: Path, comment: str) -> None:
    """Say that a fact is false: a fact node's IRI (post, agreement, event), or the three IRIs of
    one statement (e.g. a membership). Kept in WORKSPACE/curation.tsv; applied on every build."""
    _curated(api.curate(workspace, "reject", *terms, comment=comment))


@cli.command()
@existing_workspace_option
@click.option("--limit", type=click.IntRange(min=1), default=30, show_default=True, help="Show at most this many pairs.")
@click.option("--format", "fmt", type=click.Choice(["table", "tsv"]), default="table", show_default=True)
def suggest(workspace: Path, limit: int, fmt: str) -> None:
    """List likely duplicates left apart (names sharing rare words, same region), best first,
    each with the `kg merge` command that would join them."""
    found = api.suggest(workspace, limit)
    if fmt == "tsv":
        click.echo("score\tregion\ta\ta_label\tb\tb_label")
        for s in found:
            click.echo(f"{s.score}\t{s.region or ''}\t{s.a}\t{s.a_label}\t{s.b}\t{s.b_label}")
        return
    if not found:
        click.echo("no likely duplicates")
        return
    for s in found:
        where = f"  [{s.region}]" if s.region else ""
        click.echo(f"{s.score:.2f}  {s.a_label}  ~  {s.b_label}{where}\n      kg merge {s.a} {s.b}")


@cli.command("demo-corpus")
@click.argument("n", type=click.IntRange(min=0))
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same corpus (byte for byte).")
@click.option("-o", "--output", default="-", show_default=True, help="Output .jsonl file, or - for stdout.")
def demo_corpus(n: int, seed: int, output: str) -> None:
    """Write N generated Russian cluster news items as JSONL (for demos and benchmarks)."""
    api.demo_corpus(sys.stdout if output == "-" else output, n, seed)


# -- SPARQL: named queries, remote endpoints, serving (kg.sparql, kg.store.remote) --------------


@cli.command("queries")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def list_queries_cmd(fmt: str) -> None:
    """List the named queries with their descriptions and parameters."""
    curie = api.curie
    found = api.queries()
    if fmt == "json":
        click.echo(json.dumps([{"name": q.name, "title": q.title, "description": q.description, "form": q.form,
                                "params": [{"name": p.name, "type": p.type, "required": p.required,
                                            "classes": [curie(c) for c in p.classes], "choices": list(p.choices),
                                            "description": p.doc} for p in q.params]} for q in found],
                              ensure_ascii=False, indent=2))
        return
    for q in found:
        click.echo(f"{q.name}  —  {q.title}\n    {q.description}")
        for p in q.params:
            kind = p.type + (f" of {'|'.join(curie(c) for c in p.classes)}" if p.classes else "")
            kind += f" in {'|'.join(p.choices)}" if p.choices else ""
            need = ", required" if p.required else ""
            click.echo(f"    --param {p.name}=…  ({kind}{need}) {p.doc}")


@cli.command("find")
@click.argument("text")
@workspace_option
@click.option("--class", "classes", multiple=True, metavar="CLASS",
              help="Only entities of this class (Cluster, Company, Organization, Authority, Person, Region, "
                   "Settlement, Country, Sector). Repeatable.")
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "md"]), default="table",
              show_default=True)
@click.option("--endpoint", type=EndpointURL(), default=None, help="Look on this remote SPARQL query URL instead.")
@endpoint_options
def find_cmd(text: str, workspace: Path, classes: tuple[str, ...], fmt: str, endpoint: str | None,
             user: str | None, password: str | None, auth: str, timeout: float, retries: int) -> None:
    """List the entities TEXT names, of any class, with their IRIs: by their name or any other name
    seen in the news, case, ё and word endings ignored («кировской» finds «Кировская область»).

    Every IRI listed can be given to a query's parameter; so can the name itself.
    """
    target = _endpoint(endpoint, user, password, auth, timeout, retries) if endpoint else None
    rows = api.find(text, workspace=None if target else workspace, endpoint=target, classes=classes)
    click.echo(api.format_result(rows, fmt), nl=False)


@cli.command("query")
@click.argument("query_ref", metavar="NAME|FILE.rq|-")
@workspace_option
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a query parameter to a value (an RDF term; never pasted into the query). Repeatable.")
@click.option("-f", "--format", "fmt",
              type=click.Choice(["table", "csv", "tsv", "json", "md", "turtle", "nt", "jsonld"]), default="table",
              show_default=True, help="SELECT: table, csv, tsv, json or md; CONSTRUCT/DESCRIBE: turtle (= table), "
                                      "nt or jsonld; ASK: table (true/false) or json.")
@click.option("--endpoint", type=EndpointURL(), default=None,
              help="Run on this remote SPARQL query URL instead of the workspace.")
@endpoint_options
@click.option("--allow-service", is_flag=True,
              help="Let a local query call other servers with SERVICE (off: such a query is refused).")
@click.option("--default-graph", default="auto", show_default=True, metavar="auto|server|IRI",
              help="With --endpoint, the graph a query reads: auto = kg's union graph when kg push "
                   "keeps one there, else the server's default graph (with a warning when that is empty "
                   "while named graphs hold data); server = the server's default graph; or a graph IRI.")
@click.option("-o", "--output", default="-", show_default=True, help="Output file, or - for stdout.")
def query_cmd(query_ref: str, workspace: Path, params: tuple[str, ...], fmt: str, endpoint: str | None,
              user: str | None, password: str | None, auth: str, timeout: float, retries: int,
              allow_service: bool, default_graph: str, output: str) -> None:
    """Run a named query, an .rq file, or a query read from stdin (-).

    A local query runs in a child process stopped after --timeout seconds; a query
    too large or nested too deeply for the engine is refused before it runs.
    """
    bound: dict[str, str] = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"expected NAME=VALUE, got {item!r}", param_hint="--param")
        bound[name.strip().lstrip("?$")] = value
    ref: Any = query_ref
    if query_ref == "-":
        ref = api.parse_query(sys.stdin.read(), name="stdin", origin="<stdin>")
    ref = api.prepare_query(ref, fmt)
    target = _endpoint(endpoint, user, password, auth, timeout, retries, default_graph) if endpoint else None
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if target:
            result = api.query(ref, params=bound, endpoint=target)
        else:
            result = api.query(ref, workspace=workspace, params=bound, timeout=timeout, allow_service=allow_service)
    for warning in caught:
        click.echo(f"Warning: {warning.message}", err=True)
    text = api.format_result(result, fmt)
    if output == "-":
        click.echo(text, nl=False)
    else:
        Path(output).write_text(text, encoding="utf-8")


@cli.command()
@existing_workspace_option
@click.option("--endpoint", type=EndpointURL(), required=True,
              help="Graph Store Protocol URL, e.g. http://127.0.0.1:7878/store (Oxigraph) or "
                   "http://127.0.0.1:8890/sparql-graph-crud-auth (Virtuoso, with --auth digest).")
@endpoint_options
@click.option("--query-endpoint", type=EndpointURL(), default=None,
              help="The same server's SPARQL query URL, to check what it holds before skipping a graph "
                   "[default: beside --endpoint: …/store -> …/query, …/sparql-graph-crud-auth -> …/sparql-auth].")
@click.option("--force", is_flag=True, help="Upload every graph, even those already pushed unchanged.")
@click.option("--union/--no-union", default=None,
              help="Keep the union graph <https://w3id.org/cluster-kg/id/graph/union> on the server, which "
                   "kg query --endpoint reads [default: unless the server's default graph is already the "
                   "union of every graph: Virtuoso, GraphDB].")
@click.option("-q", "--quiet", is_flag=True, help="Print no summary.")
def push(workspace: Path, endpoint: str, user: str | None, password: str | None, auth: str,
         timeout: float, retries: int, query_endpoint: str | None, force: bool, union: bool | None,
         quiet: bool) -> None:
    """Upload the workspace to a SPARQL server, one named graph per document (PUT replaces it),
    and their union as one more graph, which `kg query --endpoint` reads.

    Pushing again replaces graphs instead of duplicating them and skips a graph only when
    it was pushed unchanged and the server still holds it (one query checks graph names
    and sizes); an interrupted push resumes where it stopped.
    """
    checker = _endpoint(query_endpoint, user, password, auth, timeout, retries) if query_endpoint else None
    report = api.push(workspace, _endpoint(endpoint, user, password, auth, timeout, retries), force=force,
                      query_endpoint=checker, union=union)
    if report.journal_error:
        click.echo(f"Warning: {report.journal_error}; pushed without it", err=True)
    if not quiet:
        click.echo(f"graphs: {len(report.put)} uploaded, {len(report.skipped)} unchanged, "
                   f"{len(report.deleted)} deleted; union graph: {report.union}", err=True)


@cli.command()
@existing_workspace_option
@click.option("--port", type=click.IntRange(1, 65535), default=7878, show_default=True,
              help="Port on 127.0.0.1.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Seconds a query may run; then it is stopped and answered 503.")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Queries run at once, each in its own process [default: cores, 2 to 4].")
@click.option("--allow-service", is_flag=True,
              help="Let queries call other servers with SERVICE (off: such a query gets 400).")
@click.option("--cors", is_flag=True,
              help="Let pages of any other origin query this endpoint (Access-Control-Allow-Origin: *); off by default.")
@click.option("--base", default=None,
              help="Base IRI of the workspace's nodes, served as /id/… [default: https://w3id.org/cluster-kg/id/].")
def serve(workspace: Path, port: int, timeout: float, workers: int | None, allow_service: bool, cors: bool,
          base: str | None) -> None:
    """Serve the workspace as a read-only SPARQL endpoint on 127.0.0.1 (Ctrl-C or SIGTERM stops it).

    http://127.0.0.1:PORT/ is YASGUI, with the project's prefixes and the named queries as
    examples; /query the SPARQL 1.1 Protocol; /id/… the page of a node of the graph (HTML for a
    browser, Turtle for Accept: text/turtle). Queries too large or nested too deeply are refused
    with 400 before they run.
    """
    def ready(url: str) -> None:
        click.echo(f"SPARQL endpoint: {url}  (Ctrl-C to stop)", err=True)

    def log(line: str) -> None:
        click.echo(f"Warning: {line}", err=True)

    api.serve(workspace, port, timeout=timeout, workers=workers, allow_service=allow_service, cors=cors, base=base,
              ready=ready, log=log)


# -- kg eval: scoring against gold (kg.evaluate) ----------------------------------------------------


def _half(value: str | None) -> api.Half | None:
    return "A" if value == "A" else "B" if value == "B" else None


def _progress() -> Any:
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
        "--extractor", type=click.Choice(api.EXTRACTORS), default="default", show_default=True,
        help="Extractor to evaluate (kg.extract.Extractor).",
    )(f)


@cli.group("eval")
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
    result = api.eval_factru(directory, out, limit=limit, misses=misses, half=_half(half), extractor=extractor,
                             progress=_progress())
    if sys.stderr.isatty():
        click.echo("", err=True)
    click.echo(result.format())


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
    report = api.eval_gold(file, half=_half(half), extractor=extractor, progress=_progress())
    if sys.stderr.isatty():
        click.echo("", err=True)
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(report.format())


@eval_group.command("identity")
@click.argument("file", metavar="GOLD.json", type=click.Path(path_type=Path))
@click.option("--corpus", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Build this corpus with `kg build` into a temporary workspace and measure that.")
@click.option("-w", "--workspace", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Measure this built workspace [default: kg-out, when --corpus is not given].")
@click.option("--json", "as_json", is_flag=True, help="Print the scores, merges and mentions as JSON.")
def identity(file: Path, corpus: Path | None, workspace: Path | None, as_json: bool) -> None:
    """Score cross-document identity: one node per real cluster, organisation or person.

    GOLD.json lists mentions (document id, string, gold entity id, class
    cluster|org|person). Each mention takes the node of its class named by the NIF phrase overlapping it most
    (none: a node of its own). Prints per class B-cubed precision/recall/F1 over mentions,
    and over pairs of mentions in different documents the merge recall and merge
    precision, then the missed merges, the wrong merges and the unresolved mentions.
    Gold rows that cannot be scored are reported on stderr and left out.
    """
    if corpus is not None and workspace is not None:
        raise click.UsageError("give --corpus or -w/--workspace, not both")
    if corpus is None and workspace is None:
        workspace = Path("kg-out")
    if workspace is not None and not workspace.is_dir():
        raise click.ClickException(f"{workspace}: no such workspace; build one with `kg build` or give --corpus")

    def warn(problem: api.Problem) -> None:
        click.echo(f"Warning: {problem}", err=True)

    report = api.eval_identity(file, workspace=workspace, corpus=corpus, report=warn)
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(report.format())


def main() -> None:
    cli(prog_name="kg")
