"""Pages: the diner's H5 page, and the shared template helpers."""
from __future__ import annotations

from flask import Flask

from domain.money import format_fen


def init_app(app: Flask) -> None:
    from web import pages

    app.jinja_env.filters["fen"] = format_fen
    app.register_blueprint(pages.bp)
