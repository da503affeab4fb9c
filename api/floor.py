"""The floor for cashiers and waiters: every table with its open check."""
from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from api.auth import current_staff, permission_required
from domain.checkout import table_state
from schema.floor import FloorResponse
from services import admin, calls, tables

blp = Blueprint("floor", __name__, url_prefix="/api/v1", description="Floor: tables and their checks")


@blp.get("/floor")
@permission_required("floor.view")
@blp.response(200, FloorResponse)
@blp.doc(security=[{"bearer": []}])
def floor() -> dict[str, Any]:
    who = current_staff()
    assert who is not None
    rows = []
    bills = {call.table_id for call, _ in calls.open_calls(who.store_id) if call.kind == "bill"}
    paying = tables.payments_in_flight(who.store_id)
    for table, check in tables.floor(who.store_id):
        check_view = None
        state = table_state(False, 0, 0, 0, 0, False)
        if check is not None:
            live = [o for o in check.orders if o.status != "cancelled"]
            unserved = sum(1 for o in live if o.status != "served" for ln in o.items if ln.status != "cancelled")
            check_view = {"id": check.id, "total": check.total, "discount": check.discount, "paid": check.paid,
                       "due": check.due, "overpaid": check.overpaid,
                       "paying": sum(p.amount for p in paying.get(check.id, [])),
                       "paying_payment_id": paying[check.id][0].id if paying.get(check.id) else None,
                       "orders": len(live), "unserved": unserved, "headcount": check.headcount,
                       "opened_at": check.opened_at}
            state = table_state(True, len(live), check.total, check.due, unserved, table.id in bills)
        rows.append({"id": table.id, "code": table.code, "area": table.area.name if table.area else None,
                     "seats": table.seats, "state": state, "session": check_view})
    store = admin.get_store(who.store_id)
    return {"store": {"name": store.name, "timezone": store.timezone}, "tables": rows}
