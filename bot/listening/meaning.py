"""The feeling or meaning a reflet complexe adds to the debtor's words, read from the emotion and content."""

from __future__ import annotations

import re
from collections.abc import Collection

# Feeling or meaning added to a reflet complexe, per emotion (labels.yml): (content cue, phrase).
# A cue is a regex searched in the debtor's normalised message and intent name; None matches anything.
# Adjectives are avoided (the debtor's gender is unknown): "cela vous inquiète", not "vous êtes inquiet".
MEANINGS: dict[str, tuple[tuple[str | None, str], ...]] = {
    "anxiete": (
        (
            r"huissier|saisie|justice|tribunal|fichage|fiché|la suite|conséquence|risque",
            "et vous redoutez ce qui pourrait suivre",
        ),
        (
            r"payer|régler|rembourser|argent|dette|difficultes_financieres|proposer_paiement",
            "et vous craignez de ne pas pouvoir tenir vos engagements",
        ),
        (None, "et cette situation vous inquiète"),
        (None, "et vous avez besoin de visibilité sur la suite"),
    ),
    "tristesse": (
        (
            r"décès|décédé|mort|deuil|hôpital|malad|signaler_vulnerabilite",
            "et cette période est très difficile pour vous",
        ),
        (None, "et cette situation vous pèse beaucoup"),
        (None, "et vous avez du mal à voir le bout du tunnel"),
        (None, "et cette période est très difficile pour vous"),
    ),
    "honte": (
        (None, "et cette situation vous met mal à l'aise"),
        (None, "et vous tenez à régler les choses correctement"),
        (None, "et il vous coûte d'en parler"),
    ),
    "colere": (
        (r"contester_dette|jamais signé|pas à vous|montant|faux|erreur", "et vous trouvez cette demande injuste"),
        (r"appel|harcel|relance|courrier|se_plaindre", "et cela vous exaspère"),
        (None, "et cela vous met en colère"),
        (None, "et vous attendez que votre point de vue soit pris en compte"),
    ),
    "confusion": (
        (r"courrier|lettre|montant|somme|comprend|demander_solde", "et vous avez besoin d'y voir plus clair"),
        (None, "et certaines choses restent floues pour vous"),
        (None, "et vous avez besoin d'y voir plus clair"),
    ),
    "mefiance": (
        (
            r"arnaque|mandat|qui|vraiment|preuve|demander_justificatif",
            "et vous souhaitez des garanties avant d'aller plus loin",
        ),
        (None, "et vous voulez savoir à qui vous avez affaire"),
        (None, "et vous préférez vérifier avant de vous engager"),
    ),
    "soulagement": (
        (None, "et cela vous soulage"),
        (None, "et vous voyez la suite plus sereinement"),
        (None, "et cette perspective vous apaise"),
    ),
}
# A feeling the debtor already named is not named again: "vous avez peur" is not followed by "cela vous inquiète".
FEELING_WORDS: dict[str, str] = {
    "anxiete": r"peur|crain|craign|inquiè|inquiet|angoiss|stress|panique|redout",
    "tristesse": r"triste|déprim|pleur|moral|pèse|n'en pouvez plus|découragé",
    "honte": r"honte|gên|désolé|mal à l'aise",
    "colere": r"marre|colère|énerv|insupportable|scandal|exaspèr|agac",
    "confusion": r"comprend|perdu|flou",
    "mefiance": r"arnaque|confiance|méfi|garantie",
    "soulagement": r"soulag|mieux|rassur|apais",
}


_COMMON_WORDS = frozenset({"cette", "situation", "avant", "pouvoir", "beaucoup", "choses", "votre", "vous"})


def meaning(
    emotion: str, message: str, intent: str | None, used: Collection[str] = (), content: str = ""
) -> str | None:
    """The feeling or meaning a reflet complexe adds, chosen from the emotion and what was said."""
    options = MEANINGS.get(emotion)
    if not options:
        return None
    haystack = f"{message} {intent or ''}".lower()
    matching = [phrase for cue, phrase in options if cue is not None and re.search(cue, haystack)]
    generic = [phrase for cue, phrase in options if cue is None]
    feeling = FEELING_WORDS.get(emotion)
    named = bool(feeling and re.search(feeling, content.lower()))
    said = set(re.findall(r"[\wÀ-ÿ]{5,}", f"{message} {content}".lower())) - _COMMON_WORDS
    for phrase in dict.fromkeys(matching + generic):
        if phrase in used or said & set(re.findall(r"[\wÀ-ÿ]{5,}", phrase)):
            continue
        if named and re.search(feeling or "", phrase):
            continue
        return phrase
    return None
