"""Line templates: variants, placeholders, spoken amounts, and a picker that does not repeat itself."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from bot.roleplay.lines import LinePicker, day_of_month, expansions, placeholders, spoken_euros


def test_variants_expand_to_every_combination() -> None:
    lines = expansions("[Bon|Bref], [on avance|je vous écoute].")
    assert lines == ["Bon, on avance.", "Bon, je vous écoute.", "Bref, on avance.", "Bref, je vous écoute."]


def test_an_empty_variant_makes_a_word_optional_without_double_spaces() -> None:
    assert expansions("Je peux [vraiment |]payer.") == ["Je peux vraiment payer.", "Je peux payer."]
    assert expansions("Oui [|, bien sûr].") == ["Oui.", "Oui, bien sûr."]


def test_placeholders() -> None:
    assert placeholders("J'ai {monthly_charges} de charges pour {monthly_income}.") == {
        "monthly_charges",
        "monthly_income",
    }
    with pytest.raises(ValueError, match="accolade mal fermée"):
        placeholders("Il me reste {remaining")
    with pytest.raises(ValueError, match="variable mal écrite"):
        placeholders("{monthly:.2f}")


def test_spoken_euros_and_days() -> None:
    assert spoken_euros(Decimal("1650")) == "1\u202f650\xa0€"
    assert spoken_euros(Decimal("42.5")) == "42,50\xa0€"
    assert spoken_euros(Decimal("90.00")) == "90\xa0€"
    assert day_of_month(1) == "1er" and day_of_month(28) == "28"


def test_the_picker_prefers_fresh_templates_then_variants_then_repeats() -> None:
    first, second = "[A|B] un.", "[C|D] deux."
    picker = LinePicker(random.Random(3))
    drawn = [picker.pick([[first, second]]) for _ in range(4)]
    assert {line.split()[1] for line in drawn[:2]} == {"un.", "deux."}  # both templates before any variant
    assert sorted(drawn) == ["A un.", "B un.", "C deux.", "D deux."]  # every line once before any repeat
    assert picker.pick([[first, second]]) in drawn  # exhausted: the least used line comes back
    assert max(picker.used_lines.values()) == 2


def test_the_picker_falls_back_along_the_chain() -> None:
    picker = LinePicker(random.Random(0))
    assert picker.pick([["Seule réplique."], ["Repli [un|deux]."]]) == "Seule réplique."
    assert picker.pick([["Seule réplique."], ["Repli [un|deux]."]]).startswith("Repli")
    assert picker.pick([[], ["Repli [un|deux]."]]).startswith("Repli")
    with pytest.raises(ValueError):
        picker.pick([[], []])


def test_the_picker_is_deterministic_for_a_seed() -> None:
    pool = [f"Réplique [{n}a|{n}b|{n}c]." for n in range(6)]
    runs = []
    for _ in range(2):
        picker = LinePicker(random.Random(7))
        runs.append([picker.pick([pool]) for _ in range(10)])
    assert runs[0] == runs[1]
    sequences = set()
    for seed in range(5):
        picker = LinePicker(random.Random(seed))
        sequences.add(tuple(picker.pick([pool]) for _ in range(10)))
    assert len(sequences) > 1
