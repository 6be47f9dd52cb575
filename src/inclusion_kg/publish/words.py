"""The eligibility page's own words in nl/fr/de/en: hints, the headline, the one-sentence reasons.

Placeholders in braces are filled by `answer_view.py`. Keys ending in `_1` / `_n` are the singular and
plural of a count. The hints of the inputs come from the ontology (`skos:definition` of each information
concept); only the inputs the page asks differently from the API (a percentage) or that are not information
concepts (the region, the date) have a hint here.
"""

from __future__ import annotations

ELIGIBILITY_WORDS: dict[str, dict[str, str]] = {
    "hint_region": {
        "nl": "Waar het personeelslid gedomicilieerd is: de dienst van die regio beslist.",
        "fr": "Où le membre du personnel est domicilié : l'organisme de cette région décide.",
        "de": "Wo das Personalmitglied seinen Wohnsitz hat: die Dienststelle dieser Region entscheidet.",
        "en": "Where the staff member is domiciled: the agency of that region decides."},
    "hint_percent": {
        "nl": "Het aandeel van uw personeel met een handicap, in procent (bv. 3 of 3,5).",
        "fr": "La part de votre personnel en situation de handicap, en pour cent (par ex. 3 ou 3,5).",
        "de": "Der Anteil Ihres Personals mit Behinderung, in Prozent (z. B. 3 oder 3,5).",
        "en": "The share of your staff who have a disability, in percent (e.g. 3 or 3.5)."},
    "hint_date": {
        "nl": "De regels die op die dag gelden; leeg is vandaag.",
        "fr": "Les règles en vigueur ce jour-là ; vide signifie aujourd'hui.",
        "de": "Die an diesem Tag geltenden Regeln; leer bedeutet heute.",
        "en": "The rules in force on that day; empty means today."},
    "percent_range": {
        "nl": "Geef een percentage van 0 tot 100, bv. 3 of 3,5.",
        "fr": "Indiquez un pourcentage de 0 à 100, par ex. 3 ou 3,5.",
        "de": "Geben Sie einen Prozentsatz von 0 bis 100 an, z. B. 3 oder 3,5.",
        "en": "Give a percentage from 0 to 100, e.g. 3 or 3.5."},
    "bad_input": {
        "nl": "{field}: deze waarde wordt niet aanvaard ({value}). {accepted}",
        "fr": "{field} : cette valeur n'est pas acceptée ({value}). {accepted}",
        "de": "{field}: dieser Wert wird nicht akzeptiert ({value}). {accepted}",
        "en": "{field}: this value is not accepted ({value}). {accepted}"},
    "choose": {"nl": "— kies —", "fr": "— choisir —", "de": "— auswählen —", "en": "— choose —"},
    "your_question": {"nl": "Uw vraag", "fr": "Votre question", "de": "Ihre Frage", "en": "Your question"},
    "change_answers": {"nl": "Antwoorden wijzigen", "fr": "Modifier les réponses", "de": "Antworten ändern",
                       "en": "Change the answers"},
    "count_eligible_1": {"nl": "1 maatregel waarop u recht hebt", "fr": "1 mesure dont vous pouvez bénéficier",
                         "de": "1 Maßnahme, die Sie erhalten können", "en": "1 measure you can get"},
    "count_eligible_n": {"nl": "{n} maatregelen waarop u recht hebt", "fr": "{n} mesures dont vous pouvez bénéficier",
                         "de": "{n} Maßnahmen, die Sie erhalten können", "en": "{n} measures you can get"},
    "count_undetermined_1": {"nl": "1 vraagt nog een antwoord", "fr": "1 demande encore une réponse",
                             "de": "1 braucht noch eine Antwort", "en": "1 needs an answer"},
    "count_undetermined_n": {"nl": "{n} vragen nog een antwoord", "fr": "{n} demandent encore une réponse",
                             "de": "{n} brauchen noch eine Antwort", "en": "{n} need an answer"},
    "count_not-eligible_1": {"nl": "1 is niet van toepassing", "fr": "1 ne s'applique pas", "de": "1 gilt nicht",
                             "en": "1 does not apply"},
    "count_not-eligible_n": {"nl": "{n} zijn niet van toepassing", "fr": "{n} ne s'appliquent pas",
                             "de": "{n} gelten nicht", "en": "{n} do not apply"},
    "section_eligible": {"nl": "Hierop hebt u recht", "fr": "Vous pouvez en bénéficier",
                         "de": "Das können Sie erhalten", "en": "You can get"},
    "section_undetermined": {"nl": "Er is nog een antwoord nodig", "fr": "Une réponse est encore nécessaire",
                             "de": "Eine Antwort fehlt noch", "en": "An answer is needed"},
    "section_not-eligible": {"nl": "Niet van toepassing", "fr": "Ne s'applique pas", "de": "Gilt nicht",
                             "en": "Does not apply"},
    "not_stated": {"nl": "aan wie: niet vermeld in de bron", "fr": "à qui : non précisé dans la source",
                   "de": "an wen: in der Quelle nicht angegeben", "en": "to whom: not stated in the source"},
    "why": {"nl": "Waarom", "fr": "Pourquoi", "de": "Warum", "en": "Why"},
    "why_eligible": {"nl": "Aan al haar voorwaarden is voldaan.", "fr": "Toutes ses conditions sont remplies.",
                     "de": "Alle ihre Bedingungen sind erfüllt.", "en": "All its conditions are met."},
    "why_no_conditions": {
        "nl": "De bron stelt geen andere voorwaarde dan de regio van de woonplaats.",
        "fr": "La source ne pose aucune autre condition que la région du domicile.",
        "de": "Die Quelle stellt keine andere Bedingung als die Region des Wohnsitzes.",
        "en": "The source sets no condition other than the region of domicile."},
    "why_unmet": {
        "nl": "Niet van toepassing, want aan deze voorwaarde is niet voldaan: {condition} (uw antwoord: {given}).",
        "fr": "Ne s'applique pas, car cette condition n'est pas remplie : {condition} (votre réponse : {given}).",
        "de": "Gilt nicht, weil diese Bedingung nicht erfüllt ist: {condition} (Ihre Antwort: {given}).",
        "en": "It does not apply because this condition is not met: {condition} (your answer: {given})."},
    "why_unknown": {
        "nl": "Dat hangt af van wat u nog niet hebt opgegeven: {conditions}.",
        "fr": "Cela dépend de ce que vous n'avez pas encore indiqué : {conditions}.",
        "de": "Das hängt davon ab, was Sie noch nicht angegeben haben: {conditions}.",
        "en": "It depends on what you have not answered yet: {conditions}."},
    "why_not_covered": {
        "nl": "De bron zegt niet of ze geldt voor {given}; vraag het aan {agency}.",
        "fr": "La source ne dit pas si elle s'applique à : {given} ; renseignez-vous auprès de {agency}.",
        "de": "Die Quelle sagt nicht, ob sie für {given} gilt; fragen Sie bei {agency} nach.",
        "en": "The source does not say whether it applies to {given}; ask {agency}."},
    "to_decide": {"nl": "Om te beslissen, geef op", "fr": "Pour trancher, indiquez", "de": "Zur Entscheidung angeben",
                  "en": "To decide, answer"},
    "which_kind": {"nl": "Welk soort {field}? Een van: {options}.", "fr": "Quel {field} ? L'un de : {options}.",
                   "de": "Welche Art von {field}? Eines von: {options}.", "en": "Which {field}? One of: {options}."},
    "only_in_case": {"nl": "Alleen in dit geval: {guard}. Dan: {condition}",
                     "fr": "Seulement dans ce cas : {guard}. Alors : {condition}",
                     "de": "Nur in diesem Fall: {guard}. Dann: {condition}",
                     "en": "Only in this case: {guard}. Then: {condition}"},
    "guard_unmet": {"nl": "Niet van belang voor deze aanwerving (alleen in dit geval: {guard}).",
                    "fr": "Sans objet pour ce recrutement (seulement dans ce cas : {guard}).",
                    "de": "Für diese Einstellung ohne Belang (nur in diesem Fall: {guard}).",
                    "en": "Not relevant to this hire (only in this case: {guard})."},
    "required": {"nl": "vereist", "fr": "requis", "de": "verlangt", "en": "required"},
    "your_answer": {"nl": "uw antwoord", "fr": "votre réponse", "de": "Ihre Antwort", "en": "your answer"},
    "colon": {"nl": ": ", "fr": " : ", "de": ": ", "en": ": "},  # French puts a space before the colon
    "or": {"nl": "of", "fr": "ou", "de": "oder", "en": "or"},
    "source": {"nl": "Bron", "fr": "Source", "de": "Quelle", "en": "Source"},
    "release": {"nl": "Gegevens van de uitgave", "fr": "Données de la version", "de": "Daten der Ausgabe",
                "en": "Data release"},
}
