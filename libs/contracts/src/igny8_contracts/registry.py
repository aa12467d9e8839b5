"""Every contract, found by subject."""

from __future__ import annotations

# Importing a contracts module registers its classes.
import igny8_contracts.automation
import igny8_contracts.planner
import igny8_contracts.publisher
import igny8_contracts.publisher_authors
import igny8_contracts.publisher_sync
import igny8_contracts.system as _system  # noqa: F401
import igny8_contracts.writer
import igny8_contracts.writer_images  # noqa: F401
from igny8_contracts import billing, identity, operations, usage  # noqa: F401  (import registers the classes)
from igny8_contracts.messages import Answered, Command, Event, Message


def _concrete(base: type[Message]) -> list[type[Message]]:
    found: list[type[Message]] = []
    for sub in base.__subclasses__():
        # Only the published contracts (tests may declare private probe messages).
        if "subject_base" in sub.__dict__ and sub.__module__.startswith("igny8_contracts."):
            found.append(sub)
        found.extend(_concrete(sub))
    return found


def all_messages() -> list[type[Message]]:
    messages = [m for base in (Event, Command, Answered) for m in _concrete(base)]
    subjects = [m.subject() for m in messages]
    duplicates = {s for s in subjects if subjects.count(s) > 1}
    if duplicates:
        raise RuntimeError(f"two contracts share a subject: {sorted(duplicates)}")
    return sorted(messages, key=lambda m: m.subject())


def message_for_subject(subject: str) -> type[Message]:
    for message in all_messages():
        if message.subject() == subject:
            return message
    raise KeyError(subject)
