"""Keyword requests through the service layer on the in-memory unit of work: what is stored,
what is answered, which events are committed (and that a refused request commits nothing)."""

from __future__ import annotations

import uuid

from igny8_contracts import QueryResult
from igny8_contracts.planner import (
    AffectedKeywords,
    CreatedKeywords,
    CreateKeywords,
    DeleteKeywords,
    KeywordChanges,
    KeywordFilters,
    KeywordsChanged,
    KeywordView,
    ListKeywords,
    NewKeyword,
    SetKeywordStatus,
    UpdateKeyword,
)
from igny8_planner.service_layer import keywords
from services.planner.tests.fake_uow import FakePlannerUnitOfWork, Place


def create(place: Place, *texts: str) -> CreateKeywords:
    return CreateKeywords(account_id=place.account_id, site_id=place.site_id,
                          sector_id=place.sector_id,
                          keywords=[NewKeyword(keyword=text, volume=10) for text in texts])


def update(place: Place, keyword_id: uuid.UUID, **changes: object) -> UpdateKeyword:
    return UpdateKeyword(account_id=place.account_id, keyword_id=keyword_id,
                         changes=KeywordChanges(fields=list(changes), **changes))


async def test_new_keywords_are_cleaned_and_normalised_duplicates_are_reported() -> None:
    uow, place = FakePlannerUnitOfWork(), Place()
    uow.tables.add_keyword(place, "Café Crème")
    reply = await keywords.create_keywords(
        create(place, "  Running   Shoes ", "RUNNING shoes", "cafe\u0301 crème"), uow)
    assert isinstance(reply, CreatedKeywords)
    assert [view.keyword for view in reply.created] == ["Running Shoes"]
    # A repeat in the request is reported as given; one the sector has, as cleaned (NFC).
    assert sorted(reply.duplicates) == ["RUNNING shoes", "caf\u00e9 cr\u00e8me"]
    stored = [k for k in uow.tables.keywords.values() if k["keyword"] == "Running Shoes"]
    assert [(k["normalized"], k["source"], k["volume"]) for k in stored] == [
        ("running shoes", "manual", 10)]
    assert uow.committed_events == [KeywordsChanged(
        account_id=place.account_id, change="created", keyword_ids=[reply.created[0].id])]


async def test_a_blank_keyword_is_refused_with_its_field_and_nothing_is_written() -> None:
    uow, place = FakePlannerUnitOfWork(), Place()
    reply = await keywords.create_keywords(create(place, "fine", "   "), uow)
    assert isinstance(reply, QueryResult)
    assert reply.error is not None
    assert (reply.error.status, reply.error.errors) == (
        400, {"keywords.1.keyword": ["keyword is empty"]})
    assert uow.tables.keywords == {}
    assert (uow.commits, uow.committed_events) == (0, [])


async def test_a_keyword_renamed_onto_another_of_its_sector_is_a_conflict() -> None:
    uow, place = FakePlannerUnitOfWork(), Place()
    uow.tables.add_keyword(place, "trail shoes")
    renamed = uow.tables.add_keyword(place, "road shoes")
    reply = await keywords.update_keyword(update(place, renamed, keyword=" Trail  SHOES"), uow)
    assert isinstance(reply, QueryResult)
    assert reply.error is not None
    assert (reply.error.status, reply.error.errors) == (
        409, {"keyword": ["already exists in this sector"]})
    assert uow.tables.keywords[renamed]["keyword"] == "road shoes"
    assert uow.commits == 0


async def test_a_changed_volume_moves_its_cluster_stats_in_the_same_transaction() -> None:
    uow, place = FakePlannerUnitOfWork(), Place()
    first = uow.tables.add_keyword(place, "trail shoes", volume=100)
    second = uow.tables.add_keyword(place, "trail running shoes", volume=50)
    cluster = uow.tables.add_cluster(place, "Trail shoes", [first, second])
    assert uow.tables.clusters[cluster]["total_volume"] == 150
    reply = await keywords.update_keyword(update(place, first, volume=1000), uow)
    assert isinstance(reply, KeywordView)
    assert (reply.volume, reply.cluster_id) == (1000, cluster)
    assert uow.tables.clusters[cluster]["total_volume"] == 1050
    assert uow.committed_events == [KeywordsChanged(
        account_id=place.account_id, change="updated", keyword_ids=[first])]


async def test_a_keyword_of_another_account_is_not_found() -> None:
    uow, place = FakePlannerUnitOfWork(), Place()
    theirs = uow.tables.add_keyword(Place(), "secret")
    reply = await keywords.update_keyword(update(place, theirs, volume=1), uow)
    assert isinstance(reply, QueryResult)
    assert reply.error is not None
    assert reply.error.status == 404
    assert uow.commits == 0


async def test_deleting_keywords_in_scope_shrinks_their_cluster() -> None:
    uow, place = FakePlannerUnitOfWork(), Place()
    kept = uow.tables.add_keyword(place, "trail shoes", volume=100)
    gone = uow.tables.add_keyword(place, "trail running shoes", volume=50)
    cluster = uow.tables.add_cluster(place, "Trail shoes", [kept, gone])
    foreign = uow.tables.add_keyword(Place(), "not yours")
    reply = await keywords.delete_keywords(DeleteKeywords(
        account_id=place.account_id, keyword_ids=[gone, foreign]), uow)
    assert reply == AffectedKeywords(count=1)
    assert set(uow.tables.keywords) == {kept, foreign}
    assert (uow.tables.clusters[cluster]["keyword_count"],
            uow.tables.clusters[cluster]["total_volume"]) == (1, 100)
    assert uow.committed_events == [KeywordsChanged(
        account_id=place.account_id, change="deleted", keyword_ids=[gone])]


async def test_status_changes_only_the_visible_sites_keywords() -> None:
    uow, place = FakePlannerUnitOfWork(), Place()
    hidden_site = Place(place.account_id)
    seen = uow.tables.add_keyword(place, "seen")
    hidden = uow.tables.add_keyword(hidden_site, "hidden")
    reply = await keywords.set_status(SetKeywordStatus(
        account_id=place.account_id, keyword_ids=[seen, hidden], status="archived",
        visible_site_ids=[place.site_id]), uow)
    assert reply == AffectedKeywords(count=1)
    assert (uow.tables.keywords[seen]["status"], uow.tables.keywords[hidden]["status"]) == (
        "archived", "pending")
    assert uow.committed_events == [KeywordsChanged(
        account_id=place.account_id, change="updated", keyword_ids=[seen])]


async def test_a_cursor_made_for_another_ordering_is_a_field_error() -> None:
    uow = FakePlannerUnitOfWork()
    reply = await keywords.list_keywords(ListKeywords(
        account_id=uuid.uuid4(), filters=KeywordFilters(), cursor="bm90IGEgY3Vyc29y"), uow)
    assert isinstance(reply, QueryResult)
    assert reply.error is not None
    assert (reply.error.status, list(reply.error.errors or {})) == (400, ["cursor"])
