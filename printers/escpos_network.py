"""ESC/POS thermal printers on the network (raw TCP, usually port 9100), through python-escpos.

Chinese needs care with python-escpos: its ``text()`` goes through a "magic encoder" that knows
single-byte code pages only and prints ``?`` for 汉字. So the job selects the printer's Chinese
mode itself (``FS &``) and writes GB18030 bytes (GB2312 for everything a kitchen writes) with
``_raw``; sizes are set twice, ``ESC !`` for ASCII and ``FS !`` for Chinese characters, which
most Chinese-market printers size separately.

"Accepted" means: the whole job went over TCP and the printer then answered a real-time status
request (``DLE EOT 1``) saying it is online. A printer that is off, unplugged or has its cover
open does not get the job marked printed.
"""
from __future__ import annotations

import ipaddress
import re
import socket
from typing import Any

from escpos.constants import RT_MASK_ONLINE, RT_STATUS_ONLINE
from escpos.exceptions import DeviceNotFoundError
from escpos.printer import Dummy, Network

from domain.print_docs import Line
from printers.base import PrinterKind, PrinterUnavailable, SettingsInvalid, Target

FS = b"\x1c"
CHINESE_MODE = FS + b"&"  # FS &: two-byte (GB) characters from here on
CHINESE_SIZE = {False: FS + b"!\x00", True: FS + b"!\x0c"}  # FS ! n: bit 2 double width, bit 3 double height
ENCODING = "gb18030"

# Ports of well-known services: a "printer" there would be someone aiming ticket bytes at a database.
DENIED_PORTS = frozenset({22, 23, 25, 53, 80, 110, 143, 443, 3306, 5432, 6379, 11211, 27017})
_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")


def check_host(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SettingsInvalid("an ESC/POS printer needs its host", {"host": ["required"]})
    host: str = value.strip()
    if not host.isascii():
        raise SettingsInvalid("the host must be an IP address or an ASCII host name (use the xn-- form)",
                              {"host": ["not an IP address or ASCII host name"]})
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    labels = host.rstrip(".").split(".")
    if len(host) > 253 or not all(_LABEL.match(label) for label in labels):
        raise SettingsInvalid("the host must be an IP address or a host name",
                              {"host": ["not an IP address or host name"]})
    return host.rstrip(".").lower()


def check_port(port: Any) -> int:
    if port is None:
        return 9100
    if not isinstance(port, int) or isinstance(port, bool) or not 1 <= port <= 65535:
        raise SettingsInvalid("the port must be a number from 1 to 65535", {"port": ["must be 1-65535"]})
    if port in DENIED_PORTS:
        raise SettingsInvalid(f"port {port} belongs to another service, not a printer (usually 9100)",
                              {"port": ["not a printer port"]})
    return port


class EscposNetwork(PrinterKind):
    kind = "escpos"
    fields = ("host", "port")

    def __init__(self, timeout: float = 5.0) -> None:
        self.timeout = timeout

    @classmethod
    def check_settings(cls, values: dict[str, Any]) -> dict[str, Any]:
        return {"host": check_host(values.get("host")), "port": check_port(values.get("port")),
                "sn": None, "key": None}

    def render(self, lines: list[Line], paper_width: int) -> bytes:
        out = Dummy()
        out.hw("INIT")
        out._raw(CHINESE_MODE)
        out.line_spacing()  # the printer's default spacing
        for line in lines:
            if line.big:
                out.set(align=line.align, bold=line.bold, double_width=True, double_height=True)
            else:
                out.set(align=line.align, bold=line.bold, normal_textsize=True)
            out._raw(CHINESE_SIZE[line.big])
            out._raw(line.text.encode(ENCODING, errors="replace") + b"\n")
        out.set(align="left", bold=False, normal_textsize=True)
        out._raw(CHINESE_SIZE[False])
        out.cut()
        return bytes(out.output)

    def send(self, target: Target, rendered: bytes, job_ref: str) -> None:
        where = f"{target.host}:{target.port}"
        printer = Network(host=target.host or "", port=target.port or 9100, timeout=self.timeout)
        try:
            try:
                printer.open()
            except DeviceNotFoundError as exc:
                raise PrinterUnavailable(f"cannot connect to {where}: {_reason(exc.__context__)}") from None
            try:
                printer._raw(rendered)
                status = printer.query_status(RT_STATUS_ONLINE)
            except OSError as exc:
                raise PrinterUnavailable(f"{where} dropped the job: {_reason(exc)}") from None
            if not status:
                raise PrinterUnavailable(f"{where} closed the connection before answering")
            if status[0] & RT_MASK_ONLINE:
                raise PrinterUnavailable(f"{where} says it is offline (cover open or out of paper?)")
        finally:
            printer.close()


def _reason(exc: BaseException | None) -> str:
    if isinstance(exc, socket.timeout | TimeoutError):
        return "no answer (timed out)"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, socket.gaierror):
        return "unknown host name"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return type(exc).__name__ if exc else "unknown error"
