import json
import uuid

from igny8_contracts.operations import MAX_RESULT_BYTES
from igny8_writer.service_layer.images import MAX_LISTED_FAILURES, TaskOutcome, summary


def test_the_result_of_the_largest_batch_stays_within_an_operation_events_limit() -> None:
    good = [TaskOutcome(uuid.uuid4(), [uuid.uuid4() for _ in range(11)]) for _ in range(50)]
    bad = [TaskOutcome(uuid.uuid4(), error="provider said no " * 200) for _ in range(50)]
    result, message, any_good = summary(good + bad)
    assert len(json.dumps(result)) < MAX_RESULT_BYTES
    assert any_good and result["images_created"] == 550 and result["failed_count"] == 50
    assert len(result["failed"]) == MAX_LISTED_FAILURES
    assert message == "550 images generated for 50 of 100 articles. 50 failed."


def test_all_offline_is_said_and_nothing_good_is_not_a_success() -> None:
    result, message, any_good = summary([TaskOutcome(uuid.uuid4(), [uuid.uuid4()], offline=True)])
    assert result["offline"] and "offline placeholders" in message and any_good
    assert summary([TaskOutcome(uuid.uuid4(), error="x")])[2] is False
