"""The scorecard drawn: self-contained French HTML with every text escaped, and a PNG of the measures."""

from __future__ import annotations

from pathlib import Path

from bot.roleplay.coding import CODE_LABELS
from bot.roleplay.report import COLOURS, scorecard_html, scorecard_png, scorecard_png_bytes
from bot.roleplay.scorecard import Scorecard, score_transcript
from bot.roleplay.transcript import Transcript, Turn
from tests.bot.roleplay.test_scorecard import LISTENING_RULES, KeywordClassifier

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def card(*extra: Turn) -> Scorecard:
    turns = [
        Turn("agent", "Bonjour, comment allez-vous ?"),
        Turn("debtor", "<script>alert('x')</script> J'ai perdu mon emploi & je n'y arrive plus."),
        Turn("agent", "Si je comprends bien, vous avez perdu votre emploi <b>en septembre</b>."),
        *extra,
    ]
    return score_transcript(Transcript("rp<1>", turns), KeywordClassifier(LISTENING_RULES))


def test_html_escapes_every_text_and_is_self_contained() -> None:
    page = scorecard_html(card(Turn("agent", "Payez, <i>c'est tout</i>.")))
    assert page.startswith("<!DOCTYPE html>") and '<html lang="fr">' in page
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<b>" not in page and "&lt;b&gt;en septembre&lt;/b&gt;" in page
    assert "<i>" not in page and "&amp; je n&#x27;y arrive plus" in page
    assert "rp&lt;1&gt;" in page and "rp<1>" not in page
    assert "http://" not in page and "https://" not in page and "<link" not in page  # nothing fetched
    assert "Pressions" in page and "« Payez, &lt;i&gt;c&#x27;est tout&lt;/i&gt;. »" in page


def test_html_colours_each_utterance_by_its_code_and_embeds_the_picture() -> None:
    scorecard = card()
    page = scorecard_html(scorecard, scorecard_png_bytes(scorecard))
    reflection = [u for t in scorecard.turns for u in t.utterances if u.code == "reflet_simple"]
    assert reflection, "the reflection of the hand-made transcript must be coded"
    assert f"border-color: {COLOURS['reflet_simple']}" in page
    assert f"[{CODE_LABELS['reflet_simple']}]" in page and f"[{CODE_LABELS['question_ouverte']}]" in page
    assert 'src="data:image/png;base64,' in page
    assert "Note globale" in page and "Transcription annotée" in page


def test_png_is_written(tmp_path: Path) -> None:
    target = scorecard_png(card(), tmp_path / "images" / "rp1.png")
    data = target.read_bytes()
    assert target == tmp_path / "images" / "rp1.png"
    assert data.startswith(PNG_SIGNATURE) and len(data) > 5_000
