"""Keys provisioned read-only (a Kubernetes secret) load without writing a lock file."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from igny8_gateway.adapters import tokens
from igny8_gateway.adapters.tokens import KeyRing


def _read_only(path: Path) -> None:
    raise OSError(errno.EROFS, "Read-only file system", str(path))


def test_load_or_create_does_not_write_when_keys_are_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kid = KeyRing.create_key(tmp_path)
    monkeypatch.setattr(tokens, "_locked", _read_only)
    assert KeyRing.load_or_create(tmp_path).kids == (kid,)
    assert not (tmp_path / ".lock").exists()


def test_load_or_create_still_creates_the_first_key_under_the_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tokens, "_locked", _read_only)
    with pytest.raises(OSError, match="Read-only"):
        KeyRing.load_or_create(tmp_path / "keys")
