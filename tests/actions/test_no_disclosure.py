"""Before identification, no action says anything about a case: not its amount, creditor, debtor or reference,
whether the reference exists or not."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import handover, identification, interruptions, listening, negotiation, store
from bot.cases import CaseStore
from bot.cases.demo import load_demo_data

CASE = load_demo_data().cases[0]
DEBTOR_WORDS = ("Benali", "Nadia", "Mobilys", "€", "187,82", "Factures mobiles")
CASE_ACTIONS: list[tuple[type[Action], str, str, list[dict[str, Any]]]] = [
    (identification.ActionSaluer, "bonjour", "saluer", []),
    (identification.ActionDonnerSolde, "combien je dois ?", "demander_solde", []),
    (negotiation.ActionProposerOptions, "je veux tout payer", "payer_totalite", []),
    (
        negotiation.ActionContreProposition,
        "je peux 50 € par mois",
        "proposer_paiement",
        [{"entity": "montant", "value": "50.00"}],
    ),
    (negotiation.ActionChoisirOption, "la première", "choisir_option", [{"entity": "option", "value": "1"}]),
    (negotiation.ActionConfirmer, "oui", "affirmer", []),
    (negotiation.ActionInfirmer, "non", "nier", []),
    (interruptions.ActionEnregistrerContestation, "je conteste", "contester_dette", []),
    (interruptions.ActionEnregistrerContestation, "j'ai déjà payé", "deja_paye", []),
    (interruptions.ActionEnregistrerReclamation, "vous m'appelez trop", "se_plaindre", []),
    (interruptions.ActionSignalerVulnerabilite, "je sors de l'hôpital", "signaler_vulnerabilite", []),
    (interruptions.ActionDemanderConseiller, "un conseiller svp", "demander_conseiller", []),
    (listening.ActionEcouter, "j'ai perdu mon emploi", "difficultes_financieres", []),
]


@pytest.fixture(autouse=True)
def _demo_store(sqlite_demo_store: CaseStore, monkeypatch: pytest.MonkeyPatch) -> None:
    for module in (store, handover, identification, interruptions, listening, negotiation):
        monkeypatch.setattr(module, "case_store", lambda: sqlite_demo_store, raising=False)


def _tracker(text: str, intent: str, entities: list[dict[str, Any]], reference: str) -> Tracker:
    return Tracker(
        sender_id="no-disclosure",
        slots={"reference_dossier": reference, "identite_verifiee": False, "tentatives_verification": 1.0},
        latest_message={"text": text, "intent": {"name": intent}, "entities": entities, "message_id": "m1"},
        events=[{"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name=None,
    )


def _said(dispatcher: CollectingDispatcher, domain: dict[str, Any]) -> str:
    texts = []
    for message in dispatcher.messages:
        if message.get("text"):
            texts.append(message["text"])
        if message.get("response"):
            texts += [str(variant) for variant in domain["responses"][message["response"]]]
    return " ".join(texts)


@pytest.mark.parametrize("reference", [CASE.reference, "REC-2099-123456"])
@pytest.mark.parametrize(("action", "text", "intent", "entities"), CASE_ACTIONS)
async def test_nothing_about_a_case_before_identification(
    action: type[Action], text: str, intent: str, entities: list[dict[str, Any]], reference: str, domain: dict
) -> None:
    dispatcher = CollectingDispatcher()
    events = await action().run(dispatcher, _tracker(text, intent, entities, reference), domain)
    said = _said(dispatcher, domain)
    assert not any(word in said for word in DEBTOR_WORDS), said
    assert reference not in said, said
    assert not any(event.get("name") == "options_proposees" and event.get("value") for event in events)


@pytest.fixture(scope="module")
def domain() -> dict:
    import yaml

    return yaml.safe_load(open("domain.yml", encoding="utf-8"))
