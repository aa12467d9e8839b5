"""The content review workflow and how tasks follow their content. Pure.

draft → review → approved (→ ContentApproved) → published, which only the publisher reports
(``ContentPublished``; WordPress status changes follow through ``ExternalPostStatusChanged``).
A reviewer can send content back to draft; anything can be archived; archived content comes
back as a draft.
"""

from __future__ import annotations

from typing import Final

from igny8_contracts.writer import ContentStatus

MANUAL_TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    "draft": frozenset({"review", "archived"}),
    "review": frozenset({"approved", "draft", "archived"}),
    "approved": frozenset({"review", "draft", "archived"}),
    "published": frozenset({"archived"}),
    "scheduled": frozenset({"draft", "archived"}),
    "archived": frozenset({"draft"}),
}

class TransitionRefused(ValueError):  # noqa: N818
    def __init__(self, current: str, wanted: str) -> None:
        allowed = ", ".join(sorted(MANUAL_TRANSITIONS.get(current, frozenset()))) or "none"
        super().__init__(f"Content in status '{current}' cannot move to '{wanted}' "
                         f"(allowed: {allowed}).")
        self.current = current
        self.wanted = wanted


def check_transition(current: ContentStatus | str, wanted: ContentStatus | str) -> None:
    if wanted not in MANUAL_TRANSITIONS.get(current, frozenset()):
        raise TransitionRefused(current, wanted)
