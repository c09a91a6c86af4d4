"""Database fixtures: every database test runs on SQLite, and on PostgreSQL when one is reachable.

A session-scoped database per engine is migrated once; each test gets a fresh session in
a transaction that is rolled back. ``REQUIRE_POSTGRES=1`` (CI) turns "PostgreSQL not
reachable" into a failure, and fails the run if no PostgreSQL test passed.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from directory.db import make_engine
from directory.migrate import upgrade
from directory.services.audit import install_audit_listener

POSTGRES_URL = os.environ.get("DIRECTORY_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REQUIRE_POSTGRES = os.environ.get("REQUIRE_POSTGRES") == "1"
_postgres_passed = 0


def _postgres_reachable() -> str | None:
    try:
        engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        engine.dispose()
        return None
    except Exception as error:  # noqa: BLE001 - any failure means "not reachable"
        return f"{type(error).__name__}: {str(error).splitlines()[0]}"


class _Databases:
    """Creates throwaway databases and drops them at the end of the run."""

    def __init__(self, tmp_path_factory: pytest.TempPathFactory) -> None:
        self.tmp = tmp_path_factory
        self.postgres_names: list[str] = []

    def new_url(self, backend: str) -> str:
        if backend == "sqlite":
            return f"sqlite:///{self.tmp.mktemp('db') / 'directory.db'}"
        name = f"directory_test_{uuid.uuid4().hex[:12]}"
        admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        self.postgres_names.append(name)
        return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        if not self.postgres_names:
            return
        admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            for name in self.postgres_names:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Databases]:
    registry = _Databases(tmp_path_factory)
    yield registry
    registry.drop_all()


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql":
        problem = _postgres_reachable()
        if problem:
            message = f"PostgreSQL not reachable at {POSTGRES_URL} ({problem})"
            if REQUIRE_POSTGRES:
                pytest.fail(message + " and REQUIRE_POSTGRES=1")
            pytest.skip(message)
    return request.param


def _migrated_engine(databases: _Databases, backend: str) -> Engine:
    url = databases.new_url(backend)
    upgrade(url)
    return make_engine(url)


@pytest.fixture(scope="session")
def engine(databases: _Databases, backend: str) -> Iterator[Engine]:
    """An empty, migrated database (reference data included) shared by the run."""
    from directory.services.reference import sync_reference

    engine = _migrated_engine(databases, backend)
    factory = sessionmaker(bind=engine)
    install_audit_listener(factory)
    with factory() as session:
        sync_reference(session)
        session.commit()
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def sample_engine(databases: _Databases, backend: str) -> Iterator[Engine]:
    """A migrated database holding the reference data and the whole sample directory."""
    from directory.sample.loader import load_sample
    from directory.services.reference import sync_reference

    engine = _migrated_engine(databases, backend)
    factory = sessionmaker(bind=engine)
    install_audit_listener(factory)
    with factory() as session:
        sync_reference(session)
        load_sample(session)
        session.commit()
    yield engine
    engine.dispose()


def _rolled_back_session(engine: Engine) -> Iterator[Session]:
    connection = engine.connect()
    transaction = connection.begin()
    factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    install_audit_listener(factory)
    session = factory()
    try:
        yield session
    finally:
        session.close()
        transaction.rollback()
        connection.close()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A fresh session on the empty database; everything it does is rolled back."""
    yield from _rolled_back_session(engine)


@pytest.fixture
def sample_session(sample_engine: Engine) -> Iterator[Session]:
    """A fresh session on the sample directory; everything it does is rolled back."""
    yield from _rolled_back_session(sample_engine)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    global _postgres_passed
    if report.when == "call" and report.passed and "[postgresql" in report.nodeid:
        _postgres_passed += 1


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if REQUIRE_POSTGRES and exitstatus == 0 and _postgres_passed == 0 and session.testscollected:
        print("\nREQUIRE_POSTGRES=1 but no PostgreSQL test passed")
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter, exitstatus: int) -> None:  # type: ignore[no-untyped-def]
    terminalreporter.write_line(f"PostgreSQL variant: {_postgres_passed} tests passed on {POSTGRES_URL}")
