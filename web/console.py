"""The manager's console: one page (``/console``) driving the admin API, and the printable QR sheet.

The console signs in with a cookie session (``POST /api/v1/staff/session``): the token sits in an
HttpOnly cookie the page's script cannot read, and every write carries the CSRF token.
"""
from __future__ import annotations

from typing import Any

import segno
from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from domain import permissions
from domain.errors import NotFound, Unauthorized
from models import Store, db
from services import menu, staff, tables
from services.uow import reading
from web.console_reports import report_strings
from web.console_stock import stock_strings

bp = Blueprint("console", __name__)


def console_strings() -> dict[str, str]:
    return {
        "network_error": _("The network is not answering. Check your connection and try again."),
        "login_failed": _("Wrong store, username or password."), "locked": _("Too many attempts. Try again later."),
        "saved": _("Saved."), "deleted": _("Deleted."), "cancel": _("Cancel"), "save": _("Save"),
        "delete": _("Delete"), "edit": _("Edit"), "add": _("Add"), "confirm": _("Confirm"), "close": _("Close"),
        "loading": _("Loading…"), "load_failed": _("Could not load. Tap to retry."), "retry": _("Retry"),
        "not_allowed": _("Your role may not use the console."),
        "session_over": _("Your session has ended. Sign in again."),
        # warnings banner (GET /api/v1/floor/warnings)
        "warn_screen_offline": _("Kitchen screen offline for over a minute: {detail}"),
        "warn_payments_stuck": _("{count} payments have been waiting for WeChat Pay for over 5 minutes"),
        "warn_wechat_pay_failing": _("WeChat Pay is not answering: {count} payments could not start"),
        "warn_printer_down": _("{count} printers are not answering; their tickets wait in the queue"),
        # tables
        "areas": _("Areas"), "no_area": _("No area"), "new_area": _("New area"), "area_name": _("Area name"),
        "rename": _("Rename"), "confirm_delete_area": _("Delete area {name}? It must have no tables."),
        "tables": _("Tables"), "new_table": _("New table"), "code": _("Code"), "area": _("Area"), "seats": _("Seats"),
        "status": _("Status"), "active": _("In use"), "disabled": _("Disabled"), "disable": _("Disable"),
        "enable": _("Enable"), "qr": _("QR code"), "wxa": _("Mini-program code"), "rotate": _("New code"),
        "confirm_rotate": _("Give table {code} a new code? Every printed code of this table stops working at once."),
        "rotated": _("Table {code} has a new code: print it again."),
        "confirm_disable": _("Disable table {code}? Its code stops working until you enable it again."),
        "print_sheet": _("Print QR sheet"), "print_labels": _("Print shelf labels"),
        "print_wxa_sheet": _("Print mini-program codes"),
        "no_tables": _("No tables yet. Add the first one above."),
        # menu
        "menu": _("Menu management"), "categories": _("Categories"), "new_category": _("New category"),
        "category": _("Category"), "dish": _("Dish"), "new_dish": _("New dish"), "name": _("Name"),
        "price": _("Price (¥)"), "station": _("Station"), "description": _("Description"), "stock": _("Stock"),
        "stock_hint": _("Empty: unlimited"), "sold_out": _("Sold out"), "on_menu": _("On the menu"),
        "off_menu": _("Off the menu"), "hours_from": _("Served from"), "hours_until": _("Served until"),
        "hours_hint": _("Both empty: all day"), "photo": _("Photo"), "upload_photo": _("Upload photo"),
        "photo_hint": _("JPEG, PNG or WebP, at most {mb} MB."), "photo_too_big": _("The photo is larger than {mb} MB."),
        "remove_photo": _("Remove photo"), "option_groups": _("Option groups"), "new_group": _("New option group"),
        "group_name": _("Group name (e.g. Size)"), "min": _("Min"), "max": _("Max"), "option": _("Option"),
        "new_option": _("New option"), "price_delta": _("Extra (¥)"),
        "confirm_delete_group": _("Delete option group {name}?"), "confirm_delete_option": _("Delete option {name}?"),
        "confirm_delete_category": _("Delete category {name}? It must have no dishes."),
        "no_dishes": _("No dishes yet."), "bad_price": _("Enter a price like 12.50"),
        "sort": _("Order"), "edit_dish": _("Edit dish"),
        # staff
        "staff": _("Staff"), "new_staff": _("New staff member"), "username": _("Username"), "password": _("Password"),
        "role": _("Role"), "role_owner": _("Owner"), "role_manager": _("Manager"), "role_cashier": _("Cashier"),
        "role_waiter": _("Waiter"), "role_cook": _("Cook"), "deactivate": _("Deactivate"),
        "reactivate": _("Reactivate"),
        "inactive": _("Deactivated"), "locked_out": _("Locked"), "reset_password": _("Set password"),
        "confirm_deactivate": _("Deactivate {name}? They are signed out everywhere at once."),
        "new_password_for": _("New password for {name} (at least 8 characters)"),
        "password_set": _("Password set. {name} must sign in again."),
        "permissions": _("What each role may do"),
        # screens
        "screens": _("Kitchen screens"), "new_screen": _("Pair a screen"), "screen_name": _("Screen name"),
        "stations_hint": _("Stations (empty: all)"), "pairing_code": _("Pairing code"),
        "pairing_hint": _("Enter this code on the kitchen screen within {min} minutes. It works once."),
        "no_screens": _("No screens yet. Pair the first one: its code is entered on the kitchen screen."),
        "revoke": _("Unpair"), "confirm_revoke": _("Unpair {name}? It stops showing tickets at once."),
        "pending": _("Waiting for pairing"), "paired": _("Paired"), "revoked": _("Unpaired"),
        "stations": _("Stations"), "new_station": _("New station"), "station_code": _("Code (e.g. hot)"),
        # settings
        "settings": _("Settings"), "store_name": _("Store name"), "pay_mode": _("When diners pay"),
        "pay_first": _("Before the kitchen cooks (pay first)"), "pay_later": _("After the meal (pay later)"),
        "warn_minutes": _("Ticket turns amber after (minutes)"), "late_minutes": _("Ticket turns red after (minutes)"),
        "opens_at": _("Takes orders from"), "closes_at": _("Takes orders until"),
        "hours_always": _("Both empty: orders any time"), "service_charge": _("Service charge (%)"),
        "service_charge_hint": _("Added to every order; 0 for none."),
        "cashier_discount": _("Largest discount a cashier gives (%)"),
        "manager_discount": _("Largest discount a manager gives (%)"),
        "discount_limit_hint": _("Of a check, all its discounts together, 0–100; owners have no limit."),
        "item_code": _("Barcode / code"),
        "item_code_hint": _("What the barcode or QR on the dish or shelf says (EAN-13 or any text); "
                            "scanned at the till."),
        "max_portions_round": _("Most portions in one round"), "max_portions_check": _("Most portions on one check"),
        "ask_headcount": _("Ask diners how many they are"), "headcount_off": _("Do not ask"),
        "headcount_on": _("Yes, once per table (the daily report counts covers)"),
        "max_portions_hint": _("A diner's round beyond this is refused."),
        # audit
        "audit": _("Audit log"), "when": _("When"), "who": _("Who"), "action": _("Action"), "target": _("Target"),
        "change": _("Change"), "all_actions": _("All actions"), "all_staff": _("Everyone"), "from": _("From"),
        "until": _("Until"), "filter": _("Filter"), "more": _("Load more"), "no_entries": _("Nothing recorded."),
        "system": _("System"),
        "act_item.create": _("Dish added"), "act_item.price": _("Price changed"),
        "act_item.update": _("Dish changed"),
        "act_item.photo": _("Dish photo"), "act_option.price": _("Option price changed"),
        "act_order.void": _("Dish voided"),
        "act_payment.cash": _("Cash taken"), "act_payment.other": _("Other payment taken"),
        "act_payment.refund": _("Refund"), "act_payment.overpaid": _("Overpaid: refunding automatically"),
        "act_payment.cancel": _("WeChat payment stopped"), "act_table.rotate_qr": _("Table code renewed"),
        "act_table.disable": _("Table disabled"), "act_table.enable": _("Table enabled"),
        "act_store.update": _("Settings changed"), "act_staff.create": _("Staff added"),
        "act_staff.role": _("Role changed"),
        "act_staff.update": _("Staff changed"), "act_staff.deactivate": _("Staff deactivated"),
        "act_staff.password_reset": _("Password set by a manager"),
        "act_staff.password_change": _("Own password changed"),
        "act_kds.device.create": _("Screen pairing code made"), "act_kds.device.revoke": _("Screen unpaired"),
        "act_discount.give": _("Discount given"), "act_check.move": _("Check moved"),
        "act_check.merge": _("Checks merged"), "act_shift.open": _("Shift opened"),
        "act_shift.close": _("Shift closed"),
        "act_printer.create": _("Printer added"), "act_printer.update": _("Printer changed"),
        "act_printer.delete": _("Printer removed"), "act_print.reprint": _("Ticket reprinted"),
        "act_item.sold_out": _("Sold out / back on"), "act_table.clear": _("Table cleared"),
        "act_table.create": _("Table added"), "act_area.create": _("Area added"),
        "yes": _("Yes"), "no": _("No"), "f_price": _("Price"), "f_price_delta": _("Price difference"),
        "f_name": _("Name"), "f_sold_out": _("Sold out"), "f_active": _("On the menu / in use"), "f_code": _("Code"),
        "f_seats": _("Seats"), "f_area": _("Area"), "f_role": _("Role"), "f_amount": _("Amount"),
        "f_reason": _("Reason"),
        "f_screen": _("Kitchen screen"), "f_stock": _("Stock"), "f_station": _("Station"), "f_check": _("Check"),
        "f_qr_version": _("Code version"), "f_channel": _("Channel"), "f_description": _("Description"),
        "table_n": _("Table {code}"), "target_item": _("Dish"), "target_staff": _("Staff"), "target_area": _("Area"),
        "target_printer": _("Printer"), "target_option": _("Option"), "target_order_item": _("Dish"),
        "target_kitchen_device": _("Kitchen screen"), "target_coupon": _("Coupon"),
        "sell_out_now": _("Sell out"), "back_on_now": _("Back on"), "search_dishes": _("Search dishes"),
        "no_match": _("No dish matches."), "marked_sold_out": _("{name} is now sold out."),
        "back_on_menu": _("{name} is back on the menu."),
        # printers
        "printers": _("Printers"), "new_printer": _("Add printer"), "edit_printer": _("Edit printer"),
        "printer_kind": _("Kind"), "kind_escpos": _("Network printer"), "kind_feie": _("Feie cloud printer"),
        "printer_host": _("IP address or host name"), "printer_port": _("Port"),
        "printer_host_hint": _("Network printers only; the port is usually 9100."),
        "printer_sn": _("Serial number (SN)"), "printer_key": _("Key (KEY)"),
        "printer_cloud_hint": _("Cloud printers only: both are on the printer's label."),
        "paper_width": _("Paper width"), "prints_station": _("Prints"), "prints_receipts": _("Prints receipts"),
        "receipts": _("Receipts"), "queue": _("In queue"), "test_print": _("Test print"), "jobs": _("Jobs"),
        "printer_ok": _("Online"), "printer_down_for": _("{name} offline {min} min"),
        "printer_rejected": _("Refused by the cloud: {reason}"),
        "confirm_delete_printer": _("Remove printer {name}? Tickets still waiting for it are dropped."),
        "test_sent": _("Test page sent to {name}."), "no_printers": _("No printers yet. Add the first one above."),
        "printer_jobs": _("Jobs of {name}"), "no_jobs": _("Nothing printed yet."), "job_kind": _("What"),
        "attempts": _("Tries"), "reprint": _("Reprint"), "reprint_sent": _("Sent to print again."),
        "job_ticket": _("Kitchen ticket"), "job_void": _("Void slip"), "job_moved": _("Moved slip"),
        "job_receipt": _("Receipt"), "job_test": _("Test page"), "job_status_queued": _("Queued"),
        "job_status_printed": _("Printed"), "job_status_failed": _("Failed"),
        # account
        "sign_in": _("Sign in"), "sign_out": _("Sign out"), "store": _("Store"),
        "change_password": _("Change password"),
        "current_password": _("Current password"), "new_password": _("New password"),
        "password_changed": _("Password changed. Your other sessions have ended."), "console": _("Console"),
    }


def permission_labels() -> dict[str, str]:
    return {
        "floor.view": _("See the floor and tables"), "calls.handle": _("Answer waiter and bill calls"),
        "checks.close": _("Clear a table"), "orders.void": _("Void a dish"), "payments.take": _("Take cash"),
        "payments.refund": _("Refund"), "kitchen.work": _("Use the kitchen display"),
        "console.use": _("Open the console"), "tables.manage": _("Tables and QR codes"),
        "menu.manage": _("Menu and prices"), "stations.manage": _("Kitchen stations"),
        "screens.manage": _("Pair kitchen screens"), "settings.manage": _("Store settings"),
        "audit.read": _("Read the audit log"), "reports": _("Reports and daily close"),
        "promotions.manage": _("Coupons"), "staff.manage": _("Manage cashiers, waiters and cooks"),
        "staff.manage_managers": _("Manage owners and managers"),
        "printers.manage": _("Manage printers"), "print.reprint": _("Reprint tickets and print receipts"),
    }


@bp.get("/console")
def console_page() -> str:
    matrix = [[perm, sorted(roles)] for perm, roles in permissions.MATRIX.items()]  # a list keeps the order
    strings = console_strings() | report_strings() | stock_strings()
    return render_template("console.html", strings=strings, roles=permissions.ROLES, matrix=matrix,
                           permission_labels=permission_labels())


@bp.get("/console/tables/print")
def print_sheet() -> Any:
    """An A4 sheet of table codes (store name, code and area under each), for the browser's print.

    ``?kind=wxa`` prints the mini-program codes instead; ``?area=ID`` one area only.
    """
    who = _signed_in()
    if who is None or not permissions.allows(who.role, "tables.manage"):
        return redirect(url_for("console.console_page") + "#tables")
    store = db.session.get(Store, who.store_id)
    if store is None:
        raise NotFound("no such store")
    area = request.args.get("area", type=int)
    kind = "wxa" if request.args.get("kind") == "wxa" else "qr"
    cards = []
    for table in tables.list_tables(who.store_id):
        if not table.active or (area is not None and table.area_id != area):
            continue
        url = tables.qr_url(table)
        # segno's own SVG of our own URL: nothing a user typed reaches this markup unescaped
        svg = Markup(admin_qr_svg(url)) if kind == "qr" else None  # noqa: S704
        cards.append({"table": table, "svg": svg, "url": url})
    return render_template("print_sheet.html", store=store, cards=cards, kind=kind, strings={})


@bp.get("/console/menu/labels")
def shelf_labels() -> Any:
    """Shelf labels for every dish or good with a code: name, price, and the code as a QR (what the
    cashier's camera scans) with the code in print under it, to cut out and stick on the shelf."""
    who = _signed_in()
    if who is None or not permissions.allows(who.role, "menu.manage"):
        return redirect(url_for("console.console_page") + "#menu")
    with reading():
        store = db.session.get(Store, who.store_id)
        if store is None:
            raise NotFound("no such store")
        items = [i for _, cat_items in menu.store_menu(who.store_id) for i in cat_items if i.code]
        # segno draws the owner's code text as modules, never as markup
        labels = [{"item": i, "svg": Markup(segno.make(i.code, error="m").svg_inline(  # noqa: S704
            scale=3, border=2, omitsize=True, svgclass="qr", lineclass=None))} for i in items]
    return render_template("shelf_labels.html", store=store, labels=labels, strings={})


def _signed_in() -> staff.StaffPrincipal | None:
    """The staff member whose token (console cookie or bearer) came with this page request (a GET: no CSRF)."""
    scheme, _, bearer = request.headers.get("Authorization", "").partition(" ")
    token = bearer.strip() if scheme.lower() == "bearer" else request.cookies.get(staff.LOGIN_COOKIE)
    if not token:
        return None
    try:
        with reading():
            return staff.authenticate(token)
    except Unauthorized:
        return None


def admin_qr_svg(url: str) -> str:
    return tables.qr_code(url).svg_inline(scale=4, border=4, omitsize=True, svgclass="qr", lineclass=None)


