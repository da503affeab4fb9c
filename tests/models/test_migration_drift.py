"""The models and the migrations describe the same schema, on the database the tests run on."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from models import Base
from models.migrate import alembic_config


def test_migrations_have_a_single_head() -> None:
    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    assert len(heads) == 1, f"several Alembic heads: {heads}"


def test_models_match_the_migrated_schema(env: dict[str, str]) -> None:
    engine = create_engine(env["DATABASE_URL"])
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            drift = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert drift == [], "models and migrations differ; write a migration:\n" + "\n".join(map(str, drift))
