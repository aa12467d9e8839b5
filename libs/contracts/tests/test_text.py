"""Texts shortened for a limited field are cut between words, never inside one."""

from hypothesis import given
from hypothesis import strategies as st

from igny8_contracts.text import clip

_words = st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyzé", min_size=1, max_size=12),
                  min_size=1, max_size=30)


@given(_words, st.integers(min_value=13, max_value=200))
def test_a_clipped_text_fits_and_ends_on_a_whole_word(words: list[str], limit: int) -> None:
    text = " ".join(words)
    clipped = clip(text, limit)
    assert len(clipped) <= limit
    if len(text) <= limit:
        assert clipped == text
        return
    kept = clipped.removesuffix("…").split(" ")
    assert clipped.endswith("…") and kept == words[:len(kept)]


def test_an_seo_title_is_cut_between_words() -> None:
    title = "The complete beginner's guide to choosing trail running shoes for muddy winters"
    assert clip(title, 60) == "The complete beginner's guide to choosing trail running…"
