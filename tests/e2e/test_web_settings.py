"""Billing and Settings in a real Chromium (web/e2e/settings.mjs) against the real gateway,
billing and writer: balance, a plan change, transactions, usage (empty, then charted once
credits were spent), users and roles with a site grant and the editor's view in a second
browser context, the AI provider key that never comes back, a prompt override refused inline
then saved and reset, an author profile; axe-core on every page, screenshots under
build/test-artifacts/web/settings-*.png.

The usage chart needs credits spent: offline AI is free, so while the browser waits on the
usage page this test spends them as the writer does (a reservation over NATS, then the usage
event), for the account the script signed up."""

from __future__ import annotations

import asyncio
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nats
import pytest

from igny8_contracts import Envelope, QueryResult
from igny8_contracts.billing import ReserveCredits
from igny8_contracts.usage import WriterAiUsageRecorded
from igny8_devtools.testing import ServiceProcess
from tests.e2e.browser import run_browser_script
from tests.e2e.conftest import Gateway

# Starts gateway, billing and the writer, then one long browser session: more than the default.
pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

WORDS = 1100  # an article of 1,100 words: 3 blocks of 500 → 3 credits


async def spend_credits(nats_url: str, account_id: uuid.UUID) -> None:
    """Hold credits for an article and report its usage, as the writer does."""
    nc = await nats.connect(nats_url)
    try:
        reserve = ReserveCredits(account_id=account_id, reservation_key="e2e-article",
                                 operation_type="content", max_quantity=2000)
        envelope = Envelope.wrap(reserve, source="igny8/writer", correlation_id="web-settings",
                                 account_id=account_id)
        reply = await nc.request(reserve.subject(), envelope.model_dump_json().encode(),
                                 timeout=20)
        assert QueryResult.model_validate_json(reply.data).ok, reply.data
        usage = WriterAiUsageRecorded(operation_id="e2e-op", reservation_key="e2e-article",
                                      account_id=account_id, operation_type="content",
                                      quantity=WORDS)
        event = Envelope.wrap(usage, source="igny8/writer", correlation_id="web-settings",
                              account_id=account_id)
        await nc.jetstream().publish(usage.subject(), event.model_dump_json().encode(),
                                     headers={"Nats-Msg-Id": str(event.id)})
    finally:
        await nc.drain()


def test_billing_and_settings_in_chromium(gateway: ServiceProcess, billing: ServiceProcess,
                                          writer: ServiceProcess, gw: Gateway, nats_url: str,
                                          tmp_path: Path) -> None:
    email = gw.unique_email("web-settings")
    with ThreadPoolExecutor(max_workers=1) as pool:
        browser = pool.submit(run_browser_script, "settings", gateway, 600,
                              OWNER_EMAIL=email, HANDSHAKE=str(tmp_path))
        # The script signs up, shows the empty usage page, then asks for usage.
        while not (tmp_path / "usage-wanted").exists() and not browser.done():
            time.sleep(0.2)
        if not browser.done():
            owner = gw.login(email)
            asyncio.run(spend_credits(nats_url, uuid.UUID(owner.account_id)))
            usage = gw.wait_for(lambda: gw.ok(gw.call("GET", "/api/v1/billing/usage/", owner))
                                ["by_operation"], timeout=30)
            assert usage == [{"operation_type": "content", "operations": 1, "quantity": WORDS,
                              "credits": 3}]
            (tmp_path / "usage-recorded").write_text("ok")
        shots = browser.result()
    pages = {name.split("-", 2)[2].removesuffix(".png") for name in shots}
    for page in ("billing-balance", "billing-transactions", "billing-usage-empty",
                 "billing-usage-chart", "users-and-grants", "editor-sites", "ai-provider-tested",
                 "prompt-error", "prompt-overridden", "authors"):
        assert page in pages, (page, sorted(pages))
