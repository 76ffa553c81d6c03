"""What the bot says when the debtor steps out of the negotiation: a contestation, a payment already made, a
vulnerability, a wish to speak to a person, a complaint. Every text here is scanned by the compliance check.
"""

from __future__ import annotations

import datetime as dt

from bot.text.french import format_date

CALLBACK_HOURS = "du lundi au vendredi, de 9 h à 18 h"

DISPUTE_PROOFS = {
    "contester_dette": (
        "tout document utile à l'examen de votre contestation : contrat, courrier de résiliation, "
        "dépôt de plainte en cas d'usurpation d'identité, ou échange avec le créancier"
    ),
    "deja_paye": "la preuve de votre paiement : relevé bancaire, reçu ou confirmation de virement (date et montant)",
}


def dispute_recorded(intent: str, reference: str, created: bool) -> str:
    proofs = DISPUTE_PROOFS.get(intent, DISPUTE_PROOFS["contester_dette"])
    opening = (
        "C'est enregistré : votre contestation est ouverte"
        if created
        else "Votre contestation est déjà enregistrée"
    )
    return (
        f"{opening} sur le dossier {reference}, et le recouvrement est suspendu le temps de l'examiner. "
        f"Pour que nous puissions vérifier rapidement, vous pouvez nous transmettre {proofs}, en réponse à ce "
        f"message ou par courrier en rappelant votre référence. Nous reviendrons vers vous dès que la "
        f"vérification sera faite."
    )


def callback_due(now: dt.datetime) -> dt.datetime:
    """The next working day at 10 h: when a counsellor calls back."""
    day = now.date() + dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(10, 0))


def vulnerability_callback(due: dt.datetime) -> str:
    return (
        "Votre situation passe avant tout, et rien ne presse : je ne vous proposerai rien aujourd'hui. "
        f"J'ai demandé qu'un conseiller vous rappelle, à partir du {format_date(due.date())} ({CALLBACK_HOURS}), "
        "pour en parler avec vous, sans aucune pression."
    )


def counsellor_callback(due: dt.datetime) -> str:
    return (
        f"Bien sûr. J'ai demandé qu'un conseiller vous rappelle, à partir du {format_date(due.date())} "
        f"({CALLBACK_HOURS}). Il aura sous les yeux ce que nous nous sommes dit, vous n'aurez pas à tout répéter."
    )


def complaint_recorded(created: bool) -> str:
    opening = "Votre réclamation est enregistrée" if created else "Votre réclamation était déjà enregistrée"
    return (
        f"{opening} et sera lue par un responsable, qui vous répondra. Merci de nous l'avoir signalé : "
        "ce retour nous aide à mieux faire."
    )


def broken_promise_opening(missed: list[tuple[dt.date, str]]) -> str:
    """After identification, when the last arrangement was not kept: said kindly, with an open question.

    `missed` lists the unpaid instalments as (due date, formatted amount).
    """
    if len(missed) == 1:
        day, amount = missed[0]
        fact = f"l'échéance du {format_date(day)} ({amount}) n'a pas pu être réglée"
    else:
        fact = f"{len(missed)} échéances de votre accord n'ont pas pu être réglées"
    return (
        f"Je vois que {fact}. Cela peut arriver, et c'est bien que nous puissions en parler. "
        "Qu'est-ce qui a changé pour vous depuis cet accord ?"
    )


def anger_handover(due: dt.datetime) -> str:
    return (
        "Je sens que cet échange ne vous apporte pas ce que vous attendez, et je le regrette. J'ai demandé qu'un "
        f"conseiller vous rappelle, à partir du {format_date(due.date())} ({CALLBACK_HOURS}), pour reprendre "
        "votre dossier avec vous."
    )


def misunderstanding_handover(due: dt.datetime) -> str:
    return (
        "Pour ne pas vous faire perdre de temps, j'ai demandé qu'un conseiller vous rappelle, à partir du "
        f"{format_date(due.date())} ({CALLBACK_HOURS}). Vous pouvez aussi continuer à m'écrire ici."
    )
