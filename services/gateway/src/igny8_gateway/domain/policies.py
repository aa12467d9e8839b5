"""The role matrix, as pure functions.

Who may do what (``Y`` allowed), inside the actor's own account:

======================  =========  =====  =====  ======  ======  ==========
action                  developer  owner  admin  editor  viewer  system_bot
======================  =========  =====  =====  ======  ======  ==========
read_content            Y          Y      Y      Y       Y       Y
write_content           Y          Y      Y      Y       .       Y
manage_users            Y          Y      Y      .       .       .
manage_sites            Y          Y      Y      .       .       .
manage_sectors          Y          Y      Y      .       .       .
manage_site_access      Y          Y      Y      .       .       .
manage_account          Y          Y      Y      .       .       .
manage_billing          Y          Y      .      .       .       .
see_all_sites           Y          Y      Y      .       .       Y
======================  =========  =====  =====  ======  ======  ==========

Editors and viewers only see the sites they were granted (``SiteAccess``); an id outside what
the actor can see answers ``NotFound`` (never reveal that it exists). Developer and system bot
are system-wide roles, but identity objects are still only handled inside the actor's own
account (the repositories filter by account). The system bot is an automation user: it reads
every site and writes content, but does not manage identity objects.

User management rules on top of ``manage_users`` (see ``ensure_can_change_role`` and
``ensure_can_deactivate_user``):

* only ``ASSIGNABLE_ROLES`` (owner, admin, editor, viewer) can be given through the API;
* an admin cannot touch an owner, nor make anyone an owner;
* only a developer can touch a developer or system-bot user;
* nobody changes their own role or deactivates themselves;
* the last active owner of an account cannot be demoted or deactivated (``Conflict``).

``ensure_*`` functions raise ``Forbidden`` (or ``NotFound`` / ``Conflict`` / ``LimitReached``
where documented) and return ``None`` when allowed; ``can_*`` functions return a bool.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from enum import Enum, StrEnum
from typing import Final, Literal

from igny8_gateway.domain.errors import Conflict, Forbidden, LimitReached, NotFound
from igny8_gateway.domain.model import Actor, Role, User

# ---------------------------------------------------------------------------------------------
# The matrix
# ---------------------------------------------------------------------------------------------


class Action(StrEnum):
    READ_CONTENT = "read_content"
    WRITE_CONTENT = "write_content"
    MANAGE_USERS = "manage_users"
    MANAGE_SITES = "manage_sites"
    MANAGE_SECTORS = "manage_sectors"
    MANAGE_SITE_ACCESS = "manage_site_access"
    MANAGE_ACCOUNT = "manage_account"
    MANAGE_BILLING = "manage_billing"
    SEE_ALL_SITES = "see_all_sites"


SYSTEM_ROLES: Final = frozenset({Role.DEVELOPER, Role.SYSTEM_BOT})
"""System-wide roles; never assignable by customers."""

ASSIGNABLE_ROLES: Final = frozenset({Role.OWNER, Role.ADMIN, Role.EDITOR, Role.VIEWER})
"""Roles that can be given to a user through the API."""

_IDENTITY_MANAGERS: Final = frozenset({Role.DEVELOPER, Role.OWNER, Role.ADMIN})

PERMISSIONS: Final[dict[Action, frozenset[Role]]] = {
    Action.READ_CONTENT: frozenset(Role),
    Action.WRITE_CONTENT: frozenset(Role) - {Role.VIEWER},
    Action.MANAGE_USERS: _IDENTITY_MANAGERS,
    Action.MANAGE_SITES: _IDENTITY_MANAGERS,
    Action.MANAGE_SECTORS: _IDENTITY_MANAGERS,
    Action.MANAGE_SITE_ACCESS: _IDENTITY_MANAGERS,
    Action.MANAGE_ACCOUNT: _IDENTITY_MANAGERS,
    Action.MANAGE_BILLING: frozenset({Role.DEVELOPER, Role.OWNER}),
    Action.SEE_ALL_SITES: frozenset({Role.DEVELOPER, Role.OWNER, Role.ADMIN, Role.SYSTEM_BOT}),
}

_DENIED: Final[dict[Action, str]] = {
    Action.READ_CONTENT: "Your role cannot read this",
    Action.WRITE_CONTENT: "Your role is read-only",
    Action.MANAGE_USERS: "Only owners and admins can manage users",
    Action.MANAGE_SITES: "Only owners and admins can manage sites",
    Action.MANAGE_SECTORS: "Only owners and admins can manage sectors",
    Action.MANAGE_SITE_ACCESS: "Only owners and admins can grant or revoke site access",
    Action.MANAGE_ACCOUNT: "Only owners and admins can change the account",
    Action.MANAGE_BILLING: "Only owners can manage billing",
    Action.SEE_ALL_SITES: "Your role only sees the sites it was granted",
}


def is_allowed(actor: Actor, action: Action) -> bool:
    """Whether the actor's role allows ``action`` (the matrix above)."""
    return actor.role in PERMISSIONS[action]


def ensure_allowed(actor: Actor, action: Action) -> None:
    """Raise ``Forbidden`` unless the actor's role allows ``action``."""
    if not is_allowed(actor, action):
        raise Forbidden(_DENIED[action])


def can_read_content(actor: Actor) -> bool:
    return is_allowed(actor, Action.READ_CONTENT)


def can_write_content(actor: Actor) -> bool:
    return is_allowed(actor, Action.WRITE_CONTENT)


def can_manage_users(actor: Actor) -> bool:
    return is_allowed(actor, Action.MANAGE_USERS)


def can_manage_sites(actor: Actor) -> bool:
    return is_allowed(actor, Action.MANAGE_SITES)


def can_manage_sectors(actor: Actor) -> bool:
    return is_allowed(actor, Action.MANAGE_SECTORS)


def can_manage_site_access(actor: Actor) -> bool:
    return is_allowed(actor, Action.MANAGE_SITE_ACCESS)


def can_manage_account(actor: Actor) -> bool:
    return is_allowed(actor, Action.MANAGE_ACCOUNT)


def can_manage_billing(actor: Actor) -> bool:
    return is_allowed(actor, Action.MANAGE_BILLING)


def can_see_all_sites(actor: Actor) -> bool:
    return is_allowed(actor, Action.SEE_ALL_SITES)


def ensure_may_change_anything(actor: Actor) -> None:
    """Every action but reading needs a role with more than ``read_content`` (a viewer has
    only that): checked for every write before its input (``entrypoints.deps``)."""
    if not any(is_allowed(actor, action) for action in Action
               if action not in (Action.READ_CONTENT, Action.SEE_ALL_SITES)):
        raise Forbidden("Your role can read but not change anything.")


def ensure_can_write_content(actor: Actor) -> None:
    ensure_allowed(actor, Action.WRITE_CONTENT)


def ensure_can_manage_users(actor: Actor) -> None:
    ensure_allowed(actor, Action.MANAGE_USERS)


def ensure_can_manage_sites(actor: Actor) -> None:
    ensure_allowed(actor, Action.MANAGE_SITES)


def ensure_can_manage_sectors(actor: Actor) -> None:
    ensure_allowed(actor, Action.MANAGE_SECTORS)


def ensure_can_manage_site_access(actor: Actor) -> None:
    ensure_allowed(actor, Action.MANAGE_SITE_ACCESS)


def ensure_can_manage_account(actor: Actor) -> None:
    ensure_allowed(actor, Action.MANAGE_ACCOUNT)


def ensure_can_manage_billing(actor: Actor) -> None:
    ensure_allowed(actor, Action.MANAGE_BILLING)


# ---------------------------------------------------------------------------------------------
# Site visibility
# ---------------------------------------------------------------------------------------------


class AllSites(Enum):
    """Sentinel type of ``ALL_SITES``."""

    ALL = "all"


ALL_SITES: Final = AllSites.ALL
"""Returned by ``visible_site_ids`` when the actor sees every site of its account."""

SiteScope = frozenset[uuid.UUID] | Literal[AllSites.ALL]


def visible_site_ids(actor: Actor, granted_site_ids: Iterable[uuid.UUID]) -> SiteScope:
    """The sites of its account the actor can see: ``ALL_SITES`` or the granted ids.

    Usage: ``scope = visible_site_ids(actor, grants)``; ``if scope is ALL_SITES: ...``.
    """
    if can_see_all_sites(actor):
        return ALL_SITES
    return frozenset(granted_site_ids)


def can_see_site(actor: Actor, site_id: uuid.UUID, granted_site_ids: Iterable[uuid.UUID]) -> bool:
    """Whether the actor sees ``site_id`` (a site already known to be in its account)."""
    scope = visible_site_ids(actor, granted_site_ids)
    return scope is ALL_SITES or site_id in scope


def ensure_can_see_site(
    actor: Actor, site_id: uuid.UUID, granted_site_ids: Iterable[uuid.UUID]
) -> None:
    """Raise ``NotFound`` (not Forbidden: do not reveal it exists) for a site not granted."""
    if not can_see_site(actor, site_id, granted_site_ids):
        raise NotFound("Site not found", field="site_id")


def ensure_can_write_site(
    actor: Actor, site_id: uuid.UUID, granted_site_ids: Iterable[uuid.UUID]
) -> None:
    """Content write on a site: the site must be visible (else ``NotFound``) and the role must
    be allowed to write (else ``Forbidden``)."""
    ensure_can_see_site(actor, site_id, granted_site_ids)
    ensure_can_write_content(actor)


# ---------------------------------------------------------------------------------------------
# User management
# ---------------------------------------------------------------------------------------------


def can_manage_user(actor: Actor, target_role: Role) -> bool:
    """Whether the actor may edit / (de)activate a user who currently has ``target_role``."""
    if not can_manage_users(actor):
        return False
    if target_role in SYSTEM_ROLES:
        return actor.role == Role.DEVELOPER
    if target_role == Role.OWNER:
        return actor.role in (Role.OWNER, Role.DEVELOPER)
    return True


def can_assign_role(actor: Actor, target_current_role: Role | None, new_role: Role) -> bool:
    """Whether the actor may give ``new_role`` to a user who has ``target_current_role``.

    ``target_current_role=None`` means a new user (invitation / creation). Does not check
    the self and last-owner rules: ``ensure_can_change_role`` does.
    """
    if new_role not in ASSIGNABLE_ROLES:
        return False
    if new_role == Role.OWNER and actor.role not in (Role.OWNER, Role.DEVELOPER):
        return False
    if target_current_role is None:
        return can_manage_users(actor)
    return can_manage_user(actor, target_current_role)


def ensure_can_create_user(actor: Actor, role: Role) -> None:
    """Raise ``Forbidden`` unless the actor may add a user with ``role`` to its account."""
    ensure_can_manage_users(actor)
    if not can_assign_role(actor, None, role):
        raise Forbidden(_role_denied_message(actor, role), field="role")


def ensure_can_edit_user(actor: Actor, target: User) -> None:
    """Editing a user's profile (names, reactivation, ...). A user may always edit their own
    profile; anyone else needs ``can_manage_user``."""
    if target.id == actor.user_id:
        return
    ensure_can_manage_users(actor)
    if not can_manage_user(actor, target.role):
        raise Forbidden(_target_denied_message(target.role))


def ensure_can_change_role(
    actor: Actor, target: User, new_role: Role, active_owner_count: int
) -> None:
    """Raise unless the actor may change ``target``'s role to ``new_role``.

    ``active_owner_count`` is the number of active owners in the account, ``target`` included.
    Forbidden: no permission, own role, role not assignable by this actor.
    Conflict: it would leave the account without an active owner.
    """
    ensure_can_manage_users(actor)
    if target.id == actor.user_id:
        raise Forbidden("You cannot change your own role", field="role")
    if not can_manage_user(actor, target.role):
        raise Forbidden(_target_denied_message(target.role))
    if not can_assign_role(actor, target.role, new_role):
        raise Forbidden(_role_denied_message(actor, new_role), field="role")
    if new_role != Role.OWNER:
        _ensure_not_last_owner(target, active_owner_count, "demote")


def ensure_can_deactivate_user(actor: Actor, target: User, active_owner_count: int) -> None:
    """Raise unless the actor may deactivate (or delete) ``target``.

    ``active_owner_count`` is the number of active owners in the account, ``target`` included.
    """
    ensure_can_manage_users(actor)
    if target.id == actor.user_id:
        raise Forbidden("You cannot deactivate yourself")
    if not can_manage_user(actor, target.role):
        raise Forbidden(_target_denied_message(target.role))
    _ensure_not_last_owner(target, active_owner_count, "deactivate")


def _ensure_not_last_owner(target: User, active_owner_count: int, verb: str) -> None:
    if target.role == Role.OWNER and target.is_active and active_owner_count <= 1:
        raise Conflict(f"You cannot {verb} the last active owner; make another user owner first")


def _role_denied_message(actor: Actor, role: Role) -> str:
    if role not in ASSIGNABLE_ROLES:
        return f"The role {str(role)!r} cannot be assigned"
    if role == Role.OWNER:
        return "Only owners can make someone an owner"
    return "You cannot assign this role"


def _target_denied_message(target_role: Role) -> str:
    if target_role == Role.OWNER:
        return "Only owners can change an owner"
    return "You cannot change this user"


# ---------------------------------------------------------------------------------------------
# Limits
# ---------------------------------------------------------------------------------------------

MAX_ACTIVE_SECTORS_PER_SITE: Final = 5


def ensure_can_add_sector(active_count: int) -> None:
    """Raise ``LimitReached`` when the site already has ``MAX_ACTIVE_SECTORS_PER_SITE`` active
    sectors (call it before creating a sector or reactivating one)."""
    if active_count >= MAX_ACTIVE_SECTORS_PER_SITE:
        raise LimitReached(
            f"A site can have at most {MAX_ACTIVE_SECTORS_PER_SITE} active sectors; "
            "deactivate one to add another"
        )


PlanResource = Literal["sites", "users"]

_SINGULAR: Final[dict[str, str]] = {"sites": "site", "users": "user"}


def ensure_within_plan(kind: PlanResource, current_count: int, limit: int | None) -> None:
    """Raise ``LimitReached`` when adding one more ``kind`` would exceed the plan's ``limit``.

    ``current_count`` is how many exist now (active ones); ``limit=None`` means unlimited.
    Message: "Your plan allows 3 sites; upgrade to add more".
    """
    if limit is None or current_count < limit:
        return
    noun = _SINGULAR[kind] if limit == 1 else kind
    raise LimitReached(f"Your plan allows {limit} {noun}; upgrade to add more")
