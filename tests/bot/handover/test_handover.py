from __future__ import annotations

from typing import Any

from bot.handover import ANGER_TURNS, HandoverReason, angry_streak, conversation_summary, fallback_streak


def user(intent: str, emotion: str = "neutre", text: str = "…") -> dict[str, Any]:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}, "emotion": {"name": emotion}}}


def bot(text: str) -> dict[str, Any]:
    return {"event": "bot", "text": text}


def test_anger_counts_only_the_latest_messages_in_a_row() -> None:
    events = [user("se_plaindre", "colere"), bot("…"), user("demander_solde"), bot("…")]
    events += [user("se_plaindre", "colere"), bot("…"), user("refus_de_payer", "colere"), bot("…")]
    assert angry_streak(events) == 2
    assert angry_streak([*events, user("se_plaindre", "colere")]) == ANGER_TURNS
    assert angry_streak([*events, user("affirmer", "neutre")]) == 0


def test_misunderstanding_streak() -> None:
    assert fallback_streak([user("nlu_fallback"), bot("…"), user("nlu_fallback")]) == 2
    assert fallback_streak([user("nlu_fallback"), user("saluer"), user("nlu_fallback")]) == 1


def test_summary_gives_topics_emotions_options_and_agreement_without_the_debtor_words() -> None:
    events = [
        user("difficultes_financieres", "tristesse", "j'ai perdu mon emploi, appelez le 06 12 34 56 78"),
        user("se_plaindre", "colere", "vous m'appelez trop"),
        user("se_plaindre", "colere"),
    ]
    slots = {
        "raison_difficulte": "vous avez perdu votre emploi",
        "montant_supportable": "60.00",
        "options_proposees": [{"label": "Échéancier en 4 mensualités"}, {"label": "Paiement en une fois"}],
        "accord_enregistre": False,
    }
    summary = conversation_summary(events, slots, HandoverReason.COLERE.label)
    assert summary.startswith("Motif du rappel : colère persistante")
    assert "difficultés financières, réclamation" in summary and "colere (2), tristesse (1)" in summary
    assert "Échéancier en 4 mensualités ; Paiement en une fois" in summary and "Aucun accord enregistré." in summary
    assert "06 12" not in summary and "appelez" not in summary
