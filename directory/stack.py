"""Run the whole product: the directory service, the action server and the Rasa server.

``Stack`` checks that the three ports are free, starts the three processes with prefixed
logs, waits on their health checks, reports a process that dies by name, and stops
everything (process groups, ports freed) on exit or Ctrl-C. Each process runs in a session
of its own, so Ctrl-C reaches only this one and it stops them in order; on Linux a process
also gets SIGTERM should this one die without stopping it (SIGKILL). Used by
``directory run`` (``make run``) and the end-to-end tests.
"""

from __future__ import annotations

import ctypes
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from directory.settings import PROJECT_ROOT

COLORS = {"directory": "\033[36m", "actions": "\033[35m", "rasa": "\033[33m"}
RESET = "\033[0m"


# Python's reports of deprecated APIs inside the bot's pinned libraries (pkg_resources, distutils,
# SQLAlchemy 1.4, sanic): a third of Rasa's start-up output, and nothing a user can act on.
_DEPRECATION = re.compile(r"^\S.*:\d+: \w*(?:Deprecation|MovedIn20)Warning: ")
_LOG_RECORD = re.compile(r"^(?:\d{4}-\d\d-\d\d|[A-Z]+:|\S.*:\d+: \w*Warning: )")


class DeprecationNoise:
    """Tells which lines of a process's output are deprecation reports: the report's line, then
    up to two lines of it that do not start a log record (its message's rest, the source line)."""

    def __init__(self) -> None:
        self._continuation = 0

    def __call__(self, line: str) -> bool:
        if _DEPRECATION.match(line):
            self._continuation = 2
            return True
        if self._continuation and not _LOG_RECORD.match(line):
            self._continuation -= 1
            return True
        self._continuation = 0
        return False


class StackError(RuntimeError):
    pass


def _env_port(name: str, default: int) -> Callable[[], int]:
    return lambda: int(os.environ.get(name) or default)


@dataclass
class Ports:
    """The three ports; by default from ``DIRECTORY_PORT``, ``ACTIONS_PORT``, ``RASA_PORT``."""

    directory: int = field(default_factory=_env_port("DIRECTORY_PORT", 8000))
    actions: int = field(default_factory=_env_port("ACTIONS_PORT", 5055))
    rasa: int = field(default_factory=_env_port("RASA_PORT", 5005))


@dataclass
class Service:
    name: str
    command: list[str]
    health_url: str
    env: dict[str, str] = field(default_factory=dict)
    port: int = 0
    process: subprocess.Popen[str] | None = None
    lines: list[str] = field(default_factory=list)
    pump: threading.Thread | None = None


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    """Whether something listens on ``host:port`` (or the port cannot be bound there)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        if probe.connect_ex((host, port)) == 0:
            return True
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as servers do: TIME_WAIT is no obstacle
        try:
            probe.bind(("0.0.0.0", port))
        except OSError:
            return True
    return False


def exit_description(code: int) -> str:
    """``exited with code 1`` or ``was killed by SIGKILL`` for a process's return code."""
    if code < 0:
        try:
            return f"was killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"was killed by signal {-code}"
    return f"exited with code {code}"


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: have the kernel send SIGTERM to this process when its parent dies."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def run_in_group(command: list[str], cwd: Path, grace: float = 10.0) -> int:
    """Run ``command`` in a process group of its own and return its exit code. Ctrl-C reaches
    this process alone: it then stops the whole group (SIGTERM, SIGKILL after ``grace``) and
    raises on, so nothing the command started outlives it (``rasa train`` sits out SIGINT)."""
    process = subprocess.Popen(command, cwd=cwd, start_new_session=True)
    try:
        return process.wait()
    finally:
        _signal_group(process, signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
        _signal_group(process, signal.SIGKILL)
        process.wait()


def _signal_group(process: subprocess.Popen[str] | subprocess.Popen[bytes], signum: int) -> None:
    """Signal every process of ``process``'s group, also when the leader itself has exited."""
    try:
        os.killpg(process.pid, signum)
    except (ProcessLookupError, PermissionError):
        pass


def _healthy(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2.0).status_code == 200
    except httpx.HTTPError:
        return False


class Stack:
    def __init__(self, ports: Ports | None = None, *, model: Path | None = None, database_url: str | None = None,
                 echo: Callable[[str], None] | None = None, root: Path = PROJECT_ROOT,
                 quiet_deprecations: bool = True) -> None:
        self.ports = ports or Ports()
        self.root = root
        self.quiet_deprecations = quiet_deprecations
        self.echo = echo if echo is not None else (lambda line: print(line, flush=True))
        bot_bin, app_bin = root / ".venv-bot" / "bin", root / ".venv" / "bin"
        p = self.ports
        common = {"RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONWARNINGS": "ignore",
                  "SQLALCHEMY_SILENCE_UBER_WARNING": "1", "PYTHONUNBUFFERED": "1"}
        directory_env = {**common, "DIRECTORY_PORT": str(p.directory)}
        if p.rasa != 5005:  # the chat page assumes Rasa on its own host at :5005 unless told otherwise
            directory_env["DIRECTORY_RASA_PUBLIC_URL"] = f"http://127.0.0.1:{p.rasa}"
        if database_url:
            directory_env["DIRECTORY_DATABASE_URL"] = database_url
        self.services = [
            Service("directory", [str(app_bin / "directory"), "serve", "--port", str(p.directory)],
                    f"http://127.0.0.1:{p.directory}/health", directory_env, p.directory),
            Service("actions", [str(bot_bin / "rasa"), "run", "actions", "--actions", "actions", "--port",
                                str(p.actions)],
                    f"http://127.0.0.1:{p.actions}/health",
                    {**common, "DIRECTORY_URL": f"http://127.0.0.1:{p.directory}"}, p.actions),
            Service("rasa", [str(bot_bin / "rasa"), "run", "--enable-api", "--cors", "*", "--port", str(p.rasa),
                             "--model", str(model or root / "models"), "--endpoints", "bot/endpoints.yml",
                             "--credentials", "bot/credentials.yml"],
                    f"http://127.0.0.1:{p.rasa}/status",
                    {**common, "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{p.actions}/webhook",
                     "NLG_ENDPOINT_URL": f"http://127.0.0.1:{p.directory}/nlg"}, p.rasa),
        ]
        self._stopping = False

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self, timeout: float = 240.0) -> None:
        self.check_ports()
        for service in self.services:  # all forks before any log thread starts (preexec_fn and threads)
            self._spawn(service)
        for service in self.services:
            service.pump = threading.Thread(target=self._pump, args=(service,), name=f"log-{service.name}",
                                            daemon=True)
            service.pump.start()
        deadline = time.monotonic() + timeout
        for service in self.services:
            self._wait_healthy(service, deadline)
        self.echo(f"all services healthy: directory :{self.ports.directory}, actions :{self.ports.actions}, "
                  f"rasa :{self.ports.rasa}")

    def check_ports(self) -> None:
        """Raise naming every service whose port is taken (another stack, an old process)."""
        taken = [s for s in self.services if s.port and port_in_use(s.port)]
        if taken:
            names = ", ".join(f"{s.name} :{s.port}" for s in taken)
            raise StackError(f"port in use: {names}. Stop what holds it, or choose other ports "
                             "(DIRECTORY_PORT, ACTIONS_PORT, RASA_PORT; `directory run --help`).")

    def _spawn(self, service: Service) -> None:
        service.process = subprocess.Popen(
            service.command, cwd=self.root, env={**os.environ, **service.env}, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, bufsize=1, start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )

    def _pump(self, service: Service) -> None:
        assert service.process and service.process.stdout
        color = COLORS.get(service.name, "") if sys.stdout.isatty() else ""
        prefix = f"{color}{service.name:>9} |{RESET if color else ''} "
        noise = DeprecationNoise() if self.quiet_deprecations else (lambda line: False)
        for line in service.process.stdout:
            line = line.rstrip()
            service.lines.append(line)  # all of it, for the report should the process die
            del service.lines[:-200]
            if not noise(line):
                self.echo(prefix + line)

    def _wait_healthy(self, service: Service, deadline: float) -> None:
        started = time.monotonic()
        while time.monotonic() < deadline:
            self.check_alive()
            if _healthy(service.health_url):
                self.echo(f"{service.name} healthy after {time.monotonic() - started:.1f} s")
                return
            time.sleep(0.5)
        raise StackError(f"{service.name} did not become healthy in time ({service.health_url})")

    def check_alive(self) -> None:
        """Raise naming the first service whose process has exited."""
        for service in self.services:
            if service.process and service.process.poll() is not None and not self._stopping:
                tail = "\n".join(service.lines[-15:])
                raise StackError(f"{service.name} {exit_description(service.process.returncode)}; "
                                 f"its last lines:\n{tail}")

    def watch(self) -> None:
        """Block until Ctrl-C or until a service dies (then raise naming it)."""
        while True:
            self.check_alive()
            time.sleep(0.5)

    def stop(self, grace: float = 10.0) -> None:
        self._stopping = True
        for service in reversed(self.services):
            if service.process is not None:  # the whole group, even when its leader has died already
                _signal_group(service.process, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for service in self.services:
            if service.process is None:
                continue
            try:
                service.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.echo(f"{service.name} did not stop in {grace:.0f} s: killing it")
            _signal_group(service.process, signal.SIGKILL)  # what of the group ignored SIGTERM goes now
            service.process.wait()
        for service in self.services:  # let the last log lines out before saying we are done
            if service.pump is not None:
                service.pump.join(timeout=2.0)

    def __enter__(self) -> Stack:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
