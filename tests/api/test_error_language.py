"""Errors speak the caller's language (api/i18n.py): a page's request (Accept-Language, ?lang=, the
lang cookie) gets the catalogue's words, a machine that states none the contract's English; the code
never changes."""
from __future__ import annotations

from tests.helpers import auth, make_store, make_table, staff_token

ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}


def _error(resp, status: int, code: str) -> dict:
    assert resp.status_code == status, resp.get_data(as_text=True)
    body = resp.get_json()["error"]
    assert body["code"] == code
    return body


def test_wrong_password_is_chinese_for_a_chinese_page_and_english_for_a_machine(client) -> None:
    store = make_store()
    body = {"store": store.slug, "username": "owner", "password": "nope-nope-1"}
    assert _error(client.post("/api/v1/staff/login", json=body, headers=ZH), 401, "unauthorized")["message"] \
        == "用户名或密码错误"
    assert _error(client.post("/api/v1/staff/login", json=body), 401, "unauthorized")["message"] \
        == "wrong username or password"
    en = client.post("/api/v1/staff/login?lang=en", json=body, headers=ZH)
    assert _error(en, 401, "unauthorized")["message"] == "wrong username or password"


def test_a_conflict_and_its_field_are_chinese(client) -> None:
    store = make_store()
    make_table(store, code="B7")
    token = staff_token(client, store)
    r = client.post("/api/v1/admin/tables", json={"code": "B7"}, headers=ZH | auth(token))
    err = _error(r, 409, "conflict")
    assert err["message"] == "已有相同桌号的桌台"
    assert err["fields"] == {"code": ["已被使用"]}


def test_library_validation_messages_are_translated_with_their_numbers(client) -> None:
    store = make_store()
    token = staff_token(client, store)
    bad = {"code": "B8", "seats": 120, "area_id": "x"}
    err = _error(client.post("/api/v1/admin/tables", json=bad, headers=ZH | auth(token)), 422, "validation_error")
    assert err["message"] == "部分内容填写有误。"
    assert err["fields"]["seats"] == ["须在 1 到 99 之间。"]
    assert err["fields"]["area_id"] == ["请填写整数。"]
    err = _error(client.post("/api/v1/admin/areas", json={"name": "长" * 60}, headers=ZH | auth(token)), 422,
                 "validation_error")
    assert err["fields"]["name"] == ["长度须在 1 到 50 个字之间。"]
    err = _error(client.post("/api/v1/admin/tables", json={"code": "桌"}, headers=ZH | auth(token)), 422,
                 "validation_error")
    assert err["fields"]["code"] == ["1 到 20 个字母、数字、_ 或 -"]
    r = client.post("/api/v1/admin/tables", json=bad, headers=auth(token))
    assert _error(r, 422, "validation_error")["fields"]["seats"] == ["Must be greater than or equal to 1 and less "
                                                                      "than or equal to 99."]


def test_a_message_the_catalogue_lacks_gets_the_codes_general_words(client) -> None:
    r = client.get("/api/v1/no-such-route", headers=ZH)
    assert _error(r, 404, "not_found")["message"] == "内容已不存在，请刷新。"
    r = client.get("/api/v1/no-such-route", headers={"Accept-Language": "en-US"})
    assert "not found" in _error(r, 404, "not_found")["message"].lower()


def test_a_sold_out_dish_is_named_in_chinese(client) -> None:
    from tests.helpers import diner_token_in_process, make_item, order_body

    store = make_store()
    table, water = make_table(store, code="C3"), make_item(store, name="矿泉水", price=300, sold_out=True)
    headers = ZH | auth(diner_token_in_process(client))
    err = _error(client.post("/api/v1/orders", json=order_body(table, water), headers=headers), 409, "sold_out")
    assert err["message"] == "矿泉水已售罄"
    assert err["fields"] == {"items.0.item_id": ["已售罄"]}


def test_messages_with_values_are_chinese_with_money_in_yuan(client) -> None:
    """Templates with values (once f-strings, which only ever reached a Chinese page as general words)."""
    from tests.helpers import diner_token_in_process, make_item, order_body

    store = make_store()
    table, dish = make_table(store, code="D4"), make_item(store, name="宫保鸡丁", price=1250)
    order = client.post("/api/v1/orders", json=order_body(table, dish),
                        headers=auth(diner_token_in_process(client))).get_json()["order"]
    owner = staff_token(client, store)
    url = f"/api/v1/table-sessions/{order['table_session_id']}/close"
    assert _error(client.post(url, headers=ZH | auth(owner)), 409, "invalid_state")["message"] == "本桌还有 ¥12.50 未付"
    assert _error(client.post(url, headers=auth(owner)), 409, "invalid_state")["message"] \
        == "¥12.50 still due on this check"
    r = client.patch("/api/v1/admin/areas/987654", json={"name": "二楼"}, headers=ZH | auth(owner))
    assert _error(r, 404, "not_found")["message"] == "没有这个区域"


def test_state_and_role_codes_inside_a_message_are_words(app) -> None:
    """A state change refused names both states in the caller's words, not the contract's codes."""
    from api.i18n import message
    from domain.errors import InvalidState
    from domain.order_state import item_transition

    try:
        item_transition("cancelled", "cooking")
    except InvalidState as exc:
        err = exc
    with app.test_request_context("/", headers=ZH):
        assert message(err.template, err.code, err.params) == "菜品无法从“已取消”变为“制作中”，请刷新"
        assert message("your role may not manage {role} accounts", "forbidden", {"role": "manager"}) \
            == "您的角色不能管理店长账号"
    with app.test_request_context("/"):
        assert message(err.template, err.code, err.params) == "item cannot go from cancelled to cooking"


def test_field_messages_with_money_are_chinese(app) -> None:
    from api.i18n import fields

    with app.test_request_context("/", headers=ZH):
        assert fields({"amount": ["at most ¥12.50"], "value": ["1 to ¥3.00"], "qty": ["0 to 99"]}) \
            == {"amount": ["最多 ¥12.50"], "value": ["¥0.01 到 ¥3.00"], "qty": ["0 到 99"]}
