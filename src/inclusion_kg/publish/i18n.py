"""Languages of the pages: choosing one (?lang=, then Accept-Language), the interface's own words, and
picking a literal in that language from the graph (falling back to English, Dutch, French, German)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from rdflib import Graph, Literal
from rdflib.term import Node

from inclusion_kg.publish.words import ELIGIBILITY_WORDS

LANGUAGES = ("nl", "fr", "de", "en")
DEFAULT = "en"
NAMES = {"nl": "Nederlands", "fr": "Français", "de": "Deutsch", "en": "English"}


def choose_language(lang_param: str | None, accept_language: str | None) -> tuple[str, bool]:
    """(language, explicit): ?lang= wins (explicit); else the best Accept-Language match; else English."""
    if lang_param and lang_param.lower()[:2] in LANGUAGES:
        return lang_param.lower()[:2], True
    ranked = []  # (q, position, primary subtag)
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        name, _, value = params.strip().partition("=")
        try:
            q = float(value) if name.strip() == "q" else 1.0
        except ValueError:
            q = 0.0
        ranked.append((q, position, tag.strip().lower()[:2]))
    for q, _, tag in sorted(ranked, key=lambda r: (-r[0], r[1])):
        if q > 0 and tag in LANGUAGES:
            return tag, False
    return DEFAULT, False


def fallbacks(lang: str) -> list[str]:
    return [lang] + [other for other in ("en", "nl", "fr", "de") if other != lang]


def pick(graph: Graph, node: Node, predicates, lang: str) -> Literal | None:
    """The value of the first predicate that has one, in `lang` if possible, else the nearest fallback."""
    for predicate in predicates:
        values = [v for v in graph.objects(node, predicate) if isinstance(v, Literal)]
        if not values:
            continue
        for wanted in fallbacks(lang):
            for value in sorted(values):
                if value.language == wanted:
                    return value
        return sorted(values)[0]
    return None


# The interface's own words. Everything about the data comes from the graph.
TEXT: dict[str, dict[str, str]] = {
    "site_title": {"nl": "Regionale steun voor werkgevers", "fr": "Aides régionales aux employeurs",
                   "de": "Regionale Unterstützung für Arbeitgeber", "en": "Regional support for employers"},
    "site_subtitle": {
        "nl": "Aanwerving en duurzame integratie van personen met een handicap in België",
        "fr": "Recrutement et intégration durable des personnes en situation de handicap en Belgique",
        "de": "Einstellung und nachhaltige Integration von Menschen mit Behinderung in Belgien",
        "en": "Hiring and keeping people with a disability in Belgium"},
    "skip": {"nl": "Naar de inhoud", "fr": "Aller au contenu", "de": "Zum Inhalt", "en": "Skip to content"},
    "home": {"nl": "Start", "fr": "Accueil", "de": "Start", "en": "Home"},
    "catalog": {"nl": "Catalogus", "fr": "Catalogue", "de": "Katalog", "en": "Catalogue"},
    "ontology": {"nl": "Ontologie", "fr": "Ontologie", "de": "Ontologie", "en": "Ontology"},
    "sparql": {"nl": "SPARQL", "fr": "SPARQL", "de": "SPARQL", "en": "SPARQL"},
    "dumps": {"nl": "Downloads", "fr": "Téléchargements", "de": "Downloads", "en": "Downloads"},
    "language": {"nl": "Taal", "fr": "Langue", "de": "Sprache", "en": "Language"},
    "main_nav": {"nl": "Hoofdmenu", "fr": "Menu principal", "de": "Hauptmenü", "en": "Main menu"},
    "licence": {"nl": "Gegevens onder licentie CC BY 4.0", "fr": "Données sous licence CC BY 4.0",
                "de": "Daten unter der Lizenz CC BY 4.0", "en": "Data licensed under CC BY 4.0"},
    "view_as": {"nl": "Bekijk als", "fr": "Voir en", "de": "Anzeigen als", "en": "View as"},
    "iri": {"nl": "IRI", "fr": "IRI", "de": "IRI", "en": "IRI"},
    "type": {"nl": "Soort", "fr": "Type", "de": "Art", "en": "Kind"},
    "agency": {"nl": "Dienst", "fr": "Organisme", "de": "Dienststelle", "en": "Agency"},
    "region": {"nl": "Regio", "fr": "Région", "de": "Region", "en": "Region"},
    "contract_types": {"nl": "Soorten contract", "fr": "Types de contrat", "de": "Vertragsarten",
                       "en": "Contract types"},
    "conditions": {"nl": "Voorwaarden", "fr": "Conditions", "de": "Bedingungen", "en": "Conditions"},
    "no_conditions": {"nl": "Geen voorwaarden in de bron.", "fr": "Aucune condition dans la source.",
                      "de": "Keine Bedingungen in der Quelle.", "en": "No conditions in the source."},
    "gives": {"nl": "Wat de maatregel geeft", "fr": "Ce que la mesure apporte", "de": "Was die Maßnahme gibt",
              "en": "What the measure gives"},
    "paid_to": {"nl": "Betaald aan", "fr": "Versé à", "de": "Gezahlt an", "en": "Paid to"},
    "not_stated": {"nl": "niet vermeld in de bron", "fr": "non précisé dans la source",
                   "de": "in der Quelle nicht angegeben", "en": "not stated in the source"},
    "sources": {"nl": "Bronnen", "fr": "Sources", "de": "Quellen", "en": "Sources"},
    "notes": {"nl": "Opmerkingen", "fr": "Remarques", "de": "Hinweise", "en": "Notes"},
    "properties": {"nl": "Alle gegevens", "fr": "Toutes les données", "de": "Alle Angaben", "en": "All data"},
    "property": {"nl": "Eigenschap", "fr": "Propriété", "de": "Eigenschaft", "en": "Property"},
    "value": {"nl": "Waarde", "fr": "Valeur", "de": "Wert", "en": "Value"},
    "referenced_by": {"nl": "Verwezen vanuit", "fr": "Référencé par", "de": "Verwiesen von",
                      "en": "Referenced by"},
    "external": {"nl": "Elders op het web", "fr": "Ailleurs sur le web", "de": "Anderswo im Web",
                 "en": "Elsewhere on the web"},
    "measures": {"nl": "Maatregelen", "fr": "Mesures", "de": "Maßnahmen", "en": "Measures"},
    "measure": {"nl": "Maatregel", "fr": "Mesure", "de": "Maßnahme", "en": "Measure"},
    "form_of_support": {"nl": "Vorm van ondersteuning", "fr": "Forme de soutien", "de": "Form der Unterstützung",
                        "en": "Form of support"},
    "yes": {"nl": "ja", "fr": "oui", "de": "ja", "en": "yes"},
    "rows": {"nl": "{n} rij(en)", "fr": "{n} ligne(s)", "de": "{n} Zeile(n)", "en": "{n} row(s)"},
    "answer": {"nl": "Antwoord", "fr": "Réponse", "de": "Antwort", "en": "Answer"},
    "the_query": {"nl": "De query", "fr": "La requête", "de": "Die Abfrage", "en": "The query"},
    "no": {"nl": "nee", "fr": "non", "de": "nein", "en": "no"},
    "one_of": {"nl": "een van", "fr": "l'un de", "de": "eines von", "en": "one of"},
    "at_least": {"nl": "minstens", "fr": "au moins", "de": "mindestens", "en": "at least"},
    "more_than": {"nl": "meer dan", "fr": "plus de", "de": "mehr als", "en": "more than"},
    "at_most": {"nl": "hoogstens", "fr": "au plus", "de": "höchstens", "en": "at most"},
    "less_than": {"nl": "minder dan", "fr": "moins de", "de": "weniger als", "en": "less than"},
    "only_if": {"nl": "enkel als", "fr": "seulement si", "de": "nur wenn", "en": "only if"},
    "independent_of_hiring": {"nl": "Los van een aanwerving", "fr": "Indépendamment d'un recrutement",
                              "de": "Unabhängig von einer Einstellung", "en": "Independent of hiring"},
    "wage_share": {"nl": "Deel van de loonkost", "fr": "Part du coût salarial", "de": "Anteil an den Lohnkosten",
                   "en": "Share of the wage cost"},
    "tables_title": {"nl": "Steun per regio en dienst", "fr": "Aides par région et organisme",
                     "de": "Unterstützung nach Region und Dienststelle", "en": "Support per region and agency"},
    "tables_intro": {
        "nl": "De tabellen van de brochure, opnieuw opgebouwd uit de graaf: ✓ de maatregel geldt voor dat soort contract, ✗ niet.",
        "fr": "Les tableaux de la brochure, reconstruits à partir du graphe : ✓ la mesure vaut pour ce type de contrat, ✗ non.",
        "de": "Die Tabellen der Broschüre, aus dem Graphen neu erstellt: ✓ die Maßnahme gilt für diese Vertragsart, ✗ nicht.",
        "en": "The brochure's tables, rebuilt from the graph: ✓ the measure applies to that kind of contract, ✗ it does not."},
    "applies": {"nl": "geldt", "fr": "s'applique", "de": "gilt", "en": "applies"},
    "does_not_apply": {"nl": "geldt niet", "fr": "ne s'applique pas", "de": "gilt nicht", "en": "does not apply"},
    "footnotes": {"nl": "Voetnoten", "fr": "Notes", "de": "Fußnoten", "en": "Footnotes"},
    "no_measures": {"nl": "Geen maatregelen in de bron.", "fr": "Aucune mesure dans la source.",
                    "de": "Keine Maßnahmen in der Quelle.", "en": "No measures in the source."},
    "eligibility_title": {"nl": "Op welke steun hebt u recht?", "fr": "À quelles aides avez-vous droit ?",
                          "de": "Welche Unterstützung steht Ihnen zu?", "en": "Which support can you get?"},
    "eligibility_intro": {
        "nl": "Geef de regio waar het personeelslid gedomicilieerd is en wat u weet; wat u leeg laat, blijft onbepaald.",
        "fr": "Indiquez la région où le membre du personnel est domicilié et ce que vous savez ; ce que vous laissez vide reste indéterminé.",
        "de": "Geben Sie die Region an, in der das Personalmitglied seinen Wohnsitz hat, und was Sie wissen; was Sie leer lassen, bleibt unbestimmt.",
        "en": "Give the region where the staff member is domiciled and what you know; what you leave empty stays undetermined."},
    "domicile_region": {"nl": "Regio van de woonplaats", "fr": "Région du domicile", "de": "Region des Wohnsitzes",
                        "en": "Region of domicile"},
    "not_given": {"nl": "(niet opgegeven)", "fr": "(non précisé)", "de": "(nicht angegeben)", "en": "(not given)"},
    "date": {"nl": "Datum", "fr": "Date", "de": "Datum", "en": "Date"},
    "check": {"nl": "Controleer", "fr": "Vérifier", "de": "Prüfen", "en": "Check"},
    "results": {"nl": "Resultaat", "fr": "Résultat", "de": "Ergebnis", "en": "Result"},
    "missing": {"nl": "Ontbrekende gegevens", "fr": "Données manquantes", "de": "Fehlende Angaben",
                "en": "Missing inputs"},
    "expected": {"nl": "verwacht", "fr": "attendu", "de": "erwartet", "en": "expected"},
    "given": {"nl": "opgegeven", "fr": "donné", "de": "angegeben", "en": "given"},
    "error": {"nl": "Fout", "fr": "Erreur", "de": "Fehler", "en": "Error"},
    "not_found": {"nl": "Niet gevonden", "fr": "Introuvable", "de": "Nicht gefunden", "en": "Not found"},
    "not_found_text": {
        "nl": "Deze graaf beschrijft geen bron met dit adres.", "fr": "Ce graphe ne décrit aucune ressource à cette adresse.",
        "de": "Dieser Graph beschreibt keine Ressource mit dieser Adresse.",
        "en": "This graph describes no resource at this address."},
    "classes": {"nl": "Klassen", "fr": "Classes", "de": "Klassen", "en": "Classes"},
    "ontology_properties": {"nl": "Eigenschappen", "fr": "Propriétés", "de": "Eigenschaften", "en": "Properties"},
    "information_concepts": {"nl": "Informatieconcepten", "fr": "Concepts d'information",
                             "de": "Informationskonzepte", "en": "Information concepts"},
    "node_shapes": {"nl": "Knoopvormen", "fr": "Formes de nœud", "de": "Knotenformen", "en": "Node shapes"},
    "property_shapes": {"nl": "Eigenschapsvormen", "fr": "Formes de propriété", "de": "Eigenschaftsformen",
                        "en": "Property shapes"},
    "domain": {"nl": "Domein", "fr": "Domaine", "de": "Domäne", "en": "Domain"},
    "range": {"nl": "Bereik", "fr": "Portée", "de": "Wertebereich", "en": "Range"},
    "dataset": {"nl": "Dataset", "fr": "Jeu de données", "de": "Datensatz", "en": "Dataset"},
    "file": {"nl": "Bestand", "fr": "Fichier", "de": "Datei", "en": "File"},
    "format": {"nl": "Formaat", "fr": "Format", "de": "Format", "en": "Format"},
    "size": {"nl": "Grootte (bytes)", "fr": "Taille (octets)", "de": "Größe (Bytes)", "en": "Size (bytes)"},
    "browse": {"nl": "Bladeren", "fr": "Parcourir", "de": "Durchsuchen", "en": "Browse"},
}


TEXT.update(ELIGIBILITY_WORDS)
# Words of the site's pages beyond the home page: the query UI and the named queries.
TEXT.update({
    "api_docs": {"nl": "API", "fr": "API", "de": "API", "en": "API"},
    "queries": {"nl": "Benoemde query's", "fr": "Requêtes nommées", "de": "Benannte Abfragen", "en": "Named queries"},
    "sparql_title": {"nl": "SPARQL-endpoint", "fr": "Point d'accès SPARQL", "de": "SPARQL-Endpunkt",
                     "en": "SPARQL endpoint"},
    "sparql_intro": {
        "nl": "SPARQL 1.1 over de regionale steun voor werkgevers die personen met een handicap aanwerven of houden. Elke SPARQL-client kan dit adres gebruiken; alleen lezen; geen SERVICE.",
        "fr": "SPARQL 1.1 sur les aides régionales aux employeurs qui engagent ou maintiennent une personne handicapée. Tout client SPARQL peut utiliser cette adresse ; lecture seule ; pas de SERVICE.",
        "de": "SPARQL 1.1 über die regionale Unterstützung für Arbeitgeber, die Menschen mit Behinderung einstellen oder halten. Jeder SPARQL-Client kann diese Adresse nutzen; nur lesend; kein SERVICE.",
        "en": "SPARQL 1.1 over the regional support for employers who hire or keep a person with a disability. Point any SPARQL client at this address; read-only; no SERVICE."},
    "example_queries": {"nl": "Voorbeeldquery's", "fr": "Exemples de requêtes", "de": "Beispielabfragen",
                        "en": "Example queries"},
    "run": {"nl": "Uitvoeren", "fr": "Exécuter", "de": "Ausführen", "en": "Run"},
    "queries_intro": {
        "nl": "Elke query is een bestand queries/NAAM.rq, beschikbaar op /queries/NAAM (GET, of POST van een formulier), met zijn parameters als queryparameters. Dezelfde map werkt als grlc-repository.",
        "fr": "Chaque requête est un fichier queries/NOM.rq servi à /queries/NOM (GET, ou POST d'un formulaire), avec ses paramètres comme paramètres de requête. Le même dossier fonctionne comme dépôt grlc.",
        "de": "Jede Abfrage ist eine Datei queries/NAME.rq, bereitgestellt unter /queries/NAME (GET oder POST eines Formulars), mit ihren Parametern als Query-Parameter. Derselbe Ordner funktioniert als grlc-Repository.",
        "en": "Each query is a file queries/NAME.rq served at /queries/NAME (GET, or POST a form), with its parameters as query parameters. The same folder works as a grlc repository."},
    "machine_readable": {"nl": "Machineleesbaar", "fr": "Lisible par machine", "de": "Maschinenlesbar",
                         "en": "Machine-readable"},
    "this_list_json": {"nl": "deze lijst als JSON", "fr": "cette liste en JSON", "de": "diese Liste als JSON",
                       "en": "this list as JSON"},
    "required_field": {"nl": "verplicht", "fr": "obligatoire", "de": "erforderlich", "en": "required"},
    "tags": {"nl": "Labels", "fr": "Étiquettes", "de": "Schlagwörter", "en": "Tags"},
    "answer_format": {"nl": "Formaat van het antwoord", "fr": "Format de la réponse", "de": "Format der Antwort",
                      "en": "Format of the answer"},
    "kind_decimal": {"nl": "getal", "fr": "nombre", "de": "Zahl", "en": "number"},
    "kind_integer": {"nl": "geheel getal", "fr": "nombre entier", "de": "ganze Zahl", "en": "whole number"},
    "kind_date": {"nl": "datum", "fr": "date", "de": "Datum", "en": "date"},
    "kind_text": {"nl": "tekst", "fr": "texte", "de": "Text", "en": "text"},
})


def format_number(value, lang: str) -> str:
    """A number as a reader of `lang` writes it: 3.5 is "3,5" in nl/fr/de; no trailing zeros."""
    text = format(Decimal(str(value)), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang != "en" else text


def format_percent(fraction, lang: str) -> str:
    """A fraction as a percentage: 0.035 is "3,5 %" in nl/fr/de (a no-break space before %), "3.5%" in en."""
    text = format_number(Decimal(str(fraction)) * 100, lang)
    return text + ("%" if lang == "en" else "\u00a0%")


def parse_number(text: str) -> Decimal | None:
    """A number typed in a form, with a decimal comma or point, a % sign or spaces: "3,5 %" is 3.5."""
    cleaned = text.strip().rstrip("%").strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def translator(lang: str):
    def t(key: str) -> str:
        entry = TEXT.get(key)
        return entry.get(lang, entry["en"]) if entry else key
    return t
