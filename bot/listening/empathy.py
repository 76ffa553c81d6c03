"""Empathy: validation without judgement, adapted to the debtor's emotion (labels.yml names).

Several phrasings per emotion; a sentence already said in the conversation is never said again; none
for "neutre"; never "je comprends" to someone angry at not being understood.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Collection

from bot.nlu.emotion import EMOTIONS

NEUTRE = "neutre"

PHRASES: dict[str, tuple[str, ...]] = {
    "colere": (
        "Je comprends votre agacement, et je vous remercie de me le dire franchement.",
        "Votre mécontentement est légitime, et il est entendu.",
        "Vous avez le droit d'être en colère ; je suis là pour chercher une solution avec vous.",
        "Merci de me dire clairement ce qui ne va pas : c'est important pour avancer.",
        "Ce que vous ressentez compte, et nous allons en tenir compte pour la suite.",
    ),
    "anxiete": (
        "Cette inquiétude est tout à fait compréhensible.",
        "Vous avez bien fait de nous en parler : nous allons chercher ensemble une solution adaptée.",
        "Rien ne sera décidé sans vous : nous avançons à votre rythme.",
        "C'est une situation stressante, et il est normal qu'elle vous préoccupe.",
        "Je comprends que cette situation vous inquiète ; nous allons la regarder calmement ensemble.",
    ),
    "tristesse": (
        "Je suis sincèrement désolé que vous traversiez une période aussi difficile.",
        "Merci de m'avoir confié cela ; ce n'est pas facile à dire.",
        "Ce que vous vivez est éprouvant, et nous en tiendrons compte.",
        "Je comprends que cette période soit très lourde pour vous.",
    ),
    "honte": (
        "Vous n'avez pas à avoir honte : ce genre de difficulté peut arriver à tout le monde.",
        "Vous avez bien fait de nous contacter, c'est une démarche courageuse.",
        "Il n'y a aucun jugement de notre part : nous sommes là pour trouver une solution avec vous.",
        "Beaucoup de personnes traversent ce type de difficulté ; l'important est d'en parler, et vous le faites.",
    ),
    "confusion": (
        "C'est normal de s'y perdre : ces documents ne sont pas toujours clairs.",
        "Vos questions sont légitimes, et je vais vous expliquer les choses simplement.",
        "Prenons le temps de tout reprendre ensemble, étape par étape.",
        "Je comprends que tout cela ne soit pas clair.",
    ),
    "mefiance": (
        "Votre prudence est légitime : il est sage de vérifier à qui l'on a affaire.",
        "Vous avez raison de vous poser la question ; nous pouvons vous transmettre tous les justificatifs.",
        "Il est normal de vouloir des garanties avant d'aller plus loin.",
        "Votre vigilance est tout à fait compréhensible.",
    ),
    "soulagement": (
        "Tant mieux si cela vous soulage.",
        "Merci pour votre confiance ; nous allons continuer dans ce sens.",
        "C'est une très bonne chose : nous avançons ensemble.",
        "Vous avez fait le plus difficile en prenant contact avec nous.",
    ),
}
# Said when every phrasing of the emotion was already used in the conversation.
GENERAL = (
    "Merci de me le dire.",
    "Je vous remercie pour votre franchise.",
    "C'est important que vous puissiez le dire.",
)
_MISUNDERSTOOD = re.compile(
    r"compren\w*\s+(rien|pas|jamais|que dalle)|rien compris|pas compris|écout\w*\s+(pas|rien|jamais)|"
    r"personne ne (m'|me )(écoute|comprend)|vous (ne )?(m'|me )(écoutez|comprenez)\s*(pas|jamais|rien)?|"
    r"je me répète|combien de fois|je l'ai déjà dit|je vous l'ai déjà dit|vous ne voulez rien entendre|"
    r"dialogue de sourds|vous n'entendez rien",
    re.IGNORECASE,
)
_UNDERSTANDING = re.compile(r"compren|compréhensible", re.IGNORECASE)


def feels_misunderstood(message: str) -> bool:
    """ "Vous ne comprenez rien", "personne ne m'écoute", "je me répète": anger at not being understood."""
    return bool(_MISUNDERSTOOD.search(message))


def empathize(emotion: str | None, used: Collection[str] = (), message: str = "") -> str | None:
    """An empathy sentence for `emotion`, none of `used`; None for neutre or when every phrasing was said."""
    if not emotion or emotion == NEUTRE or emotion not in EMOTIONS:
        return None
    candidates = list(PHRASES.get(emotion, ()))
    if feels_misunderstood(message):
        candidates = [c for c in candidates if not _UNDERSTANDING.search(c)]
    said = {sentence.strip() for sentence in used}
    if candidates:
        offset = zlib.crc32(message.encode("utf-8")) % len(candidates)
        candidates = candidates[offset:] + candidates[:offset]
    for sentence in [*candidates, *GENERAL]:
        if sentence not in said:
            return sentence
    return None
