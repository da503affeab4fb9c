"""Diner H5 page and the landing page, with the strings their scripts need."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, render_template
from flask_babel import gettext as _
from flask_babel import pgettext

from domain.errors import NotFound, Unauthorized
from schema.diner import menu_answer, table_answer
from services import tables
from services.uow import reading

bp = Blueprint("pages", __name__)


def diner_strings() -> dict[str, str]:
    return {
        "table_n": pgettext("diner", "Table {code}"),  # "A1 桌" here; other pages keep theirs
        "unknown_table": _("This table code is not valid any more. Please ask a member of staff."),
        "network_error": _("The network is not answering. Check your connection and try again."),
        "open_in_wechat": _("Please open this page by scanning the table code in WeChat."),
        "sold_out": _("Sold out"), "sold_out_now": _("Sorry, that just sold out."), "left_n": _("{n} left today"),
        "add_x": _("Add {name}"), "choose": _("Options"), "added_x": _("Added {name}"),
        "pick_exactly": _("choose {n}"), "pick_range": _("choose {min}–{max}"), "pick_up_to": _("up to {max}"),
        "please_choose": _("Please choose {name}"), "add_to_cart": _("Add to cart"),
        "cart_empty": _("The cart is empty. Add dishes from the menu."), "you": _("Added by you"),
        "diner_n": _("Added by diner {n}"), "fewer": _("Fewer"), "more": _("More"),
        "changed_by_other": _("Someone at your table changed this just now; the cart is up to date again."),
        "sending": _("Sending your order…"), "retrying_n": _("Weak network, trying again (attempt {n})…"),
        "sent_n": _("Order #{n} sent to the kitchen"),
        "send_failed": _("Could not send. Your order is kept here; tap to retry."),
        "retry": _("Retry"), "place_order": _("Place order"), "order_n": _("Order #{n}"), "total": _("Total"),
        "status_submitted": _("Waiting for payment"), "status_accepted": _("Received"),
        "status_preparing": _("Cooking"), "status_ready": _("Ready"), "status_served": _("Served"),
        "status_cancelled": _("Cancelled"), "order_ready": _("Your dishes are ready!"),
        "waiter_called": _("A waiter is on the way."), "bill_requested": _("We will bring the bill."),
        "reconnecting": _("Reconnecting…"), "pay_x": _("Pay {amount} with WeChat"),
        "preparing_payment": _("Preparing the payment…"), "waiting_for_wechat": _("Waiting for WeChat Pay…"),
        "paying": _("Paying…"), "paid_ok": _("Paid. Thank you!"),
        "hours": _("Orders taken {from}–{until}"), "service_charge": _("Service charge"),
        "service_charge_n": _("A {pct} service charge is added to each order."),
        "loading": _("Loading…"), "first_seen": _("First visit"), "last_seen": _("Last visit"),
        "orders_kept": _("Orders"),
        "confirm_forget": _("Delete what we keep about you? Your orders stay with the restaurant, but no longer "
                            "point at you. This cannot be undone."),
        "forgotten": _("Deleted. We no longer know who you are; scanning again starts afresh."),
        "coupon_percent": _("{percent} percent off"), "coupon_amount": _("{amount} off"),
        "coupon_min_spend": _("on {amount} or more"), "coupon_claim": _("Claim"), "coupon_claimed": _("Claimed"),
        "coupon_used": _("Used"), "use_coupon": _("Coupon"), "no_coupon": _("No coupon"),
        "often_with": _("Often ordered with"), "often_with_list": _(": {dishes}"),
        "unknown_table_title": _("This table code does not work"),
        "fewer_x": _("One fewer {name}"), "in_cart_n": _("{n} in the cart"),
        "mate_sent_n": _("Your table sent a round: {n} dishes"),
        "remark_x": _("Remark: {remark}"), "note_x": _("Note: {note}"),
        "item_new": _("Not started yet"), "item_cooking": _("Cooking"), "item_done": _("Cooked"),
        "item_cancelled": _("Cancelled"),
        "hurry": _("Hurry"), "hurry_x": _("Hurry round {n}"),
        "hurried_n": _("We asked the kitchen to hurry round {n}."),
        "water_called": _("We will bring water."), "tableware_called": _("We will bring tableware."),
        "headcount_n": _("{n} guests"), "headcount_saved_n": _("Table for {n}."),
        "paid_status": _("Paid"), "paying_status": _("Being paid"),
    }


@bp.get("/t/<string:qr_token>")
def diner_page(qr_token: str) -> Response:
    """The diner's page, with the table and the menu in it: on a weak network the menu shows as soon
    as the page arrives, instead of after two more round trips (and before WeChat login ends)."""
    try:
        with reading():
            found = tables.resolve(qr_token)
            boot: dict[str, Any] = {"table": table_answer(found), "menu": menu_answer(found.store.id)}
    except (NotFound, Unauthorized):
        boot = {"error": "unknown_table"}
    page = render_template("diner.html", qr_token=qr_token, strings=diner_strings(), boot=boot,
                           sandbox=current_app.config["WECHAT_SANDBOX"])
    resp = Response(page, status=404 if "error" in boot else 200, mimetype="text/html")
    resp.headers["Cache-Control"] = "no-store"  # the menu and the check in it change; the table code is a credential
    return resp


@bp.get("/")
def index() -> str:
    return render_template("index.html", strings={})
