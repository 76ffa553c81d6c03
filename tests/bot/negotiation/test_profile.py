from datetime import date

from bot.cases.models import ArrangementStatus, DisputeStatus
from bot.negotiation import ProfileKind, infer_profile
from bot.negotiation.profile import TONES, Slot
from tests.bot.negotiation.helpers import TODAY, case_view


def test_no_history_and_no_signal_means_no_profile() -> None:
    profile = infer_profile(case_view(), today=TODAY)
    assert profile.kind is None and profile.evidence == [] and profile.label == "profil non déterminé"
    assert profile.tone == TONES[None]


def test_vulnerability_comes_first_whatever_the_history() -> None:
    profile = infer_profile(
        case_view(dispute=DisputeStatus.OUVERT),
        intents=["difficultes_financieres", "signaler_vulnerabilite"],
        today=TODAY,
    )
    assert profile.kind is ProfileKind.VULNERABILITE
    assert profile.order[0] is Slot.ORIENTATION
    assert "vulnérabilité" in profile.evidence[0]


def test_open_dispute_or_disputing_intent_is_contestation() -> None:
    from_case = infer_profile(case_view(dispute=DisputeStatus.OUVERT), today=TODAY)
    assert from_case.kind is ProfileKind.CONTESTATION
    assert "contestation ouverte le 2 octobre 2026 : Montant contesté" in from_case.evidence
    from_chat = infer_profile(case_view(), intents=["deja_paye"], today=TODAY)
    assert from_chat.kind is ProfileKind.CONTESTATION and "déjà payé" in from_chat.evidence[0]
    resolved = infer_profile(case_view(dispute=DisputeStatus.RESOLU), today=TODAY)
    assert resolved.kind is None


def test_broken_arrangement_and_difficulties_is_a_durable_difficulty() -> None:
    profile = infer_profile(
        case_view(arrangements=(ArrangementStatus.ROMPU,)), intents=["difficultes_financieres"], today=TODAY
    )
    assert profile.kind is ProfileKind.DIFFICULTE_DURABLE
    assert profile.evidence == [
        "1 accord non tenu sur le dossier",
        "difficultés financières exprimées dans la conversation",
    ]
    assert profile.order[0] is Slot.LONG and profile.wants_budget_pointers
    two_broken = infer_profile(case_view(arrangements=(ArrangementStatus.ROMPU,) * 2), today=TODAY)
    assert two_broken.kind is ProfileKind.DIFFICULTE_DURABLE
    assert "2 accords non tenus sur le dossier" in two_broken.evidence


def test_difficulties_with_sadness_or_an_old_claim_are_durable() -> None:
    sad = infer_profile(case_view(), intents=["difficultes_financieres"], emotions=["tristesse"], today=TODAY)
    assert sad.kind is ProfileKind.DIFFICULTE_DURABLE
    old = infer_profile(case_view(due_date=date(2025, 1, 10)), intents=["difficultes_financieres"], today=TODAY)
    assert old.kind is ProfileKind.DIFFICULTE_DURABLE
    assert any("exigible depuis 681 jours" in item for item in old.evidence)


def test_recent_difficulties_or_a_request_for_time_are_temporary() -> None:
    profile = infer_profile(case_view(), intents=["difficultes_financieres"], emotions=["anxiete"], today=TODAY)
    assert profile.kind is ProfileKind.DIFFICULTE_PONCTUELLE
    assert profile.order[0] is Slot.DEFERRAL
    delay = infer_profile(case_view(), intents=["demander_delai"], today=TODAY)
    assert delay.kind is ProfileKind.DIFFICULTE_PONCTUELLE and delay.evidence == [
        "demande de délai dans la conversation"
    ]


def test_forgetful_debtor_from_history_or_wish_to_settle() -> None:
    broken = infer_profile(case_view(arrangements=(ArrangementStatus.ROMPU,)), today=TODAY)
    assert broken.kind is ProfileKind.OUBLI and broken.wants_reminders
    assert "aucune difficulté exprimée" in broken.evidence
    kept = infer_profile(case_view(arrangements=(ArrangementStatus.TENU,)), today=TODAY)
    assert kept.kind is ProfileKind.OUBLI and "1 accord tenu sur le dossier" in kept.evidence
    settle = infer_profile(case_view(), intents=["payer_totalite"], today=TODAY)
    assert settle.kind is ProfileKind.OUBLI and "souhaite régler la totalité" in settle.evidence


def test_payments_alone_are_evidence_not_a_profile() -> None:
    profile = infer_profile(case_view(paid="50.00"), today=TODAY)
    assert profile.kind is None
    with_difficulty = infer_profile(case_view(paid="50.00"), intents=["difficultes_financieres"], today=TODAY)
    assert "1 paiement déjà reçu (50,00\xa0€)" in with_difficulty.evidence


def test_profile_from_conversation_only() -> None:
    assert infer_profile(None, intents=["demander_moyens_paiement"]).kind is ProfileKind.OUBLI
    assert infer_profile(None).kind is None
