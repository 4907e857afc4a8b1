"""The published vocabulary (ontology/cluster-kg.ttl), the SHACL shapes and kg.mapping.vocab.

The contract is /work/shared/ONTOLOGY.md; REQUIRED_TERMS below is its in-repo copy, so
these tests run without shared/, and are checked against the markdown when it is there.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest
from pyshacl import validate
from pyshacl.entrypoints import meta_validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH, DefinedNamespace
from rdflib.term import Node, _toPythonMapping

from kg.errors import InputError
from kg.mapping import vocab
from kg.mapping.vocab import (
    CKG,
    DCTERMS,
    FOAF,
    ITSRDF,
    NIF,
    ORG,
    OWL,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    XSD,
    bind_prefixes,
    load_ontology,
    load_shapes,
    ontology_path,
    shapes_path,
)

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_MD = ROOT.parent / "shared" / "ONTOLOGY.md"
ONTOLOGY_IRI = URIRef("https://w3id.org/cluster-kg/ontology")

# Every term ONTOLOGY.md publishes (classes, properties, mentions), as CURIEs.
REQUIRED_TERMS = (
    # classes
    "ckg:Cluster", "ckg:Organization", "ckg:Company", "ckg:Authority", "ckg:Person",
    "org:Post", "ckg:Agreement", "ckg:Event", "ckg:Region", "ckg:Settlement",
    "ckg:Country", "ckg:Sector", "ckg:Document", "nif:Context",
    # properties
    "rdfs:label", "skos:altLabel", "ckg:legalForm", "ckg:locatedIn", "ckg:isoCode",
    "owl:sameAs", "org:hasMember", "ckg:initiatedBy", "ckg:basedOn", "ckg:sector",
    "org:heldBy", "org:holds", "ckg:title", "org:postIn", "ckg:agreementType",
    "ckg:party", "ckg:signatory", "ckg:witness", "ckg:eventType", "ckg:participant",
    "ckg:about", "dcterms:date", "prov:wasDerivedFrom", "dcterms:identifier",
    "nif:isString", "dcterms:source", "dcterms:title",
    # mentions
    "nif:Phrase", "nif:referenceContext", "nif:beginIndex", "nif:endIndex",
    "nif:anchorOf", "itsrdf:taIdentRef",
)  # fmt: skip

# Alignments of ONTOLOGY.md's "aligned with" column.
ALIGNMENTS = (
    (CKG.Cluster, RDFS.subClassOf, ORG.OrganizationalCollaboration),
    (CKG.Organization, RDFS.subClassOf, ORG.FormalOrganization),
    (CKG.Organization, RDFS.subClassOf, SCHEMA.Organization),
    (CKG.Company, RDFS.subClassOf, CKG.Organization),
    (CKG.Authority, RDFS.subClassOf, CKG.Organization),
    (CKG.Person, RDFS.subClassOf, FOAF.Person),
    (CKG.Person, RDFS.subClassOf, SCHEMA.Person),
    (CKG.Agreement, RDFS.subClassOf, PROV.Entity),
    (CKG.Event, RDFS.subClassOf, SCHEMA.Event),
    (CKG.Region, RDFS.subClassOf, SCHEMA.AdministrativeArea),
    (CKG.Settlement, RDFS.subClassOf, SCHEMA.City),
    (CKG.Country, RDFS.subClassOf, SCHEMA.Country),
    (CKG.Sector, RDFS.subClassOf, SKOS.Concept),
    (CKG.Document, RDFS.subClassOf, SCHEMA.NewsArticle),
    (CKG.Document, RDFS.subClassOf, NIF.Context),
)

# "from -> to" column of ONTOLOGY.md for ckg properties: (domain classes, range classes).
# Ranges that are literals are a single datatype; None = no range declared.
DOMAIN_RANGE: dict[URIRef, tuple[set[URIRef], set[URIRef] | None]] = {
    CKG.legalForm: ({CKG.Organization}, {XSD.string}),
    CKG.locatedIn: (
        {CKG.Cluster, CKG.Organization, CKG.Event, CKG.Settlement},
        {CKG.Region, CKG.Settlement, CKG.Country},
    ),
    CKG.isoCode: ({CKG.Region, CKG.Country}, {XSD.string}),
    CKG.initiatedBy: ({CKG.Cluster}, {CKG.Organization, CKG.Authority, CKG.Person}),
    CKG.basedOn: ({CKG.Cluster}, {CKG.Organization}),
    CKG.sector: ({CKG.Cluster, CKG.Organization}, {CKG.Sector}),
    CKG.title: ({ORG.Post}, {RDF.langString}),
    CKG.agreementType: ({CKG.Agreement}, {RDF.langString}),
    CKG.party: ({CKG.Agreement}, {CKG.Organization, CKG.Cluster, CKG.Authority, CKG.Region}),
    CKG.signatory: ({CKG.Agreement}, {CKG.Person}),
    CKG.witness: ({CKG.Agreement}, {CKG.Person}),
    CKG.eventType: ({CKG.Event}, {RDF.langString}),
    CKG.participant: ({CKG.Event}, {CKG.Person, CKG.Organization}),
    CKG.about: ({CKG.Event, CKG.Agreement}, None),
}


def expand(curie: str) -> URIRef:
    prefix, local = curie.split(":", 1)
    return URIRef(PREFIXES[prefix] + local)


def markdown_terms(text: str) -> set[str]:
    """CURIEs of the first column of ONTOLOGY.md's tables, and every nif:/itsrdf: term it names."""
    terms: set[str] = set()
    for line in text.splitlines():
        if line.startswith("|") and not line.startswith("|---"):
            first_cell = line.split("|")[1]
            terms.update(re.findall(r"`([a-z]+:[A-Za-z]+)`", first_cell))
    terms.update(re.findall(r"\b((?:nif|itsrdf):[A-Za-z]+)\b", text))
    return terms


def markdown_prefixes(text: str) -> dict[str, str]:
    return dict(re.findall(r"@prefix\s+([a-z]+):\s*<([^>]+)>", text))


@pytest.fixture(scope="module")
def ontology_md() -> str:
    if not ONTOLOGY_MD.is_file():
        if os.environ.get("KG_STRICT_TESTS"):
            pytest.fail(f"{ONTOLOGY_MD} is missing")
        pytest.skip(f"{ONTOLOGY_MD} is not there")
    return ONTOLOGY_MD.read_text(encoding="utf-8")


def labels(graph: Graph, term: URIRef, language: str) -> list[Literal]:
    return [
        label
        for label in graph.objects(term, RDFS.label)
        if isinstance(label, Literal) and label.language == language
    ]


def union_members(graph: Graph, node: Node | None) -> set[Node]:
    """``{node}`` for a named class, the members for an ``owl:unionOf`` class."""
    assert node is not None
    union = graph.value(node, OWL.unionOf)
    return {node} if union is None else set(Collection(graph, union))


def ckg_iris(graph: Graph) -> set[URIRef]:
    return {
        term
        for triple in graph
        for term in triple
        if isinstance(term, URIRef) and str(term).startswith(str(CKG)) and term != URIRef(str(CKG))
    }


# ---------------------------------------------------------------------------
# The ontology
# ---------------------------------------------------------------------------


def test_ontology_files_parse() -> None:
    assert ontology_path() == ROOT / "ontology" / "cluster-kg.ttl"
    assert shapes_path() == ROOT / "ontology" / "shapes.ttl"
    assert len(load_ontology()) > 0
    assert len(load_shapes()) > 0


def test_ontology_header() -> None:
    graph = load_ontology()
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in graph
    assert graph.value(ONTOLOGY_IRI, DCTERMS.title) is not None
    assert graph.value(ONTOLOGY_IRI, OWL.versionInfo) is not None
    assert isinstance(graph.value(ONTOLOGY_IRI, DCTERMS.license), URIRef)


def test_ontology_version_and_provenance() -> None:
    graph = load_ontology()
    version = str(graph.value(ONTOLOGY_IRI, OWL.versionInfo))
    assert graph.value(ONTOLOGY_IRI, OWL.versionIRI) == URIRef(f"{ONTOLOGY_IRI}/{version}")
    assert graph.value(ONTOLOGY_IRI, DCTERMS.creator) is not None
    created, modified = graph.value(ONTOLOGY_IRI, DCTERMS.created), graph.value(ONTOLOGY_IRI, DCTERMS.modified)
    assert isinstance(created, Literal) and isinstance(modified, Literal)
    assert created.datatype == modified.datatype == XSD.date and str(created) <= str(modified)
    header = ontology_path().read_text(encoding="utf-8").split("\n@prefix", 1)[0] + ontology_path().read_text(
        encoding="utf-8").split("<https://w3id.org/cluster-kg/ontology>", 1)[0]
    assert "/work/" not in header and "shared/" not in header  # no path outside the repository


def test_ontology_owl2_dl_leaves_the_reserved_vocabulary_alone() -> None:
    graph = load_ontology()
    about_reserved = sorted({s for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(RESERVED)})
    assert about_reserved == []


def test_ontology_owl2_dl_one_kind_per_term_and_kinds_kept_apart() -> None:
    graph = load_ontology()
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    for term in {s for s in graph.subjects() if isinstance(s, URIRef)} - {ONTOLOGY_IRI}:
        declared = [k for k in kinds if (term, RDF.type, k) in graph]
        assert len(declared) == 1, f"{term}: declared as {declared}"
    for sub, sup in graph.subject_objects(RDFS.subPropertyOf):
        assert set(graph.objects(sub, RDF.type)) == set(graph.objects(sup, RDF.type)), f"{sub} ⊑ {sup}"
    for sub, sup in graph.subject_objects(RDFS.subClassOf):
        assert (sup, RDF.type, OWL.Class) in graph, f"{sub} ⊑ {sup}: not a declared class"
    assert (CKG.title, RDFS.subPropertyOf, SKOS.prefLabel) not in graph


def test_ontology_schema_org_in_both_namespaces() -> None:
    """schema.org's pages name https://schema.org/ canonical; its JSON-LD context and Wikidata's
    equivalent-class statements (P1709) use http://schema.org/: kg aligns with both."""
    graph = load_ontology()
    https, http = str(SCHEMA), "http://schema.org/"
    aligned = [(s, p, o) for s, p, o in graph if p in (RDFS.subClassOf, RDFS.subPropertyOf) and str(o).startswith(https)]
    assert aligned
    for s, p, o in aligned:
        assert (s, p, URIRef(http + str(o)[len(https):])) in graph, f"{s} {p} {o}: no http twin"


def test_ontology_required_terms_match_markdown(ontology_md: str) -> None:
    assert markdown_terms(ontology_md) <= set(REQUIRED_TERMS)


def test_ontology_prefixes_match_markdown(ontology_md: str) -> None:
    published = markdown_prefixes(ontology_md)
    assert published == {prefix: PREFIXES[prefix] for prefix in published}
    assert list(PREFIXES)[: len(published)] == list(published)


RESERVED = (str(RDF), str(RDFS), str(OWL), str(XSD))  # OWL 2 DL: no axiom or annotation about these


def reserved_terms() -> Graph:
    """ontology/reserved-terms.ttl: kg's notes on rdfs:label and owl:sameAs, outside the ontology."""
    return Graph().parse(ontology_path().parent / "reserved-terms.ttl", format="turtle")


@pytest.mark.parametrize("curie", REQUIRED_TERMS)
def test_ontology_term_has_labels_and_comment(curie: str) -> None:
    term = expand(curie)
    graph = reserved_terms() if str(term).startswith(RESERVED) else load_ontology()
    assert len(labels(graph, term, "ru")) == 1, f"{curie} needs one @ru label"
    assert len(labels(graph, term, "en")) == 1, f"{curie} needs one @en label"
    comments = [c for c in graph.objects(term, RDFS.comment) if isinstance(c, Literal)]
    assert any(c.language == "en" for c in comments), f"{curie} needs an @en comment"


@pytest.mark.parametrize("term", sorted(dir(CKG)), ids=lambda t: t.removeprefix(str(CKG)))
def test_ontology_ckg_term_is_declared(term: URIRef) -> None:
    graph = load_ontology()
    kinds = set(graph.objects(term, RDF.type))
    assert kinds & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}
    assert (term, RDFS.isDefinedBy, ONTOLOGY_IRI) in graph
    assert labels(graph, term, "ru") and labels(graph, term, "en")
    if OWL.Class not in kinds:
        assert graph.value(term, RDFS.domain) is not None
        assert graph.value(term, RDFS.range) is not None or term == CKG.about


def test_ontology_ckg_terms_are_the_namespace() -> None:
    # every ckg IRI the ontology declares or mentions is in CKG, and every CKG term is declared
    graph = load_ontology()
    declared = {
        term
        for term in ckg_iris(graph)
        if graph.value(term, RDF.type) in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    }
    assert ckg_iris(graph) == declared
    assert declared == set(dir(CKG))


def test_shapes_use_only_ckg_terms_of_the_namespace() -> None:
    assert ckg_iris(load_shapes()) <= set(dir(CKG))


@pytest.mark.parametrize("triple", ALIGNMENTS, ids=lambda t: f"{t[0].fragment}-{t[2].n3()}")
def test_ontology_alignment(triple: tuple[URIRef, URIRef, URIRef]) -> None:
    assert triple in load_ontology()


@pytest.mark.parametrize("prop", sorted(DOMAIN_RANGE), ids=lambda t: t.fragment)
def test_ontology_domain_and_range(prop: URIRef) -> None:
    graph = load_ontology()
    domains, ranges = DOMAIN_RANGE[prop]
    assert domains <= union_members(graph, graph.value(prop, RDFS.domain))
    if ranges is not None:
        assert ranges <= union_members(graph, graph.value(prop, RDFS.range))


@pytest.mark.parametrize("curie", [c for c in REQUIRED_TERMS if not c.startswith("ckg:")])
def test_ontology_external_term_is_not_redefined(curie: str) -> None:
    term = expand(curie)
    graph = reserved_terms() if str(term).startswith(RESERVED) else load_ontology()
    assert graph.value(term, RDFS.isDefinedBy) == URIRef(PREFIXES[curie.split(":")[0]])
    assert graph.value(term, RDFS.domain) is None
    assert graph.value(term, RDFS.range) is None
    assert graph.value(term, RDFS.subClassOf) is None
    assert graph.value(term, RDFS.subPropertyOf) is None


def test_ontology_declares_prefixes_of_vocab() -> None:
    bound = {prefix: str(ns) for prefix, ns in load_ontology().namespaces()}
    assert {prefix: bound.get(prefix) for prefix in PREFIXES} == PREFIXES


# ---------------------------------------------------------------------------
# kg.mapping.vocab
# ---------------------------------------------------------------------------


def test_vocab_ckg_rejects_unknown_terms() -> None:
    assert CKG.Person == URIRef("https://w3id.org/cluster-kg/ontology#Person")
    assert CKG.title == URIRef("https://w3id.org/cluster-kg/ontology#title")
    with pytest.raises(AttributeError):
        _ = CKG.Persn
    with pytest.raises(AttributeError):
        _ = CKG["Persn"]


@pytest.mark.parametrize("namespace", [NIF, ITSRDF], ids=["nif", "itsrdf"])
def test_vocab_closed_namespaces_reject_unknown_terms(namespace: type[DefinedNamespace]) -> None:
    with pytest.raises(AttributeError):
        _ = namespace.isStrin


def test_vocab_namespaces_match_prefixes() -> None:
    namespaces = {
        "ckg": CKG, "org": ORG, "foaf": FOAF, "schema": SCHEMA, "prov": PROV,
        "dcterms": DCTERMS, "skos": SKOS, "nif": NIF, "itsrdf": ITSRDF,
        "owl": OWL, "xsd": XSD, "rdf": RDF, "rdfs": RDFS,
    }  # fmt: skip
    assert {prefix: str(ns) for prefix, ns in namespaces.items()} == PREFIXES


def test_vocab_bind_prefixes_replaces_other_bindings() -> None:
    graph = Graph(bind_namespaces="none")
    graph.bind("schema", "http://schema.org/")
    graph.bind("ckg", "http://example.org/not-ckg#")
    bind_prefixes(graph)
    bound = {prefix: str(ns) for prefix, ns in graph.namespaces()}
    assert {prefix: bound.get(prefix) for prefix in PREFIXES} == PREFIXES
    graph.add((URIRef("https://w3id.org/cluster-kg/id/x"), RDF.type, CKG.Person))
    assert "@prefix ckg: <https://w3id.org/cluster-kg/ontology#> ." in graph.serialize(format="turtle")


def test_vocab_loaders_are_cached() -> None:
    assert load_ontology() is load_ontology()
    assert load_shapes() is load_shapes()


def test_vocab_load_reports_syntax_error_location(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ckg: <https://w3id.org/cluster-kg/ontology#> .\n\nckg:a ckg:b ]] .\n")
    with pytest.raises(InputError, match=rf"^{re.escape(str(bad))}:3: "):
        vocab._load_turtle(bad)


# ---------------------------------------------------------------------------
# The shapes
# ---------------------------------------------------------------------------


def test_shapes_are_valid_shacl() -> None:
    # inference="none": RDFS inference would switch rdflib's literal converters for the process
    conforms, _, text = meta_validate(load_shapes(), inference="none")
    assert conforms, text


def test_shapes_every_shape_reads_well() -> None:
    shapes = load_shapes()
    property_shapes = set(shapes.subjects(RDF.type, SH.PropertyShape)) | set(
        shapes.objects(None, SH.property)
    )
    for shape in property_shapes:
        assert shapes.value(shape, SH.name) is not None, f"{shape} has no sh:name"
        assert shapes.value(shape, SH.message) is not None, f"{shape} has no sh:message"
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        assert shapes.value(shape, RDFS.label) is not None, f"{shape} has no rdfs:label"
        # a SPARQL constraint reports its own message (the shape's would be added to it)
        constraints = list(shapes.objects(shape, SH.sparql))
        assert all(shapes.value(c, SH.message) is not None for c in constraints)
        has_message = shapes.value(shape, SH.message) is not None
        assert has_message != bool(constraints), f"{shape}: one sh:message, on the shape or SPARQL"


# A small graph as kg.mapping writes it (docs/ARCHITECTURE.md); every bad case below edits it.
TEXT = (
    "🌲 В Кирове подписали меморандум о создании биофармацевтического кластера "
    "«Вятка-Биополис». Документ подписали заместитель губернатора Кировской области "
    "Ольга Сухова и директор ООО «Нанолек» Алексей Орлов. Прошёл круглый стол."
)
HASH = "0123456789abcdef" * 4  # a SHA-256 hex digest
ID = "https://w3id.org/cluster-kg/id/"
DOC = URIRef(ID + "doc/t01")


def mention(anchor: str, target: str) -> str:
    begin = TEXT.index(anchor)
    end = begin + len(anchor)
    return (
        f"<{DOC}#char={begin},{end}> a nif:Phrase ; nif:referenceContext d:t01 ;\n"
        f'    nif:beginIndex "{begin}"^^xsd:nonNegativeInteger ;'
        f' nif:endIndex "{end}"^^xsd:nonNegativeInteger ;\n'
        f'    nif:anchorOf "{anchor}" ; itsrdf:taIdentRef {target} .\n'
    )


PREFIX_LINES = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items()) + (
    f"@prefix d: <{ID}doc/> .\n@prefix e: <{ID}> .\n"
)

BASE = (
    PREFIX_LINES
    + f"""
d:t01 a ckg:Document , nif:Context ;
    dcterms:identifier "t01" ;
    ckg:contentHash "{HASH}" ;
    dcterms:date "2024-04-09"^^xsd:date ;
    dcterms:title "Кластер «Вятка-Биополис»" ;
    dcterms:source <https://example.org/news/t01> ;
    nif:isString "{TEXT}" ;
    nif:beginIndex "0"^^xsd:nonNegativeInteger ;
    nif:endIndex "{len(TEXT)}"^^xsd:nonNegativeInteger .

e:cluster-vyatka a ckg:Cluster ;
    rdfs:label "Вятка-Биополис"@ru ;
    skos:altLabel "биофармацевтический кластер «Вятка-Биополис»"@ru ;
    ckg:locatedIn e:region-kirov ;
    ckg:sector e:sector-pharma ;
    org:hasMember e:company-nanolek ;
    ckg:initiatedBy e:company-nanolek , e:person-sukhova ;
    ckg:basedOn e:company-nanolek ;
    prov:wasDerivedFrom d:t01 .

e:company-nanolek a ckg:Company ;
    rdfs:label "Нанолек"@ru ;
    skos:altLabel "ООО «Нанолек»"@ru ;
    ckg:legalForm "ООО" ;
    ckg:locatedIn e:settlement-kirov ;
    prov:wasDerivedFrom d:t01 .

e:authority-kirov a ckg:Authority ;
    rdfs:label "Правительство Кировской области"@ru ;
    prov:wasDerivedFrom d:t01 .

e:person-sukhova a ckg:Person ;
    rdfs:label "Ольга Сухова"@ru ;
    org:holds e:post-sukhova ;
    prov:wasDerivedFrom d:t01 .

e:person-orlov a ckg:Person ;
    rdfs:label "Алексей Орлов"@ru ;
    org:holds e:post-orlov ;
    prov:wasDerivedFrom d:t01 .

e:region-kirov a ckg:Region ;
    rdfs:label "Кировская область"@ru ;
    ckg:isoCode "RU-KIR" ;
    ckg:locatedIn e:country-ru ;
    owl:sameAs <http://www.wikidata.org/entity/Q4021> ;
    prov:wasDerivedFrom d:t01 .

e:settlement-kirov a ckg:Settlement ;
    rdfs:label "Киров"@ru ;
    ckg:locatedIn e:region-kirov ;
    prov:wasDerivedFrom d:t01 .

e:country-ru a ckg:Country ;
    rdfs:label "Россия"@ru ;
    ckg:isoCode "RU" ;
    owl:sameAs <http://www.wikidata.org/entity/Q159> ;
    prov:wasDerivedFrom d:t01 .

e:sector-pharma a ckg:Sector ;
    rdfs:label "биофармацевтика"@ru ;
    prov:wasDerivedFrom d:t01 .

e:post-sukhova a org:Post ;
    org:heldBy e:person-sukhova ;
    ckg:title "заместитель губернатора"@ru ;
    org:postIn e:region-kirov ;
    prov:wasDerivedFrom d:t01 .

e:post-orlov a org:Post ;
    org:heldBy e:person-orlov ;
    ckg:title "директор"@ru ;
    org:postIn e:company-nanolek ;
    prov:wasDerivedFrom d:t01 .

e:agreement-1 a ckg:Agreement ;
    rdfs:label "меморандум о создании кластера «Вятка-Биополис»"@ru ;
    ckg:agreementType "меморандум"@ru ;
    ckg:party e:company-nanolek , e:authority-kirov , e:country-ru ;
    ckg:signatory e:person-sukhova , e:person-orlov ;
    ckg:about e:cluster-vyatka ;
    dcterms:date "2024-04"^^xsd:gYearMonth ;
    ckg:locatedIn e:settlement-kirov ;
    prov:wasDerivedFrom d:t01 .

e:event-1 a ckg:Event ;
    ckg:eventType "круглый стол"@ru ;
    ckg:participant e:person-orlov , e:region-kirov ;
    ckg:about e:cluster-vyatka ;
    dcterms:date "--04-09"^^xsd:gMonthDay ;
    prov:wasDerivedFrom d:t01 .

"""
    + mention("Вятка-Биополис", "e:cluster-vyatka")
    + mention("Кировской области", "e:region-kirov")
    + mention("Ольга Сухова", "e:person-sukhova")
    + mention("Нанолек", "e:company-nanolek")
    + mention("Алексей Орлов", "e:person-orlov")
)

SUKHOVA = "Ольга Сухова"
SUKHOVA_AT = TEXT.index(SUKHOVA)
SUKHOVA_IRI = f"<{DOC}#char={SUKHOVA_AT},{SUKHOVA_AT + len(SUKHOVA)}>"


def turtle(snippet: str) -> Graph:
    return Graph().parse(data=PREFIX_LINES + snippet, format="turtle")


def base_graph() -> Graph:
    return Graph().parse(data=BASE, format="turtle")


def run_shacl(data: Graph, ont_graph: Graph | None = None) -> tuple[bool, Graph, str]:
    conforms, results, text = validate(
        data, shacl_graph=load_shapes(), ont_graph=ont_graph, inference="none", advanced=True
    )
    return bool(conforms), results, text


def violations(results: Graph) -> set[tuple[Node | None, Node | None, Node | None]]:
    return {
        (
            results.value(result, SH.focusNode),
            results.value(result, SH.resultPath),
            results.value(result, SH.sourceConstraintComponent),
        )
        for result in results.subjects(RDF.type, SH.ValidationResult)
    }


def test_shapes_accept_a_conforming_graph() -> None:
    conforms, _, text = run_shacl(base_graph())
    assert conforms, text


def test_shapes_accept_links_beside_wikidata() -> None:
    """A user may add GeoNames or DBpedia links next to the one Wikidata link (issue 17)."""
    graph = base_graph() + turtle(
        "e:region-kirov owl:sameAs <https://sws.geonames.org/548389/> , <http://dbpedia.org/resource/Kirov_Oblast> .\n"
        "e:sector-pharma owl:sameAs <http://dbpedia.org/resource/Pharmaceutical_industry> .")
    conforms, _, text = run_shacl(graph)
    assert conforms, text


def test_shapes_accept_the_graph_read_back_from_oxigraph() -> None:
    # Oxigraph stores xsd:nonNegativeInteger as xsd:integer; kg validate reads the store
    store = pyoxigraph.Store()
    store.load(BASE.encode("utf-8"), pyoxigraph.RdfFormat.TURTLE)
    nquads = pyoxigraph.serialize(store, format=pyoxigraph.RdfFormat.N_QUADS)
    data = Graph().parse(data=nquads, format="nt")
    assert (SUKHOVA_PHRASE, NIF.beginIndex, Literal(SUKHOVA_AT)) in data  # xsd:integer now
    conforms, _, text = run_shacl(data)
    assert conforms, text


def test_shapes_accept_a_conforming_graph_with_the_ontology() -> None:
    conforms, _, text = run_shacl(base_graph(), ont_graph=load_ontology())
    assert conforms, text


@pytest.fixture
def restore_literal_converters() -> Iterator[None]:
    # owlrl (pySHACL's inference) replaces rdflib's lexical converters for the whole process
    saved = dict(_toPythonMapping)
    yield
    _toPythonMapping.clear()
    _toPythonMapping.update(saved)


@pytest.mark.usefixtures("restore_literal_converters")
def test_shapes_accept_a_conforming_graph_after_rdfs_inference() -> None:
    conforms, _, text = validate(
        base_graph(), shacl_graph=load_shapes(), ont_graph=load_ontology(), inference="rdfs"
    )
    assert conforms, text


def e(local: str) -> URIRef:
    return URIRef(ID + local)


def component(name: str) -> URIRef:
    return SH[f"{name}ConstraintComponent"]


SUKHOVA_PHRASE = URIRef(SUKHOVA_IRI[1:-1])

# (id, triples to remove, triples to add, expected focus node, result path, constraint component)
BAD_CASES = [
    ("post-two-holders", "", "e:post-orlov org:heldBy e:person-sukhova .",
     e("post-orlov"), ORG.heldBy, "MaxCount"),
    ("post-no-holder", "e:post-orlov org:heldBy e:person-orlov .", "",
     e("post-orlov"), ORG.heldBy, "MinCount"),
    ("post-holder-not-person", "e:post-orlov org:heldBy e:person-orlov .",
     "e:post-orlov org:heldBy e:company-nanolek .",
     e("post-orlov"), ORG.heldBy, "Class"),
    ("post-title-not-langstring", 'e:post-orlov ckg:title "директор"@ru .',
     'e:post-orlov ckg:title "директор" .',
     e("post-orlov"), CKG.title, "Datatype"),
    ("post-two-titles", "", 'e:post-orlov ckg:title "генеральный директор"@ru .',
     e("post-orlov"), CKG.title, "MaxCount"),
    ("post-no-title", 'e:post-orlov ckg:title "директор"@ru .', "",
     e("post-orlov"), CKG.title, "MinCount"),
    ("post-two-post-in", "", "e:post-orlov org:postIn e:region-kirov .",
     e("post-orlov"), ORG.postIn, "MaxCount"),
    ("post-in-person", "e:post-orlov org:postIn e:company-nanolek .",
     "e:post-orlov org:postIn e:person-sukhova .",
     e("post-orlov"), ORG.postIn, "Node"),
    ("post-not-derived", "e:post-orlov prov:wasDerivedFrom d:t01 .", "",
     e("post-orlov"), PROV.wasDerivedFrom, "MinCount"),
    ("agreement-no-party-no-signatory",
     "e:agreement-1 ckg:party e:company-nanolek , e:authority-kirov , e:country-ru ;"
     " ckg:signatory e:person-sukhova , e:person-orlov .", "",
     e("agreement-1"), None, "Or"),
    ("agreement-no-type", 'e:agreement-1 ckg:agreementType "меморандум"@ru .', "",
     e("agreement-1"), CKG.agreementType, "MinCount"),
    ("agreement-signatory-not-person", "", "e:agreement-1 ckg:signatory e:company-nanolek .",
     e("agreement-1"), CKG.signatory, "Class"),
    ("agreement-witness-not-person", "", "e:agreement-1 ckg:witness e:region-kirov .",
     e("agreement-1"), CKG.witness, "Class"),
    ("agreement-party-a-person", "", "e:agreement-1 ckg:party e:person-orlov .",
     e("agreement-1"), CKG.party, "Node"),
    ("agreement-date-time", 'e:agreement-1 dcterms:date "2024-04"^^xsd:gYearMonth .',
     'e:agreement-1 dcterms:date "2024-04-09T10:00:00"^^xsd:dateTime .',
     e("agreement-1"), DCTERMS.date, "Or"),
    ("agreement-year-month-unpadded", 'e:agreement-1 dcterms:date "2024-04"^^xsd:gYearMonth .',
     'e:agreement-1 dcterms:date "2024-4"^^xsd:gYearMonth .',
     e("agreement-1"), DCTERMS.date, "Or"),
    ("event-month-day-without-dashes", 'e:event-1 dcterms:date "--04-09"^^xsd:gMonthDay .',
     'e:event-1 dcterms:date "04-09"^^xsd:gMonthDay .',
     e("event-1"), DCTERMS.date, "Or"),
    ("event-date-an-iri", 'e:event-1 dcterms:date "--04-09"^^xsd:gMonthDay .',
     "e:event-1 dcterms:date <https://example.org/2024-04-09> .",
     e("event-1"), DCTERMS.date, "Or"),
    ("agreement-not-derived", "e:agreement-1 prov:wasDerivedFrom d:t01 .", "",
     e("agreement-1"), PROV.wasDerivedFrom, "MinCount"),
    ("event-no-type", 'e:event-1 ckg:eventType "круглый стол"@ru .', "",
     e("event-1"), CKG.eventType, "MinCount"),
    ("event-two-types", "", 'e:event-1 ckg:eventType "форум"@ru .',
     e("event-1"), CKG.eventType, "MaxCount"),
    ("event-two-dates", "", 'e:event-1 dcterms:date "2024"^^xsd:gYear .',
     e("event-1"), DCTERMS.date, "MaxCount"),
    ("event-not-derived", "e:event-1 prov:wasDerivedFrom d:t01 .", "",
     e("event-1"), PROV.wasDerivedFrom, "MinCount"),
    ("document-no-text", f'd:t01 nif:isString "{TEXT}" .', "",
     DOC, NIF.isString, "MinCount"),
    ("document-no-identifier", 'd:t01 dcterms:identifier "t01" .', "",
     DOC, DCTERMS.identifier, "MinCount"),
    ("document-two-identifiers", "", 'd:t01 dcterms:identifier "t02" .',
     DOC, DCTERMS.identifier, "MaxCount"),
    ("document-date-string", 'd:t01 dcterms:date "2024-04-09"^^xsd:date .',
     'd:t01 dcterms:date "9 апреля 2024" .',
     DOC, DCTERMS.date, "Or"),
    ("document-not-a-context", "d:t01 a nif:Context .", "",
     DOC, RDF.type, "HasValue"),
    ("document-source-a-string", "d:t01 dcterms:source <https://example.org/news/t01> .",
     'd:t01 dcterms:source "https://example.org/news/t01" .',
     DOC, DCTERMS.source, "NodeKind"),
    ("document-content-hash-uppercase", f'd:t01 ckg:contentHash "{HASH}" .',
     f'd:t01 ckg:contentHash "{HASH.upper()}" .',
     DOC, CKG.contentHash, "Pattern"),
    ("document-end-index-wrong",
     f'd:t01 nif:endIndex "{len(TEXT)}"^^xsd:nonNegativeInteger .',
     f'd:t01 nif:endIndex "{len(TEXT.encode("utf-16-le")) // 2}"^^xsd:nonNegativeInteger .',
     DOC, None, "SPARQL"),
    ("phrase-anchor-mismatch", f'{SUKHOVA_IRI} nif:anchorOf "{SUKHOVA}" .',
     f'{SUKHOVA_IRI} nif:anchorOf "Ольги Суховой" .',
     SUKHOVA_PHRASE, None, "SPARQL"),
    ("phrase-offsets-shifted",
     f'{SUKHOVA_IRI} nif:beginIndex "{SUKHOVA_AT}"^^xsd:nonNegativeInteger ;'
     f' nif:endIndex "{SUKHOVA_AT + len(SUKHOVA)}"^^xsd:nonNegativeInteger .',
     f'{SUKHOVA_IRI} nif:beginIndex "{SUKHOVA_AT + 1}"^^xsd:nonNegativeInteger ;'
     f' nif:endIndex "{SUKHOVA_AT + 1 + len(SUKHOVA)}"^^xsd:nonNegativeInteger .',
     SUKHOVA_PHRASE, None, "SPARQL"),
    ("phrase-end-before-begin",
     f'{SUKHOVA_IRI} nif:endIndex "{SUKHOVA_AT + len(SUKHOVA)}"^^xsd:nonNegativeInteger .',
     f'{SUKHOVA_IRI} nif:endIndex "{SUKHOVA_AT}"^^xsd:nonNegativeInteger .',
     SUKHOVA_PHRASE, None, "SPARQL"),
    ("phrase-end-past-text",
     f'{SUKHOVA_IRI} nif:endIndex "{SUKHOVA_AT + len(SUKHOVA)}"^^xsd:nonNegativeInteger .',
     f'{SUKHOVA_IRI} nif:endIndex "{len(TEXT) + 5}"^^xsd:nonNegativeInteger .',
     SUKHOVA_PHRASE, None, "SPARQL"),
    ("phrase-offset-a-string",
     f'{SUKHOVA_IRI} nif:beginIndex "{SUKHOVA_AT}"^^xsd:nonNegativeInteger .',
     f'{SUKHOVA_IRI} nif:beginIndex "{SUKHOVA_AT}" .',
     SUKHOVA_PHRASE, NIF.beginIndex, "Node"),
    ("phrase-offset-negative",
     f'{SUKHOVA_IRI} nif:beginIndex "{SUKHOVA_AT}"^^xsd:nonNegativeInteger .',
     f"{SUKHOVA_IRI} nif:beginIndex -1 .",
     SUKHOVA_PHRASE, NIF.beginIndex, "Node"),
    ("phrase-two-anchors", "", f'{SUKHOVA_IRI} nif:anchorOf "Сухова" .',
     SUKHOVA_PHRASE, NIF.anchorOf, "MaxCount"),
    ("phrase-no-target", f"{SUKHOVA_IRI} itsrdf:taIdentRef e:person-sukhova .", "",
     SUKHOVA_PHRASE, ITSRDF.taIdentRef, "MinCount"),
    ("phrase-context-not-a-document", f"{SUKHOVA_IRI} nif:referenceContext d:t01 .",
     f"{SUKHOVA_IRI} nif:referenceContext e:company-nanolek .",
     SUKHOVA_PHRASE, NIF.referenceContext, "Class"),
    ("phrase-no-context", f"{SUKHOVA_IRI} nif:referenceContext d:t01 .", "",
     SUKHOVA_PHRASE, NIF.referenceContext, "MinCount"),
    ("label-english", 'e:company-nanolek rdfs:label "Нанолек"@ru .',
     'e:company-nanolek rdfs:label "Nanolek"@en .',
     e("company-nanolek"), RDFS.label, "LanguageIn"),
    ("label-untagged", 'e:person-orlov rdfs:label "Алексей Орлов"@ru .',
     'e:person-orlov rdfs:label "Алексей Орлов" .',
     e("person-orlov"), RDFS.label, "LanguageIn"),
    ("label-missing", 'e:sector-pharma rdfs:label "биофармацевтика"@ru .', "",
     e("sector-pharma"), RDFS.label, "MinCount"),
    ("authority-label-missing", 'e:authority-kirov rdfs:label "Правительство Кировской области"@ru .',
     "", e("authority-kirov"), RDFS.label, "MinCount"),
    ("alt-label-untagged", "", 'e:company-nanolek skos:altLabel "Nanolek" .',
     e("company-nanolek"), SKOS.altLabel, "LanguageIn"),
    ("event-label-english", "", 'e:event-1 rdfs:label "round table"@en .',
     e("event-1"), RDFS.label, "LanguageIn"),
    ("entity-not-derived", "e:settlement-kirov prov:wasDerivedFrom d:t01 .", "",
     e("settlement-kirov"), PROV.wasDerivedFrom, "MinCount"),
    ("derived-from-non-document", "", "e:country-ru prov:wasDerivedFrom e:region-kirov .",
     e("country-ru"), PROV.wasDerivedFrom, "Class"),
    ("cluster-not-derived", "e:cluster-vyatka prov:wasDerivedFrom d:t01 .", "",
     e("cluster-vyatka"), PROV.wasDerivedFrom, "MinCount"),
    ("region-iso-lowercase", 'e:region-kirov ckg:isoCode "RU-KIR" .',
     'e:region-kirov ckg:isoCode "ru-kir" .',
     e("region-kirov"), CKG.isoCode, "Pattern"),
    ("country-iso-with-subdivision", 'e:country-ru ckg:isoCode "RU" .',
     'e:country-ru ckg:isoCode "RU-KIR" .',
     e("country-ru"), CKG.isoCode, "Pattern"),
    ("region-two-iso-codes", "", 'e:region-kirov ckg:isoCode "RU-KLU" .',
     e("region-kirov"), CKG.isoCode, "MaxCount"),
    ("region-two-wikidata-links", "", "e:region-kirov owl:sameAs <http://www.wikidata.org/entity/Q1> .",
     e("region-kirov"), OWL.sameAs, "QualifiedMaxCount"),
    ("country-same-as-wiki-page", "e:country-ru owl:sameAs <http://www.wikidata.org/entity/Q159> .",
     "e:country-ru owl:sameAs <https://www.wikidata.org/wiki/Q159> .",
     e("country-ru"), OWL.sameAs, "Or"),
    ("country-same-as-a-string", "", 'e:country-ru owl:sameAs "Q159" .',
     e("country-ru"), OWL.sameAs, "NodeKind"),
    ("legal-form-tagged", 'e:company-nanolek ckg:legalForm "ООО" .',
     'e:company-nanolek ckg:legalForm "ООО"@ru .',
     e("company-nanolek"), CKG.legalForm, "Datatype"),
    ("located-in-a-person", "", "e:company-nanolek ckg:locatedIn e:person-orlov .",
     e("company-nanolek"), CKG.locatedIn, "Node"),
    ("cluster-member-a-person", "", "e:cluster-vyatka org:hasMember e:person-orlov .",
     e("cluster-vyatka"), ORG.hasMember, "Node"),
    ("cluster-initiator-a-region", "", "e:cluster-vyatka ckg:initiatedBy e:region-kirov .",
     e("cluster-vyatka"), CKG.initiatedBy, "Node"),
    ("cluster-sector-a-literal", "", 'e:cluster-vyatka ckg:sector "фармацевтика"@ru .',
     e("cluster-vyatka"), CKG.sector, "Class"),
    ("person-holds-a-company", "", "e:person-orlov org:holds e:company-nanolek .",
     e("person-orlov"), ORG.holds, "Class"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("remove", "add", "focus", "path", "name"),
    [case[1:] for case in BAD_CASES],
    ids=[case[0] for case in BAD_CASES],
)
def test_shapes_report_violation(
    remove: str, add: str, focus: URIRef, path: URIRef | None, name: str
) -> None:
    data = base_graph()
    removed = turtle(remove)
    assert all(triple in data for triple in removed), "the case removes triples the base lacks"
    data = data - removed + turtle(add)
    conforms, results, text = run_shacl(data)
    assert not conforms
    assert (focus, path, component(name)) in violations(results), text


def test_shapes_violations_carry_the_shape_messages() -> None:
    messages = {str(m) for m in load_shapes().objects(None, SH.message)}
    data = base_graph()
    for _, remove, add, *_ in BAD_CASES:
        data = data - turtle(remove) + turtle(add)
    _, results, _ = run_shacl(data)
    # SPARQL messages are templates: {?var} and {$this} are filled in per result
    templates = [
        re.compile(re.sub(r"\\\{[?$]\w+\\\}", ".*", re.escape(m)), re.DOTALL) for m in messages
    ]
    found = {str(m) for m in results.objects(None, SH.resultMessage)}
    assert found
    for message in found:
        assert any(t.fullmatch(message) for t in templates), message


def sparql_focus_nodes(results: Graph) -> set[Node | None]:
    return {
        results.value(result, SH.focusNode)
        for result in results.subjects(SH.sourceConstraintComponent, component("SPARQL"))
    }


def test_shapes_offsets_report_the_mention() -> None:
    data = base_graph()
    data.set((SUKHOVA_PHRASE, NIF.anchorOf, Literal("Ольги Суховой")))
    _, results, text = run_shacl(data)
    assert sparql_focus_nodes(results) == {SUKHOVA_PHRASE}
    assert 'nif:anchorOf "Ольги Суховой" is not nif:isString[' in text


def test_shapes_literal_source_is_only_a_warning() -> None:
    data = base_graph()
    data.set((DOC, DCTERMS.source, Literal("https://example.org/news/t01?q=a b")))
    conforms, results, text = validate(
        data, shacl_graph=load_shapes(), inference="none", advanced=True, allow_warnings=True
    )
    assert conforms, text
    assert set(results.objects(None, SH.resultSeverity)) == {SH.Warning}


def test_shapes_offsets_count_code_points() -> None:
    # "🌲" is one code point but two UTF-16 units: offsets shifted by one must fail
    assert TEXT.startswith("🌲")
    data = base_graph()
    phrases = set(data.subjects(RDF.type, NIF.Phrase))
    for phrase in phrases:
        for index in (NIF.beginIndex, NIF.endIndex):
            value = data.value(phrase, index)
            assert isinstance(value, Literal)
            data.set((phrase, index, Literal(int(value) + 1, datatype=XSD.nonNegativeInteger)))
    conforms, results, _ = run_shacl(data)
    assert not conforms
    assert sparql_focus_nodes(results) == phrases


def test_shapes_blank_node_focus_is_reported() -> None:
    # a Post minted as a blank node (never by kg, but by hand-written data) still gets checked
    data = base_graph()
    post = BNode()
    data.add((post, RDF.type, ORG.Post))
    _, results, _ = run_shacl(data)
    assert (post, ORG.heldBy, component("MinCount")) in violations(results)
