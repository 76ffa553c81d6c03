from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from aiohttp import web

from bot.cases import CaseStore
from bot.cases.demo import load_demo_data
from bot.cases.models import CaseStatus, Channel
from bot.cases.schemas import REFERENCE_PATTERN
from bot.cli import build_parser, main
from bot.cli.bench_load import FLOOR_PROJECT
from bot.negotiation import propose_options
from bot.negotiation.capacity import declared_capacity
from bot.negotiation.dialogue import JOUR_PAIE, pay_day_answer
from bot.negotiation.models import OptionKind
from bot.negotiation.profile import ProfileKind, infer_profile
from bot.serving import loadtest
from bot.serving.loadtest import (
    AGREEMENT_MARK,
    AMOUNTS,
    FAMILIAR,
    FLOOR_TURNS,
    FORMAL,
    STEPS,
    TEMPLATE_REFERENCES,
    Configuration,
    ConfigurationReport,
    LevelRun,
    LoadCase,
    Script,
    arrangement_counts,
    arrangement_mismatches,
    conversation_scripts,
    conversations_per_level,
    floor_scripts,
    latency_plot,
    level_report,
    parse_levels,
    parse_vm_hwm,
    peak_memory_kib,
    percentile,
    run_level,
    seed_case_store,
    synthetic_cases,
    table,
)

TODAY = date.fromisoformat(loadtest.DEMO_TODAY)
APOLOGY = "Désolé, je rencontre un problème technique. Pouvez-vous renvoyer votre message dans un instant ?"
DEMO = load_demo_data()


# ------------------------------------------------------------------------------------------------ statistics


def test_percentiles_interpolate_between_closest_ranks() -> None:
    values = [float(ms) for ms in range(100, 0, -1)]  # unsorted on purpose
    assert percentile(values, 50) == pytest.approx(50.5)
    assert percentile(values, 95) == pytest.approx(95.05)
    assert percentile(values, 99) == pytest.approx(99.01)
    assert percentile(values, 0) == 1.0 and percentile(values, 100) == 100.0
    assert percentile([7.0], 99) == 7.0
    assert percentile([10.0, 20.0], 50) == 15.0


@pytest.mark.parametrize("values, q", [([], 50), ([1.0], -1), ([1.0], 101)])
def test_percentile_refuses_what_has_no_meaning(values: list[float], q: float) -> None:
    with pytest.raises(ValueError):
        percentile(values, q)


def test_a_level_report_counts_both_kinds_of_errors_separately() -> None:
    ok = loadtest.ConversationResult("a", "REC-2026-900001", [10.0, 20.0, 30.0], reached_agreement=True)
    http = loadtest.ConversationResult("b", "REC-2026-900002", [40.0], http_errors=2, failure="tour 2 : HTTP 500")
    empty = loadtest.ConversationResult(
        "c", "REC-2026-900003", [50.0, 60.0], empty_answers=1, reached_agreement=True, failure="tour 1 : réponse vide"
    )
    report = level_report(LevelRun(3, [ok, http, empty], seconds=2.0), {"rasa": 1000, "actions": None})
    assert (report.conversations, report.turns, report.turns_per_second) == (3, 6, 3.0)
    assert (report.http_errors, report.empty_answers, report.turn_errors, report.without_agreement) == (2, 1, 3, 1)
    assert report.p50_ms == 35.0 and report.max_ms == 60.0
    assert [failure["sender"] for failure in report.failures] == ["b", "c"]
    data = report.as_dict()
    assert data["errors"] == {
        "turns": 3,
        "http": 2,
        "empty_answers": 1,
        "apologies": 0,
        "conversations_without_agreement": 1,
    }
    assert data["peak_memory_kib"] == {"rasa": 1000, "actions": None}
    assert data["p50_ms_by_turn"] == [40.0, 40.0, 30.0]  # turn 1: 10, 40, 50 ms; turn 2: 20, 60; turn 3: 30


def test_levels_and_conversation_counts() -> None:
    assert parse_levels("1,10,50") == [1, 10, 50]
    assert parse_levels(" 2 , 3,") == [2, 3]
    for bad in ("", "0", "un,dix", "1,-2"):
        with pytest.raises(ValueError):
            parse_levels(bad)
    assert conversations_per_level([1, 10, 50], 10) == [10, 10, 50]
    assert conversations_per_level([1, 2], 2) == [2, 2]


# ---------------------------------------------------------------------------------------------------- memory

STATUS = """Name:\tpython
VmPeak:\t 1234568 kB
VmSize:\t 1200000 kB
VmHWM:\t  745916 kB
VmRSS:\t  700000 kB
Threads:\t12
"""


def test_vm_hwm_is_read_from_the_status_text() -> None:
    assert parse_vm_hwm(STATUS) == 745916
    assert parse_vm_hwm(STATUS.replace("VmHWM", "VmXXX")) is None
    assert parse_vm_hwm("") is None


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="Linux /proc only")
def test_peak_memory_of_a_live_process_and_of_a_gone_one() -> None:
    own = peak_memory_kib(os.getpid())
    assert own is not None and own > 1000
    assert peak_memory_kib(2**22 + 12345) is None  # above pid_max: no such process


# ------------------------------------------------------------------------------------------ cases & scripts


def _cases(count: int) -> list[LoadCase]:
    return [
        LoadCase(case.reference, case.debtor.birth_date, case.debtor.civility) for case in synthetic_cases(DEMO, count)
    ]


def test_synthetic_cases_clone_the_templates_under_fresh_valid_references() -> None:
    data = DEMO
    clones = synthetic_cases(data, 20)
    references = [clone.reference for clone in clones]
    assert len(set(references)) == 20
    assert all(REFERENCE_PATTERN.match(reference) for reference in references)
    assert not set(references) & {case.reference for case in data.cases}
    templates = {case.reference: case for case in data.cases}
    for index, clone in enumerate(clones):
        template = templates[TEMPLATE_REFERENCES[index % len(TEMPLATE_REFERENCES)]]
        assert clone.debtor == template.debtor and clone.principal == template.principal
        assert clone.creditor == template.creditor
    with pytest.raises(ValueError):
        synthetic_cases(data, -1)


def test_templates_are_open_cases_with_nothing_recorded() -> None:
    templates = {case.reference: case for case in DEMO.cases}
    for reference in TEMPLATE_REFERENCES:
        case = templates[reference]
        assert case.status is CaseStatus.OUVERT, reference
        assert not (case.payments or case.arrangement or case.dispute or case.complaint), reference


@pytest.mark.parametrize("kind", [ProfileKind.DIFFICULTE_PONCTUELLE, ProfileKind.DIFFICULTE_DURABLE])
def test_every_scripted_amount_leaves_two_payment_options_on_every_template(kind: ProfileKind) -> None:
    """Choosing the first or the second option always records an arrangement (never an orientation)."""
    data = DEMO
    policies = {creditor.key: creditor.policy for creditor in data.creditors}
    emotions = ["tristesse"] if kind is ProfileKind.DIFFICULTE_DURABLE else ["neutre"]
    profile = infer_profile(intents=["difficultes_financieres"], emotions=emotions, today=TODAY)
    assert profile.kind is kind
    templates = {case.reference: case for case in data.cases}
    for reference in TEMPLATE_REFERENCES:
        case = templates[reference]
        for amount in AMOUNTS:
            for pay_day in (1, 5, 8, 10, 15):
                options = propose_options(
                    case.total,
                    policies[case.creditor],
                    declared_capacity(Decimal(amount)),
                    TODAY,
                    pay_day=pay_day,
                    profile=profile,
                )
                kinds = [option.kind for option in options[:2]]
                assert len(kinds) == 2 and OptionKind.ORIENTATION not in kinds, (reference, amount, kinds)


def test_every_script_is_a_whole_negotiation_on_its_own_case() -> None:
    cases = _cases(60)
    scripts = conversation_scripts(cases, "charge-test")
    assert [script.reference for script in scripts] == [case.reference for case in cases]
    assert len({script.reference for script in scripts}) == len(scripts)
    assert len({script.sender for script in scripts}) == len(scripts)
    for script, case in zip(scripts, cases):
        assert len(script.turns) == len(STEPS) and all(turn.strip() for turn in script.turns)
        assert "{" not in "".join(script.turns), script.turns  # every placeholder filled
        greeting, reference, birth, difficulty, amount, pay_day, choice, confirmation = script.turns
        assert case.reference in reference.upper()
        numeric = case.birth_date.strftime("%d/%m/%Y")
        assert numeric in birth or f"{case.birth_date.day} " in birth and str(case.birth_date.year) in birth
        assert re.search(r"\b(\d+)\s*(€|euros|balles)", amount)
        assert int(re.search(r"\d+", amount).group()) in AMOUNTS
        day = pay_day_answer({"text": pay_day, "intent": {"name": "proposer_paiement"}}, JOUR_PAIE)
        assert day is not None and 1 <= day <= 31, pay_day  # read as the form reads it
        assert re.search(r"premi|deuxi|\b[12]\b", choice), choice
        assert confirmation.lower().startswith(("oui", "ok"))
        assert not re.search(r"\{|REC-", difficulty)


def test_the_wording_varies_across_conversations_in_both_registers() -> None:
    scripts = conversation_scripts(_cases(40), "charge-test")
    assert {script.register for script in scripts} == {FORMAL, FAMILIAR}
    for step in (0, 2, 5, 7):  # greeting, birth date, pay day, confirmation
        assert len({script.turns[step] for script in scripts}) >= 4, STEPS[step]
    assert len({script.turns[3] for script in scripts}) >= 6  # difficulty reasons
    assert len({script.turns[4] for script in scripts}) >= 10  # amounts x wordings
    assert len({script.turns[6] for script in scripts}) == 5  # every choice wording is used
    assert len({script.turns[2:] for script in scripts}) == len(scripts)  # no two conversations say the same


def test_gender_agreement_follows_the_civility() -> None:
    madame = LoadCase("REC-2026-900001", date(1987, 4, 12), "Madame")
    monsieur = LoadCase("REC-2026-900002", date(1962, 11, 3), "Monsieur")
    said = {turn for index in range(40) for turn in loadtest.conversation_script(madame, index, "x").turns}
    assert "Je suis née le 12 avril 1987." in said and "Je suis passée à temps partiel" in " ".join(said)
    said = {turn for index in range(40) for turn in loadtest.conversation_script(monsieur, index, "x").turns}
    assert "Je suis né le 3 novembre 1962." in said and "Je suis passé à temps partiel" in " ".join(said)


def test_the_case_store_holds_the_demo_data_and_the_clones(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cases.db'}"
    cases = seed_case_store(url, 9)
    store = CaseStore(url)
    assert len(store.case_views()) == len(DEMO.cases) + 9
    assert all(store.verify(case.reference, birth_date=case.birth_date) for case in cases)
    references = [case.reference for case in cases]
    assert arrangement_counts(url, references) == dict.fromkeys(references, 0)
    assert arrangement_mismatches(url, references) == dict.fromkeys(references, 0)
    view = store.case_view(references[0])
    option = propose_options(view, view.policy, declared_capacity(Decimal(60)), TODAY, pay_day=5)[0]
    store.record_arrangement(references[0], option, channel=Channel.CHAT, idempotency_key="k1", today=TODAY)
    assert arrangement_counts(url, references)[references[0]] == 1
    assert references[0] not in arrangement_mismatches(url, references)


# ------------------------------------------------------------------------------------------------- the client


def _fake_rasa(failing: dict[str, int], empty: set[str]) -> web.Application:
    """Answers like the REST channel; some messages get an error status, no text or the channel's apology."""

    async def webhook(request: web.Request) -> web.Response:
        body = await request.json()
        message = body["message"]
        if message in failing:
            return web.Response(status=failing[message], text="erreur")
        if message in empty:
            return web.json_response([])
        if message == "incident":
            return web.json_response([{"recipient_id": body["sender"], "text": APOLOGY}])
        reply = f"C'est noté, merci ! {AGREEMENT_MARK} : échéancier." if message == "oui" else f"reçu : {message}"
        return web.json_response([{"recipient_id": body["sender"], "text": reply}])

    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", webhook)
    return app


async def _play(scripts: list[Script], concurrency: int, failing: dict[str, int], empty: set[str]) -> LevelRun:
    runner = web.AppRunner(_fake_rasa(failing, empty))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    turns = [0]
    try:
        run = await run_level(
            f"http://127.0.0.1:{port}", scripts, concurrency, lambda: turns.__setitem__(0, turns[0] + 1)
        )
    finally:
        await runner.cleanup()
    assert turns[0] == sum(len(result.latencies_ms) for result in run.results)
    return run


def test_the_client_times_every_turn_and_tells_the_failures_apart() -> None:
    scripts = [
        Script("s1", "REC-2026-900001", FORMAL, ("bonjour", "REC", "oui")),
        Script("s2", "REC-2026-900002", FORMAL, ("bonjour", "plante", "oui")),
        Script("s3", "REC-2026-900003", FAMILIAR, ("bonjour", "muet", "non")),
        Script("s4", "REC-2026-900004", FAMILIAR, ("incident", "bonjour", "non")),
    ]
    run = asyncio.run(_play(scripts, 2, failing={"plante": 500}, empty={"muet"}))
    by_sender = {result.sender: result for result in run.results}
    assert by_sender["s1"].reached_agreement and by_sender["s1"].failure is None
    assert len(by_sender["s1"].latencies_ms) == 3 and all(ms > 0 for ms in by_sender["s1"].latencies_ms)
    assert by_sender["s2"].http_errors == 1 and by_sender["s2"].reached_agreement
    assert "HTTP 500" in (by_sender["s2"].failure or "")
    assert by_sender["s3"].empty_answers == 1 and not by_sender["s3"].reached_agreement
    assert by_sender["s4"].apologies == 1 and "excuse" in (by_sender["s4"].failure or "")
    assert by_sender["s4"].transcript[0] == {"user": "incident", "bot": [APOLOGY]}
    report = level_report(run, {})
    assert (report.http_errors, report.empty_answers, report.apologies) == (1, 1, 1)
    assert (report.turn_errors, report.without_agreement, report.turns) == (3, 2, 12)


def test_a_server_that_does_not_answer_ends_the_conversation() -> None:
    async def refused() -> LevelRun:
        return await run_level("http://127.0.0.1:9", [Script("s", "R", FORMAL, ("bonjour", "oui"))], 1)

    result = asyncio.run(refused()).results[0]
    assert result.http_errors == 1 and result.latencies_ms == [] and not result.reached_agreement
    assert "pas de réponse" in (result.failure or "")


# --------------------------------------------------------------------------------------- rendering and CLI


def _report(key: str, label: str, p50: float) -> ConfigurationReport:
    levels = []
    for concurrency in (1, 10, 50):
        result = loadtest.ConversationResult(
            "s", "R", [p50 * concurrency, p50 * concurrency * 3], reached_agreement=True
        )
        levels.append(level_report(LevelRun(concurrency, [result], 1.5), {"rasa": 700_000, "actions": 650_000}))
    return ConfigurationReport(Configuration(key, label, Path(f"models/{key}.tar.gz")), levels, {}, 3, {}, 12.0)


def test_the_plot_is_written_as_a_png(tmp_path: Path) -> None:
    path = latency_plot([_report("amiable", "Amiable", 20.0), _report("peer", "Pair", 80.0)], tmp_path / "a" / "l.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 5000


def test_the_table_is_in_french_with_both_configurations() -> None:
    report = _report("amiable", "Amiable", 20.0)
    report.mismatches = {"REC-2026-900002": 0}
    report.log_problems = {"rasa": ["WARNING  bot.channels.rest  - Turn abandoned"], "actions": []}
    text = table([report, _report("peer", "Pair", 80.0)], (1.5, 1.0, 0.5), (2.25, 1.0, 0.5))
    assert "Amiable — models/amiable.tar.gz" in text and "Pair — models/peer.tar.gz" in text
    assert "2/3 conversation(s) avec exactement un accord ; écarts : REC-2026-900002 (0)" in text
    assert "journal rasa : WARNING  bot.channels.rest  - Turn abandoned" in text
    assert "p95 ms" in text and "684 Mo" in text and "avant 1,50 / 1,00 / 0,50, après 2,25" in text


def test_the_cli_parser_knows_the_load_benchmark() -> None:
    arguments = build_parser().parse_args(
        ["bench", "load", "--json", "--concurrency", "1,2", "--conversations", "2", "--no-peer", "--plot", "x.png"]
    )
    assert (arguments.json, arguments.concurrency, arguments.conversations, arguments.no_peer) == (
        True,
        "1,2",
        2,
        True,
    )
    assert arguments.plot == Path("x.png")
    defaults = build_parser().parse_args(["bench", "load"])
    assert (defaults.concurrency, defaults.conversations, defaults.no_peer) == ("1,10,50", 10, False)
    assert defaults.plot == Path("reports") / "load.png" and not defaults.json


@pytest.mark.parametrize("argv", [["--concurrency", "un,dix"], ["--concurrency", "0"], ["--conversations", "0"]])
def test_bad_arguments_are_refused_in_french(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "load", "--no-peer", *argv]) == 2
    error = capsys.readouterr().err
    assert error.strip() and ("virgules" in error or "au moins" in error)


def test_json_output_is_serialisable() -> None:
    data = _report("amiable", "Amiable", 20.0).as_dict()
    again = json.loads(json.dumps(data))
    assert [level["concurrency"] for level in again["levels"]] == [1, 10, 50]
    assert again["arrangements"] == {"conversations": 3, "with_exactly_one": 3, "mismatches": {}}


def _failing_trainings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """A trained Amiable model in tmp_path, and every training command recorded then failed."""
    from bot.cli import bench_load

    model = tmp_path / "amiable.tar.gz"
    model.write_bytes(b"model")
    calls: list[list[str]] = []

    def failing_training(command: list[str], **options: object) -> subprocess.CompletedProcess[bytes]:
        calls.append(command)
        assert options["stdout"] is sys.stderr  # stdout stays for the table or the JSON
        return subprocess.CompletedProcess(command, 1)

    monkeypatch.setattr(bench_load, "MODEL", model)
    monkeypatch.setattr(bench_load.subprocess, "run", failing_training)
    return calls


def test_a_missing_peer_model_is_trained_first_with_amiable_train(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import bench_load

    calls = _failing_trainings(tmp_path, monkeypatch)
    monkeypatch.setattr(bench_load, "PEER_MODEL", tmp_path / "rasa_default.tar.gz")
    assert main(["bench", "load"]) == 1
    [command] = calls
    assert command[-5:] == [
        "train",
        "--config",
        str(Path("benchmarks/pipelines/rasa_default.yml")),
        "--name",
        "rasa_default",
    ]
    assert "--no-peer" in capsys.readouterr().err
    calls.clear()
    monkeypatch.setattr(bench_load, "MODEL", tmp_path / "absent.tar.gz")
    assert main(["bench", "load"]) == 2 and calls == []


def test_the_apology_mark_is_the_rest_channel_s_apology() -> None:
    from bot.channels.rest import APOLOGY as CHANNEL_APOLOGY

    assert loadtest.APOLOGY_MARK in CHANNEL_APOLOGY


def test_log_problems_keep_distinct_errors_and_warnings_without_timestamps() -> None:
    log = "\n".join(
        [
            "2026-11-25 23:54:13 INFO     rasa.core  - Starting",
            "2026-11-25 23:54:14 WARNING  bot.channels.rest  - Turn abandoned (ClientOSError)",
            "2026-11-25 23:54:15 WARNING  bot.channels.rest  - Turn abandoned (ClientOSError)",
            "2026-11-25 23:54:16 ERROR    rasa.core.processor  - Boom",
            "Traceback (most recent call last):",
            "/x.py:1: UserWarning: noise",
        ]
    )
    assert loadtest.log_problems(log) == [
        "WARNING  bot.channels.rest  - Turn abandoned (ClientOSError)",
        "ERROR    rasa.core.processor  - Boom",
        "Traceback (most recent call last):",
    ]
    assert len(loadtest.log_problems(log, limit=1)) == 1
    assert loadtest.log_problems("") == []


# ------------------------------------------------------------------------------------------------- the floor


def test_the_floor_plays_small_talk_as_long_as_a_negotiation_and_expects_no_agreement() -> None:
    scripts = floor_scripts(3, "plancher")
    assert [script.sender for script in scripts] == ["plancher-00000", "plancher-00001", "plancher-00002"]
    assert all(len(script.turns) == len(STEPS) and not script.expects_agreement for script in scripts)
    floor_domain = (FLOOR_PROJECT / "data" / "nlu.yml").read_text(encoding="utf-8")
    assert all(f"- {turn}\n" in floor_domain for turn in set(FLOOR_TURNS))  # every turn is a known keyword


def test_small_talk_without_agreement_is_not_a_failure_but_an_error_still_is() -> None:
    answered = loadtest.ConversationResult("a", "", [5.0, 6.0], expects_agreement=False)
    broken = loadtest.ConversationResult(
        "b", "", [7.0], http_errors=1, failure="tour 2 : HTTP 500", expects_agreement=False
    )
    negotiation = loadtest.ConversationResult("c", "REC-2026-900001", [8.0])
    report = level_report(LevelRun(2, [answered, broken, negotiation], seconds=1.0), {"rasa": 1000})
    assert report.without_agreement == 1 and [failure["sender"] for failure in report.failures] == ["b", "c"]


def test_a_floor_conversation_is_played_without_an_agreement_failure() -> None:
    run = asyncio.run(_play(floor_scripts(2, "p"), 2, failing={}, empty=set()))
    assert all(result.failure is None and len(result.latencies_ms) == len(FLOOR_TURNS) for result in run.results)
    assert level_report(run, {}).without_agreement == 0


def test_the_table_shows_the_floor_without_agreements_nor_action_server() -> None:
    levels = [
        level_report(
            LevelRun(1, [loadtest.ConversationResult("s", "", [9.0], expects_agreement=False)], 1.0), {"rasa": 675_840}
        )
    ]
    configuration = Configuration(
        "rasa_floor", "Plancher Rasa (assistant minimal)", Path("models/rasa_floor.tar.gz"), False
    )
    report = ConfigurationReport(configuration, levels, {"rasa": 675_840}, 1, {}, 7.0)
    text = table([report], (0.5, 0.5, 0.5), (0.5, 0.5, 0.5))
    assert "Plancher Rasa (assistant minimal) — models/rasa_floor.tar.gz" in text
    assert "exactement un accord" not in text and "réponses seules" in text
    row = next(line for line in text.splitlines() if line.strip().startswith("1 "))
    assert row.split()[-4:] == ["—", "660", "Mo", "—"]  # no agreement expected, no action server
    assert "actions — ;" in text
    assert report.as_dict()["arrangements"] is None and report.as_dict()["negotiates"] is False


def test_the_cli_trains_the_floor_with_rasa_on_its_own_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import bench_load

    calls = _failing_trainings(tmp_path, monkeypatch)
    monkeypatch.setattr(bench_load, "FLOOR_MODEL", tmp_path / "rasa_floor.tar.gz")
    assert main(["bench", "load", "--no-peer", "--floor"]) == 1
    [command] = calls
    assert command[1:4] == ["-m", "rasa", "train"]
    assert command[command.index("--config") + 1] == str(FLOOR_PROJECT / "config.yml")
    assert command[command.index("--fixed-model-name") + 1] == "rasa_floor"
    assert "plancher" in capsys.readouterr().err
    (tmp_path / "rasa_floor.tar.gz").write_bytes(b"model")  # newer than the floor's project files: not retrained
    assert bench_load._train_floor() and len(calls) == 1
