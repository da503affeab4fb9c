"""The kitchen display page."""
from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("kds_pages", __name__)


@bp.get("/kds")
def kitchen_display() -> str:
    return render_template("kds.html")
