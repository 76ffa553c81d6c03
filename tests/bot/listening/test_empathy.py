"""Empathy: adapted to each emotion, never twice in a conversation, never "je comprends" to someone angry at
not being understood, nothing for neutre."""

from __future__ import annotations

import re

import pytest

from bot.listening import empathize, feels_misunderstood
from bot.listening.empathy import GENERAL, PHRASES
from bot.nlu.emotion import EMOTIONS

FEELINGS = [emotion for emotion in EMOTIONS if emotion != "neutre"]


def test_every_emotion_of_the_label_contract_has_several_phrasings() -> None:
    assert set(PHRASES) == set(FEELINGS)
    for emotion in FEELINGS:
        assert len(set(PHRASES[emotion])) >= 3, emotion


@pytest.mark.parametrize("emotion", FEELINGS)
def test_the_sentence_fits_the_emotion(emotion: str) -> None:
    assert empathize(emotion, message="un message") in PHRASES[emotion]


def test_nothing_for_neutre_or_an_unknown_emotion() -> None:
    assert empathize("neutre") is None
    assert empathize(None) is None
    assert empathize("joie") is None


@pytest.mark.parametrize("emotion", FEELINGS)
def test_never_the_same_sentence_twice_in_a_conversation(emotion: str) -> None:
    used: list[str] = []
    for turn in range(20):
        sentence = empathize(emotion, used, message=f"message {turn}")
        if sentence is None:
            break
        assert sentence not in used
        used.append(sentence)
    assert len(used) == len(set(PHRASES[emotion])) + len(GENERAL)  # every phrasing once, then nothing


MISUNDERSTOOD = [
    "Vous ne comprenez rien !",
    "vous comprenez pas ce que je dis",
    "personne ne m'écoute ici",
    "Vous ne m'écoutez jamais",
    "combien de fois je dois vous le répéter",
    "je vous l'ai déjà dit",
]


@pytest.mark.parametrize("message", MISUNDERSTOOD)
def test_no_je_comprends_when_angry_at_being_misunderstood(message: str) -> None:
    assert feels_misunderstood(message)
    used: list[str] = []
    while (sentence := empathize("colere", used, message)) is not None:
        assert not re.search(r"compren|compréhensible", sentence, re.IGNORECASE), sentence
        used.append(sentence)
    assert len(used) >= 3


def test_je_comprends_is_only_withheld_from_the_misunderstood() -> None:
    """The filter is what keeps it out: plain anger may be answered with "Je comprends votre agacement"."""
    used: list[str] = []
    while (sentence := empathize("colere", used, "c'est scandaleux ces frais")) is not None:
        used.append(sentence)
    assert any(s.startswith("Je comprends") for s in used)
    assert not feels_misunderstood("c'est scandaleux ces frais")


def test_vouvoiement_and_no_pressure() -> None:
    sentences = [s for phrases in PHRASES.values() for s in phrases] + list(GENERAL)
    for sentence in sentences:
        assert not re.search(r"\b(tu|te|toi|ton|ta|tes|t')\b", sentence, re.IGNORECASE), sentence
        assert not re.search(r"huissier|prison|saisie|tribunal|poursuite|fichage|irresponsable", sentence, re.I)
        assert sentence.endswith((".", "!")) and sentence[0].isupper()
