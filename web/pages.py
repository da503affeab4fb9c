"""Diner H5 page and the landing page."""
from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("pages", __name__)


@bp.get("/t/<string:qr_token>")
def diner_page(qr_token: str) -> str:
    return render_template("diner.html", qr_token=qr_token)


@bp.get("/")
def index() -> str:
    return render_template("index.html")
