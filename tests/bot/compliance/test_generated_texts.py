"""The compliance check over every text the actions generate, not only the domain's responses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from actions import identification, negotiation
from bot.cases.store import CaseStore
from bot.compliance.check import check_text
from bot.listening import empathize, listen
from bot.negotiation import dialogue as talk
from bot.negotiation import interruptions as say
from bot.nlu.emotion import EMOTIONS

TODAY = dt.date(2026, 11, 22)
DUE = dt.datetime(2026, 11, 23, 10, 0)


def _fixed_texts() -> list[str]:
    return [
        identification.GREETING_UNVERIFIED,
        negotiation.ACKNOWLEDGED,
        negotiation.DECLINED,
        negotiation.NO_OPTION_YET,
        negotiation.NOT_VERIFIED,
        talk.ON_HOLD,
        talk.STALE,
        talk.CHOOSE,
        say.dispute_recorded("contester_dette", "REC-2026-000101", True),
        say.dispute_recorded("deja_paye", "REC-2026-000101", False),
        say.vulnerability_callback(DUE),
        say.counsellor_callback(DUE),
        say.complaint_recorded(True),
        say.broken_promise_opening([(dt.date(2026, 11, 15), "148,21 €")]),
        say.broken_promise_opening([(dt.date(2026, 10, 15), "148,21 €"), (dt.date(2026, 11, 15), "148,21 €")]),
        talk.pay_day_acknowledgement(0.0),
        talk.pay_day_acknowledgement(5.0),
        *(
            talk.acknowledgement(filled) or ""
            for filled in (
                {talk.MONTANT_SUPPORTABLE: "60.00"},
                {talk.MONTANT_SUPPORTABLE: "0.00"},
                {talk.REVENUS: "1400.00"},
                {talk.CHARGES: "700.00", talk.MONTANT_SUPPORTABLE: "53.48"},
            )
        ),
    ]


@pytest.mark.parametrize("text", _fixed_texts())
def test_fixed_texts_of_the_actions_are_compliant(text: str) -> None:
    assert check_text(text) == []


def test_every_proposal_for_every_demo_case_is_compliant(sqlite_demo_store: CaseStore) -> None:
    findings = []
    for case in sqlite_demo_store.case_views():
        for capacity in (None, "0.00", "10.00", "80.00", "400.00"):
            slots = {talk.MONTANT_SUPPORTABLE: capacity, talk.JOUR_PAIE: 5.0}
            proposal = talk.propose(case, slots, TODAY)
            texts = list(proposal.messages) + [talk.recap(option) for option in proposal.options]
            texts += [talk.agreement_recap(case, option) for option in proposal.options] + [talk.payment_ways(case)]
            findings += [(case.reference, f) for text in texts for f in check_text(text)]
    assert findings == []


@pytest.mark.parametrize("emotion", sorted(EMOTIONS))
def test_empathy_and_reflections_are_compliant(emotion: str) -> None:
    used: set[str] = set()
    for _ in range(4):
        sentence = empathize(emotion, used)
        if sentence:
            assert check_text(sentence) == []
            used.add(sentence)
    reply = listen("vous me harcelez, je paierai quand je pourrai", {"emotion": {"name": emotion}})
    assert check_text(reply.message) == []


def test_the_check_is_not_blind_on_generated_texts() -> None:
    threat = talk.recap({"label": "Paiement", "schedule": [], "total": Decimal("10"), "discount": 0})
    assert check_text(threat + " Sinon, un huissier procédera à la saisie de vos biens.") != []
