"""Scenario files: the shipped ones load; every error names the file and the field, in French."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.roleplay import ScenarioError, get_scenario, list_scenarios, load_scenario
from bot.roleplay.lines import expansions, spoken_euros
from bot.roleplay.scenario import BANDS, MIN_SESSION_TURNS, SCENARIO_DIR

SHIPPED = {"colere_frais", "parent_licencie", "retraitee_honteuse", "arnaque", "deuil", "oubli"}


def shipped_data(name: str = "colere_frais") -> dict[str, Any]:
    return yaml.safe_load((SCENARIO_DIR / f"{name}.yml").read_text(encoding="utf-8"))


def write(tmp_path: Path, data: dict[str, Any], name: str = "colere_frais") -> Path:
    path = tmp_path / f"{name}.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def error_of(tmp_path: Path, data: dict[str, Any]) -> str:
    path = write(tmp_path, data)
    with pytest.raises(ScenarioError) as raised:
        load_scenario(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: "), message
    return message


def test_the_six_shipped_scenarios_load() -> None:
    scenarios = list_scenarios()
    assert {scenario.id for scenario in scenarios} == SHIPPED
    for scenario in scenarios:
        assert load_scenario(SCENARIO_DIR / f"{scenario.id}.yml") == scenario
        assert get_scenario(scenario.id) == scenario


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_shipped_scenarios_are_complete(name: str) -> None:
    scenario = get_scenario(name)
    for band in BANDS:
        lines = {line for template in scenario.lines.fillers[band] for line in expansions(template)}
        assert len(lines) >= MIN_SESSION_TURNS
    assert len(scenario.lines.openings) >= 2
    assert all(scenario.lines.facts[fact] for fact in scenario.fact_names)
    # the trainee's briefing tells the case, never the hidden capacity
    bearable = scenario.hidden_facts.bearable_monthly_amount
    assert spoken_euros(bearable) not in scenario.briefing
    assert f"{bearable:.2f}".replace(".", ",") not in scenario.briefing


def test_success_kinds_of_the_shipped_scenarios() -> None:
    kinds = {scenario.id: scenario.success.kind for scenario in list_scenarios()}
    assert kinds.pop("deuil") == "handover"
    assert set(kinds.values()) == {"agreement"}
    assert get_scenario("arnaque").verification is not None
    assert get_scenario("deuil").vulnerability is not None


def test_age_out_of_range(tmp_path: Path) -> None:
    data = shipped_data()
    data["persona"]["age"] = 12
    assert "persona.age: doit être un entier entre 18 et 110" in error_of(tmp_path, data)


def test_missing_and_unknown_fields(tmp_path: Path) -> None:
    data = shipped_data()
    del data["persona"]["name"]
    data["personna"] = {}
    message = error_of(tmp_path, data)
    assert "persona.name: champ obligatoire manquant" in message
    assert "personna: champ inconnu" in message


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["emotion"].update(start="joie"), "emotion.start: doit être l'une des valeurs : neutre"),
        (lambda d: d["calmed_by"].update(acts=["empathie", "menace"]), "calmed_by.acts[1]: doit être l'une des"),
        (lambda d: d["case"].update(reference="2026-3127"), "case.reference: doit être une référence"),
        (lambda d: d["case"].update(amount_due="beaucoup"), "case.amount_due: doit être un montant en euros"),
        (lambda d: d["case"]["policy"].update(max_months=36), "case.policy.max_months: doit être un entier entre 1"),
        (lambda d: d["hidden_facts"].update(pay_day=32), "hidden_facts.pay_day: doit être un entier entre 1 et 31"),
        (lambda d: d["success"].update(kind="paiement"), "success.kind: doit être l'une des valeurs"),
        (lambda d: d["lines"].update(openings="Allô ?"), "lines.openings: doit être une liste"),
    ],
)
def test_field_errors(tmp_path: Path, change: Any, expected: str) -> None:
    data = shipped_data()
    change(data)
    assert expected in error_of(tmp_path, data)


def test_unknown_act_and_band_in_reactions(tmp_path: Path) -> None:
    data = shipped_data()
    data["lines"]["reactions"]["menace"] = {"haut": ["Quoi ?"]}
    data["lines"]["reactions"]["empathie"]["extreme"] = ["Hein ?"]
    message = error_of(tmp_path, data)
    assert "lines.reactions.menace: acte inconnu" in message
    assert "lines.reactions.empathie.extreme: niveau de tension inconnu" in message


def test_placeholders_are_checked(tmp_path: Path) -> None:
    data = shipped_data()
    data["lines"]["acceptance"][1] = "D'accord pour {revenu}."
    data["lines"]["openings"][0] = "Allô ? {offer} ?"
    data["lines"]["withhold"][0] = "Ça {ne va pas."
    message = error_of(tmp_path, data)
    assert "lines.acceptance[1]: variable inconnue {revenu}" in message
    assert "lines.openings[0]: variable inconnue {offer} (réservée aux répliques d'acceptation et de refus)" in message
    assert "lines.withhold[0]: accolade mal fermée" in message


def test_too_few_fillers_for_a_thirty_turn_session(tmp_path: Path) -> None:
    data = shipped_data()
    data["lines"]["fillers"]["bas"] = ["[Bon|OK], on continue.", "Je vous écoute."]
    message = error_of(tmp_path, data)
    assert f"lines.fillers.bas: au moins {MIN_SESSION_TURNS} répliques distinctes" in message
    assert "(3 trouvées)" in message


def test_every_fact_needs_a_line_and_facts_must_exist(tmp_path: Path) -> None:
    data = shipped_data()
    del data["lines"]["facts"]["rib_envoye"]
    data["success"]["requires_revealed"] = ["reason", "salaire"]
    message = error_of(tmp_path, data)
    assert "lines.facts.rib_envoye: au moins une réplique révélant ce fait est nécessaire" in message
    assert "success.requires_revealed[1]: fait inconnu « salaire »" in message


def test_an_agreement_must_be_reachable_within_the_policy(tmp_path: Path) -> None:
    data = shipped_data()
    data["hidden_facts"]["bearable_monthly_amount"] = 10  # below the creditor's 15 € minimum
    assert "hidden_facts.bearable_monthly_amount: inférieur à la mensualité minimale" in error_of(tmp_path, data)
    data = copy.deepcopy(shipped_data())
    data["case"]["amount_due"] = 5000  # 90 € a month would take 56 months
    assert "aucun accord possible" in error_of(tmp_path, data)


def test_a_handover_scenario_needs_its_keywords_and_lines(tmp_path: Path) -> None:
    data = shipped_data("deuil")
    data["success"]["handover_keywords"] = []
    del data["lines"]["handover_accept"]
    path = write(tmp_path, data, "deuil")
    with pytest.raises(ScenarioError) as raised:
        load_scenario(path)
    assert f"{path}: success.handover_keywords: obligatoire" in str(raised.value)
    assert f"{path}: lines.handover_accept: obligatoire" in str(raised.value)


def test_id_must_match_the_file_name(tmp_path: Path) -> None:
    path = write(tmp_path, shipped_data(), "autre_nom")
    with pytest.raises(ScenarioError, match="id: doit être le nom du fichier sans extension"):
        load_scenario(path)


def test_yaml_errors_and_missing_files(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text("id: broken\npersona: [unclosed\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"broken\.yml: YAML invalide \(ligne \d+\)"):
        load_scenario(broken)
    listing = tmp_path / "liste.yml"
    listing.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="le fichier doit décrire un scénario"):
        load_scenario(listing)
    with pytest.raises(ScenarioError, match="absent.yml: fichier introuvable"):
        load_scenario(tmp_path / "absent.yml")


def test_unknown_scenario_lists_the_available_ones() -> None:
    with pytest.raises(ScenarioError) as raised:
        get_scenario("inconnu")
    assert "scénario inconnu : « inconnu »" in str(raised.value)
    assert "colere_frais" in str(raised.value) and "deuil" in str(raised.value)


def test_a_scenario_file_can_be_played_from_its_path(tmp_path: Path) -> None:
    data = shipped_data("oubli")
    data["persona"]["name"] = "Théo Garnier"
    path = write(tmp_path, data, "oubli")
    assert get_scenario(str(path)).persona.name == "Théo Garnier"
