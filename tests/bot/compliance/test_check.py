from datetime import date
from decimal import Decimal

import pytest

from bot.cases.models import CaseStatus, PaymentMethod, Sector
from bot.cases.schemas import CaseView, PaymentIn, Policy
from bot.compliance import Category, Mention, check_text, first_contact_mentions
from bot.compliance.check import amounts_in, is_negated

FORBIDDEN = [
    ("Si vous ne payez pas, vous irez en prison.", Category.MENACE_JUDICIAIRE),
    ("Vous risquez la prison.", Category.MENACE_JUDICIAIRE),
    ("Une saisie sur salaire sera effectuée.", Category.MENACE_JUDICIAIRE),
    ("Nous allons saisir vos biens.", Category.MENACE_JUDICIAIRE),
    ("Vos meubles seront saisis.", Category.MENACE_JUDICIAIRE),
    ("Faute de règlement, nous engagerons des poursuites.", Category.MENACE_JUDICIAIRE),
    ("Nous pouvons vous poursuivre en justice.", Category.MENACE_JUDICIAIRE),
    ("Vous n'échapperez pas à la saisie.", Category.MENACE_JUDICIAIRE),
    ("La saisie ne tardera pas.", Category.MENACE_JUDICIAIRE),
    ("Un huissier passera chez vous demain.", Category.MENACE_HUISSIER),
    ("Votre dossier est transmis à un commissaire de justice.", Category.MENACE_HUISSIER),
    ("Même avec une décision de justice, nous allons mandater un huissier dès demain.", Category.MENACE_HUISSIER),
    ("Vous serez fiché à la Banque de France.", Category.MENACE_FICHAGE),
    ("Attention au fichage FICP.", Category.MENACE_FICHAGE),
    ("Des frais de recouvrement de 40 € ont été ajoutés.", Category.FRAIS),
    ("Des pénalités de retard s'appliquent.", Category.FRAIS),
    ("Une majoration de 10 % sera appliquée.", Category.FRAIS),
    ("N'oubliez pas les pénalités.", Category.FRAIS),
    ("Aucune remise et des frais supplémentaires.", Category.FRAIS),
    ("À défaut de paiement, aucune remise et des frais supplémentaires.", Category.FRAIS),
    ("Vous devriez avoir honte.", Category.HUMILIATION),
    ("Vous êtes un mauvais payeur.", Category.HUMILIATION),
    ("C'est irresponsable de ne pas payer ses dettes.", Category.HUMILIATION),
    ("Ce comportement est malhonnête.", Category.HUMILIATION),
    ("Vous vous sentez mal ? C'est normal quand on est un mauvais payeur.", Category.HUMILIATION),
    ("Vous avez raison d'avoir peur de l'huissier.", Category.MENACE_HUISSIER),
    ("Vous avez peur de l'huissier ? Il viendra demain.", Category.MENACE_HUISSIER),
    ("Vous craignez la saisie ? Si vous ne payez pas, elle aura lieu.", Category.MENACE_JUDICIAIRE),
    ("La saisie sur salaire vous a saisi ? Elle arrive.", Category.MENACE_JUDICIAIRE),
    ("Si vous ne payez pas, vous serez saisi sur vos biens.", Category.MENACE_JUDICIAIRE),
    ("MISE EN DEMEURE : réglez sous 8 jours.", Category.LIBELLE_JURIDIQUE),
    ("Ceci est une sommation de payer.", Category.LIBELLE_JURIDIQUE),
    ("Dernier avertissement avant transmission.", Category.LIBELLE_JURIDIQUE),
    ("Votre dossier passe au service contentieux.", Category.LIBELLE_JURIDIQUE),
    ("C'est votre dernière chance de régler.", Category.LIBELLE_JURIDIQUE),
]

ALLOWED = [
    "Seul un juge peut décider d'une saisie, à l'issue d'une procédure judiciaire.",
    "Aucune saisie n'est possible sans une décision de justice.",
    "La saisie n'est possible qu'après une décision de justice.",
    "La procédure de surendettement de la Banque de France peut suspendre les poursuites et les saisies.",
    "Vous pouvez saisir la commission de surendettement de la Banque de France.",
    "Le dépôt d'un dossier de surendettement entraîne une inscription au FICP.",
    "Personne ne va en prison pour une dette.",
    "Vous n'irez pas en prison pour une facture impayée.",
    "La prison pour dettes n'existe plus.",
    "Nous ne facturons aucuns frais.",
    "Nous ne facturons aucuns frais de recouvrement.",
    "Aucune pénalité ni majoration ne vous sera demandée.",
    "Les frais de recouvrement ne sont pas à votre charge.",
    "Les frais de recouvrement amiable restent à la charge du créancier.",
    "Il n'y a aucune honte à en parler.",
    "Le montant vous a saisie, et vous l'avez mis de côté pour ne plus y penser.",
    "Vous avez peur que l'huissier débarque chez vous, et ça vous empêche de dormir.",
    "Vous craignez qu'un commissaire de justice se présente à votre porte.",
    "Votre crainte d'être fiché à la Banque de France vous pèse beaucoup.",
    "Vous avez honte d'en être arrivé là, je l'entends.",
    "Quand vous dites que vous avez honte, qu'est-ce qui vous pèse le plus ?",
    "J'ai été saisi par la dureté de votre courrier, je vous présente nos excuses.",
    "Vous avez le sentiment d'être traité comme quelqu'un de malhonnête, alors que vous avez toujours payé.",
    "Vous avez l'impression qu'on vous prend pour un mauvais payeur.",
    "Vous vous sentez jugée, comme si vous étiez irresponsable, et ça vous blesse.",
    "Il n'y a pas à avoir honte.",
    "Vous n'êtes pas un mauvais payeur : la situation est difficile.",
    "À ce stade, aucun commissaire de justice n'intervient.",
    "Seul un commissaire de justice mandaté après une décision de justice pourrait intervenir.",
    "Vous ne serez pas fiché.",
    "Ce message n'est pas une mise en demeure.",
    "En cas de procédure, seul le juge pourrait délivrer une injonction de payer.",
    "Même si vous ne pouvez pas payer maintenant, aucune saisie n'est possible sans décision d'un juge.",
    "Nous sommes dans une démarche amiable : aucune procédure n'est engagée à ce stade.",
    "Un juge peut accorder jusqu'à deux ans de délais de paiement (article 1343-5 du Code civil).",
    "Vous pouvez régler par virement, par carte bancaire ou par prélèvement.",
    "Nous pouvons poursuivre notre échange quand vous le souhaitez.",
    "Vous pouvez saisir votre référence ici.",
]


@pytest.mark.parametrize(("text", "category"), FORBIDDEN)
def test_forbidden_content_is_caught(text: str, category: Category) -> None:
    findings = check_text(text, where="test")
    assert category in {finding.category for finding in findings}, text
    assert findings[0].where == "test" and findings[0].match.lower() in text.lower()
    assert category.label in findings[0].message


@pytest.mark.parametrize("text", ALLOWED)
def test_factual_non_threatening_mentions_pass(text: str) -> None:
    assert check_text(text) == []


def test_each_sentence_is_judged_on_its_own() -> None:
    text = "Aucune saisie n'est prévue. Un huissier viendra."
    findings = check_text(text)
    assert [f.rule for f in findings] == ["huissier"] and findings[0].sentence == "Un huissier viendra."


def test_negation_must_bear_on_the_mention() -> None:
    sentence = "Vous ne payez pas la saisie"
    start = sentence.index("saisie")
    assert not is_negated(sentence, start, start + len("saisie"))  # "pas la …": the negation is not about it
    sentence = "Il n'y a pas de saisie"
    start = sentence.index("saisie")
    assert is_negated(sentence, start, start + len("saisie"))
    sentence = "Aucun problème, la saisie aura lieu"
    start = sentence.index("saisie")
    assert not is_negated(sentence, start, start + len("saisie"))  # another clause


def test_typographic_apostrophes_and_spaces() -> None:
    assert check_text("Vous n’irez pas en prison.") == []
    assert check_text("Vous serez fiché\u202fà la Banque de France.") != []


def case() -> CaseView:
    return CaseView(
        reference="REC-2026-000117",
        status=CaseStatus.OUVERT,
        creditor_name="Mobilys Télécom",
        creditor_sector=Sector.TELECOM,
        policy=Policy(min_instalment="15.00", max_duration_months=12),
        debtor_display_name="Monsieur Lefèvre-Morin",
        debtor_first_name="Jean-Baptiste",
        debtor_last_name="Lefèvre-Morin",
        nature="Abonnement box internet impayé",
        principal=Decimal("247.60"),
        interest=Decimal("0.00"),
        accessories=Decimal("7.50"),
        total_claimed=Decimal("255.10"),
        amount_paid=Decimal("5.10"),
        amount_due=Decimal("250.00"),
        due_date=date(2026, 10, 10),
        payments=[PaymentIn(amount="5.10", paid_on=date(2026, 10, 20), method=PaymentMethod.CARTE)],
        arrangements=[],
        disputes=[],
        complaints=[],
    )


COMPLETE = (
    "Bonjour, je vous contacte au sujet du dossier REC-2026-000117 de Mobilys Telecom : 247,60\xa0€ d'abonnement"
    " et 7,50 € de frais de rejet de prélèvement, soit 255,10 €, dont 5,10 € déjà réglés ; il reste 250 €."
)


def test_first_contact_with_every_mention() -> None:
    assert first_contact_mentions(COMPLETE, case()) == []


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        (COMPLETE.replace("REC-2026-000117", "votre dossier"), [Mention.REFERENCE]),
        (COMPLETE.replace("de Mobilys Telecom", ""), [Mention.CREANCIER]),
        (COMPLETE.replace("7,50 € de frais de rejet de prélèvement", "des frais"), [Mention.DETAIL_MONTANT]),
        (COMPLETE.replace(", dont 5,10 € déjà réglés", ""), [Mention.DETAIL_MONTANT]),
        ("Bonjour, vous nous devez de l'argent.", [Mention.CREANCIER, Mention.DETAIL_MONTANT, Mention.REFERENCE]),
    ],
)
def test_first_contact_missing_mentions(text: str, missing: list[Mention]) -> None:
    assert first_contact_mentions(text, case()) == missing
    assert all(mention.label for mention in missing)


def test_amounts_in_french_and_plain_forms() -> None:
    assert amounts_in("1\u202f234,56\xa0€, 184.70 euros, 30 € et 12 EUR") == {
        Decimal("1234.56"),
        Decimal("184.70"),
        Decimal("30.00"),
        Decimal("12.00"),
    }
    assert amounts_in("le 5 décembre 2026, 3 mensualités") == set()
