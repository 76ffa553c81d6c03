"""The role-play scorecard: MITI codes of short hand-made lines, caps, outcome and its fit, and the agreement with
the hand grades of tests/data/roleplay (Spearman ≥ 0.8 over the 16 transcripts, real classifier)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from scipy.stats import spearmanr

from bot.assist import ActClassifier
from bot.roleplay.coding import (
    AUTRE,
    EMPATHIE,
    PERSUASION,
    PRESSION,
    PROPOSITION,
    QUESTION_FERMEE,
    QUESTION_OUVERTE,
    REFLET_COMPLEXE,
    REFLET_SIMPLE,
    code_turns,
)
from bot.roleplay.scenario import get_scenario
from bot.roleplay.scorecard import Scorecard, round_half, score_transcript
from bot.roleplay.session import RolePlaySession
from bot.roleplay.transcript import Transcript, Turn, load_transcripts

DATA = Path("tests/data/roleplay")
ACTS = ("question_ouverte", "question_fermee", "reformulation", "empathie", "information", "proposition", "pression")


@dataclass(frozen=True)
class Ranked:
    act: str
    confidence: float
    ranking: list[tuple[str, float]] = field(default_factory=list)


class KeywordClassifier:
    """A classifier for hand-made lines: the first keyword found in a text gives its act and probability."""

    def __init__(self, rules: Mapping[str, tuple[str, float]]) -> None:
        self.rules = dict(rules)

    def predict(self, text: str) -> Ranked:
        act, probability = next(
            (rule for keyword, rule in self.rules.items() if keyword.lower() in text.lower()), ("autre", 0.6)
        )
        rest = (1 - probability) / len(ACTS)
        ranking = [(act, probability)] + [(other, rest) for other in (*ACTS, "autre") if other != act]
        return Ranked(act, probability, ranking)


def transcript(*lines: str, id: str = "t") -> Transcript:
    """Alternating lines, the agent first; a line starting with "D:" is the debtor's."""
    turns = [Turn("debtor", line[2:].strip()) if line.startswith("D:") else Turn("agent", line) for line in lines]
    return Transcript(id, turns)


def codes(*lines: str, rules: Mapping[str, tuple[str, float]]) -> list[list[str]]:
    coded = code_turns(transcript(*lines).turns, KeywordClassifier(rules))
    return [turn.codes for turn in coded if turn.speaker == "agent"]


# ---------------------------------------------------------------------- codes


def test_questions_open_or_closed_follow_the_classifier_but_only_for_questions() -> None:
    rules = {"qu'est-ce qui": ("question_ouverte", 0.8), "pouvez": ("question_fermee", 0.8)}
    found = codes("Qu'est-ce qui vous aiderait ?", "Vous pouvez payer 50 € ?", "Vous pouvez payer.", rules=rules)
    assert found[0] == [QUESTION_OUVERTE]
    assert found[1] == [QUESTION_FERMEE]
    assert found[2] == [AUTRE]  # no question mark: a question act is not a question


def test_a_reflection_is_complex_when_it_adds_a_feeling_the_debtor_did_not_say() -> None:
    rules = {"si je comprends bien": ("reformulation", 0.8)}
    debtor = "D: J'ai perdu mon emploi en septembre et je n'ai plus de salaire."
    simple = codes(debtor, "Si je comprends bien, vous avez perdu votre emploi en septembre.", rules=rules)
    added = codes(
        debtor, "Si je comprends bien, et cette perte vous donne l'impression de tout porter seul.", rules=rules
    )
    said = codes(
        "D: J'ai peur, vraiment peur de ne pas y arriver.",
        "Si je comprends bien, vous avez peur de ne pas y arriver.",
        rules=rules,
    )
    assert simple == [[REFLET_SIMPLE]]
    assert added == [[REFLET_COMPLEXE]]
    assert said == [[REFLET_SIMPLE]]  # the debtor's own feeling repeated is a simple reflection


def test_a_statement_that_takes_up_the_debtors_words_is_a_reflection_even_when_the_classifier_hesitates() -> None:
    found = codes(
        "D: Septembre a été un mois de fou au travail, les factures sont passées à la trappe.",
        "Un mois de septembre très chargé, et les factures sont restées de côté.",
        "Je vous envoie les factures de septembre.",
        rules={"chargé": ("information", 0.6), "envoie": ("information", 0.6)},
    )
    assert found == [[REFLET_SIMPLE], ["information"]]  # the agent speaking of itself is no reflection


def test_ready_made_phrases_are_not_empathy_and_yes_but_is_persuasion() -> None:
    rules = {"je comprends": ("empathie", 0.9), "bravo": ("empathie", 0.9)}
    found = codes(
        "Je comprends.",
        "Ne vous inquiétez pas, ce n'est pas grave.",
        "Je comprends, mais c'est contractuel.",
        "Bravo d'avoir vérifié avant de payer.",
        rules={**rules, "ne vous inquiétez": ("empathie", 0.9)},
    )
    assert found == [[AUTRE], [AUTRE], [PERSUASION], [EMPATHIE]]


def test_pressure_needs_the_sentence_and_the_turn_or_a_compliance_finding() -> None:
    rules = {"payez": ("pression", 0.9), "prenez soin": ("pression", 0.7), "dernier délai": ("pression", 0.6)}
    found = codes(
        "Payez aujourd'hui.",
        "Prenez soin de vous.",
        "Sinon, l'huissier passera chez vous.",
        "Il faut payer, c'est le dernier délai.",
        rules=rules,
    )
    assert found[0] == [PRESSION]
    assert found[1] == [AUTRE]  # pressure the classifier is not sure of, without argument: not counted
    assert found[2] == [PRESSION]  # compliance: a bailiff as a threat, whatever the classifier says
    assert found[3] == [PERSUASION]


def test_a_threat_the_compliance_check_does_not_know_is_still_a_threat() -> None:
    card = score_transcript(
        transcript("Donnez-moi le numéro de votre fils, je l'appelle directement."),
        KeywordClassifier({"fils": ("pression", 0.6)}),
    )
    assert [incident.threat for incident in card.pressure] == [True]
    assert card.score == 1.0


# ---------------------------------------------------------------------- caps

LISTENING_RULES = {
    "comment": ("question_ouverte", 0.8),
    "qu'est-ce": ("question_ouverte", 0.8),
    "si je comprends bien": ("reformulation", 0.8),
    "vous avez bien fait": ("empathie", 0.8),
    "merci de": ("empathie", 0.8),
    "je vous propose": ("proposition", 0.9),
    "payez": ("pression", 0.95),
}
GOOD = (
    "Bonjour Madame Martin, comment allez-vous ?",
    "D: Pas très bien. J'ai perdu mon emploi en septembre, et j'ai honte de ne pas payer.",
    "Si je comprends bien, vous avez perdu votre emploi, et cette situation vous pèse beaucoup.",
    "D: Oui. Je voudrais payer mais je n'ai que le chômage.",
    "Si je comprends bien, vous tenez à régler les choses malgré tout. Qu'est-ce qui serait réaliste chaque mois ?",
    "D: Je peux mettre 40 € par mois.",
    "Merci de me le dire. Je vous propose 38 € par mois pendant 5 mois. Comment cela vous semble-t-il ?",
    "D: Oui, ça me va.",
    "Je récapitule : 38 € par mois pendant 5 mois. Est-ce que cela vous laisse de la marge pour les imprévus ?",
    "D: Oui, ça ira.",
    "Vous avez bien fait d'en parler.",
)


def test_a_listening_agent_without_pressure_scores_high() -> None:
    card = score_transcript(transcript(*GOOD), KeywordClassifier(LISTENING_RULES))
    assert card.cap is None and not card.pressure
    assert card.measures.reflections == 2 and card.measures.counts[REFLET_COMPLEXE] == 2
    assert card.outcome.kind == "agreement" and card.outcome.fits and card.outcome.recap and card.outcome.checked
    assert card.score >= 4.5


def test_one_pressure_caps_the_score_at_two_and_is_quoted() -> None:
    lines = (*GOOD[:-1], "Payez avant la fin du mois, c'est tout.")
    card = score_transcript(transcript(*lines), KeywordClassifier(LISTENING_RULES))
    assert card.cap == 2.0 and card.score == 2.0
    assert [incident.text for incident in card.pressure] == ["Payez avant la fin du mois, c'est tout."]
    assert card.raw_score > 4  # the rest was good: only the cap brings it down
    assert any("plafonnée à 2" in reason for reason in card.reasons)


def test_a_clear_threat_caps_the_score_at_one() -> None:
    lines = (*GOOD[:-1], "Et si vous ne payez pas, l'huissier viendra saisir vos meubles.")
    card = score_transcript(transcript(*lines), KeywordClassifier(LISTENING_RULES))
    assert card.cap == 1.0 and card.score == 1.0
    assert card.pressure[0].threat


def test_invented_fees_are_false_information() -> None:
    lines = (*GOOD[:-1], "Il y aura aussi 40 € de frais de recouvrement.")
    card = score_transcript(transcript(*lines), KeywordClassifier(LISTENING_RULES))
    assert not card.information.correct and card.score <= 2.0


# ---------------------------------------------------------------------- outcome


def test_a_proposal_above_the_stated_capacity_caps_the_score() -> None:
    lines = (
        "Qu'est-ce qui serait réaliste pour vous chaque mois ?",
        "D: Je peux mettre 60 € par mois, maximum.",
        "Je vous propose 200 € par mois pendant 4 mois.",
        "D: Bon, d'accord.",
    )
    card = score_transcript(transcript(*lines), KeywordClassifier(LISTENING_RULES))
    outcome = card.outcome
    assert outcome.capacity is not None and outcome.capacity.monthly == Decimal("60")
    assert outcome.plan is not None and outcome.plan.monthly == Decimal("200") and outcome.fits is False
    assert [plan.monthly for plan in outcome.above_capacity] == [Decimal("200")]
    assert card.score <= 2.0


def test_a_standard_proposal_before_knowing_the_capacity_counts_against_the_outcome() -> None:
    lines = (
        "Je vous propose 50 € par mois pendant 6 mois. Ça vous va ?",
        "D: Oui, ça passe, 50 par mois.",
    )
    card = score_transcript(transcript(*lines), KeywordClassifier(LISTENING_RULES))
    assert card.outcome.premature is not None and card.outcome.premature.monthly == Decimal("50")
    assert card.outcome.fits  # the debtor said it fits after the fact
    assert card.criteria["issue"] == 0.25  # adapted (0.5) minus the premature proposal (0.25), unchecked
    assert any("avant de connaître la capacité" in reason for reason in card.reasons)


def test_the_chosen_option_is_the_one_the_debtor_names() -> None:
    lines = (
        "Qu'est-ce qui serait réaliste pour vous chaque mois ?",
        "D: 70 par mois à peu près.",
        "Je vous propose trois mensualités de 60 €, ou quatre mensualités de 45 € si vous préférez plus de marge.",
        "D: Les quatre fois, je préfère.",
    )
    card = score_transcript(transcript(*lines), KeywordClassifier(LISTENING_RULES))
    assert card.outcome.plan is not None and card.outcome.plan.monthly == Decimal("45")


def test_the_hidden_capacity_of_a_scenario_decides_the_fit() -> None:
    scenario = get_scenario("colere_frais")
    bearable = scenario.hidden_facts.bearable_monthly_amount

    def fit(monthly: Decimal) -> bool | None:
        lines = (
            "Qu'est-ce qui serait réaliste chaque mois ?",
            f"D: Je peux mettre {monthly + 100:.0f} € par mois.",
            f"Je vous propose {monthly:.0f} € par mois pendant 2 mois.",
            "D: D'accord.",
        )
        return score_transcript(transcript(*lines), KeywordClassifier(LISTENING_RULES), scenario).outcome.fits

    assert fit(bearable) is True
    assert fit(bearable + 30) is False  # within what was said, above what the persona can really pay


def test_a_bereaved_debtor_needs_a_hand_over_not_a_plan() -> None:
    start = ("Bonjour Monsieur, comment allez-vous ?", "D: Ma femme est décédée le mois dernier, je suis perdu.")
    pushed = score_transcript(
        transcript(*start, "Je vous propose 100 € par mois pendant 4 mois.", "D: D'accord..."),
        KeywordClassifier(LISTENING_RULES),
    )
    handed_over = score_transcript(
        transcript(
            *start,
            "Si je comprends bien, tout vous tombe dessus. Je vous propose de confier le dossier à une conseillère "
            "dédiée, qui vous rappellera quand vous serez prêt. Qu'en pensez-vous ?",
            "D: Oui, ce serait bien.",
        ),
        KeywordClassifier(LISTENING_RULES),
    )
    assert pushed.outcome.pushed_after_vulnerability and pushed.score <= 2.0
    assert handed_over.outcome.kind == "handover" and handed_over.outcome.adapted
    assert not handed_over.outcome.pushed_after_vulnerability and handed_over.cap is None


def test_a_session_outcome_replaces_the_one_read_in_the_text() -> None:
    card = score_transcript(transcript(*GOOD), KeywordClassifier(LISTENING_RULES), outcome="hung_up")
    assert card.outcome.kind == "hung_up" and not card.outcome.adapted and card.criteria["issue"] == 0.0


def test_as_dict_is_json_ready_with_a_score() -> None:
    card = score_transcript(transcript(*GOOD), KeywordClassifier(LISTENING_RULES))
    data = json.loads(json.dumps(card.as_dict(), ensure_ascii=False))
    assert data["id"] == "t" and data["score"] == card.score and 1 <= data["score"] <= 5
    agent = [turn for turn in data["turns"] if turn["speaker"] == "agent"]
    assert agent[0]["utterances"][0]["code"] == QUESTION_OUVERTE
    assert data["outcome"]["plan"]["monthly"] == 38.0
    assert {PROPOSITION} <= {u["code"] for turn in agent for u in turn["utterances"]}


def test_round_half() -> None:
    assert [round_half(value) for value in (2.24, 2.25, 2.74, 4.93, 1.0)] == [2.0, 2.5, 2.5, 5.0, 1.0]


# ---------------------------------------------------------------------- the hand grades


@pytest.mark.parametrize(
    ("transcripts_file", "grades_file", "at_least"),
    [
        ("transcripts.yml", "grades.yml", 12),  # written and graded before the scorer; it was built on them
        # written and graded blind after the scorer: Spearman 0.37 at first (two compliance false positives,
        # "vous a saisie" and a reflected "sentiment d'être traité comme…", since fixed), so no longer blind
        ("heldout_transcripts.yml", "heldout_grades.yml", 8),
    ],
)
def test_scores_agree_with_the_hand_grades(
    classifier: ActClassifier, transcripts_file: str, grades_file: str, at_least: int
) -> None:
    """Spearman between the scorer and the grades written by hand (RUBRIC.md) must be at least 0.8."""
    grades = yaml.safe_load((DATA / grades_file).read_text(encoding="utf-8"))
    transcripts = load_transcripts(DATA / transcripts_file)
    assert len(transcripts) >= at_least and {t.id for t in transcripts} == set(grades)
    scores = {t.id: score_transcript(t, classifier).score for t in transcripts}
    ids = sorted(scores)
    rho = spearmanr([grades[i]["grade"] for i in ids], [scores[i] for i in ids]).statistic
    table = ", ".join(f"{i}: {grades[i]['grade']}/{scores[i]:g}" for i in ids)
    assert rho >= 0.8, f"Spearman {rho:.3f} < 0.8 ({table})"
    for identifier in ids:  # the caps of the rubric hold on the graded transcripts
        if grades[identifier]["grade"] == 1:
            assert scores[identifier] == 1.0, table
        if grades[identifier]["grade"] >= 4:
            assert scores[identifier] >= 3.5, table


@pytest.mark.parametrize("identifier", ["rp03", "rp07", "rp15"])
def test_the_threats_of_the_graded_transcripts_are_quoted(classifier: ActClassifier, identifier: str) -> None:
    item = next(t for t in load_transcripts(DATA / "transcripts.yml") if t.id == identifier)
    card = score_transcript(item, classifier)
    assert any(incident.threat for incident in card.pressure)
    assert all(incident.text in item.turns[incident.turn].text for incident in card.pressure)


def test_a_played_session_is_scored_with_its_scenario_and_outcome(classifier: ActClassifier) -> None:
    """A session of the simulated debtor: the listening trainee scores above the threatening one."""
    scenario = get_scenario("colere_frais")
    bearable = scenario.hidden_facts.bearable_monthly_amount

    def play(lines: list[str]) -> Scorecard:
        session = RolePlaySession(scenario, classifier=classifier)
        session.start()
        for line in lines:
            if not session.finished:
                session.agent_says(line)
        return score_transcript(session.as_transcript(), classifier, scenario, session.outcome)

    good = play(
        [
            "Bonjour, je vous appelle au sujet de votre dossier.",
            "Si je comprends bien, vous avez le sentiment qu'on vous facture une erreur qui n'est pas la vôtre.",
            "Qu'est-ce qui s'est passé de votre côté ?",
            "Qu'est-ce qui serait réaliste pour vous chaque mois ?",
            f"Je vous propose trois mensualités de {bearable - 10:.0f} €.",
        ]
    )
    bad = play(["Vous avez reçu notre courrier ?", "Si vous ne payez pas, un huissier viendra saisir vos meubles."])
    assert bad.score == 1.0 and bad.pressure[0].threat
    assert good.cap is None and good.score >= 3.5 > bad.score
    assert good.scenario == scenario.id and good.information.against == "du dossier du scénario"


def test_with_a_scenario_figures_and_rules_are_checked_against_the_case() -> None:
    scenario = get_scenario("colere_frais")
    case, policy = scenario.case, scenario.case.policy

    def problems(line: str) -> tuple[str, ...]:
        card = score_transcript(Transcript("x", [Turn("agent", line)]), KeywordClassifier({}), scenario)
        return card.information.problems

    assert (
        problems(f"Votre solde est de {case.amount_due} €, dont {case.fees} € de frais de rejet.".replace(".", ","))
        == ()
    )
    assert any("frais annoncés" in p for p in problems(f"Il y a {case.fees + 15:.0f} € de frais de rejet."))
    assert any("supérieur au dû" in p for p in problems(f"Vous nous devez {case.amount_due + 100:.0f} €."))
    shorter = policy.max_months - 2
    assert any("durée maximale" in p for p in problems(f"Nos échéanciers ne dépassent pas {shorter} mois."))
    longer = f"Je vous propose {policy.min_instalment - 5:.0f} € par mois pendant {policy.max_months + 10} mois."
    assert len([p for p in problems(longer) if "minimum" in p or "maximum" in p]) == 2
    general = score_transcript(
        Transcript("x", [Turn("agent", f"Vous nous devez {case.amount_due + 100:.0f} €.")]), KeywordClassifier({})
    )
    assert general.information.correct  # without the case, an amount cannot be checked
