"""The role matrix, user-management rules and limits (igny8_gateway.domain.policies)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from igny8_gateway.domain import policies
from igny8_gateway.domain.errors import Conflict, DomainError, Forbidden, LimitReached, NotFound
from igny8_gateway.domain.model import Actor, Role, User
from igny8_gateway.domain.policies import ALL_SITES, Action

ACCOUNT = uuid.uuid4()

DEV, OWN, ADM, EDI, VIE, BOT = (
    Role.DEVELOPER,
    Role.OWNER,
    Role.ADMIN,
    Role.EDITOR,
    Role.VIEWER,
    Role.SYSTEM_BOT,
)
ROLES = [DEV, OWN, ADM, EDI, VIE, BOT]

# The expected matrix, written out independently of the implementation.
#                          developer owner admin editor viewer system_bot
EXPECTED: dict[Action, tuple[bool, bool, bool, bool, bool, bool]] = {
    Action.READ_CONTENT: (True, True, True, True, True, True),
    Action.WRITE_CONTENT: (True, True, True, True, False, True),
    Action.MANAGE_USERS: (True, True, True, False, False, False),
    Action.MANAGE_SITES: (True, True, True, False, False, False),
    Action.MANAGE_SECTORS: (True, True, True, False, False, False),
    Action.MANAGE_SITE_ACCESS: (True, True, True, False, False, False),
    Action.MANAGE_ACCOUNT: (True, True, True, False, False, False),
    Action.MANAGE_BILLING: (True, True, False, False, False, False),
    Action.SEE_ALL_SITES: (True, True, True, False, False, True),
}

MATRIX = [
    pytest.param(role, action, allowed, id=f"{role.value}-{action.value}")
    for action, row in EXPECTED.items()
    for role, allowed in zip(ROLES, row, strict=True)
]

NAMED = {
    Action.READ_CONTENT: (policies.can_read_content, None),
    Action.WRITE_CONTENT: (policies.can_write_content, policies.ensure_can_write_content),
    Action.MANAGE_USERS: (policies.can_manage_users, policies.ensure_can_manage_users),
    Action.MANAGE_SITES: (policies.can_manage_sites, policies.ensure_can_manage_sites),
    Action.MANAGE_SECTORS: (policies.can_manage_sectors, policies.ensure_can_manage_sectors),
    Action.MANAGE_SITE_ACCESS: (
        policies.can_manage_site_access,
        policies.ensure_can_manage_site_access,
    ),
    Action.MANAGE_ACCOUNT: (policies.can_manage_account, policies.ensure_can_manage_account),
    Action.MANAGE_BILLING: (policies.can_manage_billing, policies.ensure_can_manage_billing),
    Action.SEE_ALL_SITES: (policies.can_see_all_sites, None),
}


def actor(role: Role, user_id: uuid.UUID | None = None) -> Actor:
    return Actor(user_id=user_id or uuid.uuid4(), account_id=ACCOUNT, role=role)


def user(role: Role, *, is_active: bool = True, user_id: uuid.UUID | None = None) -> User:
    return User(
        id=user_id or uuid.uuid4(),
        account_id=ACCOUNT,
        email=f"{uuid.uuid4().hex[:8]}@example.com",
        password_hash="",
        role=role,
        is_active=is_active,
    )


def test_matrix_covers_every_action_and_role() -> None:
    assert set(EXPECTED) == set(Action)
    assert set(ROLES) == set(Role)
    assert set(policies.PERMISSIONS) == set(Action)


@pytest.mark.parametrize(("role", "action", "allowed"), MATRIX)
def test_role_matrix(role: Role, action: Action, allowed: bool) -> None:
    who = actor(role)
    assert policies.is_allowed(who, action) is allowed
    can, ensure = NAMED[action]
    assert can(who) is allowed
    if allowed:
        policies.ensure_allowed(who, action)
        if ensure is not None:
            ensure(who)
    else:
        with pytest.raises(Forbidden):
            policies.ensure_allowed(who, action)
        if ensure is not None:
            with pytest.raises(Forbidden) as info:
                ensure(who)
            assert info.value.message


# --- site visibility -------------------------------------------------------------------------


@pytest.mark.parametrize("role", [DEV, OWN, ADM, BOT])
def test_account_wide_roles_see_all_sites(role: Role) -> None:
    assert policies.visible_site_ids(actor(role), []) is ALL_SITES
    policies.ensure_can_see_site(actor(role), uuid.uuid4(), [])


@pytest.mark.parametrize("role", [EDI, VIE])
def test_site_roles_only_see_granted_sites(role: Role) -> None:
    granted, other = uuid.uuid4(), uuid.uuid4()
    who = actor(role)
    assert policies.visible_site_ids(who, [granted]) == frozenset({granted})
    assert policies.visible_site_ids(who, []) == frozenset()
    assert policies.can_see_site(who, granted, [granted])
    assert not policies.can_see_site(who, other, [granted])
    policies.ensure_can_see_site(who, granted, [granted])
    with pytest.raises(NotFound) as info:
        policies.ensure_can_see_site(who, other, [granted])
    assert info.value.field == "site_id"


@pytest.mark.parametrize(
    ("role", "granted", "expected"),
    [
        (DEV, False, None),
        (OWN, False, None),
        (ADM, False, None),
        (BOT, False, None),
        (EDI, True, None),
        (EDI, False, NotFound),
        (VIE, True, Forbidden),
        (VIE, False, NotFound),
    ],
)
def test_write_on_a_site(role: Role, granted: bool, expected: type[DomainError] | None) -> None:
    site = uuid.uuid4()
    grants = [site] if granted else [uuid.uuid4()]
    if expected is None:
        policies.ensure_can_write_site(actor(role), site, grants)
    else:
        with pytest.raises(expected):
            policies.ensure_can_write_site(actor(role), site, grants)


# --- role assignment -------------------------------------------------------------------------


@pytest.mark.parametrize("actor_role", ROLES)
@pytest.mark.parametrize("target_role", [None, *ROLES])
@pytest.mark.parametrize("new_role", [DEV, BOT])
def test_system_roles_are_never_assignable(
    actor_role: Role, target_role: Role | None, new_role: Role
) -> None:
    assert not policies.can_assign_role(actor(actor_role), target_role, new_role)


# (actor, target's current role or None for a new user, new role) -> allowed
ASSIGNMENTS = [
    # owners assign anything assignable, to anyone assignable
    (OWN, None, OWN, True),
    (OWN, None, ADM, True),
    (OWN, None, EDI, True),
    (OWN, None, VIE, True),
    (OWN, OWN, ADM, True),
    (OWN, ADM, OWN, True),
    (OWN, EDI, VIE, True),
    (OWN, VIE, EDI, True),
    # developers act like owners in their account, and may touch system users
    (DEV, None, OWN, True),
    (DEV, OWN, VIE, True),
    (DEV, DEV, ADM, True),
    (DEV, BOT, VIE, True),
    # admins: not owners, never make owners
    (ADM, None, ADM, True),
    (ADM, None, EDI, True),
    (ADM, None, VIE, True),
    (ADM, None, OWN, False),
    (ADM, EDI, ADM, True),
    (ADM, ADM, VIE, True),
    (ADM, VIE, OWN, False),
    (ADM, OWN, ADM, False),
    (ADM, OWN, VIE, False),
    # customers cannot touch system users
    (OWN, DEV, VIE, False),
    (OWN, BOT, VIE, False),
    (ADM, BOT, EDI, False),
    # editors, viewers and the bot manage no users
    (EDI, None, VIE, False),
    (EDI, VIE, EDI, False),
    (VIE, None, VIE, False),
    (VIE, VIE, EDI, False),
    (BOT, None, VIE, False),
    (BOT, VIE, EDI, False),
]


@pytest.mark.parametrize(
    ("actor_role", "target_role", "new_role", "allowed"),
    [pytest.param(a, t, n, ok, id=f"{a}-{t}-to-{n}") for a, t, n, ok in ASSIGNMENTS],
)
def test_can_assign_role(
    actor_role: Role, target_role: Role | None, new_role: Role, allowed: bool
) -> None:
    assert policies.can_assign_role(actor(actor_role), target_role, new_role) is allowed


@pytest.mark.parametrize(
    ("actor_role", "new_role", "allowed"),
    [(a, n, ok) for a, t, n, ok in ASSIGNMENTS if t is None]
    + [(OWN, DEV, False), (ADM, BOT, False), (DEV, DEV, False)],
)
def test_ensure_can_create_user(actor_role: Role, new_role: Role, allowed: bool) -> None:
    if allowed:
        policies.ensure_can_create_user(actor(actor_role), new_role)
    else:
        with pytest.raises(Forbidden):
            policies.ensure_can_create_user(actor(actor_role), new_role)


def test_admin_messages_are_clear() -> None:
    with pytest.raises(Forbidden, match="Only owners can make someone an owner") as info:
        policies.ensure_can_create_user(actor(ADM), OWN)
    assert info.value.field == "role"
    with pytest.raises(Forbidden, match="Only owners can change an owner"):
        policies.ensure_can_change_role(actor(ADM), user(OWN), VIE, active_owner_count=2)
    with pytest.raises(Forbidden, match="cannot be assigned"):
        policies.ensure_can_create_user(actor(OWN), DEV)
    with pytest.raises(Forbidden, match="Only owners and admins can manage users"):
        policies.ensure_can_create_user(actor(EDI), VIE)


# --- change role / deactivate: self and last owner -------------------------------------------


def test_owner_changes_roles_of_others() -> None:
    policies.ensure_can_change_role(actor(OWN), user(ADM), EDI, active_owner_count=1)
    policies.ensure_can_change_role(actor(OWN), user(EDI), OWN, active_owner_count=1)
    policies.ensure_can_change_role(actor(OWN), user(OWN), ADM, active_owner_count=2)


@pytest.mark.parametrize("role", [DEV, OWN, ADM, EDI, VIE, BOT])
def test_nobody_changes_their_own_role(role: Role) -> None:
    me = user(role)
    with pytest.raises(Forbidden):
        policies.ensure_can_change_role(actor(role, me.id), me, VIE, active_owner_count=2)


def test_own_role_message() -> None:
    me = user(OWN)
    with pytest.raises(Forbidden, match="You cannot change your own role"):
        policies.ensure_can_change_role(actor(OWN, me.id), me, ADM, active_owner_count=2)


@pytest.mark.parametrize("role", [DEV, OWN, ADM])
def test_nobody_deactivates_themselves(role: Role) -> None:
    me = user(role)
    with pytest.raises(Forbidden, match="You cannot deactivate yourself"):
        policies.ensure_can_deactivate_user(actor(role, me.id), me, active_owner_count=2)


@pytest.mark.parametrize("new_role", [ADM, EDI, VIE])
def test_last_active_owner_cannot_be_demoted(new_role: Role) -> None:
    sole_owner = user(OWN)
    with pytest.raises(Conflict, match="last active owner"):
        policies.ensure_can_change_role(actor(DEV), sole_owner, new_role, active_owner_count=1)
    # with a second active owner it is fine
    policies.ensure_can_change_role(actor(DEV), sole_owner, new_role, active_owner_count=2)
    policies.ensure_can_change_role(actor(OWN), sole_owner, new_role, active_owner_count=2)


def test_owner_staying_owner_is_not_a_demotion() -> None:
    policies.ensure_can_change_role(actor(DEV), user(OWN), OWN, active_owner_count=1)


def test_last_active_owner_cannot_be_deactivated() -> None:
    sole_owner = user(OWN)
    with pytest.raises(Conflict, match="last active owner"):
        policies.ensure_can_deactivate_user(actor(DEV), sole_owner, active_owner_count=1)
    policies.ensure_can_deactivate_user(actor(OWN), sole_owner, active_owner_count=2)


def test_inactive_owner_is_not_the_last_active_owner() -> None:
    inactive_owner = user(OWN, is_active=False)
    policies.ensure_can_change_role(actor(OWN), inactive_owner, VIE, active_owner_count=1)
    policies.ensure_can_deactivate_user(actor(OWN), inactive_owner, active_owner_count=1)


@pytest.mark.parametrize(
    ("actor_role", "target_role", "expected"),
    [
        (OWN, OWN, None),
        (OWN, ADM, None),
        (OWN, EDI, None),
        (OWN, VIE, None),
        (OWN, DEV, Forbidden),
        (OWN, BOT, Forbidden),
        (ADM, OWN, Forbidden),
        (ADM, ADM, None),
        (ADM, EDI, None),
        (ADM, VIE, None),
        (DEV, OWN, None),
        (DEV, BOT, None),
        (EDI, VIE, Forbidden),
        (VIE, EDI, Forbidden),
        (BOT, VIE, Forbidden),
    ],
)
def test_deactivate_matrix(
    actor_role: Role, target_role: Role, expected: type[DomainError] | None
) -> None:
    target = user(target_role)
    if expected is None:
        policies.ensure_can_deactivate_user(actor(actor_role), target, active_owner_count=2)
    else:
        with pytest.raises(expected):
            policies.ensure_can_deactivate_user(actor(actor_role), target, active_owner_count=2)


@pytest.mark.parametrize(
    ("actor_role", "target_role", "allowed"),
    [
        (OWN, OWN, True),
        (OWN, VIE, True),
        (ADM, OWN, False),
        (ADM, EDI, True),
        (EDI, VIE, False),
        (VIE, VIE, False),
    ],
)
def test_edit_other_user(actor_role: Role, target_role: Role, allowed: bool) -> None:
    if allowed:
        policies.ensure_can_edit_user(actor(actor_role), user(target_role))
    else:
        with pytest.raises(Forbidden):
            policies.ensure_can_edit_user(actor(actor_role), user(target_role))


@pytest.mark.parametrize("role", ROLES)
def test_everyone_edits_their_own_profile(role: Role) -> None:
    me = user(role)
    policies.ensure_can_edit_user(actor(role, me.id), me)


# --- limits ----------------------------------------------------------------------------------


def test_sector_limit() -> None:
    assert policies.MAX_ACTIVE_SECTORS_PER_SITE == 5
    for count in range(5):
        policies.ensure_can_add_sector(count)
    with pytest.raises(LimitReached) as info:
        policies.ensure_can_add_sector(5)
    assert info.value.message == (
        "A site can have at most 5 active sectors; deactivate one to add another"
    )
    with pytest.raises(LimitReached):
        policies.ensure_can_add_sector(6)


@pytest.mark.parametrize(
    ("kind", "current", "limit", "message"),
    [
        ("sites", 3, 3, "Your plan allows 3 sites; upgrade to add more"),
        ("sites", 4, 3, "Your plan allows 3 sites; upgrade to add more"),
        ("sites", 1, 1, "Your plan allows 1 site; upgrade to add more"),
        ("users", 5, 5, "Your plan allows 5 users; upgrade to add more"),
        ("users", 1, 1, "Your plan allows 1 user; upgrade to add more"),
        ("users", 0, 0, "Your plan allows 0 users; upgrade to add more"),
    ],
)
def test_plan_limit_reached(
    kind: policies.PlanResource, current: int, limit: int, message: str
) -> None:
    with pytest.raises(LimitReached) as info:
        policies.ensure_within_plan(kind, current, limit)
    assert info.value.message == message
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("kind", "current", "limit"),
    [("sites", 0, 1), ("sites", 2, 3), ("users", 4, 5), ("users", 1000, None)],
)
def test_plan_limit_not_reached(
    kind: policies.PlanResource, current: int, limit: int | None
) -> None:
    policies.ensure_within_plan(kind, current, limit)


def test_plain_string_roles_behave_like_enum_members() -> None:
    # e.g. a role loaded from a plain String column
    owner: Any = "owner"
    admin: Any = "admin"
    target = user(OWN)
    target.role = owner
    assert policies.can_manage_users(actor(admin))
    assert not policies.can_manage_user(actor(admin), owner)
    assert not policies.can_assign_role(actor(admin), None, owner)
    with pytest.raises(Forbidden, match="Only owners can change an owner"):
        policies.ensure_can_deactivate_user(actor(admin), target, active_owner_count=2)
    with pytest.raises(Conflict):
        policies.ensure_can_deactivate_user(actor(DEV), target, active_owner_count=1)
    with pytest.raises(Forbidden, match="'developer' cannot be assigned"):
        policies.ensure_can_create_user(actor(OWN), "developer")  # type: ignore[arg-type]
