"""An emulator of Feie's open API for the demo and the tests, served at ``/feie-sandbox`` in sandbox mode.

It checks what Feie checks — our account, ``sig = sha1(user + ukey + stime)``, a fresh
``stime``, that the printer was added to our account with the key on its label — answers in
Feie's shapes, and records every printed content so tests and the demo can read it back.
``POST /feie-sandbox/devices`` "manufactures" a printer and tells its serial and key (the
sticker); ``GET /feie-sandbox/printed?sn=…`` lists what it printed. State lives in a SQLite
file under ``instance/feie-sandbox/``, so every app process sees the same printers.
"""
from __future__ import annotations

import hashlib
import secrets
import sqlite3
import time
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from flask import Blueprint, current_app, jsonify, request

from config.sandbox_state import state_transaction

bp = Blueprint("feie_sandbox", __name__, url_prefix="/feie-sandbox")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS devices (sn TEXT PRIMARY KEY, key TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS added (user TEXT NOT NULL, sn TEXT NOT NULL, PRIMARY KEY (user, sn));
CREATE TABLE IF NOT EXISTS printed (id INTEGER PRIMARY KEY AUTOINCREMENT, sn TEXT NOT NULL,
    content TEXT NOT NULL, created_at REAL NOT NULL);
"""
MAX_CONTENT_BYTES = 5000  # Feie's limit for one Open_printMsg


def _init(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA journal_mode=WAL")
    conn.executescript(_SCHEMA)


def _db() -> AbstractContextManager[sqlite3.Connection]:
    return state_transaction(Path(current_app.config["INSTANCE_PATH"]) / "feie-sandbox" / "state.db", _init)


def _answer(ret: int, msg: str, data: Any = None) -> Any:
    return jsonify({"msg": msg, "ret": ret, "data": data, "serverExecutedTime": 3})


@bp.post("/Api/Open/")
def open_api() -> Any:
    form = request.form
    user, stime, sig = form.get("user", ""), form.get("stime", ""), form.get("sig", "")
    cfg = current_app.config
    if user != cfg.get("FEIE_USER"):
        return _answer(-2, "参数错误 : 该帐号未注册.")
    if not stime.isdigit() or abs(time.time() - int(stime)) > 300:
        return _answer(-2, "参数错误 : 时间格式不正确.")
    # Computed here, not with the client's helper, so a wrong client signature cannot pass unseen.
    expected = hashlib.sha1((user + cfg.get("FEIE_UKEY", "") + stime).encode()).hexdigest()  # noqa: S324
    if not secrets.compare_digest(sig, expected):
        return _answer(-2, "参数错误 : 签名错误.")
    apiname = form.get("apiname", "")
    if apiname == "Open_printerAddlist":
        return _add_printers(user, form.get("printerContent", ""))
    if apiname == "Open_printMsg":
        return _print(user, form.get("sn", ""), form.get("content", ""))
    return _answer(-2, "参数错误 : apiname 不正确.")


def _add_printers(user: str, content: str) -> Any:
    ok, no = [], []
    with _db() as conn:
        for entry in filter(None, (e.strip() for e in content.split("\n"))):
            sn, _, rest = entry.partition("#")
            key = rest.split("#", 1)[0]
            row = conn.execute("SELECT key FROM devices WHERE sn = ?", (sn,)).fetchone()
            if row is None or not secrets.compare_digest(row[0], key):
                no.append(f"{entry} (错误：识别码不正确)")
            elif conn.execute("SELECT 1 FROM added WHERE user = ? AND sn = ?", (user, sn)).fetchone():
                no.append(f"{entry} (错误：已被添加过)")
            else:
                conn.execute("INSERT INTO added (user, sn) VALUES (?, ?)", (user, sn))
                ok.append(f"{entry}")
    return _answer(0, "ok", {"ok": ok, "no": no})


def _print(user: str, sn: str, content: str) -> Any:
    if len(content.encode("utf-8")) > MAX_CONTENT_BYTES:
        return _answer(-2, "参数错误 : 打印内容过长.")
    with _db() as conn:
        if not conn.execute("SELECT 1 FROM added WHERE user = ? AND sn = ?", (user, sn)).fetchone():
            return _answer(1002, "打印机编号和用户不匹配")
        cur = conn.execute("INSERT INTO printed (sn, content, created_at) VALUES (?, ?, ?)", (sn, content, time.time()))
        return _answer(0, "ok", f"{sn}_{int(time.time())}_{cur.lastrowid}")


@bp.post("/devices")
def manufacture() -> Any:
    """A new printer and its label: the serial number and key a store types into the console."""
    sn, key = f"9{secrets.randbelow(10**8):08d}", secrets.token_hex(4)
    with _db() as conn:
        conn.execute("INSERT INTO devices (sn, key) VALUES (?, ?)", (sn, key))
    return jsonify({"sn": sn, "key": key}), 201


@bp.delete("/devices/<sn>/account")
def take_off_account(sn: str) -> Any:
    """Someone removed the printer from our account on Feie's site: printing to it is refused."""
    with _db() as conn:
        conn.execute("DELETE FROM added WHERE sn = ?", (sn,))
    return "", 204


@bp.get("/printed")
def printed() -> Any:
    sn = request.args.get("sn", "")
    with _db() as conn:
        rows = conn.execute("SELECT id, content, created_at FROM printed WHERE sn = ? ORDER BY id", (sn,)).fetchall()
    return jsonify({"printed": [{"id": i, "content": c, "created_at": t} for i, c, t in rows]})
