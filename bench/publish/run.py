"""Publishing benchmark: articles per second published into a real local WordPress by the
publisher, as a ratio against creating the same posts (with their media uploads) directly
through WordPress's REST API in the same run.

    .venv/bin/python bench/publish/run.py [--articles 200] [--per-command 5] [--concurrency 8]

1. NATS and PostgreSQL embedded (or ``NATS_URL`` / ``DATABASE_URL``, fresh database); a local
   WordPress (Debian's package, ``php -S`` with ``--php-workers`` workers, MariaDB); the
   publisher migrated and started (``IGNY8_PUBLISHER_ALLOW_LOOPBACK``); one integration created
   over request/reply; a stand-in writer answers GetPublishableContent for ``--articles``
   articles with a featured and one in-article image each (PNG files in the media folder).
2. Reference: the same number of articles, each two media uploads and one post (categories and
   tags resolved once up front) sent straight to ``/wp/v2`` with ``--concurrency`` clients,
   half before and half after the publisher's run (the site grows as posts are added).
3. Publisher: the articles as PublishContent commands of ``--per-command`` articles each, sent
   at once to JetStream; the rate is articles over the span from the first command sent to
   the last publishing record marked published (database clock).
4. Checks: every article has exactly one post and a published record; exit code 2 otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import nats
from sqlalchemy import create_engine, text

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.gateway.run import Stack, say, start_nats, start_postgres, start_process  # noqa: E402
from igny8_contracts import Envelope, Query, QueryResult  # noqa: E402
from igny8_contracts.publisher import CreateIntegration, NewIntegration, PublishContent  # noqa: E402
from igny8_contracts.writer import PublishableContent  # noqa: E402
from igny8_runtime.db import sqlalchemy_url  # noqa: E402
from igny8_runtime.migrations import upgrade  # noqa: E402
from igny8_runtime.secrets import SecretBox  # noqa: E402
from tests.e2e.publisher_fixtures import FakeWriter, article  # noqa: E402
from tests.wordpress.wordpress import LocalWordPress  # noqa: E402

RESULTS = REPO / "bench" / "results" / "publish.json"


async def ask(nc: Any, query: Query, account_id: uuid.UUID) -> QueryResult:
    envelope = Envelope.wrap(query, source="igny8/bench", correlation_id="bench",
                             account_id=account_id)
    reply = await nc.request(query.subject(), envelope.model_dump_json().encode(), timeout=30)
    return QueryResult.model_validate_json(reply.data)


def make_articles(count: int, account_id: uuid.UUID, site_id: uuid.UUID,
                  media: Path, label: str) -> list[PublishableContent]:
    return [article(str(account_id), str(site_id), media, in_article=1,
                    title=f"Bench {label} article {i}") for i in range(count)]


async def reference(wp: LocalWordPress, contents: list[PublishableContent], concurrency: int,
                    media: Path) -> float:
    """Articles per second creating the posts straight through /wp/v2 (two uploads + post)."""
    async with httpx.AsyncClient(base_url=wp.rest_url, auth=(wp.admin_user, wp.app_password),
                                 timeout=120) as setup:
        terms = {}
        for taxonomy, names in (("categories", contents[0].categories), ("tags", contents[0].tags)):
            ids = []
            for name in names:
                found = (await setup.get(f"/wp/v2/{taxonomy}", params={"search": name})).json()
                ids.append(found[0]["id"] if found else
                           (await setup.post(f"/wp/v2/{taxonomy}", json={"name": name})).json()["id"])
            terms[taxonomy] = ids
    queue: asyncio.Queue[PublishableContent] = asyncio.Queue()
    for content in contents:
        queue.put_nowait(content)

    async def worker() -> None:
        async with httpx.AsyncClient(base_url=wp.rest_url, auth=(wp.admin_user, wp.app_password),
                                     timeout=120) as client:
            while not queue.empty():
                content = queue.get_nowait()
                urls, featured = {}, 0
                for image in content.images:
                    data = (media / image.storage_key).read_bytes()
                    uploaded = await client.post("/wp/v2/media", content=data, headers={
                        "Content-Type": image.mime_type,
                        "Content-Disposition": f'attachment; filename="ref-{image.image_id}.png"'},
                        params={"alt_text": image.alt_text, "caption": image.caption})
                    uploaded.raise_for_status()
                    urls[image.src] = uploaded.json()["source_url"]
                    featured = featured or uploaded.json()["id"]
                html = content.html
                for src, url in urls.items():
                    html = html.replace(src, url)
                created = await client.post("/wp/v2/posts", json={
                    "title": content.title, "content": html, "slug": content.slug,
                    "excerpt": content.excerpt, "status": "publish", "featured_media": featured,
                    **terms})
                created.raise_for_status()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return len(contents) / (time.perf_counter() - started)


async def through_publisher(nc: Any, database_url: str, account_id: uuid.UUID,
                            integration_id: uuid.UUID, contents: list[PublishableContent],
                            per_command: int) -> tuple[float, dict[str, int]]:
    js = nc.jetstream()
    engine = create_engine(sqlalchemy_url(database_url))
    ids = [c.content_id for c in contents]
    with engine.connect() as conn:
        start_db = conn.execute(text("SELECT clock_timestamp()")).scalar_one()
    for first in range(0, len(ids), per_command):
        command = PublishContent(operation_id=uuid.uuid4(), account_id=account_id,
                                 integration_id=integration_id,
                                 content_ids=ids[first:first + per_command], status="publish")
        envelope = Envelope.wrap(command, source="igny8/bench", correlation_id="bench",
                                 account_id=account_id)
        await js.publish(envelope.subject, envelope.model_dump_json().encode(),
                         headers={"Nats-Msg-Id": str(envelope.id)})
    query = text("SELECT count(*) FILTER (WHERE status = 'published'), count(*) FILTER "
                 "(WHERE status = 'failed'), max(updated_at) FROM publisher.publishing_records "
                 "WHERE integration_id = :i")
    deadline = time.monotonic() + 1800
    while True:
        with engine.connect() as conn:
            published, failed, last = conn.execute(query, {"i": integration_id}).one()
        if published + failed >= len(ids) or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.5)
    engine.dispose()
    span = (last - start_db).total_seconds() if last else float("inf")
    return published / span, {"published": published, "failed": failed}


async def measure(args: argparse.Namespace, stack: Stack, tmp: Path) -> dict[str, Any]:
    nats_url = start_nats(stack, tmp)
    database_url = start_postgres(stack, tmp)
    wp = LocalWordPress.start(tmp / "wordpress", workers=args.php_workers)
    stack.push("WordPress", wp.stop)
    say(f"WordPress: {wp.base_url}")
    media = tmp / "media"
    media.mkdir()
    upgrade("publisher", database_url)
    key = SecretBox.generate_key()
    start_process(stack, "publisher", {
        "DATABASE_URL": database_url, "NATS_URL": nats_url, "IGNY8_MEDIA_DIR": str(media),
        "IGNY8_SECRETS_KEYS": key, "IGNY8_PUBLISHER_ALLOW_LOOPBACK": "true",
        "IGNY8_LOG_LEVEL": "WARNING", "IGNY8_CONSUMER_MAX_WORKERS": str(args.concurrency)})
    writer = FakeWriter(nats_url)
    writer.media = media
    writer.start()
    stack.push("fake writer", writer.stop)
    account_id, site_id = uuid.uuid4(), uuid.uuid4()
    ours = make_articles(args.articles, account_id, site_id, media, "publisher")
    theirs = make_articles(args.articles, account_id, site_id, media, "reference")
    for content in ours:
        writer.add(content)

    nc = await nats.connect(nats_url)
    try:
        created = await ask(nc, CreateIntegration(account_id=account_id, integration=NewIntegration(
            site_id=site_id, url=wp.base_url, username=wp.admin_user,
            app_password=wp.app_password)), account_id)
        assert created.ok, created
        integration_id = uuid.UUID(created.data["id"])
        # The reference runs half before and half after, so both see a WordPress of about the
        # same size on average (every post makes the next queries a little slower).
        half = len(theirs) // 2
        say(f"reference: {half} articles straight to /wp/v2 ...")
        before = await reference(wp, theirs[:half], args.concurrency, media)
        say(f"publisher: {args.articles} articles as PublishContent commands ...")
        rate, counts = await through_publisher(nc, database_url, account_id, integration_id,
                                               ours, args.per_command)
        say(f"reference: {len(theirs) - half} more articles straight to /wp/v2 ...")
        after = await reference(wp, theirs[half:], args.concurrency, media)
        reference_rate = len(theirs) / (half / before + (len(theirs) - half) / after)
    finally:
        await nc.close()
    duplicates = [c.content_id for c in ours
                  if len(wp.posts(search=f"igny8-content-id:{c.content_id}")) != 1]
    return {"articles": args.articles, "images_per_article": 2, "concurrency": args.concurrency,
            "per_command": args.per_command, "php_workers": args.php_workers,
            "reference_articles_per_second": round(reference_rate, 2),
            "publisher_articles_per_second": round(rate, 2),
            "ratio": round(rate / reference_rate, 3), **counts,
            "articles_without_exactly_one_post": len(duplicates)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--per-command", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--php-workers", type=int, default=8)
    args = parser.parse_args(argv)
    stack = Stack()
    try:
        with tempfile.TemporaryDirectory(prefix="igny8-bench-publish-") as folder:
            result = asyncio.run(measure(args, stack, Path(folder)))
            stack.close()
    finally:
        stack.close()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2))
    say(json.dumps(result, indent=2))
    say(f"publisher {result['publisher_articles_per_second']} articles/s vs direct REST "
        f"{result['reference_articles_per_second']} articles/s: ratio {result['ratio']}")
    ok = result["published"] == args.articles and result["articles_without_exactly_one_post"] == 0
    return 0 if ok else 2


if __name__ == "__main__":
    raise SystemExit(main())
