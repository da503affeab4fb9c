"""Declarative base, engine and session handling.

One engine per app. SQLite is the embedded default: it allows one writer at a time, and under
gevent its busy-wait would block the whole event loop, so the pool holds a single connection
and greenlets queue for it cooperatively; every transaction starts with ``BEGIN IMMEDIATE`` so
a reader never has to upgrade to a writer mid-transaction (a connection opened for one SELECT,
``execution_options(lone_read=True)``, begins none). MariaDB gets a normal pool.
"""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, LargeBinary, MetaData, String, create_engine, event
from sqlalchemy.dialects import mysql
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def Key(length: int) -> String:  # noqa: N802 - used like a column type
    """A string compared byte for byte: client keys, token hashes, usernames, slugs.

    MariaDB's default collation folds case, accents and trailing spaces, so ``OWNER``,
    ``öwnér`` and ``owner `` would all find ``owner``, and two client keys differing only in
    case would be one key. Plain ``utf8mb4_bin`` would still ignore trailing spaces, hence
    ``nopad``. SQLite compares bytes already.
    """
    binary = mysql.VARCHAR(length, charset="utf8mb4", collation="utf8mb4_nopad_bin")
    return String(length).with_variant(binary, "mysql", "mariadb")


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC (both SQLite and MariaDB DATETIME are naive), returns aware UTC."""

    impl = DateTime(timezone=False)
    cache_ok = True

    def load_dialect_impl(self, dialect):  # type: ignore[no-untyped-def]
        if dialect.name in ("mysql", "mariadb"):
            return dialect.type_descriptor(mysql.DATETIME(fsp=6))  # microseconds, like SQLite keeps
        return dialect.type_descriptor(DateTime(timezone=False))

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def Blob16M() -> LargeBinary:  # noqa: N802 - reads as a column type
    """Up to 16 MiB of bytes (images): MEDIUMBLOB on MariaDB, BLOB on SQLite."""
    return LargeBinary().with_variant(mysql.MEDIUMBLOB(), "mysql", "mariadb")


def _commit_off_the_loop(engine: Engine) -> None:
    """Under gevent, SQLite's COMMIT runs on gevent's thread pool.

    A commit waits for the disk (one fsync of the WAL: 1.6 ms on the test machine), and SQLite
    waits in C, which would stop every greenlet of the process: other diners' requests, the
    kitchen's sockets, ``/healthz``. On the pool the greenlet waits and the others run (the one
    connection is still used by one greenlet at a time: the engine's pool holds it). Durability is
    unchanged (synchronous stays FULL: a committed order survives a power cut).
    """
    try:
        from gevent import get_hub, monkey
    except ImportError:  # pragma: no cover - gevent is a dependency
        return
    if not monkey.is_module_patched("socket"):
        return  # not the gevent worker (tests, CLI): commit in place

    # Rows changed by each connection when its transaction began (sqlite3's ``total_changes``).
    began: dict[int, int] = {}
    in_place = engine.dialect.do_commit

    @event.listens_for(engine, "begin")
    def _note_changes(conn: Any) -> None:
        dbapi = conn.connection.dbapi_connection
        began[id(dbapi)] = dbapi.total_changes

    def do_commit(dbapi_connection: Any) -> None:
        raw = getattr(dbapi_connection, "dbapi_connection", dbapi_connection)  # the pool's wrapper or sqlite3's
        if raw.total_changes == began.get(id(raw)):
            # Nothing written (a periodic check, a read through the session): no fsync to wait
            # for, so commit in place. Handing it to the pool would free the loop while the one
            # connection stays taken, and a burst of sockets connecting meanwhile piles up behind
            # it (5,000 idle sockets: 70 KiB each instead of 54, bench/idle_sockets.py).
            in_place(dbapi_connection)
        else:
            get_hub().threadpool.apply(in_place, (dbapi_connection,))

    engine.dialect.do_commit = do_commit  # type: ignore[method-assign]


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            pool_size=1,
            max_overflow=0,
            pool_timeout=30,
            connect_args={"check_same_thread": False, "timeout": 30},
        )

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):  # type: ignore[no-untyped-def]
            # A connection that runs one SELECT (``lone_read``: the menu's freshness check) needs
            # no transaction, the statement is its own snapshot; BEGIN IMMEDIATE would take the
            # write lock for it, and wait behind another process's writer.
            if not conn.get_execution_options().get("lone_read"):
                conn.exec_driver_sql("BEGIN IMMEDIATE")

        _commit_off_the_loop(engine)
        return engine
    return create_engine(
        url,
        pool_size=10,
        max_overflow=20,
        pool_recycle=3600,
        pool_pre_ping=True,
        isolation_level="READ COMMITTED",
    )


class Database:
    """The engine and a request-scoped session, bound to an app in ``init_app``."""

    def __init__(self) -> None:
        self.engine: Engine | None = None
        self.session: scoped_session[Session] = scoped_session(sessionmaker(expire_on_commit=False))

    def init_app(self, app) -> None:  # type: ignore[no-untyped-def]
        self.engine = make_engine(app.config["DATABASE_URL"])
        self.session.remove()  # a session of an earlier app (a CLI command inside a test) must not keep its engine
        self.session.configure(bind=self.engine)
        app.extensions["db"] = self

        # Per request, and per app context for CLI commands: a request never leaves a
        # transaction (on SQLite, a write lock) open behind it, even inside an outer app context.
        def _remove_session(_exc: BaseException | None) -> None:
            self.session.remove()

        app.teardown_request(_remove_session)
        app.teardown_appcontext(_remove_session)


db = Database()
