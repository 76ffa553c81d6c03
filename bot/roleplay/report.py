"""The role-play scorecard drawn: one self-contained French HTML page, and a PNG of the MITI measures.

`scorecard_html(scorecard, png=None)`: the score and its reasons, the MITI measures against their thresholds, the
pressure incidents quoted, the information and the outcome, then the annotated transcript (one colour per code,
the reason of each code in a tooltip and in the text for screen readers). Every text of the transcript is escaped.
`scorecard_png(scorecard, path)`: bars of the measures against the MITI thresholds, the pressure count, the score.
"""

from __future__ import annotations

import base64
import io
from html import escape
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from bot.roleplay.coding import CODE_LABELS, CODES, THRESHOLDS, CodedTurn  # noqa: E402
from bot.roleplay.scorecard import CRITERIA_LABELS, Scorecard, outcome_text  # noqa: E402

# One colour per code (Okabe–Ito palette and greys; the code's name is always written beside it).
COLOURS = {
    "question_ouverte": "#0072B2",
    "question_fermee": "#56B4E9",
    "reflet_simple": "#7FC97F",
    "reflet_complexe": "#009E73",
    "empathie": "#CC79A7",
    "information": "#999999",
    "proposition": "#E69F00",
    "persuasion": "#F0E442",
    "pression": "#D55E00",
    "autre": "#DDDDDD",
}
GREEN, ORANGE, VERMILLION, BLUE = "#009E73", "#E69F00", "#D55E00", "#0072B2"
SPEAKERS = {"agent": "Stagiaire (agent)", "debtor": "Débiteur"}
MEASURES = (
    ("r_q", "Reflets / questions", "{:.2f}"),
    ("complex_share", "Reflets complexes", "{:.0%}"),
    ("open_share", "Questions ouvertes", "{:.0%}"),
)

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1a1a1a;
       background: #fff; margin: 0; line-height: 1.5; }
main { max-width: 60rem; margin: 0 auto; padding: 0 1rem 2rem; }
h1 { font-size: 1.6rem; margin: 1.2rem 0 .3rem; }
h2 { font-size: 1.25rem; margin-top: 1.8rem; border-bottom: 1px solid #ccc; padding-bottom: .2rem; }
.note { font-size: 2.4rem; font-weight: 700; }
.plafond { color: #8a2c00; font-weight: 600; }
table { border-collapse: collapse; margin: .8rem 0; width: 100%; }
th, td { border: 1px solid #bbb; padding: .3rem .6rem; text-align: left; vertical-align: top; }
thead th { background: #eef3f8; }
td.nombre { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.tour { margin: .6rem 0; padding: .4rem .7rem; border-radius: .4rem; }
.tour.debtor { background: #f4f4f4; }
.tour.agent { border: 1px solid #ccc; }
.qui { font-weight: 600; font-size: .9rem; color: #333; display: block; }
.enonce { padding: .05rem .25rem; border-radius: .25rem; border-bottom: 3px solid; }
.code { font-size: .75rem; font-weight: 600; margin-left: .2rem; white-space: nowrap; color: #333; }
.legende span { display: inline-block; margin: .15rem .4rem .15rem 0; padding: 0 .4rem; border-radius: .25rem; }
.constat { color: #8a2c00; font-size: .9rem; }
figure img { max-width: 100%; height: auto; border: 1px solid #e5e5e5; }
"""


def _number(value: float, pattern: str) -> str:
    return pattern.format(value).replace(".", ",").replace("%", " %")


def _measure_rows(scorecard: Scorecard) -> str:
    m = scorecard.measures
    rows = []
    for key, label, pattern in MEASURES:
        value = getattr(m, key)
        fair, good = THRESHOLDS[key]
        shown = "—" if value is None else _number(value, pattern)
        level = "—" if value is None else "bon" if value >= good else "acceptable" if value >= fair else "insuffisant"
        rows.append(
            f'<tr><th scope="row">{escape(label)}</th><td class="nombre">{escape(shown)}</td>'
            f'<td class="nombre">≥ {escape(_number(fair, pattern))}</td>'
            f'<td class="nombre">≥ {escape(_number(good, pattern))}</td><td>{escape(level)}</td></tr>'
        )
    counts = (
        ("Reflets (simples + complexes)", m.reflections),
        ("Questions (ouvertes + fermées)", m.questions),
        ("Empathie et valorisations", m.empathy),
        ("Persuasion ou confrontation", m.counts["persuasion"]),
        ("Pressions", m.counts["pression"]),
    )
    for label, count in counts:
        rows.append(
            f'<tr><th scope="row">{escape(label)}</th><td class="nombre">{count}</td><td></td><td></td><td></td></tr>'
        )
    return "".join(rows)


def _utterance(text: str, code: str, note: str | None) -> str:
    label = CODE_LABELS[code]
    title = f"{label} — {note}" if note else label
    return (
        f'<span class="enonce" style="border-color: {COLOURS[code]}" title="{escape(title)}">{escape(text)}</span>'
        f'<span class="code">[{escape(label)}]</span>'
    )


def _turn(turn: CodedTurn) -> str:
    who = f'<span class="qui">{escape(SPEAKERS.get(turn.speaker, turn.speaker))}</span>'
    if turn.speaker != "agent" or not turn.utterances:
        return f'<div class="tour {escape(turn.speaker)}">{who}{escape(turn.text)}</div>'
    body = " ".join(_utterance(u.text, u.code, u.note) for u in turn.utterances)
    findings = "".join(f'<div class="constat">⚠ {escape(finding)}</div>' for finding in turn.findings)
    return f'<div class="tour agent">{who}{body}{findings}</div>'


def _list(items: list[str], empty: str) -> str:
    if not items:
        return f"<p>{escape(empty)}</p>"
    return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>"


def _score(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def scorecard_html(scorecard: Scorecard, png: bytes | None = None) -> str:
    """The scorecard as one self-contained HTML page (French); `png` (scorecard_png_bytes) is embedded if given."""
    outcome, information = scorecard.outcome, scorecard.information
    caps = "".join(f'<p class="plafond">Plafond : {escape(text)}</p>' for text in scorecard.caps)
    criteria = "".join(
        f'<tr><th scope="row">{escape(CRITERIA_LABELS[name])}</th><td class="nombre">{value:.2f}</td></tr>'.replace(
            ".", ","
        )
        for name, value in scorecard.criteria.items()
    )
    pressure = [f"« {i.text} » — {i.reason}" + (" (menace)" if i.threat else "") for i in scorecard.pressure]
    persuasion = [f"« {i.text} » — {i.reason}" for i in scorecard.persuasion]
    legend = "".join(f'<span style="background: {COLOURS[code]}">{escape(CODE_LABELS[code])}</span>' for code in CODES)
    figure = ""
    if png is not None:
        uri = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        figure = (
            f'<figure><img src="{uri}" alt="Mesures MITI face aux repères, pressions et note '
            f'{escape(_score(scorecard.score))} sur 5"><figcaption>Mesures et repères MITI 4.2.1.</figcaption></figure>'
        )
    information_text = (
        f"Exacte au regard {information.against}."
        if information.correct
        else "Fausse : " + " ; ".join(information.problems)
    )
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Grille d'évaluation du jeu de rôle {escape(scorecard.id)}</title>
<style>{STYLE}</style>
</head>
<body>
<main>
<h1>Grille d'évaluation du jeu de rôle « {escape(scorecard.id)} »</h1>
<p>Note globale : <span class="note">{escape(_score(scorecard.score))}</span> sur 5</p>
{caps}
<h2>Raisons</h2>
{_list(list(scorecard.reasons), "Aucune raison.")}
<table><thead><tr><th scope="col">Critère</th><th scope="col">Niveau (0 à 1)</th></tr></thead>
<tbody>{criteria}</tbody></table>
<h2>Mesures MITI 4.2.1</h2>
<table>
<thead><tr><th scope="col">Mesure</th><th scope="col">Valeur</th><th scope="col">Acceptable</th>
<th scope="col">Bon</th><th scope="col">Niveau</th></tr></thead>
<tbody>{_measure_rows(scorecard)}</tbody>
</table>
{figure}
<h2>Pressions</h2>
{_list(pressure, "Aucune pression relevée.")}
<h2>Persuasion ou confrontation</h2>
{_list(persuasion, "Aucune.")}
<h2>Information</h2>
<p>{escape(information_text)}</p>
<h2>Issue</h2>
<p>{escape(outcome_text(outcome).removeprefix("Issue : "))}</p>
<h2>Transcription annotée</h2>
<p class="legende">{legend}</p>
{"".join(_turn(turn) for turn in scorecard.turns)}
</main>
</body>
</html>
"""


# ---------------------------------------------------------------------- PNG


def _style(axes) -> None:  # type: ignore[no-untyped-def]
    axes.spines["top"].set_visible(False)
    axes.spines["right"].set_visible(False)
    axes.set_xticks([])


def _measure_panel(  # type: ignore[no-untyped-def]
    axes, title: str, value: float | None, thresholds: tuple[float, float], top: float, percent: bool
) -> None:
    fair, good = thresholds
    shown = value if value is not None else 0.0
    colour = GREEN if shown >= good else ORANGE if shown >= fair else VERMILLION
    axes.bar([0], [min(shown, top)], color=colour, width=0.6)
    axes.axhline(fair, color="#555555", linestyle="--", linewidth=1, label="acceptable")
    axes.axhline(good, color="#000000", linestyle="-", linewidth=1, label="bon")
    axes.set_ylim(0, top)
    axes.set_xlim(-0.8, 0.8)
    axes.set_title(title, fontsize=10)
    label = "—" if value is None else f"{value:.0%}".replace("%", " %") if percent else f"{value:.2f}".replace(".", ",")
    axes.text(0, min(shown, top) + top * 0.02, label, ha="center", fontsize=9)
    if percent:
        axes.set_yticks([0, 0.25, 0.5, 0.75, 1.0], ["0 %", "25 %", "50 %", "75 %", "100 %"])
    _style(axes)


def scorecard_png_bytes(scorecard: Scorecard) -> bytes:
    m = scorecard.measures
    figure = Figure(figsize=(11, 3.4))
    panels = figure.subplots(1, 5)
    _measure_panel(panels[0], "Reflets / questions", m.r_q, THRESHOLDS["r_q"], 3.0, percent=False)
    _measure_panel(panels[1], "Reflets complexes", m.complex_share, THRESHOLDS["complex_share"], 1.0, percent=True)
    _measure_panel(panels[2], "Questions ouvertes", m.open_share, THRESHOLDS["open_share"], 1.0, percent=True)
    panels[0].legend(loc="upper right", fontsize=7, frameon=False)
    counts = [len(scorecard.pressure), len(scorecard.persuasion)]
    panels[3].bar([0, 1], counts, color=[VERMILLION, ORANGE], width=0.6)
    panels[3].set_xticks([0, 1], ["pressions", "persuasion"], fontsize=8)
    panels[3].set_title("Incidents (repère : 0)", fontsize=10)
    panels[3].set_ylim(0, max(3, *counts) + 1)
    panels[3].yaxis.set_major_locator(MaxNLocator(integer=True))
    panels[3].spines["top"].set_visible(False)
    panels[3].spines["right"].set_visible(False)
    score_colour = GREEN if scorecard.score >= 4 else ORANGE if scorecard.score >= 3 else VERMILLION
    panels[4].bar([0], [scorecard.score], color=score_colour, width=0.6)
    if scorecard.cap is not None:
        panels[4].axhline(scorecard.cap, color=VERMILLION, linestyle=":", linewidth=1.5, label="plafond")
        panels[4].legend(loc="upper right", fontsize=7, frameon=False)
    panels[4].set_ylim(0, 5.5)
    panels[4].set_xlim(-0.8, 0.8)
    panels[4].set_title("Note globale (1 à 5)", fontsize=10)
    panels[4].text(0, scorecard.score + 0.1, _score(scorecard.score), ha="center", fontsize=11, fontweight="bold")
    _style(panels[4])
    figure.suptitle(f"Jeu de rôle « {scorecard.id} »", fontsize=11)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
    return buffer.getvalue()


def scorecard_png(scorecard: Scorecard, path: str | Path) -> Path:
    """Writes the scorecard's picture (PNG) to `path` and returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(scorecard_png_bytes(scorecard))
    return path
