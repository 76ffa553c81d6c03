"""`listen`: reformulation first, empathy when the emotion calls for it, then an open question on what the
negotiation still needs; a conversation never repeats a sentence and leads to a summary."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from bot.listening import (
    COMPLEXE,
    SIMPLE,
    ListeningHistory,
    Need,
    SituationFacts,
    is_open,
    listen,
    summarize,
)


def parse(text: str, intent: str, emotion: str = "neutre", *entities: dict[str, Any]) -> dict[str, Any]:
    """A hand-made parse with the shape of Rasa's parse result."""
    return {
        "text": text,
        "intent": {"name": intent, "confidence": 0.91},
        "entities": list(entities),
        "emotion": {"name": emotion, "confidence": 0.74},
    }


def test_a_message_with_an_emotion() -> None:
    text = "J'ai perdu mon boulot en septembre, je ne vais pas pouvoir payer."
    reply = listen(text, parse(text, "difficultes_financieres", "anxiete"))
    assert reply.emotion == "anxiete" and reply.kind == COMPLEXE
    assert "vous avez perdu votre emploi en septembre" in reply.reformulation
    assert reply.empathy and is_open(reply.open_question)
    assert reply.need == Need.REVENUS  # the reason was just given: the next need is asked
    assert reply.message.startswith(reply.reformulation)
    assert reply.message.index(reply.empathy) < reply.message.index(reply.open_question)
    assert set(reply.as_dict()) == {"text", "reformulation", "kind", "empathy", "open_question", "emotion"}


def test_a_neutral_message_gets_a_simple_reflection_and_no_empathy() -> None:
    text = "Je touche 1200 euros par mois."
    amount = {"entity": "montant", "value": "1200.00", "start": 10, "end": 21}
    reply = listen(text, parse(text, "informer_budget", "neutre", amount))
    assert reply.kind == SIMPLE and reply.empathy is None
    assert "vous touchez 1200 euros par mois" in reply.reformulation


def test_works_without_a_parse() -> None:
    reply = listen("je peux pas payer ce mois-ci")
    assert reply.emotion == "neutre" and "vous ne pouvez pas payer" in reply.reformulation


def test_nothing_to_reflect_in_a_greeting() -> None:
    reply = listen("Bonjour", parse("Bonjour", "saluer"))
    assert reply.reformulation is None and reply.kind is None and reply.open_question


def test_an_angry_conversation_never_repeats_itself() -> None:
    history = ListeningHistory()
    said: list[str] = []
    for text in (
        "Vous me harcelez !",
        "Arrêtez de m'appeler tous les jours !",
        "Vous ne comprenez rien à ma situation !",
        "J'en ai marre de vos relances.",
        "Vos frais sont abusifs.",
        "C'est scandaleux.",
    ):
        reply = listen(text, parse(text, "se_plaindre", "colere"), history)
        sentences = [s for s in (reply.reformulation, reply.empathy, reply.open_question) if s]
        assert not set(sentences) & set(said), sentences
        said += sentences
        history = history.after(reply)
        assert "je vous harcèle" not in reply.message.lower()
    assert len({s.split(",")[0] for s in said if s.startswith(("Si je", "Autrement", "D'après"))}) >= 2


def test_negotiation_story_reformulation_question_summary() -> None:
    """reformulation → open question → … → summary, with at least as many reflections as questions."""
    turns = [
        ("Je me suis séparée en juin et je n'arrive plus à payer.", "difficultes_financieres", "tristesse", []),
        ("Je gagne 1350 euros par mois.", "informer_budget", "neutre", [{"entity": "montant", "value": "1350.00"}]),
        ("Mon loyer fait 700 euros.", "informer_budget", "neutre", [{"entity": "montant", "value": "700.00"}]),
        ("Mon salaire tombe le 5.", "informer_budget", "neutre", [{"entity": "date", "value": "2026-12-05"}]),
        ("Je peux mettre 60 euros par mois.", "proposer_paiement", "soulagement", [{"entity": "montant"}]),
    ]
    history = ListeningHistory()
    replies = []
    for text, intent, emotion, entities in turns:
        reply = listen(text, parse(text, intent, emotion, *entities), history)
        history = history.after(reply)
        replies.append(reply)
        assert reply.reformulation and reply.message.startswith(reply.reformulation)
    asked = [r.need for r in replies if r.open_question]
    assert asked[:4] == [Need.REVENUS, Need.CHARGES, Need.JOUR_DE_PAIE, Need.MONTANT_SUPPORTABLE]
    assert len(set(asked)) == len(asked)  # nothing asked twice, nothing asked that was already said
    reflections = sum(1 for r in replies if r.reformulation)
    assert reflections >= sum(1 for r in replies if r.open_question)  # MITI: reflections ≥ questions
    facts = SituationFacts(
        reason=replies[0].content,
        monthly_income=Decimal("1350"),
        monthly_charges=Decimal("700"),
        pay_day=5,
        bearable_amount=Decimal("60"),
    )
    assert history.known >= facts.known_needs()
    summary = summarize(facts)
    assert summary.startswith("Pour résumer : vous vous êtes séparée en juin")
    assert "650,00\xa0€ une fois ces charges réglées" in summary and summary.endswith("?")


def test_no_je_comprends_at_all_for_someone_angry_at_being_misunderstood() -> None:
    history = ListeningHistory()
    for text in ("Vous ne comprenez rien !", "Personne ne m'écoute ici.", "Je vous l'ai déjà dit cent fois !"):
        for _ in range(3):
            reply = listen(text, parse(text, "se_plaindre", "colere"), history)
            said = f"{reply.reformulation} {reply.empathy}".lower()
            assert not re.search(r"je comprends|bien compris|compréhensible", said), said
            history = history.after(reply)


def test_bot_sentences_never_threaten_nor_judge() -> None:
    from bot.listening.meaning import MEANINGS
    from bot.listening.questions import OPEN_QUESTIONS
    from bot.listening.reformulation import LEAD_INS

    sentences = list(LEAD_INS) + [p for options in MEANINGS.values() for _, p in options]
    sentences += [q for questions in OPEN_QUESTIONS.values() for q in questions]
    for sentence in sentences:
        assert not re.search(
            r"huissier|prison|saisie|tribunal|poursuite|fichage|irresponsable|honte à|\b(tu|te|ton|ta|tes)\b",
            sentence,
            re.IGNORECASE,
        ), sentence


@pytest.mark.parametrize(
    "text",
    [
        '<img src=x onerror="alert(1)"><script>window.pwned = 2</script> je ne peux pas payer tout',
        "<b>je ne peux pas payer tout</b>",
        "je ne peux pas payer tout <script>document.cookie",
    ],
)
def test_markup_is_never_reflected(text: str) -> None:
    reply = listen(text)
    assert reply.reformulation is not None
    assert "<" not in reply.reformulation and "script" not in reply.reformulation
    assert "vous ne pouvez pas payer" in reply.reformulation
