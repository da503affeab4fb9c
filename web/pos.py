"""The cashier's pages: /pos, the receipt and shift report to print, and the page's service worker."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, render_template, send_from_directory
from flask_babel import gettext as _
from flask_babel import pgettext

STATIC = Path(__file__).resolve().parent / "static"

bp = Blueprint("pos_pages", __name__)
# The camera scans barcodes on this page only; every other page keeps camera=().
CAMERA_POLICY = "camera=(self), microphone=(), geolocation=(), payment=()"


def pos_strings() -> dict[str, str]:
    return {
        "network_error": _("The network is not answering. Check your connection and try again."),
        "needs_network": _("This needs the network. Cash still works offline."),
        "calls_waiter": _("calls a waiter"), "wants_bill": _("asks for the bill"),
        "wants_water": _("asks for water"), "wants_tableware": _("asks for tableware"),
        "hurries_n": _("hurries round {n}"), "guests_n": _("{n} guests"), "handled": _("Done"),  # a call: 已处理
        "free": _("Free"), "due": _("Due"), "settled": _("Settled"), "cashier": _("Cashier"),
        "state_free": _("Free"), "state_ordering": _("Ordering"), "state_eating": _("Eating"),
        "state_waiting_to_pay": _("Waiting to pay"), "state_paid": _("Paid"),
        "no_tables": _("No tables yet. Add them in the console."), "loading": _("Loading…"), "retry": _("Retry"),
        "ok": _("OK"), "cancel": _("Cancel"), "done": pgettext("dialog button", "Done"), "table_n": _("Table {code}"),
        "takeaway": _("Takeaway"), "takeaway_walkin": _("Takeaway / walk-in"),
        "no_takeaways": _("No open takeaway orders."),
        "pending_n": _("To sync {n}"), "unsynced_logout": _("Sales on this phone are not synced yet: stay logged in."),
        "price_changed": _("Price changed: took {was}, the server says {now}. Settle the difference."),
        "stock_low_badge": _("Low stock {count}"), "stock_out_badge": _("{count} out"),
        "paying": _("WeChat paying {amount}"), "overpaid": _("Overpaid {amount}: refunding automatically"),
        "stop_paying": _("Stop WeChat payment"),
        "confirm_stop_paying": _(
            "Stop the WeChat payment of {amount} at table {code}? The diner can no longer pay it."),
        "open_check": _("Open"), "resolved": _("Resolved"), "void": _("Void"), "void_x": _("Void {name}"),
        "voided_x": _("{name} voided."),
        "refused_sold_out": _("Sold out since: nothing was recorded. Settle it with the customer."),
        "refused_invalid_state": _("The check changed meanwhile (closed or already paid): nothing was recorded."),
        "refused_validation_error": _("More than is now due, or no longer valid: nothing was recorded."),
        "refused_other": _("Not accepted: {message}"),
        "round_n": _("Round {n}"), "order_submitted": _("Waiting for payment"), "order_accepted": _("Received"),
        "order_preparing": _("Cooking"), "order_ready": _("Ready"), "order_served": _("Served"),
        "order_cancelled": _("Cancelled"), "line_new": _("Waiting"), "line_cooking": _("Cooking"),
        "line_done": pgettext("dish status", "Done"), "line_cancelled": _("Voided"), "remark": _("Remark"),
        "total": _("Total"),
        "discount": _("Discount"), "paid": _("Paid"), "no_orders_yet": _("Nothing ordered yet."),
        "check_closed": _("This check is closed."), "change_x": _("Change {x}"),
        "channel_cash": _("Cash payment"), "channel_wechat": _("WeChat (diner's phone)"),
        "channel_wechat_jsapi": _("WeChat (diner's phone)"),
        "channel_wechat_code": _("WeChat payment code"), "channel_alipay_code": _("Alipay payment code"),
        "channel_other": _("Other"), "pay_paid": _("Paid"), "pay_paying": _("Waiting for the payer"),
        "pay_failed": _("Payment failed"), "pay_created": _("Started"), "pay_closed": _("Closed"),
        "pay_items": _("Pay by dishes"), "choose_items": _("Choose the dishes paid for."),
        "items_total": _("These dishes: {x}"),
        "take_cash": _("Cash"), "split": _("Split"), "pay_other": _("Other way"), "payment_code": _("Payment code"),
        "give_discount": _("Discount"), "add_dishes": _("Add dishes"), "move_table": _("Move / merge"),
        "receipt": _("Receipt"), "clear_table": _("Clear table"), "cash_for": _("Cash for {amount}"),
        "tendered": _("Cash received (¥)"), "tendered_short": _("Less than the amount."),
        "queued_change": _("No network: kept on this phone, will sync. Give change {x}."),
        "cash_taken_change": _("Cash recorded. Change {x}."), "other_for": _("Other way of paying {amount}"),
        "other_hint": _("Card terminal, voucher or transfer: record it once the money is taken."),
        "record": _("Record"), "recorded": _("Recorded."), "auth_code": _("The payer's code (scan or type)"),
        "charge": _("Charge"), "scan_payer_code": _("Scan the payer's code"),
        "code_for": _("Payment code for {amount}"),
        "code_bad": _("Not a WeChat or Alipay payment code (WeChat: 18 digits starting 10–15; "
                      "Alipay: 16–24 digits starting 25–30)."),
        "codes_need_network": _("Payment codes and WeChat need the network: nothing was charged. "
                                "Cash still works offline."),
        "payment_code_offline": _("Payment code (needs network)"),
        "check_offline": _("Offline: cash is kept on this phone and synced; payment codes and WeChat need the "
                           "network."),
        "close": _("Close"), "code_sending": _("Charging…"),
        "code_network_unknown": _("The network dropped: the result is not known yet. Asking again when it is back "
                                  "(never charged twice)."),
        "code_paying": _("The customer is entering the password on their phone…"),
        "code_waiting_s": _("Waiting {s} s"),
        "code_network_following": _("The network dropped: following this payment again when it is back."),
        "code_paid": _("{channel}: {amount} received."),
        "code_failed": _("Payment failed: nothing was charged. Scan again or take another way."),
        "paying_code": _("{channel} {amount}: the payer is confirming on their phone"),
        "follow_code": _("Follow"), "cancel_code": _("Cancel charge"),
        "confirm_cancel_code": _("Cancel the payment code charge of {amount} at {code}? If the payer has just paid, "
                                 "the money goes back."),
        "code_timeout": _("The payer did not confirm within 60 seconds: the payment was cancelled."),
        "code_cancelled": _("The payment was cancelled."),
        "code_mismatch": _("The provider's answer did not match this payment: it was cancelled and any money goes "
                           "back."),
        "code_not_enough": _("Not enough balance: ask for another card or another way of paying."),
        "code_expired": _("The code is used or expired: ask the payer to refresh it and scan again."),
        "refund": _("Refund"), "refund_x": _("Refund {channel} {amount}"),
        "refund_amount": _("Amount to refund (¥)"), "refund_amount_bad": _("An amount up to {x}."),
        "refund_hint_cash": _("Give the cash back from the drawer: the shift counts it as cash refunded."),
        "refund_hint_other": _("Record a refund made outside (card terminal, voucher)."),
        "refund_hint_provider": _("The money goes back to the payer's WeChat or Alipay."),
        "refunded_cash": _("Refunded {x}: give it back from the drawer."), "refunded_x": _("Refunded {x}."),
        "refund_processing": _("Refund of {x} sent: it settles in a moment."), "refunded_label": _("refunded {x}"),
        "split_ways": _("How many people"), "split_ways_bad": _("2 to 50 people."), "share_n": _("Share {n}"),
        "split_n": _("Split {n} ways"), "split_hint": _("Each share can be paid any way; the shares add up exactly."),
        "discount_kind": _("Kind"), "percent": _("Percent"), "amount_yuan": _("Amount (¥)"),
        "discount_value": _("Value"), "reason": _("Reason"), "reason_required": _("Say why."),
        "value_bad": _("A number, at most two decimals."), "discount_given": _("Discount given."),
        "manager_approval": _("Manager approval"),
        "manager_approval_hint": _("A manager signs in here to approve this one discount."),
        "manager_username": _("Manager's username"), "password": _("Password"), "approve": _("Approve"),
        "move_hint": _("To a free table the check moves; to an occupied one the two checks merge."),
        "to_table": _("To table"), "occupied": _("occupied"), "move": _("Move"), "choose_table": _("Choose a table."),
        "merge": _("Merge"), "merge_confirm": _("Merge table {from} into table {to}'s check?"),
        "merged_into": _("Merged into table {code}."), "moved_to": _("Moved to table {code}."),
        "unserved_confirm": _("{n} dishes are not served yet ({names}). Clear the table anyway?"),
        "clear_anyway": _("Clear anyway"), "table_cleared": _("Table {code} is free again."),
        "handed_over": _("Handed over."), "add_x": _("Add {name}"), "added_x": _("Added {name}"),
        "sold_out": _("Sold out"), "sold_out_x": _("{name} is sold out."), "no_match": _("Nothing matches."),
        "none": _("None"), "add": _("Add"), "unknown_code": _("No item has the code {code}."),
        "no_camera": _("The camera is not available: type the code instead."), "fewer": _("Fewer"), "more": _("More"),
        "order_queued": _("No network: the order is kept on this phone and will be sent."),
        "pickup_sent": _("Pickup #{n} sent to the kitchen."), "order_sent": _("Order #{n} sent."),
        "sale_queued": _("No network: sale kept on this phone, will sync. Give change {x}."),
        "sale_done": _("Pickup #{n} paid. Change {x}."),
        "no_shift": _("No shift open"), "no_shift_hint": _("Open your shift with the cash in the drawer."),
        "open_shift": _("Open shift"), "opening_cash": _("Float in the drawer"),
        "amount_bad": _("An amount in yuan."),
        "shift_opened": _("Shift opened."), "opened_at": _("Opened"), "closed_at": _("Closed at"),
        "payments_n": _("Payments"), "discounts_given": _("Discounts given"), "refunds": _("Refunds"),
        "cash_taken_label": _("Cash received"), "change_given": _("Change given"), "cash_refunded": _("Cash refunded"),
        "expected_cash": _("Expected in the drawer"), "counted_cash": _("Counted cash (¥)"),
        "difference": _("Difference"), "note": _("Note"), "x_report": _("X report (shift so far)"),
        "z_report": _("Z report (shift closed)"), "print_x": _("Print X report"), "print_z": _("Print Z report"),
        "close_shift": _("Close shift"),
        "close_refused_unsynced": _("{n} sales on this phone are not synced yet: connect and sync before closing."),
        "difference_x": _("Difference {x}"), "note_required": _("The count differs: a note is required."),
        "shift_closed": _("Shift closed."), "pickup_number": _("Pickup number"), "check_n": _("Check {n}"),
        "service_charge": _("Service charge"), "to_pay": _("To pay"), "change": _("Change given back"),
        "thanks": _("Thank you, see you again!"),
    }


@bp.get("/pos")
def pos_page() -> Response:
    resp = Response(render_template("pos.html", strings=pos_strings()))
    resp.headers["Permissions-Policy"] = CAMERA_POLICY
    return resp


@bp.get("/pos/receipt/<int:session_id>")
def receipt_page(session_id: int) -> str:
    return render_template("pos_print.html", strings=pos_strings(), kind="receipt", target_id=session_id,
                           title=_("Receipt"))


@bp.get("/pos/shifts/<int:shift_id>/report")
def shift_report_page(shift_id: int) -> str:
    return render_template("pos_print.html", strings=pos_strings(), kind="shift", target_id=shift_id,
                           title=_("Shift report"))


@bp.get("/pos-sw.js")
def service_worker() -> Response:
    """At the site's root so that it may control /pos: the page then opens with no network."""
    resp = send_from_directory(STATIC, "pos-sw.js", max_age=0)
    resp.headers["Cache-Control"] = "no-cache"
    return resp
