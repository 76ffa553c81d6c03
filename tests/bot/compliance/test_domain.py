from pathlib import Path

from bot.compliance import Category, check_domain, domain_texts

ROOT = Path(__file__).resolve().parents[3]

BAD_DOMAIN = """
version: "3.1"
responses:
  utter_ok:
    - text: "Nous ne facturons aucuns frais de recouvrement."
  utter_relance:
    - text: "Bonjour, comment allez-vous ?"
    - condition:
        - type: slot
          name: identite_verifiee
          value: true
      text: "Dernier avertissement : un huissier passera."
  utter_choix:
    - text: "Que souhaitez-vous faire ?"
      buttons:
        - title: "Payer sans pénalités"
          payload: "/payer_totalite"
        - title: "Éviter la saisie"
          payload: "/choisir_option{\\"option\\": 2}"
  utter_custom:
    - custom:
        blocks:
          - text: "Vous êtes un mauvais payeur."
"""


def test_the_real_domain_is_compliant() -> None:
    path = ROOT / "domain.yml"
    assert len(domain_texts(path)) >= 10  # the check really read the templates
    findings = check_domain(path)
    assert findings == [], "\n".join(finding.message for finding in findings)


def test_every_variation_text_and_button_is_scanned(tmp_path: Path) -> None:
    path = tmp_path / "domain.yml"
    path.write_text(BAD_DOMAIN, encoding="utf-8")
    findings = check_domain(path)
    places = {(finding.where, finding.category) for finding in findings}
    assert places == {
        ("utter_relance[1].text", Category.LIBELLE_JURIDIQUE),
        ("utter_relance[1].text", Category.MENACE_HUISSIER),
        ("utter_choix[0].buttons[1].title", Category.MENACE_JUDICIAIRE),
        ("utter_custom[0].custom.blocks[0].text", Category.HUMILIATION),
    }
    assert "utter_choix[0].buttons[0].title" in dict(domain_texts(path))  # scanned, and "sans pénalités" passes


def test_a_domain_folder_is_scanned_file_by_file(tmp_path: Path) -> None:
    (tmp_path / "domain").mkdir()
    (tmp_path / "domain" / "a.yml").write_text(BAD_DOMAIN, encoding="utf-8")
    (tmp_path / "domain" / "b.yml").write_text("version: '3.1'\nintents: [saluer]\n", encoding="utf-8")
    findings = check_domain(tmp_path / "domain")
    assert findings and all(finding.where.startswith("a.yml:") for finding in findings)
