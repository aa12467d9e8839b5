"""Where an article's images go in its HTML (pure).

In-article images are written as ``<figure><img src=… alt=… loading="lazy">
<figcaption>…</figcaption></figure>`` right after the closing tag of the h2 they illustrate
(in heading order; several after one heading keep their position order), or at the end when
the article has no such heading. The featured image is not part of the HTML (it is the post's
featured image). Figures this module wrote earlier (their ``src`` is a writer image URL) are
removed first, so placing a new set replaces the old one and never duplicates it.
"""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from igny8_contracts.writer_images import image_src

_H2_END = re.compile(r"</h2\s*>", re.IGNORECASE)
_OUR_FIGURE = re.compile(
    r"<figure>\s*<img\b[^>]*\bsrc=\"/api/v1/writer/images/[0-9a-fA-F-]{36}/file\"[^>]*>"
    r".*?</figure>\s*", re.IGNORECASE | re.DOTALL)
_OUR_IMG = re.compile(
    r"<img\b[^>]*\bsrc=\"/api/v1/writer/images/[0-9a-fA-F-]{36}/file\"[^>]*>\s*", re.IGNORECASE)


@dataclass(frozen=True)
class PlacedImage:
    image_id: uuid.UUID
    position: int
    heading_index: int | None
    alt_text: str
    caption: str

    @property
    def src(self) -> str:
        return image_src(self.image_id)


def figure_html(image: PlacedImage) -> str:
    caption = (f"<figcaption>{html.escape(image.caption, quote=False)}</figcaption>"
               if image.caption else "")
    return (f'<figure><img src="{image.src}" alt="{html.escape(image.alt_text)}" '
            f'loading="lazy">{caption}</figure>')


def remove_placed_images(article: str) -> str:
    """The article without the writer-image figures (or bare images) placed in it earlier."""
    return _OUR_IMG.sub("", _OUR_FIGURE.sub("", article))


def place_images(article: str, images: Sequence[PlacedImage]) -> str:
    """The article with ``images`` placed after their h2 (earlier placements replaced)."""
    article = remove_placed_images(article)
    ends = [match.end() for match in _H2_END.finditer(article)]
    by_offset: dict[int, list[PlacedImage]] = {}
    for image in sorted(images, key=lambda i: i.position):
        index = image.heading_index
        offset = ends[index] if index is not None and 0 <= index < len(ends) else len(article)
        by_offset.setdefault(offset, []).append(image)
    pieces: list[str] = []
    previous = 0
    for offset in sorted(by_offset):
        pieces.append(article[previous:offset])
        pieces.extend(figure_html(image) for image in by_offset[offset])
        previous = offset
    pieces.append(article[previous:])
    return "".join(pieces)


def srcs_in(article: str) -> list[str]:
    """The writer-image ``src`` values the article uses, in order (for checks and tests)."""
    return re.findall(r'src="(/api/v1/writer/images/[0-9a-fA-F-]{36}/file)"', article)
