"""Kitchen tickets on paper: routed by station, printed once, in order, through outages and races."""
from __future__ import annotations

import re

import pytest

from models import Order, PrintJob, Ticket, db, utcnow
from services import status
from services.kitchen import record_ticket_event
from services.print_worker import PrintWorker
from services.printing import job_counts, queue_moved
from services.uow import transaction
from tests.helpers import auth, make_table
from tests.printing.conftest import until
from tests.servers import free_port, gunicorn_server


def _numbers(printouts) -> list[int]:  # type: ignore[no-untyped-def]
    return [int(re.search(r"单号 (\d+)", p.text).group(1)) for p in printouts]


def test_tickets_routed_by_station_print_once_each(shop, emulators, workers):
    hot_printer, cold_printer = emulators(), emulators()
    shop.escpos(hot_printer, ["hot"])
    shop.escpos(cold_printer, ["cold", "bar"])
    workers("w1")
    first = shop.order((shop.hot, 2), (shop.cold, 1))
    second = shop.order((shop.hot, 1))
    hot_pages = hot_printer.wait_for(2)
    cold_pages = cold_printer.wait_for(1)
    until(lambda: shop.queued() == 0, what="every job printed")
    assert _numbers(hot_pages) == [first, second] and len(hot_printer.printouts) == 2
    assert _numbers(cold_pages) == [first] and len(cold_printer.printouts) == 1
    assert "宫保鸡丁 x2" in hot_pages[0].text and "拍黄瓜" not in hot_pages[0].text
    assert "拍黄瓜 x1" in cold_pages[0].text and "宫保鸡丁" not in cold_pages[0].text


def test_the_ticket_reads_right_in_chinese(shop, emulators, workers):
    printer = emulators()
    shop.escpos(printer, ["hot"])
    workers("w1")
    number = shop.order((shop.hot, 2), note="不要花生", remark="少放盐，快点上")
    page = printer.wait_for(1)[0]
    assert "A3 桌" in page.big and "宫保鸡丁 x2" in page.big  # the dish large and bold
    assert "宫保鸡丁 x2" in page.bold
    assert f"单号 {number}   热菜" in page.lines
    assert "  微辣" in page.lines and "  备注：不要花生" in page.lines
    assert "整单备注：少放盐，快点上" in page.big
    assert page.lines[0].strip() == "测试小馆" and "厨房单" in page.big
    assert re.search(r"时间 \d\d-\d\d \d\d:\d\d", page.text)


def test_a_printer_refusing_connections_gets_everything_after_in_order_once(shop, emulators, workers, heard):
    printer = emulators()
    printer.stop()  # switched off: connections to its port are refused
    made = shop.escpos(printer, ["hot"])
    workers("w1")
    numbers = [shop.order((shop.hot, 1)) for _ in range(5)]
    until(lambda: shop.printer_row(made["id"]).state == "down", what="the printer marked down")
    down = [e for e in heard if e.name == "printer.state" and e.payload["printer"]["id"] == made["id"]]
    assert down and down[-1].payload["printer"]["state"] == "down" and down[-1].payload["printer"]["queue"] == 5
    assert "connection refused" in down[-1].payload["printer"]["state_reason"]
    listed = shop.client.get("/api/v1/admin/printers", headers=auth(shop.token)).get_json()["printers"]
    assert [(p["state"], p["queue"]) for p in listed] == [("down", 5)] and listed[0]["down_since"]
    assert status.printers_down()[str(shop.store.id)] == 1  # diancan_printers_down{store} on /metrics
    printer.start()  # back on, same port
    pages = printer.wait_for(5)
    until(lambda: shop.printer_row(made["id"]).state == "ok", what="the printer back to ok")
    assert _numbers(pages) == numbers
    until(lambda: shop.queued() == 0)
    assert len(printer.printouts) == 5
    jobs = shop.jobs(made["id"])
    assert {j["status"] for j in jobs} == {"printed"} and max(j["attempts"] for j in jobs) > 1
    assert [e.payload["printer"]["state"] for e in heard if e.name == "printer.state"][-1] == "ok"


def test_two_workers_sharing_a_printer_print_each_job_once(shop, emulators, workers):
    printer = emulators()
    shop.escpos(printer, ["hot", "cold"])
    workers("process-a")
    workers("process-b")
    numbers = []
    for _ in range(15):
        numbers.append(shop.order((shop.hot, 1), (shop.cold, 1)))
    pages = printer.wait_for(30, timeout=60)
    until(lambda: shop.queued() == 0, timeout=30)
    assert len(printer.printouts) == 30
    assert _numbers(pages) == [n for n in numbers for _ in (0, 1)]  # each order's two tickets, in order
    owners = {j.lease_owner for j in db.session.query(PrintJob).filter_by(store_id=shop.store.id)}
    assert owners == {None}  # every lease released


def test_a_void_after_printing_prints_a_slip(shop, emulators, workers):
    printer = emulators()
    made = shop.escpos(printer, ["hot"])
    workers("w1")
    shop.order((shop.hot, 2), (shop.hot, 1))
    printer.wait_for(1)
    until(lambda: shop.queued() == 0)
    placed = db.session.query(Order).filter_by(store_id=shop.store.id).one()
    line_ids = [ln.id for ln in placed.items]
    db.session.remove()
    url = f"/api/v1/orders/{placed.id}/items/{line_ids[0]}/cancel"
    r = shop.client.post(url, json={"reason": "客人不要了"}, headers=auth(shop.token))
    assert r.status_code == 200, r.get_json()
    slip = printer.wait_for(2)[1]
    assert "退菜单" in slip.big and "宫保鸡丁 x2" in slip.big and "原因：客人不要了" in slip.lines
    assert "以上菜品不要做" in slip.big
    url = f"/api/v1/orders/{placed.id}/items/{line_ids[1]}/cancel"
    assert shop.client.post(url, json={"reason": "整桌走了"}, headers=auth(shop.token)).status_code == 200
    last = printer.wait_for(3)[2]
    assert "整单取消" in last.big and "宫保鸡丁 x1" in last.big
    assert [j["kind"] for j in shop.jobs(made["id"])] == ["void", "void", "ticket"]


def test_test_page_and_reprint_print_again_once_per_key(shop, emulators, workers):
    printer = emulators()
    made = shop.escpos(printer, ["hot"], paper_width=58)
    workers("w1")
    headers = auth(shop.token)
    r = shop.client.post(f"/api/v1/admin/printers/{made['id']}/test", json={"client_key": "t-1"}, headers=headers)
    assert r.status_code == 201 and r.get_json()["job"]["kind"] == "test"
    page = printer.wait_for(1)[0]
    assert "打印测试" in page.big and "纸宽 58 mm，每行 32 字符" in page.lines
    assert "中文 GB18030：宫保鸡丁 麻婆豆腐 ￥38.00" in page.lines
    shop.order((shop.hot, 1))
    printer.wait_for(2)
    ticket_job = next(j for j in shop.jobs(made["id"]) if j["kind"] == "ticket")
    first = shop.client.post(f"/api/v1/admin/print-jobs/{ticket_job['id']}/reprint", json={"client_key": "r-1"},
                             headers=headers)
    again = shop.client.post(f"/api/v1/admin/print-jobs/{ticket_job['id']}/reprint", json={"client_key": "r-1"},
                             headers=headers)
    assert first.status_code == 201 and again.get_json()["job"]["id"] == first.get_json()["job"]["id"]
    assert first.get_json()["job"]["reprint_of"] == ticket_job["id"]
    reprinted = printer.wait_for(3)[2]
    assert "厨房单（重印）" in reprinted.big and "宫保鸡丁 x1" in reprinted.big
    until(lambda: shop.queued() == 0)
    assert len(printer.printouts) == 3


def test_a_kitchen_change_rolled_back_owes_no_paper(shop, emulators):
    printer = emulators()
    made = shop.escpos(printer, ["hot", "bar"])
    shop.order((shop.hot, 1))
    order_id = db.session.query(Order.id).filter_by(store_id=shop.store.id).scalar()
    db.session.remove()
    with pytest.raises(RuntimeError), transaction() as tx:
        ticket = Ticket(store_id=shop.store.id, order_id=order_id, station="bar", status="new", created_at=utcnow())
        ticket.order = tx.session.get(Order, order_id)
        tx.session.add(ticket)
        tx.session.flush()
        record_ticket_event(tx, ticket, "ticket.created")
        tx.session.flush()
        assert tx.session.query(PrintJob).filter_by(ticket_id=ticket.id).count() == 1  # written with the event
        raise RuntimeError("the process dies before commit")
    assert [j["kind"] for j in shop.jobs(made["id"])] == ["ticket"]  # only the committed order's


def test_a_server_process_and_a_worker_here_share_a_printer_and_print_each_job_once(env, shop, emulators, workers,
                                                                                      tmp_path):
    printer = emulators()
    shop.escpos(printer, ["hot"])
    with gunicorn_server(env | {"PRINT_WORKER": "1"}, tmp_path / "printing.log", port=free_port()):
        workers("this-process")
        numbers = [shop.order((shop.hot, 1)) for _ in range(20)]
        pages = printer.wait_for(20, timeout=60)
        until(lambda: shop.queued() == 0, timeout=30)
    assert len(printer.printouts) == 20 and _numbers(pages) == numbers
    owners = {j.lease_owner for j in db.session.query(PrintJob).filter_by(store_id=shop.store.id)}
    assert owners == {None}


def test_a_receipt_prints_the_check_with_prices_on_the_receipt_printer(shop, emulators, workers):
    kitchen, counter = emulators(), emulators()
    shop.escpos(kitchen, ["hot", "cold"])
    workers("w1")
    shop.order((shop.hot, 2), (shop.cold, 1))
    check_id = db.session.query(Order.table_session_id).filter_by(store_id=shop.store.id).scalar()
    db.session.remove()
    none = shop.client.post("/api/v1/admin/receipts", json={"table_session_id": check_id}, headers=auth(shop.token))
    assert none.status_code == 409 and none.get_json()["error"]["code"] == "invalid_state"
    shop.escpos(counter, [], receipts=True, paper_width=58)
    body = {"table_session_id": check_id, "client_key": "receipt-1"}
    first = shop.client.post("/api/v1/admin/receipts", json=body, headers=auth(shop.token))
    again = shop.client.post("/api/v1/admin/receipts", json=body, headers=auth(shop.token))
    ids = [j["id"] for j in first.get_json()["jobs"]]
    assert first.status_code == 201 and [j["id"] for j in again.get_json()["jobs"]] == ids and len(ids) == 1
    receipt = counter.wait_for(1)[0]
    assert "宫保鸡丁 x2" in receipt.text and "￥76.00" in receipt.text and "拍黄瓜 x1" in receipt.text
    total = next(line for line in receipt.lines if line.startswith("合计"))
    assert total.endswith("￥88.00") and len(total.encode("gb18030")) == 32  # flush right on 58 mm paper
    until(lambda: shop.queued() == 0)
    assert len(counter.printouts) == 1 and len(kitchen.printouts) == 2


def test_a_moved_check_prints_a_slip_where_its_tickets_were_printed(shop, emulators, workers):
    printer = emulators()
    shop.escpos(printer, ["hot"])
    workers("w1")
    number = shop.order((shop.hot, 1))
    printer.wait_for(1)
    order_id = db.session.query(Order.id).filter_by(store_id=shop.store.id).scalar()
    db.session.remove()
    with transaction() as tx:  # what the cashier's move use case calls, inside its transaction
        queue_moved(tx, shop.store.id, "A3", "B5", [order_id])
    slip = printer.wait_for(2)[1]
    assert "转台单" in slip.big and "A3 → B5" in slip.big and f"单号 {number}" in slip.lines


def test_a_job_held_by_a_worker_that_died_prints_once_after_its_lease(app, shop, emulators, monkeypatch):
    monkeypatch.setitem(app.config, "PRINT_LEASE_SECONDS", 1.0)
    monkeypatch.setitem(app.config, "PRINT_TIMEOUT_SECONDS", 0.2)
    printer = emulators()
    made = shop.escpos(printer, ["hot"])
    shop.order((shop.hot, 1))
    with app.app_context():
        claimed = PrintWorker(app, owner="dies-now")._claim(set())  # claimed, then its process is killed
    assert len(claimed[made["id"]]) == 1
    other = PrintWorker(app, owner="survivor")
    other.run_once()
    assert printer.printouts == []  # the lease still holds: not printed twice
    until(lambda: other.run_once() and shop.queued() == 0, timeout=10, what="the lease to run out")
    assert len(printer.wait_for(1)) == 1
    [job] = shop.jobs(made["id"])
    assert (job["status"], job["attempts"]) == ("printed", 2)


def test_job_counts_for_the_metrics_follow_the_queue(shop, emulators):
    printer = emulators()
    shop.escpos(printer, ["hot"])
    before = job_counts()
    shop.order((shop.hot, 1))
    after = status.print_job_counts()  # what /metrics reads
    assert after["queued"] == before["queued"] + 1 and set(after) >= {"queued", "printed", "failed"}


def test_a_check_moved_to_another_table_prints_a_moved_slip_where_its_tickets_printed(shop, emulators, workers):
    printer = emulators()
    made = shop.escpos(printer, ["hot"])
    workers("w1")
    shop.order((shop.hot, 1))
    printer.wait_for(1)
    check_id = db.session.query(Order).filter_by(store_id=shop.store.id).one().table_session_id
    target = make_table(shop.store, "B9")
    db.session.remove()
    r = shop.client.post(f"/api/v1/table-sessions/{check_id}/move", json={"to_table_id": target.id},
                         headers=auth(shop.token))
    assert r.status_code == 200, r.get_json()
    slip = printer.wait_for(2)[1]
    assert "A3" in slip.text and "B9" in slip.text
    assert [j["kind"] for j in shop.jobs(made["id"])] == ["moved", "ticket"]
