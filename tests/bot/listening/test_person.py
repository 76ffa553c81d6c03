"""Person switching: each pronoun and determiner, each tense and mood, elision, dropped "ne", SMS spelling."""

from __future__ import annotations

import re

import pytest

from bot.listening import switch_person
from bot.listening.normalize import normalize


def switched(text: str) -> str:
    result = switch_person(text).rstrip(".!?")
    return result[:1].lower() + result[1:]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # je / j'
        ("Je peux payer", "vous pouvez payer"),
        ("J'ai perdu mon emploi", "vous avez perdu votre emploi"),
        ("j'habite à Lyon", "vous habitez à Lyon"),
        # me / m' (object and reflexive)
        ("je me sens seule", "vous vous sentez seule"),
        ("il m'a quittée", "il vous a quittée"),
        ("ça me fait peur", "ça vous fait peur"),
        ("je m'en occupe", "vous vous en occupez"),
        # moi, moi-même, moi qui
        ("c'est pour moi", "c'est pour vous"),
        ("Moi, je suis au chômage", "vous êtes au chômage"),
        ("je l'ai fait moi-même", "vous l'avez fait vous-même"),
        ("c'est moi qui ai signé", "c'est vous qui avez signé"),
        # mon, ma, mes, le mien
        ("mon mari travaille", "votre mari travaille"),
        ("ma fille est malade", "votre fille est malade"),
        ("mes enfants sont petits", "vos enfants sont petits"),
        ("ce n'est pas le mien", "ce n'est pas le vôtre"),
        # the household: nous, notre, nos
        ("nous avons deux enfants", "vous avez deux enfants"),
        ("notre loyer a augmenté", "votre loyer a augmenté"),
        # what the debtor says of us: vous, votre → nous, notre
        ("je vous dois 300 euros", "vous nous devez 300 euros"),
        ("vous me harcelez", "nous vous harcelons"),
        ("votre courrier est arrivé", "notre courrier est arrivé"),
        ("vous m'avez envoyé une lettre", "nous vous avons envoyé une lettre"),
    ],
)
def test_pronouns_and_determiners(text: str, expected: str) -> None:
    assert switched(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("je paie mon loyer", "vous payez votre loyer"),  # présent
        ("je paye en deux fois", "vous payez en deux fois"),  # présent, a spelling Verbiste lacks
        ("j'ai payé hier", "vous avez payé hier"),  # passé composé (avoir)
        ("je suis tombée malade", "vous êtes tombée malade"),  # passé composé (être)
        ("je me suis séparé", "vous vous êtes séparé"),  # passé composé (pronominal)
        ("j'étais malade", "vous étiez malade"),  # imparfait
        ("je payais 80 euros", "vous payiez 80 euros"),  # imparfait
        ("j'avais prévu de payer", "vous aviez prévu de payer"),  # plus-que-parfait
        ("je m'étais engagé", "vous vous étiez engagé"),  # plus-que-parfait (pronominal)
        ("je paierai le 5", "vous paierez le 5"),  # futur
        ("je serai payée le 10", "vous serez payée le 10"),  # futur
        ("j'aurai fini en mars", "vous aurez fini en mars"),  # futur antérieur
        ("je vais payer", "vous allez payer"),  # futur proche
        ("je viens de perdre mon emploi", "vous venez de perdre votre emploi"),  # passé récent
        ("je pourrais payer 30 euros", "vous pourriez payer 30 euros"),  # conditionnel
        ("je voudrais un délai", "vous voudriez un délai"),  # conditionnel
        ("j'aurais dû appeler", "vous auriez dû appeler"),  # conditionnel passé
        ("il faut que je paie", "il faut que vous payiez"),  # subjonctif (form shared with the présent)
        ("bien que je sois au RSA", "bien que vous soyez au RSA"),  # subjonctif
        ("pour que je puisse payer", "pour que vous puissiez payer"),  # subjonctif
        ("il faut que j'aille à la banque", "il faut que vous alliez à la banque"),  # subjonctif
        ("je vis seule", "vous vivez seule"),  # présent, not the passé simple of voir
        ("je suis au chômage", "vous êtes au chômage"),  # être, not suivre
    ],
)
def test_tenses_and_moods(text: str, expected: str) -> None:
    assert switched(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("je n'arrive plus à payer", "vous n'arrivez plus à payer"),
        ("je l'ai fait", "vous l'avez fait"),
        ("je peux pas payer", "vous ne pouvez pas payer"),  # the dropped "ne" comes back
        ("j'y arrive pas", "vous n'y arrivez pas"),  # … elided before a vowel
        ("je m'en sors plus", "vous ne vous en sortez plus"),
        ("j'ai plus d'argent", "vous n'avez plus d'argent"),
        ("je voudrais plus de temps", "vous voudriez plus de temps"),  # "plus de" meaning "more"
        ("je travaille et gagne peu", "vous travaillez et gagnez peu"),  # shared subject
        ("je galère à payer", "vous avez des difficultés à payer"),  # familiar verb
        ("je bosse à mi-temps", "vous travaillez à mi-temps"),
    ],
)
def test_elision_negation_and_register(text: str, expected: str) -> None:
    assert switched(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Arrêtez de m'appeler", "vous souhaitez que nous arrêtions de vous appeler"),
        ("Laissez-moi du temps", "vous souhaitez que nous vous laissions du temps"),
        ("Ne m'appelez plus", "vous souhaitez que nous ne vous appelions plus"),
        ("Veuillez me rappeler demain", "vous souhaitez que nous vous rappelions demain"),
    ],
)
def test_orders_to_us_become_wishes(text: str, expected: str) -> None:
    assert switched(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("jpeux pa payer", "vous ne pouvez pas payer"),
        ("g perdu mon taf", "vous avez perdu votre emploi"),
        ("chui malade", "vous êtes malade"),
        ("jsuis au chomage", "vous êtes au chômage"),
        ("j'ai pa d'argent", "vous n'avez pas d'argent"),
        ("jai deja paye", "vous avez déjà payé"),
        ("jetais malade", "vous étiez malade"),
        ("jmen sors pas", "vous ne vous en sortez pas"),
        ("mon mari ma quitté", "votre mari vous a quitté"),
        ("jpeu pas", "vous ne pouvez pas"),
    ],
)
def test_sms_spelling(text: str, expected: str) -> None:
    assert switched(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Puis-je payer en 3 fois ?", "je peux payer en 3 fois ?"),
        ("je joins mes papiers", "je joins mes papiers"),  # "joins" is a verb, not "j'oins"
        ("jai plus de sous", "j'ai plus d'argent"),
        ("Bonjour madame, je ne peux pas payer. Merci", "je ne peux pas payer."),
        ("ça me stresse 😢😢!!!", "ça me stresse !"),
        ("jarrive pas a regler", "j'arrive pas à régler"),
    ],
)
def test_normalisation(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_never_je_for_what_the_debtor_says_of_us() -> None:
    for text in ("Vous me harcelez", "vous m'appelez tous les jours", "vous ne m'écoutez pas"):
        result = switch_person(text).lower()
        assert not re.search(r"\b(je|j'|me|m')", result) and re.search(r"\bnous (ne )?vous\b", result)
