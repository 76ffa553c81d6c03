"""The HTML report: self-contained, accessible, with its charts as PNG data URIs and the figures of the period."""

from __future__ import annotations

import base64
import re
from datetime import date, datetime
from html.parser import HTMLParser

from bot.cases import CaseStore
from bot.cases.models import CallbackTask, TaskStatus
from bot.reports.html import render_html
from bot.reports.kpis import KpiReport, compute_kpis
from bot.reports.source import Period, StoreSource
from tests.bot.reports.dataset import SINCE, TODAY, UNTIL

NNBSP = "\u202f"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class Page(HTMLParser):
    """Collects what the accessibility checks need."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.images: list[dict[str, str | None]] = []
        self.headings: list[str] = []
        self.captions = 0
        self.tables = 0
        self.lang: str | None = None
        self._heading: str | None = None
        self._text: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        if tag == "img":
            self.images.append(dict(attrs))
        if tag in ("h1", "h2", "h3"):
            self._heading, self._text = tag, []
        self.captions += tag == "caption"
        self.tables += tag == "table"
        self.scripts += tag == "script"

    def handle_data(self, data: str) -> None:
        if self._heading:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == self._heading:
            self.headings.append(f"{tag}:{''.join(self._text)}")
            self._heading = None


def report_of(store: CaseStore, since: date | None = SINCE, until: date = UNTIL) -> KpiReport:
    source = StoreSource(store.url)
    with source.reading():
        return compute_kpis(source, Period(since, until), TODAY)


def parse(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    return parser


def test_the_page_embeds_five_charts_and_the_figures(kpi_store: CaseStore) -> None:
    page = render_html(report_of(kpi_store))
    parsed = parse(page)
    assert len(parsed.images) == 5
    for image in parsed.images:
        source = image["src"] or ""
        assert source.startswith("data:image/png;base64,")
        assert base64.b64decode(source.split(",", 1)[1]).startswith(PNG_MAGIC)
        assert len(image["alt"] or "") > 40  # an alternative text that says what the chart shows
    alts = " ".join(image["alt"] or "" for image in parsed.images)
    assert "4 accords pour 1\u202f815,50\xa0€" in alts and "situation de vulnérabilité : 2" in alts
    assert "anxiété : 3" in alts and "moyenne 4,00 sur 5" in alts and "3 échéances tenues sur 5" in alts
    for figure in (
        f"1{NNBSP}815,50\xa0€",
        f"75,0{NNBSP}%",
        f"60,0{NNBSP}%",
        f"15,8{NNBSP}%",
        "34 jours",
        f"80,0{NNBSP}%",
        "4,00 / 5",
    ):
        assert figure in page, figure
    assert "semaine la plus active : celle du 9 novembre 2026" in alts
    assert '<td class="nombre">915,50\xa0€</td>' in page  # the week of 9 November in the agreements table


def test_the_page_is_accessible_and_self_contained(kpi_store: CaseStore) -> None:
    page = render_html(report_of(kpi_store))
    parsed = parse(page)
    assert parsed.lang == "fr"
    assert parsed.headings[0].startswith("h1:Indicateurs de recouvrement amiable du 1er novembre 2026")
    assert [heading for heading in parsed.headings if heading.startswith("h2:")] == [
        "h2:Synthèse",
        "h2:Accords",
        "h2:Promesses tenues et recouvrement",
        "h2:Passages à un conseiller",
        "h2:Émotions rencontrées",
        "h2:Satisfaction",
        "h2:Définitions",
    ]
    assert parsed.tables >= 6 and parsed.captions == parsed.tables
    assert parsed.scripts == 0
    assert not re.search(r"""(src|href)=["']https?:""", page)  # nothing fetched from elsewhere
    assert '<th scope="col">' in page and '<th scope="row">' in page


def test_an_empty_period_has_no_chart_but_says_so(sqlite_store: CaseStore) -> None:
    page = render_html(report_of(sqlite_store))
    parsed = parse(page)
    assert parsed.images == []
    assert page.count("aucune donnée à représenter sur la période") == 5
    assert "non disponible" in page and "aucune note" in page


def test_text_from_the_store_is_escaped(kpi_store: CaseStore) -> None:
    with kpi_store.session() as session:
        session.add(
            CallbackTask(
                reason="<img src=x onerror=alert(1)>",
                summary="Résumé.",
                due_at=datetime(2026, 11, 5, 9, 0),
                status=TaskStatus.A_FAIRE,
                created_at=datetime(2026, 11, 5, 9, 0),
            )
        )
    page = render_html(report_of(kpi_store))
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert len(parse(page).images) == 5
