"""The simulated debtor's rules, with a fixed act classifier (what the model says is tested elsewhere)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.assist import AGENT_ACTS
from bot.roleplay import RolePlayError, SimulatedDebtor, get_scenario, list_scenarios
from bot.roleplay.lines import spoken_euros
from bot.roleplay.scenario import MIN_SESSION_TURNS
from tests.bot.roleplay.conftest import FixedClassifier

REFLECTION = "Si je comprends bien, c'est injuste pour vous."
EMPATHY = "Je comprends votre réaction."
THREAT = "Payez, c'est tout."


def debtor(name: str, acts: dict[str, str] | None = None, seed: int = 0) -> SimulatedDebtor:
    return SimulatedDebtor(get_scenario(name), classifier=FixedClassifier(acts), seed=seed)


def test_listening_lowers_the_tension_and_the_story_comes_out() -> None:
    marc = debtor("colere_frais", {REFLECTION: "reformulation", EMPATHY: "empathie"})
    marc.opening()
    assert marc.state.tension == 7
    reply = marc.respond(REFLECTION)
    assert reply.tension == 4 and reply.act == "reformulation"
    assert reply.facts_revealed == ("reason",) and "banque" in reply.text
    reply = marc.respond(EMPATHY)
    assert reply.tension == 2 and reply.facts_revealed == ("rib_envoye",)
    assert reply.emotion == "neutre"
    assert marc.state.revealed == ["reason", "rib_envoye"] and marc.state.listening_turns == 2


def test_pressure_raises_the_tension_until_the_debtor_hangs_up() -> None:
    sandrine = debtor("parent_licencie", {THREAT: "pression", "Bonjour.": "autre"})
    sandrine.respond("Bonjour.")
    reply = sandrine.respond(THREAT)
    assert reply.tension == 9 and reply.ended and reply.outcome == "hung_up" and reply.kind == "hang_up"
    with pytest.raises(RolePlayError):
        sandrine.respond("Pardon.")


def test_a_compliance_finding_is_pressure_whatever_the_act() -> None:
    threat = "Un huissier viendra saisir vos meubles demain."
    thomas = debtor("oubli", {threat: "information"})
    reply = thomas.respond(threat)
    turn = thomas.state.history[-1]
    assert turn.pressure and turn.findings and turn.act == "information"
    assert reply.tension == 2 + 3
    assert reply.kind == "pressure"


def test_open_questions_reveal_the_fact_asked_about() -> None:
    question = "À quel moment du mois touchez-vous votre salaire ?"
    thomas = debtor("oubli", {question: "question_ouverte"})
    reply = thomas.respond(question)
    assert reply.facts_revealed == ("pay_day",) and "30" in reply.text
    other = "Et comment ça se passe pour vous en ce moment ?"
    thomas = debtor("oubli", {other: "question_ouverte"})
    assert thomas.respond(other).facts_revealed == ("reason",)  # no clear topic: the next fact in order


def test_no_fact_at_high_tension_and_locked_facts_need_listening_first() -> None:
    question = "Comment vous organisez-vous avec vos revenus ?"
    marc = debtor("colere_frais", {question: "question_ouverte"})
    reply = marc.respond(question)
    assert reply.facts_revealed == () and reply.tension == 7
    sandrine = debtor("parent_licencie", {question: "question_ouverte", EMPATHY: "empathie"})
    assert sandrine.respond(question).kind == "withhold"  # income needs one listening turn first
    sandrine.respond(EMPATHY)
    assert sandrine.respond(question).facts_revealed == ("monthly_income",)


def test_closed_questions_get_short_answers() -> None:
    question = "Vous touchez combien par mois ?"
    marc = debtor("colere_frais", {question: "question_fermee"})
    reply = marc.respond(question)
    assert reply.kind == "short_answer" and reply.facts_revealed == () and len(reply.text.split()) <= 6
    thomas = debtor("oubli", {question: "question_fermee"})  # calm: a short fact
    reply = thomas.respond(question)
    assert reply.kind == "short_fact" and reply.facts_revealed == ("monthly_income",)
    assert len(reply.text.split()) <= 4


def test_a_proposal_within_the_capacity_is_accepted() -> None:
    offer = "Je vous propose 3 mensualités de 70,80 €."
    marc = debtor("colere_frais", {REFLECTION: "reformulation", offer: "proposition"})
    marc.respond(REFLECTION)
    reply = marc.respond(offer)
    assert reply.ended and reply.outcome == "agreement" and reply.emotion == "soulagement"
    assert marc.state.agreement_monthly == Decimal("70.80") and marc.state.agreement_months == 3
    assert spoken_euros(Decimal("70.80")) in reply.text


def test_an_amount_per_month_is_a_proposal_whatever_the_act() -> None:
    question = "Vous pourriez mettre 50 € par mois ?"
    thomas = debtor("oubli", {question: "question_fermee"})
    assert thomas.respond(question).outcome == "agreement"


def test_a_proposal_above_the_capacity_is_refused_with_the_facts() -> None:
    offer = "Je vous propose 150 € par mois."
    marc = debtor("colere_frais", {REFLECTION: "reformulation", offer: "proposition"})
    marc.respond(REFLECTION)
    reply = marc.respond(offer)
    assert reply.kind == "refusal" and not reply.ended and reply.outcome is None
    facts = marc.scenario.values()
    assert facts["monthly_charges"] in reply.text or "loyer" in reply.text
    assert reply.tension == 5
    proposal = marc.state.history[-1].proposal
    assert proposal is not None and (proposal.monthly, proposal.months) == (Decimal("150.00"), 2)
    marc.respond(offer)
    last = marc.respond(offer)
    assert last.ended and last.outcome == "refused" and marc.state.refusals == 3


def test_the_angry_debtor_wants_to_be_heard_before_paying() -> None:
    offer = "Je vous propose 3 mensualités de 70,80 €."
    marc = debtor("colere_frais", {offer: "proposition", "Bonjour.": "autre"})
    marc.respond("Bonjour.")
    reply = marc.respond(offer)
    assert reply.kind == "too_soon" and reply.outcome is None and reply.tension == 8


def test_a_proposal_without_a_figure_asks_for_one() -> None:
    offer = "On peut mettre en place un échéancier."
    thomas = debtor("oubli", {offer: "proposition"})
    assert thomas.respond(offer).kind == "ask_amount"


def test_the_suspicious_debtor_needs_verifiable_information_first() -> None:
    question = "Comment se passe votre budget ?"
    offer = "Je vous propose 3 mensualités de 32,17 €."
    hello = "Bonjour, je vous appelle de la part de la Polyclinique des Hautes-Brières."
    reference = "Votre dossier porte la référence REC-2026-004512, dans le cadre d'un recouvrement amiable."
    kevin = debtor(
        "arnaque",
        {question: "question_ouverte", offer: "proposition", hello: "autre", reference: "information"},
    )
    assert kevin.respond(question).kind == "withhold"
    refused = kevin.respond(offer)
    assert refused.kind == "too_soon" and refused.outcome is None
    partial = kevin.respond(hello)
    assert partial.kind == "withhold" and kevin.state.markers_given == {"creancier"}
    verified = kevin.respond(reference)
    assert verified.kind == "verification" and kevin.verified
    assert verified.tension < partial.tension
    assert kevin.respond(question).facts_revealed != ()


def test_the_bereaved_debtor_takes_early_payment_talk_as_pressure() -> None:
    offer = "Je vous propose un échéancier de 50 € par mois."
    widow = debtor("deuil", {offer: "proposition"})
    assert "reason" in widow.state.revealed or widow.opening()
    assert widow.state.revealed == ["reason"]  # the opening tells the loss
    reply = widow.respond(offer)
    assert reply.kind == "too_soon" and reply.tension == 9 and not reply.ended
    assert widow.respond(offer).outcome == "hung_up"


def test_the_bereaved_debtor_accepts_a_kind_handover_never_a_plan() -> None:
    condolences = "Toutes mes condoléances, madame."
    offer = "Je vous propose un échéancier de 50 € par mois."
    callback = "Je vous propose qu'une conseillère vous rappelle dans un mois."
    widow = debtor("deuil", {condolences: "empathie", offer: "proposition", callback: "proposition"})
    widow.respond(condolences)
    assert widow.state.acknowledged
    refused = widow.respond(offer)
    assert refused.kind == "too_soon" and refused.outcome is None
    reply = widow.respond(callback)
    assert reply.outcome == "handover" and reply.ended and reply.emotion == "soulagement"


def test_a_handover_before_acknowledging_the_loss_is_too_soon() -> None:
    callback = "Une conseillère vous rappellera."
    widow = debtor("deuil", {callback: "information"})
    reply = widow.respond(callback)
    assert reply.kind == "too_soon" and reply.outcome is None


def test_history_records_each_turn() -> None:
    threat = "Si vous ne payez pas, vous irez en prison."
    thomas = debtor("oubli", {threat: "pression", "Bonjour.": "autre"})
    thomas.respond("Bonjour.")
    thomas.respond(threat)
    first, second = thomas.state.history
    assert (first.agent_text, first.act, first.pressure, first.findings) == ("Bonjour.", "autre", False, ())
    assert second.pressure and second.findings and second.findings[0].rule == "prison"
    assert second.tension_before == first.tension_after and second.tension_after > second.tension_before


def test_an_empty_line_is_refused() -> None:
    with pytest.raises(RolePlayError, match="message vide"):
        debtor("oubli").respond("   ")


@pytest.mark.parametrize("name", ["colere_frais", "parent_licencie", "retraitee_honteuse", "arnaque", "deuil", "oubli"])
@pytest.mark.parametrize("act", AGENT_ACTS)
def test_no_line_is_repeated_in_a_thirty_turn_session(name: str, act: str) -> None:
    """The worst case: the trainee says the same kind of thing for 30 turns."""
    person = debtor(name, default_act(act))
    person.opening()
    replies = []
    for _ in range(MIN_SESSION_TURNS):
        if person.state.ended:
            break
        replies.append(person.respond("Hmm.").text)
    assert max(person.picker.used_lines.values()) == 1
    assert len(set(replies)) == len(replies)


def default_act(act: str) -> dict[str, str]:
    return {"Hmm.": act}


def test_no_line_is_repeated_when_acts_alternate() -> None:
    for scenario in list_scenarios():
        lines = {f"Réplique {n}.": AGENT_ACTS[n % len(AGENT_ACTS)] for n in range(MIN_SESSION_TURNS)}
        lines.update({text: "empathie" for text, act in lines.items() if act == "pression"})
        person = SimulatedDebtor(scenario, classifier=FixedClassifier(lines), seed=4)
        for text in lines:
            if person.state.ended:
                break
            person.respond(text)
        assert max(person.picker.used_lines.values()) == 1, scenario.id


def test_same_seed_same_conversation_other_seeds_vary() -> None:
    script = {REFLECTION: "reformulation", EMPATHY: "empathie", "Et ensuite ?": "question_ouverte", "Bon.": "autre"}

    def play(seed: int) -> list[str]:
        marc = debtor("colere_frais", script, seed)
        return [marc.opening()] + [marc.respond(text).text for text in script]

    assert play(1) == play(1)
    assert len({tuple(play(seed)) for seed in range(6)}) > 1
