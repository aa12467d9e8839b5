"""Helpers for the keyword e2e tests: import files and wait for their operations (the planner
process itself is the session's ``planner`` fixture, see ``service_fixtures``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parents[2] / "services" / "planner" / "tests" / "fixtures"
KEYWORDS = "/api/v1/planner/keywords/"


def import_file(gw: Any, member: Any, sector: dict[str, Any], content: bytes,
                filename: str = "keywords.csv", **form: Any) -> Any:
    data = {"site_id": sector["site_id"], "sector_id": sector["id"],
            **{k: str(v).lower() for k, v in form.items()}}
    return gw.call("POST", f"{KEYWORDS}import_csv/", member, data=data,
                   files={"file": (filename, content, "text/csv")})


def finished(gw: Any, member: Any, operation_id: str, timeout: float = 30) -> Any:
    def final() -> Any:
        response = gw.call("GET", f"/api/v1/operations/{operation_id}/", member)
        data = response.json().get("data") if response.status_code == 200 else None
        return data if data and data["is_final"] else None

    return gw.wait_for(final, timeout=timeout, interval=0.2)


def run_import(gw: Any, member: Any, sector: dict[str, Any], content: bytes,
               **form: Any) -> Any:
    accepted = gw.ok(import_file(gw, member, sector, content, **form), 202)
    return finished(gw, member, accepted["operation_id"])


def keywords_of(gw: Any, member: Any, sector: dict[str, Any], **params: Any) -> list[Any]:
    body = gw.listing(gw.call("GET", KEYWORDS, member,
                              params={"sector_id": sector["id"], "page_size": 500, **params}))
    return list(body["results"])
