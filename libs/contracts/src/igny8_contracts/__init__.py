"""IGNY8 message contracts: the envelope, every command, event and query, subjects and streams."""

from igny8_contracts.envelope import Envelope
from igny8_contracts.messages import Answered, Command, Event, Message, Query, QueryResult, Request
from igny8_contracts.registry import all_messages, message_for_subject

__all__ = [
    "Answered",
    "Command",
    "Envelope",
    "Event",
    "Message",
    "Query",
    "QueryResult",
    "Request",
    "all_messages",
    "message_for_subject",
]
