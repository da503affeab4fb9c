"""A network ESC/POS printer that prints to memory (and the terminal): for tests, benchmarks, the demo.

It listens like a real one on TCP, understands the commands our tickets use (and skips the
others by their length), decodes text as GB18030 in Chinese mode (``FS &``), and counts a
printout when the paper is cut (``GS V``). It answers real-time status requests (``DLE EOT n``)
as an online printer does. Misbehaviour on demand: ``stop()`` then ``start()`` refuses
connections for a while, ``drop_rate`` drops that share of connections before their job is cut
(so a dropped job never printed), ``offline = True`` answers status with "offline".

Depends on nothing of the app: ``python -m printers.emulator --port 9100`` runs one.
"""
from __future__ import annotations

import argparse
import random
import socket
import socketserver
import threading
import time
from dataclasses import dataclass, field

ESC, GS, FS, DLE, EOT, LF = 0x1B, 0x1D, 0x1C, 0x10, 0x04, 0x0A
# Command byte -> total length, for the fixed-length commands we skip or apply.
_ESC_LEN = {ord("@"): 2, ord("!"): 3, ord("E"): 3, ord("a"): 3, ord("-"): 3, ord("M"): 3, ord("d"): 3,
            ord("2"): 2, ord("3"): 3, ord("G"): 3, ord("{"): 3, ord("t"): 3, ord("V"): 3, ord("r"): 3,
            ord("J"): 3, ord("p"): 5, ord("c"): 4}
_GS_LEN = {ord("!"): 3, ord("B"): 3, ord("b"): 3, ord("L"): 4, ord("W"): 4, ord("h"): 3, ord("w"): 3,
           ord("H"): 3, ord("f"): 3, ord("a"): 3, ord("r"): 3}
_FS_LEN = {ord("&"): 2, ord("."): 2, ord("!"): 3, ord("C"): 3, ord("W"): 3, ord("-"): 3}
STATUS_ONLINE, STATUS_OFFLINE = b"\x12", b"\x1a"


@dataclass
class Printout:
    """One cut piece of paper: its text lines, and which of them were printed large or bold."""

    lines: list[str] = field(default_factory=list)
    big: list[str] = field(default_factory=list)
    bold: list[str] = field(default_factory=list)
    at: float = 0.0  # time.time() when the paper was cut

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


class _Decoder:
    def __init__(self) -> None:
        self.chinese = False
        self.size = 0
        self.fs_size = 0
        self.bold = False
        self.text = bytearray()
        self.line_big = self.line_bold = False
        self.page = Printout()
        self.rest = b""  # an incomplete command at the end of a chunk, kept for the next one

    def _flush_line(self) -> None:
        line = bytes(self.text).decode("gb18030" if self.chinese else "latin-1", errors="replace")
        self.page.lines.append(line)
        if self.line_big and line.strip():
            self.page.big.append(line)
        if self.line_bold and line.strip():
            self.page.bold.append(line)
        self.text.clear()
        self.line_big = self.line_bold = False

    def feed(self, data: bytes, reply: socket.socket, offline: bool) -> list[Printout]:
        """Apply ``data``; returns the printouts completed (cut) by it. Keeps a partial command."""
        done: list[Printout] = []
        i = 0
        while i < len(data):
            b = data[i]
            need = 1
            if b in (ESC, GS, FS, DLE):
                if i + 1 >= len(data):
                    break
                cmd = data[i + 1]
                table = {ESC: _ESC_LEN, GS: _GS_LEN, FS: _FS_LEN, DLE: {EOT: 3}}[b]
                need = table.get(cmd, 2)
                if b == GS and cmd == ord("V"):
                    need = 3 if i + 2 < len(data) and data[i + 2] in (0, 1, 48, 49) else 4
                if i + need > len(data):
                    break
                arg = data[i + 2] if need >= 3 else 0
                if b == DLE and cmd == EOT:
                    reply.sendall(STATUS_OFFLINE if offline else STATUS_ONLINE)
                elif b == ESC and cmd == ord("@"):
                    self.chinese, self.size, self.fs_size, self.bold = False, 0, 0, False
                elif b == ESC and cmd == ord("!"):
                    self.size = arg & 0x30
                    self.bold = bool(arg & 0x08)
                elif b == ESC and cmd == ord("E"):
                    self.bold = bool(arg & 1)
                elif b == GS and cmd == ord("!"):
                    self.size = arg
                elif b == FS and cmd == ord("&"):
                    self.chinese = True
                elif b == FS and cmd == ord("."):
                    self.chinese = False
                elif b == FS and cmd == ord("!"):
                    self.fs_size = arg & 0x0C
                elif b == ESC and cmd == ord("d"):
                    if self.text:
                        self._flush_line()
                    self.page.lines.extend([""] * arg)
                elif b == GS and cmd == ord("V"):
                    if self.text:
                        self._flush_line()
                    while self.page.lines and not self.page.lines[-1]:
                        self.page.lines.pop()
                    self.page.at = time.time()
                    done.append(self.page)
                    self.page = Printout()
            elif b == LF:
                self._flush_line()
            elif b >= 0x20:
                self.text.append(b)
                if b > 0x20:
                    self.line_big = self.line_big or bool(self.size or self.fs_size)
                    self.line_bold = self.line_bold or self.bold
            i += need
        self.rest = data[i:]
        return done


class EscposEmulator:
    """``with EscposEmulator() as printer:`` … ``printer.port``, ``printer.wait_for(2)``."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, drop_rate: float = 0.0, seed: int | None = None,
                 echo: bool = False) -> None:
        self.host, self.port, self.drop_rate, self.echo = host, port, drop_rate, echo
        self.offline = False
        self.printouts: list[Printout] = []
        self.connections = 0
        self.dropped = 0
        self._random = random.Random(seed)  # noqa: S311 - which connections drop, not a secret
        self._changed = threading.Condition()
        self._server: socketserver.ThreadingTCPServer | None = None

    def __enter__(self) -> EscposEmulator:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        emulator = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                emulator._serve(self.request)

        class Server(socketserver.ThreadingTCPServer):
            allow_reuse_address = True
            daemon_threads = True

        self._server = Server((self.host, self.port), Handler)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def stop(self) -> None:
        """Stop listening: from now on connections are refused, until ``start()``."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def _serve(self, conn: socket.socket) -> None:
        with self._changed:
            self.connections += 1
            drop = self._random.random() < self.drop_rate
        conn.settimeout(10)
        decoder = _Decoder()
        pending = b""
        try:
            while True:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                if drop:  # the cable is pulled before the job is complete: nothing is printed
                    with self._changed:
                        self.dropped += 1
                    return
                pending += chunk
                pages = decoder.feed(pending, conn, self.offline)
                pending = decoder.rest
                if pages:
                    self._printed(pages)
        except OSError:
            return
        finally:
            conn.close()

    def _printed(self, pages: list[Printout]) -> None:
        with self._changed:
            self.printouts.extend(pages)
            self._changed.notify_all()
        if self.echo:
            for page in pages:
                print(f"--- printer :{self.port} {time.strftime('%H:%M:%S')} ---\n{page.text}\n", flush=True)

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Printout]:
        """Block until ``count`` printouts came out (or the timeout passes); returns them all."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self.printouts) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._changed.wait(left)
            return list(self.printouts)


def main() -> None:
    parser = argparse.ArgumentParser(description="An ESC/POS network printer that prints to the terminal.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9100)
    parser.add_argument("--drop-rate", type=float, default=0.0, help="share of connections dropped mid-job")
    args = parser.parse_args()
    printer = EscposEmulator(args.host, args.port, drop_rate=args.drop_rate, echo=True)
    printer.start()
    print(f"printer emulator listening on {args.host}:{printer.port}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        printer.stop()


if __name__ == "__main__":
    main()
