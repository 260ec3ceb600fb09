"""Comparing screenshots pixel by pixel, with a tolerance, and drawing what changed.

Playwright's Python API has no `toHaveScreenshot` (it is JavaScript-only), so the comparison
is built on Pillow: a file counts as changed when more than `max_diff_pixels` pixels moved
more than `tolerance` on any channel.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, PngImagePlugin


@dataclass
class Comparison:
    differing: int  # pixels that differ beyond the tolerance
    diff: Image.Image | None = None


def decode(data: bytes | Path) -> Image.Image:
    source = io.BytesIO(data) if isinstance(data, bytes) else data
    with Image.open(source) as image:
        return image.convert("RGBA")


def encode(image: Image.Image, text: dict[str, str] | None = None) -> bytes:
    """PNG bytes; `text` goes into tEXt chunks (a signature)."""
    buffer = io.BytesIO()
    info = PngImagePlugin.PngInfo()
    for key, value in (text or {}).items():
        info.add_text(key, value)
    image.save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


def compare(old: Image.Image, new: Image.Image, tolerance: float = 0.0, want_diff: bool = False) -> Comparison:
    """Count the pixels whose colour moved more than `tolerance` (0–1) on any channel."""
    if old.size != new.size:  # lay both on one canvas: the uncovered part counts as changed
        size = (max(old.width, new.width), max(old.height, new.height))
        old, new = _canvas(old, size), _canvas(new, size)
    delta = ImageChops.difference(old, new).split()
    strongest = delta[0]
    for channel in delta[1:]:
        strongest = ImageChops.lighter(strongest, channel)
    cut = round(max(0.0, min(1.0, tolerance)) * 255)
    changed = strongest.point(lambda v: 255 if v > cut else 0)
    differing = changed.histogram()[255]
    if not differing or not want_diff:
        return Comparison(differing)
    return Comparison(differing, diff_image(new, changed))


def _canvas(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    canvas = Image.new("RGBA", size, (0, 0, 0, 0))
    canvas.paste(image, (0, 0))
    return canvas


def diff_image(new: Image.Image, changed: Image.Image) -> Image.Image:
    """The new screenshot, faded, with the changed pixels in red and a frame around them."""
    faded = Image.blend(new.convert("L").convert("RGB"), Image.new("RGB", new.size, "white"), 0.65)
    faded.paste((230, 0, 0), mask=changed)
    box = changed.getbbox()
    if box:
        left, top, right, bottom = box
        ImageDraw.Draw(faded).rectangle((left - 4, top - 4, right + 3, bottom + 3), outline=(230, 0, 0), width=2)
    return faded
