"""The hand-built order and ticket views say exactly what their documented schemas would dump."""
from __future__ import annotations

from sqlalchemy import select

from models import Order, Ticket, db
from services.views import OrderSchema, TicketSchema, order_view, ticket_data, ticket_view
from tests.helpers import auth, diner_token, make_item, make_store, make_table, order_body


def test_views_equal_the_schemas_dump(app, client, live_server):
    store = make_store()
    table = make_table(store)
    item = make_item(store, price=3800, groups=[("份量", 1, 1, [("小份", -400), ("大份", 600)])])
    big = next(o.id for g in item.option_groups for o in g.options if o.name == "大份")
    body = order_body(table, item, qty=2, option_ids=[big])
    body["items"][0]["note"] = "少辣"
    body["remark"] = "靠窗"
    r = client.post("/api/v1/orders", json=body, headers=auth(diner_token(client, live_server)))
    assert r.status_code == 201, r.get_json()
    with app.app_context():
        order = db.session.execute(select(Order).where(Order.id == r.get_json()["order"]["id"])).scalar_one()
        assert order_view(order) == OrderSchema().dump(order)
        assert r.get_json()["order"] == OrderSchema().dump(order)
        order.table = None  # a takeaway's order and ticket: no table code
        ticket = db.session.execute(select(Ticket).where(Ticket.order_id == order.id)).scalar_one()
        assert ticket_view(ticket) == TicketSchema().dump(ticket_data(ticket))
        assert ticket_view(ticket)["table_code"] is None and ticket_view(ticket)["items"][0]["note"] == "少辣"
        assert order_view(order) == OrderSchema().dump(order)
        db.session.rollback()
