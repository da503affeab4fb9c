"""Dish photo uploads: only real JPEG, PNG or WebP images, decoded and re-encoded by us.

The stored image is never the uploaded file: it is decoded (which proves it is an image, not
something named .jpg), turned upright, shrunk to fit ``MAX_SIDE`` and written as a fresh JPEG,
which also drops EXIF metadata such as where and with what phone the photo was taken.
"""
from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from domain.errors import ValidationFailed

FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_SIDE = 1200
MIN_SIDE = 64
MAX_PIXELS = 40_000_000  # a 5 MB file may still claim to be a gigapixel image (a decompression bomb)
QUALITY = 82


@dataclass(frozen=True)
class PreparedPhoto:
    data: bytes
    width: int
    height: int


def prepare(upload: bytes) -> PreparedPhoto:
    """Decode, check and re-encode an upload. Raises ValidationFailed for anything but a usable photo."""
    if not upload:
        raise ValidationFailed("the file is empty",
                               {"photo": ["the file is empty"]})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(upload)) as probe:
                if probe.format not in FORMATS:
                    raise ValidationFailed("a photo must be JPEG, PNG or WebP",
                                           {"photo": ["a photo must be JPEG, PNG or WebP"]})
                if probe.width * probe.height > MAX_PIXELS:
                    raise ValidationFailed("the image has too many pixels",
                                           {"photo": ["the image has too many pixels"]})
                if min(probe.width, probe.height) < MIN_SIDE:
                    raise ValidationFailed("the image is smaller than {width}×{height} pixels",
                                           {"photo": [f"the image is smaller than {MIN_SIDE}×{MIN_SIDE} pixels"]},
                                           width=MIN_SIDE, height=MIN_SIDE)
                if probe.format == "JPEG":  # decode straight at ½, ¼ or ⅛ scale: a phone photo is 12 MP
                    probe.draft("RGB", (MAX_SIDE, MAX_SIDE))
                probe.load()
                image = ImageOps.exif_transpose(probe)
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning, OSError,
            SyntaxError, ValueError):
        raise ValidationFailed("the file is not a readable JPEG, PNG or WebP image",
                               {"photo": ["the file is not a readable JPEG, PNG or WebP image"]}) from None
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, "white")  # transparent PNGs on white, not black
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.convert("RGB").save(out, format="JPEG", quality=QUALITY, optimize=True, progressive=True)
    return PreparedPhoto(data=out.getvalue(), width=image.width, height=image.height)


def thumbnail(jpeg: bytes, side: int) -> bytes:
    """A square ``side`` × ``side`` JPEG of a stored photo, cropped to its centre (as the menu shows
    it: object-fit cover), so a 76 px box is never sent a 1200 px photo."""
    with Image.open(io.BytesIO(jpeg)) as image:
        image.draft("RGB", (side * 2, side * 2))  # decode at ½, ¼ or ⅛ scale: a few milliseconds
        square = ImageOps.fit(image.convert("RGB"), (side, side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    square.save(out, format="JPEG", quality=QUALITY, optimize=True)
    return out.getvalue()


def prepare_off_loop(upload: bytes) -> PreparedPhoto:
    """``prepare`` in a real thread when the server runs on gevent: decoding a phone photo takes
    a few hundred milliseconds of C code (which releases the GIL), and must not stall the
    kitchen screens' sockets served by the same event loop meanwhile."""
    try:
        from gevent import get_hub
        from gevent.monkey import is_module_patched
    except ImportError:  # pragma: no cover - gevent is a dependency, but the service does not need it
        return prepare(upload)
    if not is_module_patched("threading"):
        return prepare(upload)
    # A refusal travels back as a value: gevent's pool prints a traceback for every exception
    # raised in its threads, and a refused upload is the client's mistake, not a crash of ours.
    outcome = get_hub().threadpool.apply(_prepare_or_refusal, (upload,))
    if isinstance(outcome, ValidationFailed):
        raise outcome
    return outcome  # type: ignore[no-any-return]


def _prepare_or_refusal(upload: bytes) -> PreparedPhoto | ValidationFailed:
    try:
        return prepare(upload)
    except ValidationFailed as refusal:
        return refusal
