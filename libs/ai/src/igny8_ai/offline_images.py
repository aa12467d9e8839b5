"""Placeholder pictures drawn locally (Pillow) for the offline provider.

A fresh install has no image model, yet the product should show *something* where an article's
images go: a gradient in colours derived from the prompt, a few soft shapes, the prompt's main
words and a plain "offline placeholder" label, so nobody mistakes it for a generated image.
Deterministic: the same prompt and size always give the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import textwrap

from PIL import Image, ImageDraw, ImageFont

from igny8_ai.deterministic import STOPWORDS, words

OFFLINE_LABEL = "offline placeholder - configure an image provider"
MAX_SIDE = 1024
MIN_SIDE = 64


def parse_size(size: str) -> tuple[int, int]:
    """``"1792x1024"`` → (1792, 1024); anything unusable → (1024, 1024)."""
    try:
        width_text, height_text = size.lower().split("x", 1)
        width, height = int(width_text), int(height_text)
    except ValueError:
        return 1024, 1024
    if width < MIN_SIDE or height < MIN_SIDE:
        return 1024, 1024
    return width, height


def _scaled(size: str) -> tuple[int, int]:
    """The requested aspect ratio, at most ``MAX_SIDE`` on the long side (placeholders stay small)."""
    width, height = parse_size(size)
    scale = min(1.0, MAX_SIDE / max(width, height))
    return max(MIN_SIDE, int(width * scale)), max(MIN_SIDE, int(height * scale))


def _palette(prompt: str) -> list[tuple[int, int, int]]:
    digest = hashlib.sha256(prompt.encode()).digest()
    return [(digest[i], digest[i + 1], digest[i + 2]) for i in range(0, 15, 3)]


def _gradient(width: int, height: int, top: tuple[int, int, int],
              bottom: tuple[int, int, int]) -> Image.Image:
    column = Image.new("RGB", (1, 256))
    for y in range(256):
        t = y / 255
        column.putpixel((0, y), tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    return column.resize((width, height), Image.Resampling.BILINEAR)


def headline(prompt: str, limit: int = 8) -> str:
    """The prompt's main words (no stop words, no markers), for the picture's text."""
    main = [w for w in words(prompt) if w not in STOPWORDS and w not in ("offline", "provider")]
    return " ".join(main[:limit]) or "illustration"


def placeholder_png(prompt: str, size: str = "1024x1024") -> bytes:
    """A PNG of the requested aspect ratio showing a gradient, shapes and the prompt's words."""
    width, height = _scaled(size)
    colours = _palette(prompt)
    image = _gradient(width, height, colours[0], colours[1])
    overlay = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    digest = hashlib.sha256(("shapes:" + prompt).encode()).digest()
    for index in range(4):
        cx = digest[index * 4] * width // 255
        cy = digest[index * 4 + 1] * height // 255
        radius = max(8, digest[index * 4 + 2] * min(width, height) // 600)
        colour = (*colours[2 + index % 3], 110)
        box = (cx - radius, cy - radius, cx + radius, cy + radius)
        if digest[index * 4 + 3] % 2:
            draw.ellipse(box, fill=colour)
        else:
            draw.rectangle(box, fill=colour)
    image = Image.alpha_composite(image.convert("RGBA"), overlay)
    draw = ImageDraw.Draw(image)
    font_size = max(12, min(width, height) // 14)
    font = ImageFont.load_default(size=font_size)
    lines = textwrap.wrap(headline(prompt), width=max(10, int(width / (font_size * 0.6)) - 2))[:4]
    y = height // 2 - len(lines) * font_size * 6 // 10
    for line in lines:
        text_width = draw.textlength(line, font=font)
        x = (width - text_width) / 2
        draw.text((x + 2, y + 2), line, font=font, fill=(0, 0, 0, 160))
        draw.text((x, y), line, font=font, fill=(255, 255, 255, 255))
        y += font_size * 12 // 10
    small = ImageFont.load_default(size=max(10, font_size // 2))
    draw.text((10, height - font_size // 2 - 14), OFFLINE_LABEL, font=small, fill=(255, 255, 255, 220))
    out = io.BytesIO()
    image.convert("RGB").save(out, format="PNG")
    return out.getvalue()
