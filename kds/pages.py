"""The kitchen display page, with the strings its script needs."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import gettext as _

bp = Blueprint("kds_pages", __name__)
WARN_MINUTES, LATE_MINUTES = 8, 15  # default age thresholds; a store may set its own


def kds_strings() -> dict[str, str]:
    return {
        "table": _("Table"), "takeaway": _("Takeaway"), "order_n": _("Order #{n}"), "bump": _("Bump"),
        "recall": _("Recall"),        "table_n": _("Table {code}"), "pickup_n": _("Pickup {n}"), "done": _("Cooked"),
        "cooking_now": _("Cooking now"), "recalled": _("{label} is back on the screen."),
        "dishes_n": _("{n} dishes"), "bumped_at": _("bumped {time}"),
        "no_recent": _("Nothing bumped in the last 30 minutes."),
        "all_stations": _("All stations"), "new_ticket": _("New ticket"), "login_failed": _("Login failed"),
        "pair_failed": _("That pairing code is wrong, used or expired."),
        "network_error": _("The network is not answering."),
        "nothing_to_undo": _("Nothing to undo."), "bumped_n": _("{label}: bumped"), "undone": _("Ticket is back."),
        "not_allowed": _("This account may not use the kitchen display."), "revoked": _("This screen was unpaired."),
        "sold_out": _("Sold out"), "mark_sold_out": _("Mark this dish sold out for every diner"),
        "confirm_sold_out": _("Mark {name} sold out? Diners can no longer order it."),
        "marked_sold_out": _("{name} is now sold out."), "mark_sold_out_short": _("Sell out"),
        "undo_sold_out": _("Undo sold out"), "back_on_menu": _("{name} is back on the menu."),
        "back_on_menu_hint": _("Put this dish back on the menu for every diner"),
        "more_n": _("+{n} tickets"), "key_n": _("Key {n} bumps this ticket"), "cooking": _("Cooking"),
        "bump_pending": _("Bumped offline: sent when the network is back"),
        "bump_queued": _("No network: {label} will be bumped when it is back"),
        "printer_down_for": _("{name} offline {min} min"), "printer_rejected": _("{name} refused by the cloud"),
        "station_hot": _("Hot"), "station_cold": _("Cold"), "station_bar": _("Bar"), "remark": _("Remark"),
    }


@bp.get("/kds")
def kitchen_display() -> str:
    return render_template("kds.html", strings=kds_strings(), warn_minutes=WARN_MINUTES, late_minutes=LATE_MINUTES)
