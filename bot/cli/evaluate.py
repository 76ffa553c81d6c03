"""`amiable eval nlu FILE` and `amiable bench nlu`: quality and speed of the language understanding."""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path

from bot.cli import bench_load
from bot.evaluation.dataset import DatasetError, load_examples
from bot.evaluation.metrics import Scores

DEFAULT_MODEL = Path("models") / "amiable.tar.gz"
BENCH_FILES = (Path("tests") / "data" / "nlu_frozen_test.yml",)


def register(commands: argparse._SubParsersAction) -> None:
    evaluate = commands.add_parser("eval", help="évalue la compréhension sur des données annotées")
    kinds = evaluate.add_subparsers(dest="eval_kind", metavar="TYPE", required=True)
    nlu = kinds.add_parser("nlu", help="intentions, émotions et entités (fichier Rasa NLU YAML 3.1)")
    nlu.add_argument("file", type=Path, help="données annotées (metadata: {emotion: …}, entités avec valeur)")
    nlu.add_argument("--json", action="store_true", help="imprime un objet JSON")
    nlu.add_argument("--plots", type=Path, metavar="DOSSIER", help="écrit les matrices de confusion en PNG")
    nlu.add_argument(
        "--today",
        type=date.fromisoformat,
        default=date.today(),
        metavar="AAAA-MM-JJ",
        help="date de référence des dates relatives (défaut : aujourd'hui)",
    )
    nlu.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    nlu.set_defaults(handler=_eval_nlu)

    acts = kinds.add_parser("acts", help="actes de l'agent (fichier Rasa NLU YAML 3.1, un bloc « intent » par acte)")
    acts.add_argument("file", type=Path, help="messages d'agents annotés")
    acts.add_argument("--json", action="store_true", help="imprime un objet JSON")
    acts.add_argument("--plots", type=Path, metavar="DOSSIER", help="écrit la matrice de confusion en PNG")
    acts.set_defaults(handler=_eval_acts)

    bench = commands.add_parser("bench", help="mesures de performance")
    bench_kinds = bench.add_subparsers(dest="bench_kind", metavar="TYPE", required=True)
    bench_nlu = bench_kinds.add_parser("nlu", help="latence d'analyse d'un message (p50/p95)")
    bench_nlu.add_argument("--messages", type=int, default=600, help="nombre de messages analysés (défaut 600)")
    bench_nlu.add_argument("--json", action="store_true")
    bench_nlu.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    bench_nlu.set_defaults(handler=_bench_nlu)
    bench_assist = bench_kinds.add_parser("assist", help="latence des suggestions à l'agent (p50/p95, en parallèle)")
    bench_assist.add_argument(
        "--url", help="serveur Rasa déjà lancé (défaut : en démarrer un sur des ports libres, données de démo)"
    )
    bench_assist.add_argument(
        "--concurrency", default="1,10", help="conversations simultanées, séparées par des virgules (défaut 1,10)"
    )
    bench_assist.add_argument("--messages", type=int, default=30, help="messages par conversation (défaut 30)")
    bench_assist.add_argument(
        "--pause",
        type=float,
        default=0.0,
        metavar="SECONDES",
        help="pause moyenne entre deux messages d'une conversation, comme un débiteur qui écrit (défaut 0 : sans"
        " pause, la charge maximale)",
    )
    bench_assist.add_argument("--json", action="store_true")
    bench_assist.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    bench_assist.set_defaults(handler=_bench_assist)
    bench_load.register(bench_kinds)


def _progress(done: int, total: int) -> None:
    if done == total or done % 25 == 0:
        print(f"\r  {done}/{total} messages analysés", end="\n" if done == total else "", file=sys.stderr, flush=True)


def _table(title: str, table: dict[str, Scores], macro: float) -> str:
    lines = [f"\n{title}", f"  {'étiquette':<26}{'précision':>10}{'rappel':>9}{'F1':>8}{'n':>6}"]
    for label, s in sorted(table.items()):
        lines.append(f"  {label:<26}{s.precision:>10.3f}{s.recall:>9.3f}{s.f1:>8.3f}{s.support:>6}")
    lines.append(f"  {'macro-F1':<26}{'':>10}{'':>9}{macro:>8.3f}")
    return "\n".join(lines)


def _model_or_error(model: Path) -> bool:
    if model.is_file():
        return True
    print(f"Modèle introuvable : {model}. Entraînez-le d'abord : amiable train", file=sys.stderr)
    return False


def _eval_nlu(arguments: argparse.Namespace) -> int:
    from bot.evaluation.nlu import evaluate_nlu
    from bot.evaluation.plots import confusion_png

    try:
        examples = load_examples(arguments.file)
    except DatasetError as error:
        print(f"Données d'évaluation invalides : {error}", file=sys.stderr)
        return 2
    if not _model_or_error(arguments.model):
        return 2
    print(
        f"Évaluation de {len(examples)} exemples (date de référence {arguments.today.isoformat()})…",
        file=sys.stderr,
        flush=True,
    )
    report = evaluate_nlu(examples, arguments.model, arguments.today, _progress)
    if arguments.plots:
        for name, title, pairs in (
            ("intent", "intentions", report.intent_pairs),
            ("emotion", "émotions", report.emotion_pairs),
        ):
            if pairs:
                path = confusion_png(
                    pairs, f"Matrice de confusion — {title}", arguments.plots / f"{name}_confusion.png"
                )
                print(f"Image : {path}", file=sys.stderr)
    if arguments.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        return 0
    print(_table("Intentions", report.intent, report.intent_macro_f1))
    print(_table("Émotions", report.emotion, report.emotion_macro_f1))
    print(_table("Entités (texte, type et valeur normalisée)", report.entity_per_label, report.entity.f1))
    print(
        f"\nEntités, toutes confondues : précision {report.entity.precision:.3f}, rappel {report.entity.recall:.3f},"
        f" F1 {report.entity.f1:.3f}"
    )
    print(f"{len(report.errors)} exemple(s) avec au moins une erreur (détail : --json).")
    return 0


def _eval_acts(arguments: argparse.Namespace) -> int:
    from bot.assist import load_classifier
    from bot.evaluation.acts import evaluate_acts
    from bot.evaluation.plots import confusion_png

    try:
        examples = load_examples(arguments.file)
        report = evaluate_acts(examples, load_classifier())
    except (DatasetError, ValueError) as error:
        print(f"Données d'évaluation invalides : {error}", file=sys.stderr)
        return 2
    if arguments.plots:
        path = confusion_png(
            report.pairs, "Matrice de confusion — actes de l'agent", arguments.plots / "acts_confusion.png"
        )
        print(f"Image : {path}", file=sys.stderr)
    if arguments.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        return 0
    print(_table("Actes de l'agent", report.per_act, report.macro_f1))
    print(f"{len(report.errors)} message(s) mal classé(s) (détail : --json).")
    return 0


def _bench_nlu(arguments: argparse.Namespace) -> int:
    from bot.evaluation.nlu import load_parser

    if not _model_or_error(arguments.model):
        return 2
    texts = [example.text for path in BENCH_FILES for example in load_examples(path)]
    messages = [texts[i % len(texts)] for i in range(max(1, arguments.messages))]
    print(f"Chargement du modèle puis analyse de {len(messages)} messages…", file=sys.stderr, flush=True)
    parse = load_parser(arguments.model, date.today())
    for text in texts[:20]:  # warm-up: TensorFlow traces its graphs on the first calls
        parse(text)
    latencies = []
    for index, text in enumerate(messages, 1):
        started = time.perf_counter()
        parse(text)
        latencies.append((time.perf_counter() - started) * 1000)
        _progress(index, len(messages))
    latencies.sort()
    result = {
        "messages": len(latencies),
        "p50_ms": round(statistics.median(latencies), 2),
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 2),
        "mean_ms": round(statistics.fmean(latencies), 2),
        "max_ms": round(latencies[-1], 2),
    }
    if arguments.json:
        print(json.dumps(result))
    else:
        print(
            f"Latence d'analyse sur {result['messages']} messages : p50 {result['p50_ms']} ms,"
            f" p95 {result['p95_ms']} ms (moyenne {result['mean_ms']} ms, max {result['max_ms']} ms)"
        )
    return 0


def _bench_assist(arguments: argparse.Namespace) -> int:
    import asyncio
    import contextlib
    import socket
    import tempfile

    from bot import settings
    from bot.assist.bench import ROUTE_NAMES, SUGGESTIONS, UNDERSTANDING, measure
    from bot.cases import CaseStore
    from bot.cases.demo import load_demo_data, seed
    from bot.serving import Stack, StackConfig

    try:
        levels = [int(level) for level in arguments.concurrency.split(",") if level.strip()]
    except ValueError:
        print("--concurrency attend des nombres séparés par des virgules, par exemple 1,10", file=sys.stderr)
        return 2
    if not levels or min(levels) < 1 or arguments.messages < 1:
        print("Il faut au moins une conversation et un message.", file=sys.stderr)
        return 2
    if not 0 <= arguments.pause <= 60:
        print("--pause attend un nombre de secondes entre 0 et 60.", file=sys.stderr)
        return 2
    texts = [example.text for path in BENCH_FILES for example in load_examples(path)]

    def free_port() -> int:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            return probe.getsockname()[1]

    with contextlib.ExitStack() as resources:
        if arguments.url:
            base_url, token = arguments.url.rstrip("/"), settings.api_token()
            references = [case.reference for case in CaseStore().case_views()]
        else:
            if not _model_or_error(arguments.model):
                return 2
            workdir = Path(resources.enter_context(tempfile.TemporaryDirectory(prefix="amiable-bench-")))
            database = f"sqlite:///{workdir / 'cases.db'}"
            store = CaseStore(database)
            store.migrate()
            with store.session() as session:
                seed(session, load_demo_data())
            references = [case.reference for case in store.case_views()]
            endpoints = workdir / "endpoints.yml"
            endpoints.write_text("action_endpoint:\n  url: ${ACTION_SERVER_URL}\n", encoding="utf-8")
            config = StackConfig(
                model=arguments.model,
                rasa_port=free_port(),
                action_port=free_port(),
                endpoints=endpoints,
                log_dir=workdir / "log",
                environment={"AMIABLE_DB_URL": database},
            )
            print("Démarrage d'un serveur Rasa pour la mesure…", file=sys.stderr, flush=True)
            resources.enter_context(Stack(config))
            base_url, token = config.rasa_url, config.api_token
        if not references:
            print("Aucun dossier dans la base : lancez « amiable cases seed ».", file=sys.stderr)
            return 2
        asyncio.run(measure(base_url, token, references, texts, 1, 5))  # warm-up
        asyncio.run(measure(base_url, token, references, texts, 1, 5, route=UNDERSTANDING))
        results = []
        for level in levels:
            for route in (UNDERSTANDING, SUGGESTIONS):  # the floor, then the suggestions, at the same load
                total = level * arguments.messages
                done = [0]

                def tick(total: int = total, done: list[int] = done) -> None:
                    done[0] += 1
                    _progress(done[0], total)

                print(
                    f"{level} conversation(s) simultanée(s), {arguments.messages} messages chacune,"
                    f" {ROUTE_NAMES[route]}…",
                    file=sys.stderr,
                )
                results.append(
                    asyncio.run(
                        measure(
                            base_url, token, references, texts, level, arguments.messages, tick, route, arguments.pause
                        )
                    )
                )
    if arguments.json:
        print(json.dumps([result.as_dict() for result in results]))
        return 0
    pace = f" (pause moyenne de {arguments.pause:g} s entre deux messages)" if arguments.pause else " (sans pause)"
    for result in results:
        print(
            f"{result.conversations:>3} conversation(s){pace}, {ROUTE_NAMES[result.route]} : p50 {result.p50_ms} ms,"
            f" p95 {result.p95_ms} ms, max {result.max_ms} ms sur {result.requests} requêtes"
            f" ({result.errors} erreur(s))"
        )
    return 0
