"""Chat-turn latency and throughput through Rasa's REST channel, with the real directory and
action server; stock `rasa init` bot measured in the same run for comparison.

Prints: cold start (model load) of each Rasa server; serial p50/p95/max of turns that return
services; throughput (turns/s) and p50/p95 at 16 concurrent conversations.

Usage: .venv/bin/python benchmarks/chat_latency.py [--turns 100] [--concurrency 16] [--skip-stock]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from directory.db import make_engine, make_session_factory, session_scope  # noqa: E402
from directory.migrate import upgrade  # noqa: E402
from directory.sample.loader import load_sample  # noqa: E402
from directory.services.reference import sync_reference  # noqa: E402
from directory.settings import PROJECT_ROOT  # noqa: E402
from directory.stack import Ports, Stack  # noqa: E402

QUERIES = [
    "أريد دورة لغة إيطالية في ميلانو", "gdzie w Poznaniu są lekcje polskiego?", "шукаю курси польської мови у Варшаві",
    "I need a shelter in Naples tonight", "devo rinnovare il permesso di soggiorno a Bari",
    "Ich brauche einen Deutschkurs in Tulln", "unde pot găsi un loc de muncă în Cluj-Napoca?",
    "где в Кракове можно переночевать", "necesito un abogado gratis en Florencia", "je cherche un médecin à Milan",
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def describe(label: str, values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return (f"{label:<44} n={len(ms):<5} p50={percentile(ms, .5):7.1f} ms  p95={percentile(ms, .95):7.1f} ms  "
            f"max={max(ms):7.1f} ms")


async def turn(client: httpx.AsyncClient, port: int, sender: str, text: str) -> tuple[float, list]:
    start = time.perf_counter()
    response = await client.post(f"http://127.0.0.1:{port}/webhooks/rest/webhook",
                                 json={"sender": sender, "message": text})
    return time.perf_counter() - start, response.json()


async def serial(port: int, turns: int, texts: list[str], expect_services: bool) -> list[float]:
    times = []
    async with httpx.AsyncClient(timeout=30) as client:
        for n in range(turns):
            elapsed, messages = await turn(client, port, f"bench-{uuid.uuid4().hex[:8]}", texts[n % len(texts)])
            if expect_services and not any(isinstance(m.get("custom"), dict) for m in messages):
                raise SystemExit(f"turn returned no services: {texts[n % len(texts)]!r} -> {messages}")
            times.append(elapsed)
    return times


async def concurrent(port: int, conversations: int, turns_each: int, texts: list[str]) -> tuple[float, list[float]]:
    times: list[float] = []

    async def one(index: int) -> None:
        async with httpx.AsyncClient(timeout=60) as client:
            sender = f"load-{index}-{uuid.uuid4().hex[:6]}"
            for n in range(turns_each):
                elapsed, _ = await turn(client, port, sender, texts[(index + n) % len(texts)])
                times.append(elapsed)

    start = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(conversations)))
    return time.perf_counter() - start, times


def stock_rasa(port: int, workdir: Path) -> tuple[subprocess.Popen, float, Path]:
    """`rasa init` in a temp folder (trains its model), then `rasa run`; returns the process and cold start."""
    rasa = PROJECT_ROOT / ".venv-bot" / "bin" / "rasa"
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3"}
    start = time.perf_counter()
    subprocess.run([str(rasa), "init", "--no-prompt", "--init-dir", str(workdir)], cwd=workdir, env=env,
                   check=True, capture_output=True)
    print(f"stock `rasa init` (scaffold + training): {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    process = subprocess.Popen([str(rasa), "run", "--port", str(port), "--enable-api"], cwd=workdir, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/status", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if process.poll() is not None:
            raise SystemExit("stock rasa exited")
        time.sleep(0.5)
    return process, time.perf_counter() - start, workdir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--turns-each", type=int, default=10)
    parser.add_argument("--skip-stock", action="store_true")
    args = parser.parse_args()

    models = sorted((PROJECT_ROOT / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        raise SystemExit("no model: run `make train` first")
    tmp = Path(tempfile.mkdtemp(prefix="chatbench-"))
    url = f"sqlite:///{tmp / 'directory.db'}"
    upgrade(url)
    engine = make_engine(url)
    with session_scope(make_session_factory(engine)) as session:
        sync_reference(session)
        load_sample(session)
    engine.dispose()

    ports = Ports(directory=28000, actions=25055, rasa=25005)
    stack = Stack(ports, model=models[-1], database_url=url, echo=lambda line: None)
    start = time.perf_counter()
    with stack:
        print(f"our stack cold start (all three healthy, Rasa model loaded): {time.perf_counter() - start:.1f} s")
        asyncio.run(serial(ports.rasa, 10, QUERIES, True))  # warm-up
        print(describe("our bot, serial turn returning services", asyncio.run(
            serial(ports.rasa, args.turns, QUERIES, True))))
        elapsed, times = asyncio.run(concurrent(ports.rasa, args.concurrency, args.turns_each, QUERIES))
        print(describe(f"our bot, {args.concurrency} concurrent conversations", times)
              + f"  throughput={len(times) / elapsed:6.1f} turns/s")
        ours = len(times) / elapsed

    if args.skip_stock:
        return
    stock_dir = tmp / "stock"
    stock_dir.mkdir()
    process, cold, _ = stock_rasa(25105, stock_dir)
    try:
        print(f"stock rasa init bot cold start: {cold:.1f} s")
        greetings = ["hello", "I am sad", "great", "bye", "are you a bot?"]
        asyncio.run(serial(25105, 10, greetings, False))
        print(describe("stock rasa init bot, serial turn", asyncio.run(serial(25105, args.turns, greetings, False))))
        elapsed, times = asyncio.run(concurrent(25105, args.concurrency, args.turns_each, greetings))
        stock = len(times) / elapsed
        print(describe(f"stock rasa init bot, {args.concurrency} concurrent", times)
              + f"  throughput={stock:6.1f} turns/s")
        print(f"throughput ratio ours/stock: {ours / stock:.2f}")
    finally:
        process.terminate()
        process.wait(timeout=20)


if __name__ == "__main__":
    main()
