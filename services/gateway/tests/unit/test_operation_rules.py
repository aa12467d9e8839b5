"""Which update replaces an operation's state, and who may see an operation."""

from __future__ import annotations

import uuid

import pytest

from igny8_contracts.operations import PlannerOperationUpdated
from igny8_gateway.domain.model import Actor, Role
from igny8_gateway.domain.operations import Operation, can_see_operation

ACCOUNT = uuid.uuid4()


def update(sequence: int, state: str = "running", account_id: uuid.UUID = ACCOUNT
           ) -> PlannerOperationUpdated:
    return PlannerOperationUpdated(operation_id=uuid.uuid4(), account_id=account_id,
                                   operation_type="planner.keywords.import", state=state,
                                   phase="PREP", percent=10, sequence=sequence)


def operation(state: str = "running", sequence: int = 5, **fields: object) -> Operation:
    return Operation(id=uuid.uuid4(), account_id=ACCOUNT, kind="planner.keywords.import",
                     state=state, phase="PREP", percent=10, sequence=sequence, **fields)


@pytest.mark.parametrize(("current", "incoming", "accepted"), [
    (("running", 5), (6, "running"), True),
    (("running", 5), (5, "running"), False),
    (("running", 5), (4, "succeeded"), False),
    (("accepted", 0), (1, "running"), True),
    (("succeeded", 5), (9, "running"), False),
    (("failed", 5), (9, "succeeded"), True),
])
def test_newer_updates_win_and_final_states_stay_final(
    current: tuple[str, int], incoming: tuple[int, str], accepted: bool
) -> None:
    assert operation(*current).accepts(update(*incoming)) is accepted


def test_updates_for_another_account_are_never_accepted() -> None:
    assert not operation().accepts(update(99, account_id=uuid.uuid4()))


def test_editors_see_granted_sites_and_their_own_operations() -> None:
    site, editor = uuid.uuid4(), Actor(uuid.uuid4(), ACCOUNT, Role.EDITOR)
    granted = frozenset({site})
    assert can_see_operation(editor, operation(site_id=site), granted)
    assert not can_see_operation(editor, operation(site_id=uuid.uuid4()), granted)
    assert not can_see_operation(editor, operation(), granted)
    assert can_see_operation(editor, operation(requested_by=editor.user_id), granted)
    owner = Actor(uuid.uuid4(), ACCOUNT, Role.OWNER)
    assert can_see_operation(owner, operation(site_id=uuid.uuid4()), None)
    stranger = Actor(uuid.uuid4(), uuid.uuid4(), Role.OWNER)
    assert not can_see_operation(stranger, operation(), None)


def test_an_update_keeps_what_the_operation_is_and_who_asked() -> None:
    asker = uuid.uuid4()
    current = operation(requested_by=asker)
    failed = PlannerOperationUpdated(
        operation_id=current.id, account_id=ACCOUNT, operation_type="planner.other.name",
        state="failed", phase="FAILED", percent=0, sequence=9, error="dead-lettered")
    after = current.updated_by(failed)
    assert (after.kind, after.requested_by, after.state, after.error) == (
        "planner.keywords.import", asker, "failed", "dead-lettered")
