"""A negotiation through the running stack: reformulation → open question → summary → proposal → agreement."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select
from sqlalchemy import text as text_sql

from bot.cases import CaseStore
from bot.cases.demo import load_demo_data
from bot.cases.models import Arrangement, CallbackTask, Case, Dispute, JournalKind
from bot.journal import Journal
from bot.listening import is_open
from bot.serving import Stack
from tests.e2e.conftest import say

pytestmark = pytest.mark.e2e
FIRST_PERSON = re.compile(r"\b(je|j'|mon|ma|mes|moi)\b", re.IGNORECASE)
LEAD_INS = ("Si je comprends bien", "Si je vous suis bien", "Si je vous ai bien compris")


def _identified(stack: Stack, sender: str, case_index: int = 0) -> None:
    case = load_demo_data().cases[case_index]
    say(stack, sender, case.reference)
    replies = say(stack, sender, case.debtor.birth_date.strftime("%d/%m/%Y"))
    assert any("identité est vérifiée" in reply for reply in replies), replies


def _count(store: CaseStore, model: type, reference: str) -> int:
    with store.session() as session:
        return session.scalar(
            select(func.count()).select_from(model).join(Case).where(Case.reference == reference)
        )


def test_reflection_then_open_question_then_summary_then_proposal_then_one_agreement(
    stack: Stack, e2e_database: str
) -> None:
    reference = load_demo_data().cases[0].reference
    _identified(stack, "nego-1")
    said: list[str] = []
    turn = say(stack, "nego-1", "j'ai perdu mon travail en septembre et je n'arrive plus à payer")
    said += turn
    reflection, question = turn[0], turn[-1]
    assert "vous avez perdu votre travail en septembre" in reflection, turn
    assert not FIRST_PERSON.search(reflection.split(",", 1)[1] if reflection.startswith(LEAD_INS) else reflection)
    assert is_open(question), question

    said += say(stack, "nego-1", "je pourrais mettre 60 euros par mois")
    turn = say(stack, "nego-1", "le 5")
    said += turn
    summary_at = next(i for i, text in enumerate(turn) if text.startswith("Pour résumer"))
    proposal_at = next(i for i, text in enumerate(turn) if "\n1. " in text)
    assert summary_at < proposal_at, turn
    assert "60,00" in turn[summary_at] and "le 5 du mois" in turn[summary_at]
    assert "\n2. " in turn[proposal_at] and is_open(turn[-1])

    # MITI 4.2.1 for the bot itself: at least as many reflections as questions over the negotiation.
    questions = [text for text in said if text.rstrip().endswith("?")]
    reflections = [text for text in said if text.startswith((*LEAD_INS, "Vous ", "Vos ", "Pour résumer", "Une fois"))]
    assert len(reflections) >= len(questions), said

    recap = say(stack, "nego-1", "je prends la deuxième")
    assert recap[-1].endswith("Confirmez-vous cet accord ?"), recap
    store = CaseStore(e2e_database)
    before = _count(store, Arrangement, reference)
    done = say(stack, "nego-1", "oui")
    assert any("Votre accord est enregistré" in text for text in done), done
    assert any(reference in text and "virement" in text for text in done), done
    say(stack, "nego-1", "oui")  # a second "yes" records nothing more
    assert _count(store, Arrangement, reference) == before + 1

    kinds = [entry.kind for entry in Journal(store).entries(reference)]
    assert {JournalKind.INTENT, JournalKind.PROPOSAL, JournalKind.AGREEMENT} <= set(kinds)
    texts = [entry.text or "" for entry in Journal(store).entries(reference)]
    assert any("perdu mon travail" in text for text in texts)


def test_vulnerability_stops_the_negotiation_and_records_a_callback(stack: Stack, e2e_database: str) -> None:
    _identified(stack, "nego-2")
    say(stack, "nego-2", "on peut étaler le paiement ?")
    store = CaseStore(e2e_database)
    with store.session() as session:
        before = session.scalar(select(func.count()).select_from(CallbackTask))
    replies = say(stack, "nego-2", "je sors de l'hôpital, mon mari est décédé le mois dernier")
    assert any("rappelle" in text for text in replies) and not any("\n1. " in text for text in replies), replies
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(CallbackTask)) == before + 1


def test_contestation_puts_the_case_on_hold(stack: Stack, e2e_database: str) -> None:
    case = load_demo_data().cases[1]
    _identified(stack, "nego-3", case_index=1)
    replies = say(stack, "nego-3", "je conteste cette dette, j'ai résilié mon contrat en juin")
    assert any("contestation est ouverte" in text and "suspendu" in text for text in replies), replies
    assert _count(CaseStore(e2e_database), Dispute, case.reference) >= 1
    replies = say(stack, "nego-3", "je veux tout régler aujourd'hui")
    assert any("contestation est en cours" in text for text in replies), replies


def test_goodbye_asks_for_a_rating_which_is_recorded_once(stack: Stack, e2e_database: str) -> None:
    _identified(stack, "nego-4", case_index=2)
    asked = say(stack, "nego-4", "au revoir et bonne soirée")
    assert any("de 1 (pas du tout satisfait) à 5" in text for text in asked), asked
    thanked = say(stack, "nego-4", "4")
    assert any("Merci pour votre note" in text for text in thanked) and any("Au revoir" in t for t in thanked)
    store = CaseStore(e2e_database)
    with store.session() as session:
        ratings = session.execute(text_sql("select rating from satisfaction_ratings where conversation_id = 'nego-4'"))
        assert [row[0] for row in ratings] == [4]
    again = say(stack, "nego-4", "au revoir")
    assert not any("de 1 (pas du tout satisfait)" in text for text in again), again
