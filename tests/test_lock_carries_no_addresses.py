"""Committed lock and pin files carry versions and hashes, never a download or funding address."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PINNED = ("constraints.txt", "web/package-lock.json", "web/package.json")


def test_no_committed_lock_or_pin_file_carries_an_address() -> None:
    carrying = [f"{name}:{number}: {line.strip()}"
                for name in PINNED
                for number, line in enumerate((ROOT / name).read_text().splitlines(), 1)
                if "://" in line]
    assert carrying == [], (
        "remove the addresses (for web/package-lock.json: "
        "`.venv/bin/python scripts/build_web.py --tidy-lock`):\n" + "\n".join(carrying))
