"""French verb forms from the Verbiste tables shipped with `mlconjug3` (no download, no trained model).

Only the Verbiste data of mlconjug3 is used (≈7 000 verbs, 149 conjugation templates): its pickled
machine-learning model was trained with an older scikit-learn than the one Rasa pins, so it is never
loaded. A verb missing from Verbiste borrows the template of the known verb whose infinitive shares the
longest ending with it (analogy over the same data, no hand-written paradigm).

Persons are mlconjug3's indices: 0 = je, 1 = tu, 2 = il, 3 = nous, 4 = vous, 5 = ils.
"""

from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

JE, TU, IL, NOUS, VOUS, ILS = range(6)

INDICATIF, CONDITIONNEL, SUBJONCTIF, IMPERATIF = "Indicatif", "Conditionnel", "Subjonctif", "Imperatif"
PRESENT, IMPARFAIT, FUTUR, PASSE_SIMPLE = "Présent", "Imparfait", "Futur", "Passé Simple"
IMPERATIF_PRESENT = "Imperatif Présent"

# Finite tenses, most likely reading first when a form is ambiguous (e.g. "paie": présent or subjonctif).
FINITE_TENSES: tuple[tuple[str, str], ...] = (
    (INDICATIF, PRESENT),
    (INDICATIF, IMPARFAIT),
    (INDICATIF, FUTUR),
    (CONDITIONNEL, PRESENT),
    (SUBJONCTIF, PRESENT),
    (INDICATIF, PASSE_SIMPLE),
    (SUBJONCTIF, IMPARFAIT),
)
# Written tenses: a debtor's "vis" is vivre in the present, not voir in the passé simple.
_LITERARY_TENSES = frozenset({(INDICATIF, PASSE_SIMPLE), (SUBJONCTIF, IMPARFAIT)})
# The imperative has three persons in Verbiste: tu, nous, vous.
_IMPERATIVE_SLOTS = {TU: 0, NOUS: 1, VOUS: 2}

# Everyday verbs win a tie between two verbs sharing a form ("suis": être before suivre).
FREQUENT_VERBS = frozenset(
    "être avoir aller faire pouvoir vouloir devoir savoir dire venir voir prendre mettre tenir "
    "payer recevoir vivre sentir partir sortir croire attendre perdre rendre".split()
)


@dataclass(frozen=True)
class Reading:
    """One analysis of a finite form: `paierai` → (payer, Indicatif, Futur, JE)."""

    infinitive: str
    mood: str
    tense: str
    person: int


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def _sms_key(form: str) -> str:
    """SMS spelling drops accents and silent final letters: "peux" → "peu", "dois" → "doi"."""
    key = strip_accents(form)
    return key[:-1] if len(key) > 2 and key[-1] in "sxt" else key


class Verbiste:
    """Conjugation tables and reverse indices (form → readings) for the persons the switcher needs."""

    INDEXED_PERSONS = (JE, NOUS, VOUS)

    def __init__(self) -> None:
        data = _data_folder()
        self.verbs: dict[str, dict[str, str]] = json.loads((data / "verbs-fr.json").read_text(encoding="utf-8"))
        self.templates: dict[str, dict] = json.loads((data / "conjugation-fr.json").read_text(encoding="utf-8"))
        self._exact: dict[str, list[Reading]] = defaultdict(list)
        self._plain: dict[str, list[Reading]] = defaultdict(list)
        self._sms: dict[str, list[Reading]] = defaultdict(list)
        self._participles: dict[str, set[str]] = defaultdict(set)
        self._masculine_participles: set[str] = set()
        self._imperatives: dict[str, str] = {}  # second person plural of the imperative → infinitive
        self._infinitives: dict[str, set[str]] = defaultdict(set)
        self._by_reversed: list[str] = sorted(self.verbs, key=lambda verb: verb[::-1])
        for infinitive in self.verbs:
            self._index(infinitive)

    # -- building -------------------------------------------------------------------------------------------
    def _index(self, infinitive: str) -> None:
        root, template = self.verbs[infinitive]["root"], self.templates.get(self.verbs[infinitive]["template"])
        if template is None:
            return
        self._infinitives[strip_accents(infinitive)].add(infinitive)
        for mood, tense in FINITE_TENSES:
            suffixes = dict(template.get(mood, {}).get(tense) or [])
            for person in self.INDEXED_PERSONS:
                if suffixes.get(person) is not None:
                    self._add(root + suffixes[person], Reading(infinitive, mood, tense, person))
        imperative = dict(template.get(IMPERATIF, {}).get(IMPERATIF_PRESENT) or []).get(_IMPERATIVE_SLOTS[VOUS])
        if imperative is not None:
            self._imperatives.setdefault(root + imperative, infinitive)
        for slot, suffix in template.get("Participe", {}).get("Participe Passé") or []:
            if suffix is not None:
                self._participles[strip_accents(root + suffix)].add(root + suffix)
                if slot == 0:
                    self._masculine_participles.add(root + suffix)

    def _add(self, form: str, reading: Reading) -> None:
        self._exact[form].append(reading)
        self._plain[strip_accents(form)].append(reading)
        self._sms[_sms_key(form)].append(reading)

    # -- look-ups -----------------------------------------------------------------------------------------
    def knows(self, infinitive: str) -> bool:
        return infinitive in self.verbs

    def readings(self, form: str, person: int, sms: bool = True, exact: bool = False) -> list[Reading]:
        """Readings of `form` at `person`: exact spelling first, then without accents, then SMS spelling."""
        lowered = form.lower()
        keys = [(self._exact, lowered)]
        if not exact:
            keys.append((self._plain, strip_accents(lowered)))
        if sms and not exact:
            keys.append((self._sms, _sms_key(lowered)))
        for index, key in keys:
            found = [reading for reading in index.get(key, ()) if reading.person == person]
            if found:
                return found
        return []

    def conjugate(self, infinitive: str, mood: str, tense: str, person: int) -> str | None:
        """`conjugate("payer", "Indicatif", "Futur", VOUS)` → "paierez" (None when Verbiste has no such form)."""
        root, template = self._paradigm(infinitive)
        if template is None:
            return None
        if mood == IMPERATIF:
            slot = _IMPERATIVE_SLOTS.get(person)
            suffixes = template.get(IMPERATIF, {}).get(IMPERATIF_PRESENT) or []
            suffix = dict(suffixes).get(slot) if slot is not None else None
        else:
            suffix = dict(template.get(mood, {}).get(tense) or []).get(person)
        return None if suffix is None else root + suffix

    def _paradigm(self, infinitive: str) -> tuple[str, dict | None]:
        if infinitive in self.verbs:
            entry = self.verbs[infinitive]
            return entry["root"], self.templates.get(entry["template"])
        model = self.analogous_verb(infinitive)
        if model is None:
            return "", None
        template_name = self.verbs[model]["template"]
        ending = template_name.split(":", 1)[1]
        return infinitive[: len(infinitive) - len(ending)], self.templates.get(template_name)

    def analogous_verb(self, infinitive: str) -> str | None:
        """The known verb sharing the longest ending with an unknown one ("galérer" → a verb in "-érer")."""
        if not infinitive or infinitive[-2:] not in ("er", "ir", "re"):
            return None
        best, best_length = None, 1
        for verb in self.verbs:
            ending = self.verbs[verb]["template"].split(":", 1)[1]
            if not infinitive.endswith(ending) or len(infinitive) <= len(ending):
                continue
            length = _common_suffix(verb, infinitive)
            if length > best_length or (length == best_length and best is not None and verb < best):
                best, best_length = verb, length
        return best

    def past_participle(self, spelled: str) -> str | None:
        """The accented past participle a spelling stands for ("paye" → "payé"), if only one fits."""
        lowered = spelled.lower()
        candidates = self._participles.get(strip_accents(lowered), set())
        if lowered in candidates:
            return lowered
        return next(iter(candidates)) if len(candidates) == 1 else None

    def imperative(self, form: str) -> str | None:
        """The infinitive of a second-person-plural imperative ("arrêtez" → "arrêter", "soyez" → "être")."""
        return self._imperatives.get(form.lower())

    def is_masculine_participle(self, form: str) -> bool:
        return form in self._masculine_participles

    def infinitive(self, spelled: str) -> str | None:
        """The accented infinitive a spelling stands for ("regler" → "régler"), if only one fits."""
        lowered = spelled.lower()
        candidates = self._infinitives.get(strip_accents(lowered), set())
        if lowered in candidates:
            return lowered
        return next(iter(candidates)) if len(candidates) == 1 else None


def _data_folder() -> Path:
    """mlconjug3's data folder, found without importing the package (its import pulls in scikit-learn)."""
    spec = find_spec("mlconjug3")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("mlconjug3 n'est pas installé : la conjugaison est indisponible.")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "conjug_manager"


def _common_suffix(a: str, b: str) -> int:
    length = 0
    for x, y in zip(reversed(a), reversed(b)):
        if x != y:
            break
        length += 1
    return length


@lru_cache(maxsize=1)
def verbiste() -> Verbiste:
    """The tables, loaded once per process on first use."""
    return Verbiste()


def best_reading(
    form: str,
    person: int,
    lemma: str | None = None,
    mood_hint: str | None = None,
) -> Reading | None:
    """The most plausible reading of a finite `form` said at `person`.

    `lemma` (spaCy's) and `mood_hint` (e.g. "Subjonctif" after "il faut que") break ties; otherwise
    everyday verbs and the most frequent tenses win.
    """
    tables = verbiste()
    readings = tables.readings(form, person)
    if not readings:
        return None
    order = {pair: rank for rank, pair in enumerate(FINITE_TENSES)}

    def rank(reading: Reading) -> tuple[int, int, int, int, int]:
        return (
            1 if (reading.mood, reading.tense) in _LITERARY_TENSES else 0,
            0 if lemma and reading.infinitive == lemma else 1,
            0 if mood_hint and reading.mood == mood_hint else 1,
            0 if reading.infinitive in FREQUENT_VERBS else 1,
            order.get((reading.mood, reading.tense), 99),
        )

    return min(readings, key=rank)


def switch_form(
    form: str,
    source: int,
    target: int,
    lemma: str | None = None,
    mood_hint: str | None = None,
    tense_hint: tuple[str, str] | None = None,
) -> str | None:
    """The same verb, mood and tense at another person: ("paierai", JE, VOUS) → "paierez".

    When Verbiste does not know the spelling (e.g. "paye", a variant), spaCy's `lemma` and the
    `tense_hint` from its morphology are used instead. None when nothing fits.
    """
    reading = best_reading(form, source, lemma, mood_hint)
    tables = verbiste()
    if reading is not None:
        return tables.conjugate(reading.infinitive, reading.mood, reading.tense, target)
    if lemma and lemma[-2:] in ("er", "ir", "re"):
        mood, tense = tense_hint or (INDICATIF, PRESENT)
        return tables.conjugate(lemma, mood, tense, target)
    return None
