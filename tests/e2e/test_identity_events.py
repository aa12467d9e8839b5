"""Identity changes reach JetStream as the contracts' events, in order, with their data."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.stream_events import account_events

pytestmark = pytest.mark.e2e


async def _events_of(nats_url: str, account_id: str, wanted: int) -> list[dict[str, Any]]:
    """Every gateway event of ``account_id`` in the stream, oldest first."""
    return await account_events(nats_url, stream="GATEWAY_EVENTS", subject="evt.gateway.>",
                                account_id=account_id, wanted=wanted)


async def test_every_identity_change_is_published(gw, nats_url) -> None:
    owner = gw.register()
    editor = gw.add_member(owner, "editor")
    site = gw.create_site(owner, "Blog", "blog.example.com")
    sector = gw.create_sector(owner, site["id"], "Recipes")
    grant = gw.grant(owner, site["id"], editor.id)
    gw.ok(gw.call("PATCH", f"/api/v1/auth/sites/{site['id']}/", owner, json={"name": "Food"}))
    gw.ok(gw.call("PATCH", f"/api/v1/auth/sectors/{sector['id']}/", owner,
                  json={"name": "Baking"}))
    gw.ok(gw.call("PATCH", f"/api/v1/auth/users/{editor.id}/", owner, json={"role": "viewer"}))
    gw.ok(gw.call("DELETE", f"/api/v1/auth/site-access/{grant['id']}/", owner))
    gw.ok(gw.call("DELETE", f"/api/v1/auth/users/{editor.id}/", owner))
    gw.ok(gw.call("DELETE", f"/api/v1/auth/sectors/{sector['id']}/", owner))
    gw.ok(gw.call("DELETE", f"/api/v1/auth/sites/{site['id']}/", owner))

    expected = [
        ("evt.gateway.account.created.v1", {"name": "Account owner", "owner_user_id": owner.id,
                                            "owner_email": owner.email, "plan_slug": "free"}),
        ("evt.gateway.user.added.v1", {"user_id": owner.id, "role": "owner"}),
        ("evt.gateway.user.added.v1", {"user_id": editor.id, "email": editor.email,
                                       "role": "editor"}),
        ("evt.gateway.site.created.v1", {"site_id": site["id"], "name": "Blog",
                                         "domain": "blog.example.com"}),
        ("evt.gateway.sector.created.v1", {"sector_id": sector["id"], "site_id": site["id"],
                                           "name": "Recipes"}),
        ("evt.gateway.site_access.granted.v1", {"site_id": site["id"], "user_id": editor.id}),
        ("evt.gateway.site.updated.v1", {"site_id": site["id"], "name": "Food",
                                         "is_active": True}),
        ("evt.gateway.sector.updated.v1", {"sector_id": sector["id"], "name": "Baking"}),
        ("evt.gateway.user.role_changed.v1", {"user_id": editor.id, "old_role": "editor",
                                              "new_role": "viewer"}),
        ("evt.gateway.site_access.revoked.v1", {"site_id": site["id"], "user_id": editor.id}),
        ("evt.gateway.user.deactivated.v1", {"user_id": editor.id}),
        ("evt.gateway.sector.deleted.v1", {"sector_id": sector["id"]}),
        ("evt.gateway.site.deleted.v1", {"site_id": site["id"]}),
    ]
    events = await _events_of(nats_url, owner.account_id, len(expected))
    # Registration's two events share one transaction, which the relay does not order within.
    events[:2] = sorted(events[:2], key=lambda e: e["subject"])
    assert [e["subject"] for e in events] == [subject for subject, _ in expected]
    for envelope, (subject, data) in zip(events, expected, strict=True):
        assert envelope["source"] == "igny8/gateway"
        assert envelope["data"]["account_id"] == owner.account_id, subject
        assert envelope["data"] | data == envelope["data"], subject
