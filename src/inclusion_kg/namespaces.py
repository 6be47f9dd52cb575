"""The one source of truth for prefixes and namespace IRIs.

Every .ttl and .rq file in the repository must declare a prefix exactly as here
(tests/test_prefixes.py checks it), and Python code imports namespaces from here.
"""

from rdflib import Graph, Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, VOID, XSD

BASE = "https://w3id.org/inclusion-kg/"
IKG = Namespace(BASE + "ontology#")
IKGSH = Namespace(BASE + "shapes#")
# The terms of the eligibility rules compiled from the data (queries/eligibility-compile.rq): derived, not authored.
IKGC = Namespace(BASE + "compiled#")
ID = Namespace(BASE + "id/")
DATASET = ID["dataset/inclusion-kg"]
ELIGIBILITY_RULES = ID["dataset/eligibility-rules"]  # the named graph compiled from DATASET (eligibility/compiled.py)

# Instance IRIs are id/{kind}/{slug}; each kind has its own prefix so Turtle reads
# `measure:phare-inzetpremie` (a "/" cannot stand unescaped in a prefixed name).
KINDS = (
    "agency",
    "appointment",
    "beneficiary",
    "benefit-type",
    "condition",
    "contract-type",
    "dataset",
    "document",
    "eligibility-status",
    "initiative",
    "initiative-type",
    "measure",
    "note",
    "organisation",
    "organisation-type",
    "output",
    "person",
    "recommendation",
    "region",
    "scheme",
    "source",
    "staff-category",
)

CPSV = Namespace("http://purl.org/vocab/cpsv#")
CV = Namespace("http://data.europa.eu/m8g/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
LOCN = Namespace("http://www.w3.org/ns/locn#")
VANN = Namespace("http://purl.org/vocab/vann/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
WD = Namespace("http://www.wikidata.org/entity/")
NUTS = Namespace("http://data.europa.eu/nuts/code/")
EUCOUNTRY = Namespace("http://publications.europa.eu/resource/authority/country/")
AS = Namespace("https://www.w3.org/ns/activitystreams#")  # as:Create, as:Update, as:Delete of version objects
LDES = Namespace("https://w3id.org/ldes#")
TREE = Namespace("https://w3id.org/tree#")
HISTORY = ID["dataset/inclusion-kg/history"]  # the named graph of the change log at /sparql

PREFIXES: dict[str, str] = {
    "ikg": str(IKG),
    "ikgsh": str(IKGSH),
    "ikgc": str(IKGC),
    "adms": str(ADMS),
    "as": str(AS),
    "cpsv": str(CPSV),
    "cv": str(CV),
    "dcat": str(DCAT),
    "dct": str(DCTERMS),
    "eli": str(ELI),
    "foaf": str(FOAF),
    "ldes": str(LDES),
    "locn": str(LOCN),
    "nuts": str(NUTS),
    "org": str(ORG),
    "owl": str(OWL),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "sd": str(SD),
    "sh": str(SH),
    "skos": str(SKOS),
    "tree": str(TREE),
    "vann": str(VANN),
    "vcard": str(VCARD),
    "void": str(VOID),
    "wd": str(WD),
    "xsd": str(XSD),
}
PREFIXES.update({kind: f"{ID}{kind}/" for kind in KINDS})


def bind_prefixes(graph: Graph) -> Graph:
    """Bind our prefixes on `graph`, replacing rdflib's defaults, and return it."""
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)
    return graph


def sparql_prologue(*names: str) -> str:
    """PREFIX lines for SPARQL; all of them when no names are given."""
    chosen = names or tuple(PREFIXES)
    return "".join(f"PREFIX {n}: <{PREFIXES[n]}>\n" for n in chosen)
