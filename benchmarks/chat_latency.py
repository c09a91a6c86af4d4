"""Chat-turn latency and throughput through Rasa's REST channel, with the real directory and
action server; stock `rasa init` bot measured in the same run for comparison.

Prints: cold start (process start to model loaded and serving) of each Rasa server; serial
p50/p95/max of turns that return services (each checked to carry a non-empty `service_list`
payload); throughput (turns/s) and p50/p95 at 16 concurrent conversations; with `--breakdown`,
where the time of a turn goes (NLU, action server, directory calls, NLG). Rounds alternate
between our bot and the stock bot so that both see the same background load; every figure
carries the 1-minute load average, and the summary gives the median over the rounds.

The stock project (`rasa init --no-prompt`, which trains its model: a few minutes) is kept
in `var/chatbench/stock-bot` and reused by later runs; `--fresh-stock` rebuilds it.

Usage: .venv/bin/python benchmarks/chat_latency.py [--turns 100] [--rounds 3] [--concurrency 16]
                                                   [--breakdown] [--skip-stock]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from directory.db import make_engine, make_session_factory, session_scope  # noqa: E402
from directory.migrate import upgrade  # noqa: E402
from directory.sample.loader import load_sample  # noqa: E402
from directory.services.reference import sync_reference  # noqa: E402
from directory.settings import PROJECT_ROOT  # noqa: E402
from directory.stack import Ports, Stack  # noqa: E402

# Ports of nothing else on this machine (make run: 8000/5055/5005; tests: 18000/15055/15005, 18100/...).
OUR_PORTS = Ports(directory=18200, actions=15255, rasa=15205)
STOCK_PORT = 15305
STOCK_DIR = PROJECT_ROOT / "var" / "chatbench" / "stock-bot"
RASA = PROJECT_ROOT / ".venv-bot" / "bin" / "rasa"
RASA_ENV = {"RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONWARNINGS": "ignore",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}

# Each names a need and a city: every one of these turns must return services.
QUERIES = [
    "أريد دورة لغة إيطالية في ميلانو", "gdzie w Poznaniu są lekcje polskiego?", "шукаю курси польської мови у Варшаві",
    "I need a shelter in Naples tonight", "devo rinnovare il permesso di soggiorno a Bari",
    "Ich brauche einen Deutschkurs in Tulln", "unde pot găsi un loc de muncă în Cluj-Napoca?",
    "где в Кракове можно переночевать", "necesito un abogado gratis en Florencia", "je cherche un médecin à Milan",
]
STOCK_MESSAGES = ["hello", "I am sad", "great", "bye", "are you a bot?"]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def load() -> str:
    return f"load {os.getloadavg()[0]:4.2f}"


def describe(label: str, values: list[float], extra: str = "") -> str:
    ms = [v * 1000 for v in values]
    return (f"  {label:<34} n={len(ms):<4} p50={percentile(ms, .5):7.1f} ms  p95={percentile(ms, .95):7.1f} ms  "
            f"max={max(ms):7.1f} ms{extra}  [{load()}]")


def service_list(messages: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The `service_list` payload of a turn's messages, when it holds services."""
    for message in messages:
        custom = message.get("custom")
        if isinstance(custom, dict) and custom.get("type") == "service_list" and custom.get("services"):
            return custom
    return None


# -- turns ------------------------------------------------------------------------------------
async def turn(client: httpx.AsyncClient, port: int, sender: str, text: str) -> tuple[float, list[dict[str, Any]]]:
    start = time.perf_counter()
    response = await client.post(f"http://127.0.0.1:{port}/webhooks/rest/webhook",
                                 json={"sender": sender, "message": text})
    elapsed = time.perf_counter() - start
    response.raise_for_status()
    return elapsed, response.json()


def check(messages: list[dict[str, Any]], text: str, expect_services: bool) -> None:
    if expect_services and service_list(messages) is None:
        raise SystemExit(f"turn returned no service_list: {text!r} -> {messages}")
    if not messages:
        raise SystemExit(f"turn returned nothing: {text!r}")


async def serial(port: int, turns: int, texts: list[str], expect_services: bool) -> list[float]:
    """One new conversation a turn (need and city in one message), one turn at a time."""
    times = []
    async with httpx.AsyncClient(timeout=30) as client:
        for n in range(turns):
            text = texts[n % len(texts)]
            elapsed, messages = await turn(client, port, f"bench-{uuid.uuid4().hex[:8]}", text)
            check(messages, text, expect_services)
            times.append(elapsed)
    return times


async def concurrent(port: int, conversations: int, turns_each: int, texts: list[str],
                     expect_services: bool) -> tuple[float, list[float]]:
    """``conversations`` users at once, each sending ``turns_each`` messages one after the other."""
    times: list[float] = []

    async def one(index: int) -> None:
        async with httpx.AsyncClient(timeout=120) as client:
            sender = f"load-{index}-{uuid.uuid4().hex[:6]}"
            for n in range(turns_each):
                text = texts[(index + n) % len(texts)]
                elapsed, messages = await turn(client, port, sender, text)
                check(messages, text, expect_services)
                times.append(elapsed)

    start = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(conversations)))
    return time.perf_counter() - start, times


# -- servers ----------------------------------------------------------------------------------
def directory_database(tmp: Path) -> str:
    url = f"sqlite:///{tmp / 'directory.db'}"
    upgrade(url)
    engine = make_engine(url)
    with session_scope(make_session_factory(engine)) as session:
        sync_reference(session)
        load_sample(session)
    engine.dispose()
    return url


def model_loaded(port: int) -> bool:
    try:
        response = httpx.get(f"http://127.0.0.1:{port}/status", timeout=2)
    except httpx.HTTPError:
        return False
    return response.status_code == 200 and bool(response.json().get("model_file"))


def start_ours(model: Path, database_url: str) -> tuple[Stack, float]:
    """Our three processes; returns the stack and Rasa's cold start (spawn to model loaded)."""
    stack = Stack(OUR_PORTS, model=model, database_url=database_url, echo=lambda line: None)
    start = time.perf_counter()
    try:
        stack.start()
        while not model_loaded(OUR_PORTS.rasa):
            stack.check_alive()
            time.sleep(0.1)
    except BaseException:
        stack.stop()
        raise
    return stack, time.perf_counter() - start


def stock_project(fresh: bool) -> Path:
    """`rasa init --no-prompt` once (scaffold + training), kept under var/ for later runs."""
    if fresh and STOCK_DIR.exists():
        shutil.rmtree(STOCK_DIR)
    models = sorted((STOCK_DIR / "models").glob("*.tar.gz"))
    if models:
        return models[-1]
    if STOCK_DIR.exists():
        shutil.rmtree(STOCK_DIR)
    STOCK_DIR.mkdir(parents=True)
    print("stock bot: `rasa init --no-prompt` (trains its model, a few minutes) ...", flush=True)
    start = time.perf_counter()
    subprocess.run([str(RASA), "init", "--no-prompt", "--init-dir", str(STOCK_DIR)], cwd=STOCK_DIR,
                   env={**os.environ, **RASA_ENV}, check=True, capture_output=True)
    print(f"stock bot: scaffold + training took {time.perf_counter() - start:.1f} s [{load()}]")
    return sorted((STOCK_DIR / "models").glob("*.tar.gz"))[-1]


def start_stock(model: Path) -> tuple[subprocess.Popen[bytes], float]:
    start = time.perf_counter()
    process = subprocess.Popen([str(RASA), "run", "--port", str(STOCK_PORT), "--enable-api", "--model", str(model)],
                               cwd=STOCK_DIR, env={**os.environ, **RASA_ENV}, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    while not model_loaded(STOCK_PORT):
        if process.poll() is not None:
            raise SystemExit(f"stock rasa exited with code {process.returncode}")
        time.sleep(0.1)
    return process, time.perf_counter() - start


# -- where the time goes ------------------------------------------------------------------------
@dataclass
class Timings:
    parts: dict[str, list[float]] = field(default_factory=dict)

    def add(self, name: str, seconds: float) -> None:
        self.parts.setdefault(name, []).append(seconds)


async def timed(timings: Timings, name: str, call: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    result = await call()
    timings.add(name, time.perf_counter() - start)
    return result


def tracker_state(sender: str, slots: dict[str, Any], message: dict[str, Any]) -> dict[str, Any]:
    return {"sender_id": sender, "slots": slots, "latest_message": message, "events": [], "paused": False,
            "followup_action": None, "active_loop": {}, "latest_action_name": "action_listen"}


async def breakdown(rounds: int) -> tuple[Timings, list[dict[str, Any]]]:
    """Each part of a services turn, called on its own the way Rasa and the actions call it;
    also returns the answers of the action server and of /nlg for the validation probe."""
    p = OUR_PORTS
    timings = Timings()
    answers: list[dict[str, Any]] = []
    async with httpx.AsyncClient(timeout=30) as client:
        for _ in range(rounds):
            for text in QUERIES:
                sender = f"parts-{uuid.uuid4().hex[:8]}"
                parsed = (await timed(timings, "NLU: Rasa /model/parse", lambda: client.post(
                    f"http://127.0.0.1:{p.rasa}/model/parse", json={"text": text}))).json()
                message = {"text": text, "intent": parsed["intent"], "entities": parsed.get("entities", []),
                           "metadata": {}}
                call = {"sender_id": sender, "version": "3.6.2", "domain": {},
                        "tracker": tracker_state(sender, {}, message)}
                context = (await timed(timings, "actions: action_update_context", lambda: client.post(
                    f"http://127.0.0.1:{p.actions}/webhook", json={**call, "next_action": "action_update_context"}))
                ).json()
                slots = {e["name"]: e["value"] for e in context["events"] if e.get("event") == "slot"}
                call["tracker"] = tracker_state(sender, slots, message)
                found = (await timed(timings, "actions: action_find_services", lambda: client.post(
                    f"http://127.0.0.1:{p.actions}/webhook", json={**call, "next_action": "action_find_services"}))
                ).json()
                lang = slots.get("language", "en")
                await timed(timings, "directory: municipalities/resolve", lambda: client.get(
                    f"http://127.0.0.1:{p.directory}/api/v1/municipalities/resolve",
                    params={"name": text, "lang": lang}))
                await timed(timings, "directory: services search", lambda: client.get(
                    f"http://127.0.0.1:{p.directory}/api/v1/services",
                    params={"lang": lang, "category": slots.get("need"), "municipality": slots.get("city"),
                            "limit": 5}))
                for response in found["responses"]:
                    if response.get("response"):
                        rendered = await timed(timings, "directory: /nlg (one response)", lambda: client.post(
                            f"http://127.0.0.1:{p.directory}/nlg",
                            json={"response": response["response"], "arguments": response,
                                  "tracker": {"slots": slots}}))
                answers = [context, found, rendered.json()]
    return timings, answers


VALIDATION_PROBE = """
import json, sys, time
import jsonschema
from rasa.core.actions.action import RemoteAction
from rasa.core.nlg.callback import CallbackNaturalLanguageGenerator
result, nlg = json.loads(sys.stdin.read())
for label, check, value in (("action result", RemoteAction("probe", None)._validate_action_result, result),
                            ("NLG response", CallbackNaturalLanguageGenerator.validate_response, nlg)):
    check(value)
    start = time.perf_counter()
    for _ in range(30):
        check(value)
    print(f"{label}|{(time.perf_counter() - start) / 30}|{jsonschema.__version__}")
"""


def schema_validation(action_result: dict[str, Any], nlg_response: dict[str, Any]) -> dict[str, tuple[float, str]]:
    """What Rasa spends validating one action-server answer and one NLG answer (jsonschema, in Rasa's env)."""
    python = PROJECT_ROOT / ".venv-bot" / "bin" / "python"
    done = subprocess.run([str(python), "-c", VALIDATION_PROBE], input=json.dumps([action_result, nlg_response]),
                          capture_output=True, text=True, env={**os.environ, **RASA_ENV}, check=True)
    lines = [line.split("|") for line in done.stdout.splitlines() if line.count("|") == 2]
    return {label: (float(seconds), version) for label, seconds, version in lines}


# -- the run ----------------------------------------------------------------------------------
@dataclass
class Results:
    serial: list[list[float]] = field(default_factory=list)
    concurrent: list[list[float]] = field(default_factory=list)
    throughput: list[float] = field(default_factory=list)


def measure(name: str, port: int, args: argparse.Namespace, texts: list[str], services: bool, into: Results) -> None:
    times = asyncio.run(serial(port, args.turns, texts, services))
    into.serial.append(times)
    print(describe(f"{name}, serial", times), flush=True)
    elapsed, times = asyncio.run(concurrent(port, args.concurrency, args.turns_each, texts, services))
    into.concurrent.append(times)
    into.throughput.append(len(times) / elapsed)
    print(describe(f"{name}, {args.concurrency} concurrent", times, f"  {len(times) / elapsed:5.1f} turns/s"),
          flush=True)


def summary(name: str, results: Results, concurrency: int) -> None:
    def median_of(rounds: list[list[float]], q: float) -> float:
        return statistics.median(percentile(r, q) * 1000 for r in rounds)

    print(f"  {name:<10} serial p50 {median_of(results.serial, .5):6.1f} ms  p95 {median_of(results.serial, .95):6.1f} ms"
          f"  max {statistics.median(max(r) * 1000 for r in results.serial):6.1f} ms | {concurrency} concurrent: "
          f"{statistics.median(results.throughput):5.1f} turns/s  p50 {median_of(results.concurrent, .5):6.1f} ms  "
          f"p95 {median_of(results.concurrent, .95):6.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=100, help="serial turns per round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds (ours then stock in each); medians reported")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--turns-each", type=int, default=10, help="turns per concurrent conversation")
    parser.add_argument("--breakdown", action="store_true", help="also time each part of a turn on its own")
    parser.add_argument("--skip-stock", action="store_true")
    parser.add_argument("--fresh-stock", action="store_true", help="rebuild the cached stock `rasa init` project")
    parser.add_argument("--model", type=Path, help="our model (default: the newest in models/)")
    args = parser.parse_args()

    models = sorted((PROJECT_ROOT / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    model = args.model or (models[-1] if models else None)
    if model is None:
        raise SystemExit("no model: run `make train` first")
    stock_model = None if args.skip_stock else stock_project(args.fresh_stock)

    print(f"our model {model.name}; {os.cpu_count()} cores; {load()}")
    tmp = Path(tempfile.mkdtemp(prefix="chatbench-"))
    stock: subprocess.Popen[bytes] | None = None
    stack: Stack | None = None
    try:
        stack, cold = start_ours(model, directory_database(tmp))
        print(f"cold start, our Rasa server (spawn to model loaded, beside directory + actions): {cold:5.1f} s  [{load()}]")
        if stock_model is not None:
            stock, cold = start_stock(stock_model)
            print(f"cold start, stock rasa init server (spawn to model loaded):                  {cold:5.1f} s  [{load()}]")
        asyncio.run(serial(OUR_PORTS.rasa, 20, QUERIES, True))  # warm-up: first calls build caches and JIT paths
        if stock is not None:
            asyncio.run(serial(STOCK_PORT, 20, STOCK_MESSAGES, False))

        ours, theirs = Results(), Results()
        for number in range(1, args.rounds + 1):
            print(f"round {number}")
            measure("ours (turns returning services)", OUR_PORTS.rasa, args, QUERIES, True, ours)
            if stock is not None:
                measure("stock rasa init bot", STOCK_PORT, args, STOCK_MESSAGES, False, theirs)
        if args.breakdown:
            timings, (_, found, rendered) = asyncio.run(breakdown(max(3, args.turns // len(QUERIES))))
            print("where a services turn goes (each part called alone, serial)")
            for name, values in timings.parts.items():
                print(describe(name, values))
            probe = schema_validation(found, rendered)
            for label, (seconds, version) in probe.items():
                print(f"  Rasa validating one {label:<16} {seconds * 1000:6.2f} ms  (jsonschema {version}; "
                      f"a services turn has 2 action results and 1 NLG response)  [{load()}]")
        print(f"median of {args.rounds} rounds  [{load()}]")
        summary("ours", ours, args.concurrency)
        if stock is not None:
            summary("stock", theirs, args.concurrency)
            ratio = statistics.median(ours.throughput) / statistics.median(theirs.throughput)
            print(f"  throughput ours/stock at {args.concurrency} concurrent: {ratio:.2f}")
        p50 = statistics.median(percentile(r, .5) for r in ours.serial) * 1000
        p95 = statistics.median(percentile(r, .95) for r in ours.serial) * 1000
        verdict = "met" if p50 <= 100 and p95 <= 250 else "NOT met"
        print(f"target (serial p50 <= 100 ms, p95 <= 250 ms): {verdict}")
    finally:
        if stock is not None:
            stock.terminate()
            try:
                stock.wait(timeout=20)
            except subprocess.TimeoutExpired:
                stock.kill()
        if stack is not None:
            stack.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
