"""Feie cloud printers through the sandbox (signature, markup, a refused key), and bad printer settings."""
from __future__ import annotations

import hashlib
import time

import requests

from services.print_worker import PrintWorker
from tests.helpers import auth
from tests.printing.conftest import until


def _device(base: str) -> dict[str, str]:
    r = requests.post(f"{base}/feie-sandbox/devices", timeout=10)
    assert r.status_code == 201
    return r.json()


def _printed(base: str, sn: str) -> list[dict]:
    return requests.get(f"{base}/feie-sandbox/printed", params={"sn": sn}, timeout=10).json()["printed"]


def test_feie_prints_the_ticket_as_signed_markup(app, shop, live_server):
    device = _device(live_server)
    made = shop.add_printer(kind="feie", sn=device["sn"], key=device["key"], stations=["hot"], paper_width=58)
    assert made["key_set"] is True and "key" not in made and made["host"] is None
    shop.order((shop.hot, 2), remark="打包")
    assert PrintWorker(app, owner="solo").run_once() == 1
    [printed] = _printed(live_server, device["sn"])
    content = printed["content"]
    assert content.startswith("<C>测试小馆</C><BR><CB>厨房单</CB><BR><BOLD><B>A3 桌</B></BOLD><BR>")
    assert "<BOLD><B>宫保鸡丁 x2</B></BOLD><BR><BOLD>  微辣</BOLD><BR>" in content
    assert "<BOLD><B>整单备注：打包</B></BOLD>" in content and content.endswith("<CUT>")
    assert "-" * 32 + "<BR>" in content  # 58 mm paper: 32 columns
    assert [j["status"] for j in shop.jobs(made["id"])] == ["printed"]


def test_feie_checks_the_signature_sha1_of_user_ukey_stime(app, live_server):
    api, user, ukey = app.config["FEIE_API_BASE"], app.config["FEIE_USER"], app.config["FEIE_UKEY"]
    stime = str(int(time.time()))
    form = {"user": user, "stime": stime, "apiname": "Open_printerAddlist", "printerContent": "1#2#x"}
    good = hashlib.sha1((user + ukey + stime).encode()).hexdigest()  # noqa: S324 - Feie's scheme
    assert requests.post(api, data=form | {"sig": good}, timeout=10).json()["ret"] == 0
    wrong = hashlib.sha1((user + "not-the-ukey" + stime).encode()).hexdigest()  # noqa: S324
    refused = requests.post(api, data=form | {"sig": wrong}, timeout=10).json()
    assert refused["ret"] != 0 and "签名错误" in refused["msg"]
    stale = str(int(time.time()) - 3600)
    old = hashlib.sha1((user + ukey + stale).encode()).hexdigest()  # noqa: S324
    assert requests.post(api, data=form | {"stime": stale, "sig": old}, timeout=10).json()["ret"] != 0


def test_a_key_feie_refuses_is_a_clear_error_and_later_a_rejected_state_not_endless_retries(app, shop, live_server):
    device = _device(live_server)
    wrong = shop.add_printer(expect=422, kind="feie", sn=device["sn"], key="deadbeef", stations=["hot"])
    assert wrong["error"]["code"] == "validation_error" and "识别码不正确" in wrong["error"]["message"]
    assert "key" in wrong["error"]["fields"]
    made = shop.add_printer(kind="feie", sn=device["sn"], key=device["key"], stations=["hot"])
    requests.delete(f"{live_server}/feie-sandbox/devices/{device['sn']}/account", timeout=10)  # removed on Feie's site
    shop.order((shop.hot, 1))
    worker = PrintWorker(app, owner="solo")
    assert worker.run_once() == 1
    printer = shop.printer_row(made["id"])
    assert printer.state == "rejected" and "打印机编号和用户不匹配" in printer.state_reason
    assert [worker.run_once() for _ in range(3)] == [0, 0, 0]  # not tried again while rejected
    [job] = shop.jobs(made["id"])
    assert (job["status"], job["attempts"]) == ("queued", 1)
    fixed = shop.client.patch(f"/api/v1/admin/printers/{made['id']}", json={"key": device["key"]},
                              headers=auth(shop.token))
    assert fixed.status_code == 200 and fixed.get_json()["printer"]["state"] == "ok"
    assert worker.run_once() == 1
    assert len(_printed(live_server, device["sn"])) == 1
    assert [j["status"] for j in shop.jobs(made["id"])] == ["printed"]


def test_bad_printer_settings_are_clear_422s(shop):
    cases = [
        ({"host": "厨房打印机.local"}, "host"),
        ({"host": "bad host!"}, "host"),
        ({"host": ""}, "host"),
        ({"port": 0}, "port"),
        ({"port": 70000}, "port"),
        ({"port": "9100"}, "port"),
        ({"port": 6379}, "port"),
        ({"stations": ["grill"]}, "stations"),
        ({"paper_width": 57}, "paper_width"),
        ({"kind": "epson"}, "kind"),
        ({"kind": "feie", "sn": "123456789"}, "key"),
        ({"kind": "feie", "sn": "12 34", "key": "abcd"}, "sn"),
        ({"name": ""}, "name"),
    ]
    for change, field in cases:
        body = {"port": 9100, "stations": ["hot"]} | change
        answer = shop.add_printer(expect=422, **body)
        assert answer["error"]["code"] == "validation_error", change
        assert field in answer["error"]["fields"], (change, answer)
    shop.add_printer(name="热菜", port=9100, stations=["hot"])
    taken = shop.add_printer(expect=422, name="热菜", port=9101)
    assert "name" in taken["error"]["fields"]
    assert shop.add_printer(host="PRINTER-1.lan.", port=9100)["host"] == "printer-1.lan"


def test_an_unreachable_printer_goes_down_without_holding_up_the_others(shop, emulators, workers, heard):
    cold = emulators()
    gone = shop.add_printer(host="192.0.2.1", port=9100, stations=["hot"])  # TEST-NET: nobody answers
    shop.escpos(cold, ["cold"])
    workers("w1")
    shop.order((shop.hot, 1), (shop.cold, 1))
    assert "拍黄瓜 x1" in cold.wait_for(1)[0].text
    printer = until(lambda: (p := shop.printer_row(gone["id"])).state == "down" and p, what="down", timeout=30)
    assert printer.state_reason.startswith("cannot connect to 192.0.2.1:9100")
    shop.order((shop.cold, 2))
    assert "拍黄瓜 x2" in cold.wait_for(2)[1].text  # the dead printer holds up no one
    [job] = shop.jobs(gone["id"])
    assert job["status"] == "queued" and job["last_error"].startswith("cannot connect")
    assert any(e.name == "printer.state" and e.payload["printer"]["state"] == "down" for e in heard)
