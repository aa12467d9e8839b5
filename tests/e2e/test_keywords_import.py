"""Importing keyword files through the gateway (202 + operation), and exporting them."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from igny8_runtime.settings import ServiceSettings
from tests.e2e.planner_fixtures import (
    FIXTURES,
    KEYWORDS,
    finished,
    import_file,
    keywords_of,
    run_import,
)

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("planner")]


@pytest.mark.parametrize(("name", "expected"), [
    ("semrush.csv", {"running shoes": 74000, "best trail running shoes": 12100}),
    ("ahrefs.csv", {"marathon training plan": 5400, "half marathon pace": 880}),
    ("moz.csv", {"yoga mats": 501, "cork yoga mat": 1700}),
    ("google_keyword_planner.csv", {"hiking boots": 10000, "waterproof hiking boots": 1000,
                                    "caf\u00e9 hiking": 100}),
    ("plain.txt", {"seo tools": None, "keyword research": None}),
])
def test_each_export_format_imports(gw, team, name: str, expected: dict[str, Any]) -> None:
    sector = team.granted_sector
    done = run_import(gw, team.editor, sector, (FIXTURES / name).read_bytes())
    assert done["state"] == "succeeded", done
    assert done["result"]["imported"] == len(expected)
    stored = {k["keyword"]: k["volume"] for k in keywords_of(gw, team.owner, sector)}
    assert stored == expected
    if name in ("semrush.csv", "plain.txt"):
        assert done["result"]["duplicates_in_file"] == 1


def test_bad_rows_reported_by_line_and_good_rows_kept(gw, team) -> None:
    sector = team.granted_sector
    done = run_import(gw, team.owner, sector, (FIXTURES / "bad_rows.csv").read_bytes())
    assert done["state"] == "succeeded"
    assert (done["result"]["imported"], done["result"]["rejected"]) == (2, 3)
    assert [r["line"] for r in done["result"]["rejected_rows"]] == [3, 4, 5]
    assert sorted(k["keyword"] for k in keywords_of(gw, team.owner, sector)) == [
        "good one", "good two"]


def test_all_or_nothing_writes_nothing_when_a_row_is_bad(gw, team) -> None:
    sector = team.granted_sector
    done = run_import(gw, team.owner, sector, (FIXTURES / "bad_rows.csv").read_bytes(),
                      all_or_nothing=True)
    assert done["state"] == "failed"
    assert "line 3" in done["error"]
    assert done["result"]["rejected"] == 3
    assert keywords_of(gw, team.owner, sector) == []


def test_dry_run_writes_nothing_and_duplicates_are_reported(gw, team) -> None:
    sector = team.granted_sector
    content = (FIXTURES / "semrush.csv").read_bytes()
    dry = run_import(gw, team.owner, sector, content, dry_run=True)
    assert (dry["state"], dry["result"]["dry_run"], dry["result"]["imported"]) == (
        "succeeded", True, 2)
    assert keywords_of(gw, team.owner, sector) == []
    run_import(gw, team.owner, sector, content)
    again = run_import(gw, team.owner, sector, content)
    assert (again["result"]["imported"], again["result"]["duplicates_existing"],
            again["result"]["duplicates"]) == (0, 2, 3)
    assert len(keywords_of(gw, team.owner, sector)) == 2


@pytest.mark.parametrize(("content", "reason"), [
    ((FIXTURES / "latin1.csv").read_bytes(), "not UTF-8 or UTF-16"),
    (b"PK\x03\x04" + bytes(range(256)) * 20, "Excel"),
    (bytes(range(256)) * 20, "binary"),
    (b"Keyword,Volume\r\n", "no keyword rows"),
    (b"phrase;vol\nshoes;1\n", "No keyword column"),
])
def test_unusable_files_fail_clearly_and_write_nothing(gw, team, content: bytes,
                                                       reason: str) -> None:
    sector = team.granted_sector
    done = run_import(gw, team.owner, sector, content)
    assert done["state"] == "failed"
    assert reason in done["error"]
    assert keywords_of(gw, team.owner, sector) == []


def test_empty_file_is_a_400(gw, team) -> None:
    body = gw.fail(import_file(gw, team.owner, team.granted_sector, b""), 400)
    assert "file" in body["errors"]


def test_ten_megabyte_single_field_gets_a_clear_answer(gw, team) -> None:
    content = b"keyword,volume\n" + b"x" * 10_000_000 + b",1\nfine,2\n"
    # Under the gateway's upload limit (the session's gateway reads the same environment),
    # so the file is accepted and the planner, not the gateway, answers for the long field.
    limit = ServiceSettings().max_upload_bytes
    assert len(content) < limit, f"IGNY8_MAX_UPLOAD_BYTES={limit} is below this test's file"
    response = import_file(gw, team.owner, team.granted_sector, content)
    done = finished(gw, team.owner, gw.ok(response, 202)["operation_id"])
    assert done["state"] == "succeeded", done
    assert (done["result"]["imported"], done["result"]["rejected"]) == (1, 1)
    [rejected] = done["result"]["rejected_rows"]
    assert rejected["line"] == 2 and "line is longer than" in rejected["reason"], rejected
    # The good row after the long one is kept.
    assert [(k["keyword"], k["volume"]) for k in keywords_of(
        gw, team.owner, team.granted_sector)] == [("fine", 2)]


def test_import_tenancy_and_roles(gw, team) -> None:
    content = b"keyword\nshoes\n"
    gw.fail(import_file(gw, team.viewer, team.granted_sector, content), 403)
    gw.fail(import_file(gw, team.editor, team.other_sector, content), 404)
    stranger = gw.register("stranger")
    gw.fail(import_file(gw, stranger, team.granted_sector, content), 404)


def test_export_is_filtered_and_neutralises_formulas(gw, team) -> None:
    sector = team.granted_sector
    gw.ok(gw.call("POST", f"{KEYWORDS}bulk_create/", team.owner, json={
        "site_id": sector["site_id"], "sector_id": sector["id"],
        "keywords": [{"keyword": "=cmd|' /C calc'!A0", "volume": 5},
                     {"keyword": "@risky", "volume": 50}, {"keyword": "plain", "volume": 500}]}),
          201)
    response = gw.call("GET", f"{KEYWORDS}export_csv/", team.viewer,
                       params={"sector_id": sector["id"], "volume_max": 100,
                               "ordering": "volume"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["keyword"] for r in rows] == ["'=cmd|' /C calc'!A0", "'@risky"]
    stranger = gw.register("stranger")
    gw.fail(gw.call("GET", f"{KEYWORDS}export_csv/", stranger,
                    params={"sector_id": sector["id"]}), 404)
