"""Command line: a thin shell over the library. ``directory --help`` lists the commands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from directory.settings import get_settings

app = typer.Typer(help="The ADMin4ALL service directory.", no_args_is_help=True, add_completion=False)
console = Console(stderr=True)
DatabaseOption = Annotated[str | None, typer.Option("--database-url", envvar="DIRECTORY_DATABASE_URL",
                                                    help="SQLAlchemy URL (default: var/directory.db)")]


def _url(database_url: str | None) -> str:
    return database_url or get_settings().database_url


def _factory(database_url: str | None):  # type: ignore[no-untyped-def]
    from directory.db import make_engine, make_session_factory

    return make_session_factory(make_engine(_url(database_url)))


def _refresh_statistics(factory) -> None:  # type: ignore[no-untyped-def]
    """After a bulk write: the planner's statistics (:mod:`directory.services.maintenance`)."""
    from directory.services.maintenance import refresh_statistics

    refresh_statistics(factory.kw["bind"])


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=console, transient=False)


@app.command()
def migrate(database_url: DatabaseOption = None) -> None:
    """Bring the database schema to the newest version and refresh the reference data."""
    from directory.db import session_scope
    from directory.migrate import upgrade
    from directory.services.audit import acting_as
    from directory.services.reference import sync_reference

    url = _url(database_url)
    upgrade(url)
    with acting_as("cli:migrate"), session_scope(_factory(url)) as session:
        sync_reference(session)
    console.print(f"[green]Database ready[/] ({url.split('@')[-1]})")


@app.command("load-sample")
def load_sample_command(
    database_url: DatabaseOption = None,
    if_empty: Annotated[bool, typer.Option("--if-empty", help="only when the directory holds no service yet")] = False,
) -> None:
    """Load (or reload) the sample directory: 16 municipalities, flagged as sample data."""
    from sqlalchemy import exists, select

    from directory.db import session_scope
    from directory.models import Service
    from directory.sample.loader import SampleDataError, load_sample, read_sample_files
    from directory.services.audit import acting_as

    factory = _factory(database_url)
    with factory() as session:
        if if_empty and session.scalar(select(exists().where(Service.id.is_not(None)))):
            console.print("Directory already holds services: sample not loaded")
            return
    try:
        total = len(read_sample_files())
        with _progress() as progress, acting_as("cli:load-sample"), session_scope(factory) as session:
            task = progress.add_task("Loading sample directory", total=total + 1)
            report = load_sample(session, progress=lambda name: progress.update(
                task, advance=1, description=f"Loaded {name}"))
            progress.update(task, advance=1, description="Indexed for search")
    except SampleDataError as error:
        console.print(f"[red]Sample data error:[/] {error}")
        raise typer.Exit(1) from error
    _refresh_statistics(factory)
    console.print(f"[green]Sample directory loaded:[/] {report.services} services, "
                  f"{report.organizations} organizations, {report.municipalities} municipalities "
                  "[yellow](sample data: not verified)[/]")


@app.command("import-hsds")
def import_hsds(
    path: Annotated[Path, typer.Argument(exists=True, help="HSDS 3.0 JSON file, or CSV datapackage (folder or .zip)")],
    database_url: DatabaseOption = None,
) -> None:
    """Import an HSDS 3.0 file: all or nothing, with a row-level error report."""
    from directory.db import session_scope
    from directory.hsds import HsdsImportError, import_path
    from directory.services.audit import acting_as

    factory = _factory(database_url)
    try:
        with _progress() as progress, acting_as("cli:import-hsds"), session_scope(factory) as session:
            task = progress.add_task("Importing", total=None)

            def step(label: str, done: int, total: int) -> None:
                progress.update(task, description=label, completed=done, total=total)

            report = import_path(session, path, progress=step)
    except HsdsImportError as error:
        console.print(f"[red]Import refused: nothing was changed.[/] {len(error.errors)} error(s):")
        for item in error.errors[:50]:
            console.print(f"  - {item}")
        raise typer.Exit(1) from error
    _refresh_statistics(factory)
    console.print(f"[green]Imported[/] {report}")


@app.command("export-hsds")
def export_hsds(
    target: Annotated[Path, typer.Argument(help="a .json file, a folder or a .zip (CSV datapackage)")],
    municipality: Annotated[str | None, typer.Option(help="only this municipality code")] = None,
    database_url: DatabaseOption = None,
) -> None:
    """Export the directory as HSDS 3.0: JSON, or the CSV datapackage."""
    from directory.hsds import export_datapackage, export_json

    with _factory(database_url)() as session:
        if target.suffix == ".json":
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(export_json(session, municipality=municipality), ensure_ascii=False,
                                         indent=1), encoding="utf-8")
        else:
            export_datapackage(session, target, municipality=municipality)
    console.print(f"[green]Exported[/] to {target}")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="default 127.0.0.1")] = None,
    port: Annotated[int | None, typer.Option(help="default 8000")] = None,
    reload: Annotated[bool, typer.Option(help="reload on code changes (development)")] = False,
) -> None:
    """Start the directory service (API under /api/v1, documentation at /docs)."""
    import uvicorn

    settings = get_settings()
    host, port = host or settings.host, port or settings.port
    console.print(f"Directory service on [bold]http://{host}:{port}[/]  (API docs: http://{host}:{port}/docs)")
    uvicorn.run("directory.app:create_app", factory=True, host=host, port=port, reload=reload,
                log_level="info")


@app.command()
def run(
    database_url: DatabaseOption = None,
    directory_port: Annotated[int, typer.Option(envvar="DIRECTORY_PORT", help="the directory service and web chat")] = 8000,
    actions_port: Annotated[int, typer.Option(envvar="ACTIONS_PORT", help="the action server")] = 5055,
    rasa_port: Annotated[int, typer.Option(envvar="RASA_PORT", help="the Rasa server (REST and socket.io)")] = 5005,
) -> None:
    """Run the whole product: migrate, load the sample on first run, train if needed, start the
    directory, the action server and Rasa; Ctrl-C stops them all."""
    import signal

    from directory.settings import PROJECT_ROOT
    from directory.stack import Ports, Stack, StackError, run_in_group

    migrate(database_url)
    load_sample_command(database_url, if_empty=True)
    if run_in_group([str(PROJECT_ROOT / "scripts" / "train.sh")], PROJECT_ROOT) != 0:  # Ctrl-C stops training too
        raise typer.Exit(1)
    ports = Ports(directory=directory_port, actions=actions_port, rasa=rasa_port)
    stack = Stack(ports, database_url=database_url)

    def interrupt(*_: object) -> None:
        raise KeyboardInterrupt

    for name in ("SIGTERM", "SIGHUP"):  # a closed terminal or `kill` stops the stack as Ctrl-C does
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), interrupt)
    code = 0
    try:
        stack.start()
        console.print(f"\n[bold green]Ready.[/] Chat: [bold]http://127.0.0.1:{ports.directory}/chat[/]   "
                      f"REST: POST http://127.0.0.1:{ports.rasa}/webhooks/rest/webhook   "
                      f"API: http://127.0.0.1:{ports.directory}/docs   (Ctrl-C stops everything)\n")
        stack.watch()
    except KeyboardInterrupt:
        console.print("\nStopping...")
    except StackError as error:
        console.print(f"[red]{error}[/]")
        code = 1
    finally:
        for name in ("SIGINT", "SIGTERM", "SIGHUP"):  # a second Ctrl-C must not cut the shutdown short
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), signal.SIG_IGN)
        stack.stop()
        console.print("All services stopped.")
    if code:
        raise typer.Exit(code)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
