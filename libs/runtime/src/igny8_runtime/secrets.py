"""Secrets we hold for customers (AI provider keys, WordPress application passwords), encrypted
at rest with Fernet (AES-128-CBC + HMAC-SHA256, from ``cryptography``).

Keys come from ``IGNY8_SECRETS_KEYS``: comma-separated Fernet keys, the first encrypts, every one
decrypts (``MultiFernet``), so a key is rotated by putting the new one first and re-encrypting at
leisure. When unset, a key is generated once into ``IGNY8_SECRETS_KEY_FILE`` (default
``.data/secrets.key``) so a fresh ``make run`` works; production sets the variable from a secret
store (``deploy/k8s``).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class SecretError(Exception):
    """A stored secret cannot be decrypted with any configured key."""


class SecretsSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="IGNY8_", extra="ignore")

    secrets_keys: str = ""
    secrets_key_file: Path = Field(default=Path(".data/secrets.key"))


class SecretBox:
    def __init__(self, keys: list[bytes]) -> None:
        if not keys:
            raise ValueError("SecretBox needs at least one key")
        self._fernet = MultiFernet([Fernet(key) for key in keys])
        self._current = keys[0]

    @classmethod
    def from_settings(cls, settings: SecretsSettings | None = None) -> SecretBox:
        settings = settings or SecretsSettings()
        keys = [k.strip().encode() for k in settings.secrets_keys.split(",") if k.strip()]
        if not keys:
            keys = [_key_from_file(settings.secrets_key_file)]
        return cls(keys)

    @staticmethod
    def generate_key() -> str:
        return Fernet.generate_key().decode()

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode()

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken as exc:
            raise SecretError("stored secret cannot be decrypted with the configured keys") from exc

    def derive_key(self, purpose: str) -> bytes:
        """A 32-byte key for ``purpose`` (e.g. signing URLs): HMAC-SHA256 of the purpose under
        the current (first) key. Every process configured with the same keys derives the same
        key; different purposes get unrelated keys. Rotating the keys changes it."""
        return hmac.new(self._current, b"igny8 derived key: " + purpose.encode(),
                        hashlib.sha256).digest()

    def rotate(self, token: str) -> str:
        """Re-encrypt ``token`` with the first (current) key."""
        return self._fernet.rotate(token.encode()).decode()


def _key_from_file(path: Path) -> bytes:
    if path.exists():
        return path.read_bytes().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key()
    # O_EXCL: two services starting at once agree on the first writer's key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
    return key
