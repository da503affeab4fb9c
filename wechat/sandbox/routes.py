"""Sandbox routes: the phone's side (``/login``) and WeChat's server side (``/sns``, ``/cgi-bin``)."""
from __future__ import annotations

import base64
import hashlib
import hmac
import io
import secrets
import time

import segno
from flask import Blueprint, Response, current_app, jsonify, request

from wechat.sandbox.state import connect

bp = Blueprint("wechat_sandbox", __name__, url_prefix="/wechat-sandbox")
CODE_TTL = 300
TOKEN_TTL = 7200


def _cfg(name: str) -> str:
    return current_app.config[name]


def _openid_for(user: str) -> str:
    """The same name always maps to the same openid (28 characters, like WeChat's)."""
    mac = hmac.new(_cfg("WECHAT_SECRET").encode(), f"{_cfg('WECHAT_APPID')}|{user}".encode(), hashlib.sha256)
    return "o" + base64.urlsafe_b64encode(mac.digest()).decode()[:27]


def _wx_error(errcode: int, errmsg: str):  # type: ignore[no-untyped-def]
    return jsonify({"errcode": errcode, "errmsg": errmsg})  # WeChat answers errors with HTTP 200


@bp.post("/login")
def phone_login():  # type: ignore[no-untyped-def]
    """What ``wx.login`` gives the mini-program: a one-time code for this user, valid 5 minutes."""
    body = request.get_json(silent=True)
    user = body.get("user") if isinstance(body, dict) else None
    if not isinstance(user, str) or not 0 < len(user) <= 64:
        return jsonify({"error": {"code": "validation_error", "message": "user: 1-64 characters"}}), 422
    code = secrets.token_urlsafe(24)
    with connect(_cfg("INSTANCE_PATH")) as conn:
        conn.execute("DELETE FROM login_codes WHERE expires_at < ?", (time.time() - 3600,))
        conn.execute("INSERT INTO login_codes (code, openid, expires_at) VALUES (?, ?, ?)",
                     (code, _openid_for(user), time.time() + CODE_TTL))
    return jsonify({"code": code})


@bp.get("/cgi-bin/token")
def access_token():  # type: ignore[no-untyped-def]
    args = request.args
    if args.get("grant_type") != "client_credential":
        return _wx_error(40002, "invalid grant_type")
    if args.get("appid") != _cfg("WECHAT_APPID"):
        return _wx_error(40013, "invalid appid")
    if not hmac.compare_digest(args.get("secret", ""), _cfg("WECHAT_SECRET")):
        return _wx_error(40125, "invalid appsecret")
    token = secrets.token_urlsafe(48)
    with connect(_cfg("INSTANCE_PATH")) as conn:
        conn.execute("DELETE FROM access_tokens WHERE expires_at < ?", (time.time(),))
        conn.execute("INSERT INTO access_tokens (token, expires_at) VALUES (?, ?)", (token, time.time() + TOKEN_TTL))
    return jsonify({"access_token": token, "expires_in": TOKEN_TTL})


@bp.get("/sns/jscode2session")
def jscode2session():  # type: ignore[no-untyped-def]
    args = request.args
    if args.get("grant_type") != "authorization_code":
        return _wx_error(40002, "invalid grant_type")
    if args.get("appid") != _cfg("WECHAT_APPID"):
        return _wx_error(40013, "invalid appid")
    if not hmac.compare_digest(args.get("secret", ""), _cfg("WECHAT_SECRET")):
        return _wx_error(40125, "invalid appsecret")
    code = args.get("js_code", "")
    with connect(_cfg("INSTANCE_PATH")) as conn:
        row = conn.execute("SELECT openid, expires_at, used FROM login_codes WHERE code = ?", (code,)).fetchone()
        if row is None or row[1] < time.time():
            return _wx_error(40029, "invalid code")
        if row[2]:
            return _wx_error(40163, "code been used")
        conn.execute("UPDATE login_codes SET used = 1 WHERE code = ?", (code,))
    session_key = base64.b64encode(secrets.token_bytes(16)).decode()
    return jsonify({"openid": row[0], "session_key": session_key})


SCENE_CHARS = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!#$&'()*+,/:;=?@-._~")


@bp.post("/wxa/getwxacodeunlimit")
def wxa_code_unlimited():  # type: ignore[no-untyped-def]
    """WeChat draws a round mini-program code; the sandbox draws a stand-in: a QR code of
    ``wxa-sandbox://{appid}/{page}?scene={scene}``, so tests can read back what was asked for."""
    token = request.args.get("access_token", "")
    with connect(_cfg("INSTANCE_PATH")) as conn:
        row = conn.execute("SELECT expires_at FROM access_tokens WHERE token = ?", (token,)).fetchone()
    if row is None or row[0] < time.time():
        return _wx_error(40001, "invalid credential, access_token is invalid or not latest")
    body = request.get_json(silent=True, force=True)  # WeChat reads the JSON body whatever its content type
    body = body if isinstance(body, dict) else {}
    scene, page = body.get("scene"), body.get("page") or "pages/index/index"
    if not isinstance(scene, str) or not 0 < len(scene) <= 32 or not set(scene) <= SCENE_CHARS:
        return _wx_error(40169, "invalid scene")
    if not isinstance(page, str) or page.startswith("/") or not 0 < len(page) <= 128:
        return _wx_error(41030, "invalid page")
    buf = io.BytesIO()
    segno.make(f"wxa-sandbox://{_cfg('WECHAT_APPID')}/{page}?scene={scene}", error="m").save(
        buf, kind="png", scale=8, border=4, dark="#1aad19")
    return Response(buf.getvalue(), mimetype="image/png")
