"""Each shipped scenario played to its end with the real agent-act classifier: a scripted good trainee reaches the
scenario's success, a scripted bad trainee (closed questions, early proposals above capacity, pressure) does not."""

from __future__ import annotations

import pytest

from bot.assist import ActClassifier
from bot.roleplay import RolePlaySession, get_scenario
from bot.roleplay.scorecard import score_transcript

GOOD: dict[str, list[str]] = {
    "colere_frais": [
        "Bonjour Monsieur Delorme, ici Julie, de Mobilys Télécom, au sujet de votre dossier.",
        "Si je comprends bien, vous êtes en colère parce qu'on vous facture des frais pour une erreur que vous n'avez "
        "pas commise.",
        "Je comprends que ce soit agaçant, vous aviez fait les démarches de votre côté.",
        "Je vais demander une vérification des frais de rejet à partir de votre courriel du 4 mars.",
        "Comment se passent vos fins de mois en ce moment, côté revenus ?",
        "Et quelles sont vos principales charges chaque mois ?",
        "Qu'est-ce qui serait réaliste pour vous chaque mois, pour régler le reste ?",
        "Je vous propose trois mensualités de 70,80 € à partir du 28.",
    ],
    "parent_licencie": [
        "Bonjour Madame Morel, je vous appelle de la part de Finaméa Crédit au sujet de votre prêt personnel.",
        "Je vous sens inquiète, et c'est normal : on va chercher une solution ensemble.",
        "Si je comprends bien, depuis votre licenciement en septembre, tout est devenu plus difficile pour vous et vos "
        "enfants.",
        "Comment vous organisez-vous avec vos revenus en ce moment ?",
        "Quelles sont les dépenses qui pèsent le plus sur votre budget ?",
        "Qu'est-ce qui serait réaliste pour vous chaque mois, sans vous mettre en difficulté ?",
        "Je vous propose 20 mensualités de 59 € à partir du 5 janvier.",
    ],
    "retraitee_honteuse": [
        "Bonjour Madame Lefèvre, je vous appelle de la part de Lumiane Énergie au sujet de vos factures d'électricité.",
        "Je vous remercie de prendre le temps de m'en parler, ce sont des choses qui arrivent.",
        "Si je comprends bien, vous avez voulu aider votre petit-fils et ces factures sont passées au second plan.",
        "Comment se compose votre budget chaque mois, avec votre retraite ?",
        "Quelles sont vos principales dépenses chaque mois ?",
        "Qu'est-ce qui vous semblerait raisonnable de consacrer chaque mois à cette facture ?",
        "Je vous propose 9 mensualités de 42,92 €, la dernière de 42,84 €.",
    ],
    "arnaque": [
        "Bonjour Monsieur Nguyen, je vous contacte de la part de la Polyclinique des Hautes-Brières, dossier "
        "REC-2026-004512, dans le cadre d'un recouvrement amiable.",
        "Je comprends votre prudence, c'est normal : vous pouvez vérifier en appelant le numéro officiel de la "
        "clinique.",
        "Si je comprends bien, vous pensiez que tout avait été pris en charge et vous n'avez jamais reçu de facture.",
        "Comment se passe votre budget en ce moment, côté revenus ?",
        "Et quelles sont vos charges fixes chaque mois ?",
        "Qu'est-ce qui serait faisable pour vous chaque mois ?",
        "Je vous propose trois mensualités de 32,17 € à partir du 1er du mois prochain.",
    ],
    "deuil": [
        "Bonjour Madame Roussel, je suis sincèrement désolée pour le décès de votre mari.",
        "Si je comprends bien, tout ce que gérait votre mari vous retombe dessus en même temps, et c'est beaucoup.",
        "Comment vous sentez-vous pour faire face à tout ça en ce moment ?",
        "Je vous propose de suspendre les relances et qu'une conseillère vous rappelle dans un mois, quand vous aurez "
        "pu avancer sur la succession.",
    ],
    "oubli": [
        "Bonjour Monsieur Garnier, je vous appelle de la part de la Société des Eaux de l'Orsène au sujet d'une "
        "facture de 74,90 € restée impayée.",
        "Qu'est-ce qui s'est passé avec cette facture, d'après vous ?",
        "Merci de m'en parler aussi franchement, ce sont des choses qui arrivent.",
        "Je vous propose de régler les 74,90 € en une fois sur votre espace client.",
    ],
}

BAD: dict[str, list[str]] = {
    "colere_frais": [
        "Vous avez reçu notre courrier ?",
        "Vous pouvez payer 150 € par mois ?",
        "Vous êtes d'accord pour payer ?",
        "Si vous ne payez pas, un huissier viendra saisir vos meubles.",
    ],
    "parent_licencie": [
        "Vous avez reçu notre courrier ?",
        "Vous pouvez payer 200 € par mois ?",
        "Vous avez retrouvé un travail ?",
        "Si vous ne payez pas, le dossier part au contentieux et l'huissier passera.",
    ],
    "retraitee_honteuse": [
        "Vous avez bien reçu nos factures ?",
        "Vous pouvez payer 150 € par mois ?",
        "Vous êtes d'accord pour payer ?",
        "À votre âge, c'est irresponsable de ne pas payer ses factures.",
    ],
    "arnaque": [
        "Vous êtes bien Monsieur Nguyen ?",
        "Vous pouvez payer 96,50 € en une fois ?",
        "Vous pouvez payer 50 € par mois ?",
        "Donnez-moi votre numéro de carte bancaire pour régler tout de suite, sinon c'est l'huissier.",
    ],
    "deuil": [
        "Vous avez reçu notre courrier ?",
        "Je vous propose un échéancier de 100 € par mois.",
        "Vous pouvez payer 50 € par mois ?",
        "Il faut quand même payer votre loyer, sinon c'est l'expulsion.",
    ],
    "oubli": [
        "Vous avez reçu nos relances ?",
        "Vous ne les avez pas lues ?",
        "Vous savez que c'est inadmissible de ne pas payer ses factures ?",
        "Vous êtes un mauvais payeur, il faut payer maintenant.",
    ],
}


def play(name: str, lines: list[str], classifier: ActClassifier, seed: int) -> RolePlaySession:
    session = RolePlaySession(get_scenario(name), classifier=classifier, seed=seed)
    session.start()
    for line in lines:
        if session.finished:
            break
        session.agent_says(line)
    return session


def test_every_shipped_scenario_has_both_trainees() -> None:
    from bot.roleplay import list_scenarios

    assert {scenario.id for scenario in list_scenarios()} == set(GOOD) == set(BAD)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("name", sorted(GOOD))
def test_a_good_trainee_reaches_the_success(name: str, seed: int, classifier: ActClassifier) -> None:
    session = play(name, GOOD[name], classifier, seed)
    history = session.debtor.state.history
    assert session.finished and session.succeeded, [(turn.act, turn.kind, turn.tension_after) for turn in history]
    assert session.outcome == session.scenario.success.kind
    assert len(history) == len(GOOD[name])  # the conversation ends on the last line, not before
    assert not any(turn.pressure for turn in history)
    assert set(session.scenario.success.requires_revealed) <= set(session.debtor.state.revealed)
    if session.outcome == "agreement":
        agreement = session.debtor.state.agreement
        assert agreement is not None and agreement.monthly <= session.scenario.hidden_facts.bearable_monthly_amount


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_bad_trainee_does_not(name: str, classifier: ActClassifier) -> None:
    session = play(name, BAD[name], classifier, seed=0)
    history = session.debtor.state.history
    assert not session.succeeded and session.outcome != session.scenario.success.kind
    assert session.outcome in ("hung_up", "refused"), [(turn.act, turn.kind) for turn in history]
    # pressure, or (for the bereaved) payment pushed before the loss was acknowledged
    assert any(turn.pressure or turn.kind == "too_soon" for turn in history)
    assert any(turn.act == "question_fermee" for turn in history)
    assert history[-1].tension_after >= history[0].tension_before


@pytest.mark.parametrize("name", ["colere_frais", "parent_licencie", "retraitee_honteuse", "arnaque", "deuil"])
def test_early_proposals_above_capacity_are_not_accepted(name: str, classifier: ActClassifier) -> None:
    session = play(name, BAD[name][:2], classifier, seed=0)
    turn = session.debtor.state.history[1]
    assert turn.kind in ("refusal", "too_soon") and turn.outcome is None
    assert session.debtor.state.agreement is None


def test_a_long_real_session_never_repeats_a_line(classifier: ActClassifier) -> None:
    """Thirty turns of a trainee who loops over a few lines with the real classifier."""
    loop = [
        "Je comprends que ce soit agaçant.",
        "Vous avez reçu notre courrier ?",
        "Si je comprends bien, vous trouvez cette situation injuste.",
        "Le solde du dossier est de 212,40 €.",
        "Qu'est-ce qui vous ferait du bien aujourd'hui ?",
    ]
    session = RolePlaySession(get_scenario("colere_frais"), classifier=classifier, seed=5)
    session.start()
    for number in range(30):
        if session.finished:
            break
        session.agent_says(loop[number % len(loop)])
    assert len(session.debtor.state.history) == 30
    assert max(session.debtor.picker.used_lines.values()) == 1
    replies = [turn["text"] for turn in session.transcript if turn["speaker"] == "debtor"]
    assert len(set(replies)) == len(replies)


@pytest.mark.parametrize("name", sorted(GOOD))
def test_the_scorecards_tell_the_good_from_the_bad_trainee_and_say_why(name: str, classifier: ActClassifier) -> None:
    good = play(name, GOOD[name], classifier, seed=0)
    bad = play(name, BAD[name], classifier, seed=0)
    good_card = score_transcript(good.as_transcript(), classifier, good.scenario, good.outcome)
    bad_card = score_transcript(bad.as_transcript(), classifier, bad.scenario, bad.outcome)
    assert good_card.score >= 3 and not good_card.pressure, good_card.reasons
    assert bad_card.score <= 2 and bad_card.score < good_card.score, bad_card.reasons
    # the bad trainee's scorecard says why: the caps (pressure quoted, a plan pushed after a bereavement…)
    assert bad_card.caps and not bad_card.outcome.adapted, bad_card.reasons
    turns = bad.as_transcript().turns
    assert all(incident.text in turns[incident.turn].text for incident in bad_card.pressure)
    assert any("Issue" in reason for reason in bad_card.reasons)
