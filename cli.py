"""Operator commands: ``flask --app app <command>``."""
from __future__ import annotations

import click
from flask import Flask, current_app


def init_app(app: Flask) -> None:
    @app.cli.command("db-upgrade")
    def db_upgrade() -> None:
        """Apply the database migrations."""
        from models.migrate import upgrade

        upgrade(current_app.config["DATABASE_URL"])
        click.echo("database is up to date")

    @app.cli.command("seed-demo")
    @click.option("--printer", default="", help="HOST:PORT of a network printer (the emulator) for every station")
    def seed_demo(printer: str) -> None:
        """Create the demo store on an empty database and print its links."""
        from domain.errors import InvalidState
        from services.demo import DEMO_SLUG, add_demo_printer
        from services.demo import seed_demo as seed

        try:
            store = seed()
        except InvalidState as exc:  # not an error: `make run` goes on to serve without it
            click.echo(str(exc))
            return
        click.echo("demo store created" if store else f"store {DEMO_SLUG!r} already there")
        if printer:
            host, _, port = printer.rpartition(":")
            added = add_demo_printer(host, int(port))
            click.echo(f"kitchen printer at {printer}" + (" added" if added else " already there"))
        _print_links(DEMO_SLUG)

    @app.cli.command("payments-reconcile")
    @click.option("--older-than", default=120, show_default=True, help="seconds a payment may wait for its notify")
    def payments_reconcile(older_than: int) -> None:
        """Ask WeChat Pay about payments still waiting; credit the paid, close the abandoned."""
        from datetime import timedelta

        from services.payments import reconcile

        click.echo(reconcile(timedelta(seconds=older_than)))

    @app.cli.command("reports-close")
    def reports_close() -> None:
        """The daily close: summarise every store's closed business days (the range reports read them)."""
        from services.reports.closing import close_all

        for slug, days in close_all():
            click.echo(f"{slug}: {len(days)} day(s) summarised")

    @app.cli.command("backup")
    @click.option("--to", "target", type=click.Path(dir_okay=False), default=None,
                  help="file to write (default: instance/backups/diancan-<UTC time>.sqlite3 or .sql)")
    def backup(target: str | None) -> None:
        """A consistent copy of the database while it serves (SQLite online backup; mariadb-dump
        --single-transaction on MariaDB)."""
        from pathlib import Path

        from services.backup import BackupFailed, default_path
        from services.backup import backup as run_backup

        url = current_app.config["DATABASE_URL"]
        path = Path(target) if target else default_path(Path(current_app.instance_path) / "backups", url)
        try:
            click.echo(f"backup written to {run_backup(url, path)}")
        except BackupFailed as exc:
            raise click.ClickException(str(exc)) from exc

    @app.cli.command("rotate-data-keys")
    def rotate_data_keys() -> None:
        """Re-encrypt personal data under the newest DATA_KEYS key (run after appending a key)."""
        from services.diners import rotate_keys

        click.echo(f"{rotate_keys()} rows re-encrypted")

    @app.cli.command("forget-inactive-diners")
    @click.option("--days", default=365, show_default=True, help="forget diners not seen for this many days")
    def forget_inactive_diners(days: int) -> None:
        """Delete what we keep about diners gone longer than the retention period (orders stay, anonymous)."""
        from datetime import timedelta

        from services.diners import anonymise_inactive

        click.echo(f"{anonymise_inactive(timedelta(days=days))} diners forgotten")

    @app.cli.command("create-store")
    @click.argument("slug")
    @click.argument("name")
    @click.option("--owner", default="owner", show_default=True)
    @click.password_option("--password", help="the owner's password")
    def create_store(slug: str, name: str, owner: str, password: str) -> None:
        """Create a store and its owner account."""
        import re

        from domain.errors import DomainError
        from schema.admin import USERNAME_PATTERN
        from services.staff import check_password
        from services.stores import create_store as create

        if not re.fullmatch(r"[a-z0-9][a-z0-9-]{1,39}", slug):
            raise click.BadParameter("2-40 of a-z, 0-9 and -, starting with a letter or digit", param_hint="SLUG")
        if not re.fullmatch(USERNAME_PATTERN, owner):
            raise click.BadParameter("2-40 letters, digits, _ . or -", param_hint="--owner")
        try:
            check_password(owner, password)
            store = create(slug, name.strip()[:100], owner, password)
        except DomainError as exc:
            raise click.ClickException(exc.message) from None
        click.echo(f"store {store.slug} created (id {store.id}); owner: {owner.strip().lower()}")


def _print_links(slug: str) -> None:
    from sqlalchemy import select

    from models import Store, Table, db
    from services.tables import qr_url

    base = current_app.config["PUBLIC_BASE_URL"]
    store = db.session.execute(select(Store).where(Store.slug == slug)).scalar_one()
    table = db.session.execute(
        select(Table).where(Table.store_id == store.id).order_by(Table.code)
    ).scalars().first()
    click.echo(f"  diner page (table {table.code if table else '-'}): {qr_url(table) if table else '-'}")
    click.echo(f"  kitchen display:  {base}/kds   (staff login: store demo, cook / cook-demo-pass)")
    click.echo(f"  cashier (phone):  {base}/pos   (store demo, cashier / cashier-demo-pass)")
    click.echo(f"  console:          {base}/console   (store demo, owner / owner-demo-pass)")
    click.echo(f"  start page:       {base}/")
    click.echo(f"  API document:     {base}/api/v1/openapi.json")
    click.echo(f"  health:           {base}/healthz")
