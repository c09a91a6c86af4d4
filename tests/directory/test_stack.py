"""The stack runner: free ports first, health checks, a dead process named, nothing left behind."""

from __future__ import annotations

import os
import signal
import socket
import sys
import threading
import time
from pathlib import Path

import pytest

from directory.stack import (DeprecationNoise, Ports, Service, Stack, StackError, exit_description, port_in_use,
                             run_in_group)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def alive(pid: int) -> bool:
    """Running (a zombie waiting for its new parent to reap it counts as gone)."""
    try:
        os.kill(pid, 0)
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (ProcessLookupError, FileNotFoundError):
        return False
    return state != "Z"


def web_service(name: str, port: int, tmp_path: Path) -> Service:
    """A small HTTP server that also starts a child of its own (as servers with workers do)."""
    script = tmp_path / f"{name}.py"
    script.write_text(
        "import subprocess, sys, http.server, pathlib\n"
        f"child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])\n"
        f"pathlib.Path({str(tmp_path / (name + '.child'))!r}).write_text(str(child.pid))\n"
        f"print('{name} listening', flush=True)\n"
        f"http.server.HTTPServer(('127.0.0.1', {port}), http.server.SimpleHTTPRequestHandler).serve_forever()\n",
        encoding="utf-8")
    return Service(name, [sys.executable, str(script)], f"http://127.0.0.1:{port}/", {}, port)


@pytest.fixture
def stack(tmp_path: Path) -> Stack:
    lines: list[str] = []
    stack = Stack(Ports(free_port(), free_port(), free_port()), echo=lines.append, root=tmp_path)
    stack.services = [web_service(name, port, tmp_path) for name, port in
                      (("directory", stack.ports.directory), ("actions", stack.ports.actions),
                       ("rasa", stack.ports.rasa))]
    stack.lines = lines  # type: ignore[attr-defined]
    return stack


def children(tmp_path: Path) -> list[int]:
    return [int(p.read_text()) for p in tmp_path.glob("*.child")]


def test_ports_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("DIRECTORY_PORT", "18100")
    monkeypatch.setenv("ACTIONS_PORT", "15155")
    monkeypatch.delenv("RASA_PORT", raising=False)
    assert Ports() == Ports(directory=18100, actions=15155, rasa=5005)


def test_port_in_use():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        assert port_in_use(server.getsockname()[1])
    assert not port_in_use(free_port())


def test_exit_descriptions():
    assert exit_description(1) == "exited with code 1"
    assert exit_description(-signal.SIGKILL) == "was killed by SIGKILL"


def test_a_taken_port_is_named_before_anything_starts(stack: Stack):
    with socket.socket() as server:
        server.bind(("127.0.0.1", stack.ports.actions))
        server.listen()
        with pytest.raises(StackError, match=rf"actions :{stack.ports.actions}"):
            stack.start(timeout=20)
    assert all(service.process is None for service in stack.services)


def test_start_and_stop_leave_nothing_behind(stack: Stack, tmp_path: Path):
    with stack:
        assert any("all services healthy" in line for line in stack.lines)  # type: ignore[attr-defined]
        assert any(line.startswith("     rasa | rasa listening") for line in stack.lines)  # type: ignore[attr-defined]
        pids = [s.process.pid for s in stack.services if s.process] + children(tmp_path)
        assert len(pids) == 6 and all(alive(pid) for pid in pids)
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in pids if alive(pid)]
    assert not [s.port for s in stack.services if port_in_use(s.port)]


def test_a_process_that_dies_is_named_and_the_rest_stopped(stack: Stack, tmp_path: Path):
    stack.start(timeout=20)
    try:
        actions = stack.services[1]
        assert actions.process is not None
        os.kill(actions.process.pid, signal.SIGKILL)
        with pytest.raises(StackError, match=r"^actions was killed by SIGKILL"):
            stack.watch()
    finally:
        stack.stop()
    assert all(s.process is not None and s.process.poll() is not None for s in stack.services)
    deadline = time.monotonic() + 10
    orphans = [pid for pid in children(tmp_path) if pid != 0]
    while any(alive(pid) for pid in orphans) and time.monotonic() < deadline:
        time.sleep(0.1)
    # the killed service's own child is stopped with its process group, the others' too
    assert not [pid for pid in orphans if alive(pid)]


RASA_START = """\
/x/rasa/shared/utils/validation.py:134: DeprecationWarning: pkg_resources is deprecated as an API. See https://setuptools.pypa.io/en/latest/pkg_resources.html
  import pkg_resources
/x/pkg_resources/__init__.py:3117: DeprecationWarning: Deprecated call to `pkg_resources.declare_namespace('ruamel')`.
Implementing implicit namespace packages (as specified in PEP 420) is preferred to `pkg_resources.declare_namespace`.
  declare_namespace(pkg)
/x/rasa/core/tracker_store.py:1044: MovedIn20Warning: Deprecated API features detected!
  Base: DeclarativeMeta = declarative_base()
/x/sanic_cors/extension.py:39: DeprecationWarning: distutils Version classes are deprecated.
  SANIC_VERSION = LooseVersion(sanic_version)
2026-11-23 13:44:22 INFO     rasa_sdk.endpoint  - Starting action endpoint server...
/x/rasa/core/policies/policy.py:10: UserWarning: something the user should see
  warn(...)
INFO:     Application startup complete.
Traceback (most recent call last):
  File "x.py", line 1, in <module>
"""


def test_deprecation_reports_are_left_out_of_the_log_and_nothing_else():
    noise = DeprecationNoise()
    shown = [line for line in RASA_START.splitlines() if not noise(line)]
    assert shown == [
        "2026-11-23 13:44:22 INFO     rasa_sdk.endpoint  - Starting action endpoint server...",
        "/x/rasa/core/policies/policy.py:10: UserWarning: something the user should see",
        "  warn(...)",
        "INFO:     Application startup complete.",
        "Traceback (most recent call last):",
        '  File "x.py", line 1, in <module>',
    ]


def test_run_in_group_returns_the_exit_code(tmp_path: Path):
    assert run_in_group([sys.executable, "-c", "raise SystemExit(3)"], tmp_path) == 3


def test_ctrl_c_during_a_command_stops_all_it_started(tmp_path: Path):
    """As `rasa train` under `make run`: a child that sits out SIGINT must not outlive Ctrl-C."""
    script = tmp_path / "train.sh"
    script.write_text("#!/bin/sh\n"
                      f"{sys.executable} -c 'import signal, time; signal.signal(signal.SIGINT, signal.SIG_IGN); "
                      f"time.sleep(600)' &\necho $! > {tmp_path}/child\nwait\n", encoding="utf-8")
    script.chmod(0o755)
    threading.Timer(1.5, os.kill, (os.getpid(), signal.SIGINT)).start()
    with pytest.raises(KeyboardInterrupt):
        run_in_group([str(script)], tmp_path, grace=5)
    child = int((tmp_path / "child").read_text())
    deadline = time.monotonic() + 5
    while alive(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(child)
