"""Suggestions for the agent after a debtor message, and the check of the agent's draft."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.assist import ActClassifier, load_classifier
from bot.assist.suggest import check_draft, debtor_turn
from bot.cases.demo import load_demo_data
from bot.cases.schemas import CaseView
from bot.cases.store import CaseStore
from bot.compliance.check import check_text
from bot.listening import is_open

TODAY = dt.date(2026, 11, 22)


def parse(text: str, intent: str, emotion: str = "neutre", confidence: float = 0.9) -> dict:
    return {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "entities": [],
        "emotion": {"name": emotion},
    }


@pytest.fixture
def case(sqlite_demo_store: CaseStore) -> CaseView:
    view = sqlite_demo_store.case_view(load_demo_data().cases[0].reference)
    assert view is not None
    return view


@pytest.fixture(scope="module")
def classifier() -> ActClassifier:
    return load_classifier()


def test_a_difficulty_gets_listening_then_options_framed_with_savings_and_peers(case: CaseView) -> None:
    turn = debtor_turn(
        parse("j'ai perdu mon travail en septembre", "difficultes_financieres", "tristesse"),
        case=case,
        capacity="80.00",
        pay_day=5,
        today=TODAY,
        chosen_by={"echeancier": 12},
    )
    kinds = [s.kind for s in turn.suggestions]
    assert kinds[:3] == ["reformulation", "empathie", "question_ouverte"] and "proposition" in kinds
    assert "vous avez perdu votre travail en septembre" in turn.suggestions[0].text
    assert is_open(turn.suggestions[2].text)
    full = next(s for s in turn.suggestions if s.details.get("kind") == "paiement_integral")
    assert "vous économisez 18,78" in full.text
    plan = next(s for s in turn.suggestions if s.details.get("kind") == "echeancier")
    assert "choisie par 12 personnes" in plan.text and plan.details["schedule"]
    assert not turn.alerts
    assert all(check_text(s.text) == [] for s in turn.suggestions)


def test_vulnerability_and_dispute_raise_alerts_and_no_payment_option(case: CaseView) -> None:
    vulnerable = debtor_turn(parse("je sors de l'hôpital", "signaler_vulnerabilite", "tristesse"), case=case)
    assert [a.kind for a in vulnerable.alerts] == ["vulnerabilite"]
    assert not any(s.details.get("schedule") for s in vulnerable.suggestions)
    disputed = debtor_turn(parse("je ne dois rien", "contester_dette", "colere"), case=case)
    assert "contestation" in [a.kind for a in disputed.alerts]
    assert not any(s.kind == "proposition" for s in disputed.suggestions)


@pytest.mark.parametrize(
    ("text", "intent", "asked"),
    [
        ("j'ai déjà tout payé le 3 novembre", "deja_paye", "à quelle date ce paiement"),
        ("ce montant est faux", "contester_dette", "ne correspond pas"),
        ("je sors de l'hôpital", "signaler_vulnerabilite", "vous aiderait"),
    ],
)
def test_a_dispute_or_a_hardship_gets_its_own_open_question_not_the_negotiation_s(
    case: CaseView, text: str, intent: str, asked: str
) -> None:
    turn = debtor_turn(parse(text, intent, "colere"), case=case)
    [question] = [s.text for s in turn.suggestions if s.kind == "question_ouverte"]
    assert asked in question and is_open(question) and check_text(question) == []
    assert "devienne compliqué" not in question


def test_anger_rising_and_low_confidence_alerts() -> None:
    angry = debtor_turn(parse("ARRÊTEZ", "se_plaindre", "colere"), emotions_before=["colere"])
    assert "colere" in [a.kind for a in angry.alerts]
    unsure = debtor_turn(parse("bof", "hors_sujet", confidence=0.3))
    assert [a.kind for a in unsure.alerts] == ["incertitude"]


def test_a_threatening_draft_is_flagged_with_a_compliant_rewrite(classifier: ActClassifier) -> None:
    verdict = check_draft("Si vous ne payez pas avant demain, l'huissier viendra saisir vos meubles.", classifier)
    assert not verdict.compliant and verdict.act == "pression" and verdict.reasons
    assert verdict.rewrite and check_text(verdict.rewrite) == [] and is_open(verdict.rewrite.split(". ")[-1])


def test_a_good_draft_passes(classifier: ActClassifier) -> None:
    verdict = check_draft(
        "Qu'est-ce qui vous permettrait de régler ce solde sans vous mettre en difficulté ?", classifier
    )
    assert verdict.compliant and verdict.rewrite is None and verdict.act == "question_ouverte"
