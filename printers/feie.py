"""飞鹅云 (Feie) cloud printers: the store registers a printer by serial number and key.

Feie's open API is one form-encoded POST to ``…/Api/Open/`` per call: ``user`` (the developer
account), ``stime`` (Unix seconds), ``sig = sha1(user + ukey + stime)`` in lower-case hex,
``apiname`` and the call's fields. It answers JSON ``{"ret": 0, "msg": "ok", "data": …}``; any
other ``ret`` is the provider refusing the request (bad signature, unknown serial, printer not
on our account), which retrying cannot fix, so it is ``PrinterRejected``. Network failures and
5xx answers are ``PrinterUnavailable``. The content is Feie's markup: ``<BR>`` breaks a line,
``<CB>`` centres and doubles, ``<B>`` doubles, ``<C>`` centres, ``<BOLD>``, ``<CUT>`` cuts.
"""
from __future__ import annotations

import hashlib
import re
import time
from typing import Any

import requests

from domain.print_docs import Line
from printers.base import PrinterKind, PrinterRejected, PrinterUnavailable, SettingsInvalid, Target

_SN = re.compile(r"^[A-Za-z0-9]{6,32}$")
_KEY = re.compile(r"^[A-Za-z0-9]{4,64}$")


def signature(user: str, ukey: str, stime: str) -> str:
    # Feie's protocol, not our choice of hash.
    return hashlib.sha1((user + ukey + stime).encode()).hexdigest()  # noqa: S324


def _plain(text: str) -> str:
    # Feie has no escaping: a dish called "<CUT>" would cut the paper. Angle brackets go full-width.
    return text.replace("<", "＜").replace(">", "＞")


def markup(lines: list[Line]) -> str:
    out = []
    for line in lines:
        text = _plain(line.text)
        if line.big and line.align == "center":
            text = f"<CB>{text}</CB>"
        elif line.big:
            text = f"<B>{text}</B>"
            text = f"<BOLD>{text}</BOLD>" if line.bold else text
        else:
            text = f"<BOLD>{text}</BOLD>" if line.bold else text
            if line.align == "center":
                text = f"<C>{text}</C>"
            elif line.align == "right":
                text = f"<RIGHT>{text}</RIGHT>"
        out.append(text + "<BR>")
    return "".join(out) + "<CUT>"


class FeieCloud(PrinterKind):
    kind = "feie"
    fields = ("sn", "key")

    def __init__(self, api_base: str, user: str, ukey: str, timeout: float = 10.0,
                 http: requests.Session | None = None) -> None:
        self.api_base, self.user, self.ukey, self.timeout = api_base, user, ukey, timeout
        self.http = http or requests.Session()

    @classmethod
    def check_settings(cls, values: dict[str, Any]) -> dict[str, Any]:
        sn, key = values.get("sn"), values.get("key")
        errors: dict[str, list[str]] = {}
        if not isinstance(sn, str) or not _SN.match(sn.strip()):
            errors["sn"] = ["the printer's serial number (SN), letters and digits"]
        if not isinstance(key, str) or not _KEY.match(key.strip()):
            errors["key"] = ["the printer's key (KEY) from its label, letters and digits"]
        if errors:
            raise SettingsInvalid("a Feie printer needs its serial number and key", errors)
        return {"sn": str(sn).strip(), "key": str(key).strip(), "host": None, "port": None}

    def render(self, lines: list[Line], paper_width: int) -> str:
        return markup(lines)

    def call(self, apiname: str, **fields: str) -> Any:
        """One signed API call; returns ``data`` or raises Unavailable / Rejected."""
        if not self.user or not self.ukey:
            raise PrinterRejected("no Feie account is configured (FEIE_USER, FEIE_UKEY)")
        stime = str(int(time.time()))
        form = {"user": self.user, "stime": stime, "sig": signature(self.user, self.ukey, stime),
                "apiname": apiname, **fields}
        try:
            resp = self.http.post(self.api_base, data=form, timeout=self.timeout)
        except requests.RequestException as exc:
            raise PrinterUnavailable(f"Feie cloud unreachable: {type(exc).__name__}") from None
        if resp.status_code >= 500 or resp.status_code == 429:
            raise PrinterUnavailable(f"Feie cloud answered HTTP {resp.status_code}")
        try:
            body = resp.json()
        except ValueError:
            raise PrinterUnavailable(f"Feie cloud answered HTTP {resp.status_code} without JSON") from None
        if not isinstance(body, dict) or body.get("ret") != 0:
            message = body.get("msg") if isinstance(body, dict) else None
            raise PrinterRejected(f"Feie refused: {str(message or body)[:150]}")
        return body.get("data")

    def register(self, sn: str, key: str, name: str) -> None:
        """Put the store's printer on our Feie account (``Open_printerAddlist``); already there is fine."""
        data = self.call("Open_printerAddlist", printerContent=f"{sn}#{key}#{_plain(name)[:20]}")
        refused = [n for n in (data or {}).get("no", []) if "已被添加过" not in n]
        if refused:
            raise PrinterRejected(f"Feie refused the printer: {str(refused[0])[:150]}")

    def send(self, target: Target, rendered: str, job_ref: str) -> None:
        self.call("Open_printMsg", sn=target.sn or "", content=rendered, times="1")
