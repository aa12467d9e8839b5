"""A generate_content operation's result stays within an operation event's bound whatever the
batch, so a large batch cannot fail (and redo its AI calls) on reporting."""

from __future__ import annotations

import json
import uuid

from igny8_contracts.operations import MAX_RESULT_BYTES
from igny8_contracts.writer import MAX_BULK
from igny8_writer.service_layer.generation import (
    MAX_LISTED_CONTENT,
    MAX_LISTED_FAILURES,
    TaskOutcome,
    summary,
)


def _size(result: object) -> int:
    return len(json.dumps(result, default=str))


def test_largest_batch_of_articles_fits() -> None:
    outcomes = [TaskOutcome(uuid.uuid4(), content_id=uuid.uuid4()) for _ in range(MAX_BULK)]
    result = summary(outcomes)
    assert _size(result) <= MAX_RESULT_BYTES
    assert result["generated"] == MAX_BULK
    assert len(result["content_ids"]) == MAX_LISTED_CONTENT
    assert result["listed_all"] is False


def test_largest_mixed_batch_with_long_reasons_fits() -> None:
    outcomes = [TaskOutcome(uuid.uuid4(), content_id=uuid.uuid4()) for _ in range(MAX_BULK // 2)]
    outcomes += [TaskOutcome(uuid.uuid4(), error="provider said no " * 500)
                 for _ in range(MAX_BULK // 2)]
    result = summary(outcomes)
    assert _size(result) <= MAX_RESULT_BYTES
    assert result["failed"] == MAX_BULK // 2
    assert len(result["failures"]) == MAX_LISTED_FAILURES


def test_small_batch_lists_everything() -> None:
    good = TaskOutcome(uuid.uuid4(), content_id=uuid.uuid4(), offline=True)
    bad = TaskOutcome(uuid.uuid4(), error="truncated")
    result = summary([good, bad])
    assert result == {"generated": 1, "failed": 1, "content_ids": [str(good.content_id)],
                      "failures": [{"task_id": str(bad.task_id), "reason": "truncated"}],
                      "listed_all": True, "offline": True}
