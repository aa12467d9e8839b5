import uuid

from igny8_writer.domain.html import sanitize_html
from igny8_writer.domain.images import PlacedImage, place_images, remove_placed_images, srcs_in

ARTICLE = "<p>Intro</p><h2>One</h2><p>a</p><h2>Two</h2><p>b</p><h2>Three</h2><p>c</p>"


def image(position: int, heading: int | None, alt: str = "alt", caption: str = "cap") -> PlacedImage:
    return PlacedImage(uuid.uuid4(), position, heading, alt, caption)


def test_images_go_right_after_their_heading_in_position_order() -> None:
    first, second, last = image(1, 0), image(2, 2), image(3, None)
    placed = place_images(ARTICLE, [last, second, first])
    assert placed.index(first.src) > placed.index("</h2>")
    assert placed.index(first.src) < placed.index("<p>a</p>")
    assert placed.index(second.src) > placed.index("Three</h2>")
    assert placed.endswith("</figure>") and srcs_in(placed) == [first.src, second.src, last.src]
    assert '<figcaption>cap</figcaption>' in placed and 'loading="lazy"' in placed


def test_placing_again_replaces_the_earlier_images_and_survives_the_sanitiser() -> None:
    once = sanitize_html(place_images(ARTICLE, [image(1, 0), image(2, 1)]))
    again_images = [image(1, 1, alt='Say "hi" <b>')]
    again = sanitize_html(place_images(once, again_images))
    assert srcs_in(again) == [again_images[0].src]
    assert remove_placed_images(again) == ARTICLE
    assert "&lt;b&gt;" in again and "<b>" not in again  # alt text is escaped, not markup


def test_a_heading_index_past_the_end_goes_to_the_end() -> None:
    late = image(1, 7)
    assert place_images(ARTICLE, [late]).endswith(f'<img src="{late.src}" alt="alt" '
                                                  'loading="lazy"><figcaption>cap</figcaption>'
                                                  '</figure>')
