"""A phone camera for the browser tests: Chromium's fake capture device reads a Y4M video file,
which these helpers fill with a QR code of any text (an item's shelf label, a payer's payment code),
so the page's own scanner (@zxing/browser) reads it as it would from a real camera.

Chromium opens the file each time the page starts the camera, so a test writes the next code to
the same file before pressing "scan" again.
"""
from __future__ import annotations

from pathlib import Path

import segno
from playwright.sync_api import Browser

WIDTH, HEIGHT = 640, 480


def show_code(path: Path, text: str) -> None:
    """Make ``path`` a short Y4M video of a QR code of ``text``, black on white, centred."""
    matrix = segno.make(text, error="m").matrix
    size = len(matrix) + 8  # 4 modules of quiet zone on each side
    scale = min(WIDTH, HEIGHT) * 3 // 4 // size
    left, top = (WIDTH - size * scale) // 2, (HEIGHT - size * scale) // 2
    luma = bytearray(b"\xeb" * (WIDTH * HEIGHT))  # white (video range)
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if not dark:
                continue
            x0, y0 = left + (c + 4) * scale, top + (r + 4) * scale
            for y in range(y0, y0 + scale):
                luma[y * WIDTH + x0:y * WIDTH + x0 + scale] = b"\x10" * scale  # black
    chroma = b"\x80" * (WIDTH * HEIGHT // 4)
    frame = b"FRAME\n" + bytes(luma) + chroma + chroma
    header = f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F5:1 Ip A1:1 C420jpeg\n".encode()
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(header + frame * 5)
    tmp.replace(path)


def camera_browser(browser: Browser, video: Path) -> Browser:
    """Another Chromium like the session's, whose camera films ``video`` (allowed without asking)."""
    from tests.e2e.conftest import ARGS, CHROMIUM

    show_code(video, "diancan")
    return browser.browser_type.launch(executable_path=CHROMIUM, args=[
        *ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}"])
