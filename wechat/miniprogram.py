"""Mini-program login and table codes through wechatpy, pointed at ``WECHAT_API_BASE``.

wechatpy calls absolute ``https://api.weixin.qq.com/…`` URLs (``code_to_session`` also fetches
an access token first), so a transport adapter on its requests session rewrites that prefix to
the configured base: production leaves it alone, the sandbox and tests point it elsewhere.
"""
from __future__ import annotations

import logging

import requests
from flask import current_app
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException

from domain.errors import RateLimited, Unauthorized, UpstreamError

WECHAT_ORIGIN = "https://api.weixin.qq.com/"
log = logging.getLogger(__name__)

# WeChat's errcodes for jscode2session: https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-login/code2Session.html
BAD_CODE = {40029, 40163, 40226}  # invalid code, code already used, high-risk user
RATE_LIMITED = {45011}


# A connection WeChat closed while idle fails the next request before any answer: try once more
# on a fresh one. A login code is single-use, so a request that did reach WeChat and is repeated
# answers 40163 (code used), which the diner's app handles by calling wx.login again.
RETRY = Retry(total=2, connect=2, read=1, status=0, other=0, redirect=0, allowed_methods=None, backoff_factor=0)


class BaseRewrite(HTTPAdapter):
    def __init__(self, base: str, inner: HTTPAdapter | None = None) -> None:
        super().__init__(max_retries=RETRY)
        self.base = base.rstrip("/") + "/"
        self.inner = inner

    def send(self, request, **kwargs):  # type: ignore[no-untyped-def,override]
        if request.url and request.url.startswith(WECHAT_ORIGIN):
            request.url = self.base + request.url[len(WECHAT_ORIGIN):]
        if self.inner is not None:
            return self.inner.send(request, **kwargs)
        return super().send(request, **kwargs)


def make_client(appid: str, secret: str, api_base: str, transport: HTTPAdapter | None = None) -> WeChatClient:
    client = WeChatClient(appid, secret, timeout=5)
    if api_base.rstrip("/") + "/" != WECHAT_ORIGIN:
        client._http.mount(WECHAT_ORIGIN, BaseRewrite(api_base, transport))
    else:
        client._http.mount(WECHAT_ORIGIN, transport or HTTPAdapter(max_retries=RETRY))
    return client


def client() -> WeChatClient:
    ext = current_app.extensions
    if "diancan.wechat" not in ext:
        cfg = current_app.config
        ext["diancan.wechat"] = make_client(cfg["WECHAT_APPID"], cfg["WECHAT_SECRET"], cfg["WECHAT_API_BASE"],
                                            ext.get("diancan.wechat_transport"))
    return ext["diancan.wechat"]


def code_to_openid(code: str) -> str:
    """The openid for a ``wx.login`` code. Maps WeChat's failures to our errors; logs no secret."""
    try:
        answer = client().wxa.code_to_session(code)
    except WeChatClientException as exc:
        errcode = exc.errcode
        if errcode in BAD_CODE:
            raise Unauthorized("login code is invalid or already used") from None
        if errcode in RATE_LIMITED:
            raise RateLimited("WeChat is rate limiting logins; try again shortly") from None
        log.warning("jscode2session failed: errcode=%s", errcode)
        raise UpstreamError("WeChat login is unavailable") from None
    except (requests.RequestException, ValueError):
        log.warning("jscode2session unreachable")
        raise UpstreamError("WeChat login is unavailable") from None
    openid = answer.get("openid") if isinstance(answer, dict) else None
    if not isinstance(openid, str) or not openid:
        raise UpstreamError("WeChat login gave no identity")
    return openid


def table_code(scene: str, page: str) -> bytes:
    """The mini-program code (``wxacode.getUnlimited``) that opens ``page`` with ``scene``, as PNG bytes.

    WeChat answers an image on success and JSON with an errcode on failure.
    """
    try:
        answer = client().wxa.get_wxa_code_unlimited(scene, width=430, page=page)
    except WeChatClientException as exc:
        log.warning("getwxacodeunlimit failed: errcode=%s", exc.errcode)
        raise UpstreamError("WeChat did not draw the mini-program code") from None
    except (requests.RequestException, ValueError):
        log.warning("getwxacodeunlimit unreachable")
        raise UpstreamError("WeChat did not draw the mini-program code") from None
    content = getattr(answer, "content", b"")
    if not content.startswith((b"\x89PNG", b"\xff\xd8")):
        raise UpstreamError("WeChat answered something that is not an image")
    return bytes(content)
