"""Access and refresh tokens: JWT signed with Ed25519 (EdDSA), following RFC 8725.

* Algorithms are an allow-list of one: ``EdDSA``. ``none``, HMAC and everything else are
  refused before any key is touched.
* Keys live in a directory as ``<kid>.pem`` (PKCS#8 PEM, Ed25519, mode 0600). Every key
  verifies; the lexicographically greatest kid signs. New keys are named
  ``<UTC timestamp>-<random>`` so the newest signs. Rotate by adding a key
  (``KeyRing.create_key``) and restarting; remove an old key once its refresh tokens expired.
* Tokens are explicitly typed (RFC 8725 §3.11): header ``typ`` is ``at+jwt`` (RFC 9068) for
  access tokens and ``refresh+jwt`` for refresh tokens, and the ``typ`` claim says ``access`` or
  ``refresh``; one is never accepted as the other.
* ``exp``, ``iat``, ``iss``, ``aud``, ``sub`` and ``jti`` are required; ``iss`` and ``aud`` must
  match; times are checked against an injectable clock with a small leeway.

Every failure raises ``InvalidToken(reason)``; ``reason`` is for logs, not for clients.

An access token is presented on every request of a session: the claims of the ones verified
recently are remembered by their exact text (``VERIFIED_ACCESS_TOKENS`` of them), so a token seen
again skips the header, signature and claim checks, which depend on nothing but its text and the
key ring (fixed for the life of the process); its times are checked on every use.
"""

from __future__ import annotations

import contextlib
import fcntl
import math
import os
import re
import secrets
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from igny8_gateway.domain.model import Role

ALGORITHM: Final = "EdDSA"
ACCESS_HEADER_TYP: Final = "at+jwt"
REFRESH_HEADER_TYP: Final = "refresh+jwt"
ACCESS_TYP: Final = "access"
REFRESH_TYP: Final = "refresh"
REQUIRED_CLAIMS: Final = ("exp", "iat", "iss", "aud", "sub", "jti")
MAX_TOKEN_LENGTH: Final = 4096
VERIFIED_ACCESS_TOKENS: Final = 10_000

_KID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


class InvalidToken(Exception):  # noqa: N818 - the name says what it is
    """The token cannot be trusted; ``reason`` says why (for logs only)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# ---------------------------------------------------------------------------------------------
# Keys
# ---------------------------------------------------------------------------------------------


def new_kid(now: datetime | None = None) -> str:
    """A key id that sorts after every kid made earlier: ``20250102T030405123456Z-1a2b3c4d``."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return f"{stamp}-{secrets.token_hex(4)}"


class KeyRing:
    """Ed25519 keys by kid. The greatest kid signs; all keys verify."""

    def __init__(self, keys: Mapping[str, Ed25519PrivateKey]) -> None:
        if not keys:
            raise ValueError("a key ring needs at least one key")
        for kid in keys:
            if not _KID.match(kid):
                raise ValueError(f"invalid key id {kid!r}")
        self._private = dict(keys)
        self._public = {kid: key.public_key() for kid, key in keys.items()}
        self.signing_kid: str = max(keys)

    @property
    def signing_key(self) -> Ed25519PrivateKey:
        return self._private[self.signing_kid]

    @property
    def kids(self) -> tuple[str, ...]:
        """All key ids, sorted (the last one signs)."""
        return tuple(sorted(self._private))

    def public_key(self, kid: str) -> Ed25519PublicKey | None:
        """The verification key for ``kid``, ``None`` when unknown."""
        return self._public.get(kid)

    @classmethod
    def generate(cls, kid: str | None = None) -> KeyRing:
        """An in-memory ring with one fresh key (tests, tools)."""
        return cls({kid or new_kid(): Ed25519PrivateKey.generate()})

    @classmethod
    def load(cls, directory: str | os.PathLike[str]) -> KeyRing:
        """Every ``<kid>.pem`` of ``directory``. Raises ``ValueError`` when there is none or a
        file is not an unencrypted Ed25519 private key."""
        keys: dict[str, Ed25519PrivateKey] = {}
        for path in sorted(Path(directory).glob("*.pem")):
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
            if not isinstance(key, Ed25519PrivateKey):
                raise ValueError(f"{path} is not an Ed25519 private key")
            keys[path.stem] = key
        if not keys:
            raise ValueError(f"no <kid>.pem keys in {directory}")
        return cls(keys)

    @classmethod
    def load_or_create(cls, directory: str | os.PathLike[str]) -> KeyRing:
        """``load``, after creating the directory (0700) and one key if it has none.

        Safe when several processes start at once (a lock file serializes the creation).
        """
        path = Path(directory)
        if any(path.glob("*.pem")):
            # Provisioned keys (e.g. a read-only Kubernetes secret): no lock file to write.
            return cls.load(path)
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        with _locked(path / ".lock"):
            if not any(path.glob("*.pem")):
                cls.create_key(path)
        return cls.load(path)

    @staticmethod
    def create_key(directory: str | os.PathLike[str], kid: str | None = None) -> str:
        """Write a new Ed25519 key ``<kid>.pem`` (mode 0600) into ``directory``; return its kid.

        Without ``kid`` the name is a timestamp, so the new key becomes the signing key.
        """
        kid = kid or new_kid()
        if not _KID.match(kid):
            raise ValueError(f"invalid key id {kid!r}")
        pem = Ed25519PrivateKey.generate().private_bytes(
            encoding=serialization.Encoding.PEM,
            format=serialization.PrivateFormat.PKCS8,
            encryption_algorithm=serialization.NoEncryption(),
        )
        target = Path(directory) / f"{kid}.pem"
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        return kid


@contextlib.contextmanager
def _locked(lock_path: Path) -> Iterator[None]:
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


# ---------------------------------------------------------------------------------------------
# Tokens
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccessClaims:
    """A verified access token."""

    user_id: uuid.UUID
    account_id: uuid.UUID
    role: Role
    token_id: str
    issued_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class RefreshClaims:
    """A verified refresh token. ``family_id`` groups the tokens of one login (reuse of a
    rotated token revokes the family); ``token_id`` is the token's ``jti``."""

    user_id: uuid.UUID
    account_id: uuid.UUID
    family_id: uuid.UUID
    token_id: uuid.UUID
    issued_at: datetime
    expires_at: datetime


def _utcnow() -> datetime:
    return datetime.now(UTC)


class TokenService:
    """Issues and verifies the gateway's tokens.

    ``clock`` returns the current aware datetime; inject a fake one in tests.
    """

    def __init__(
        self,
        keyring: KeyRing,
        issuer: str,
        audience: str,
        access_ttl: timedelta = timedelta(minutes=15),
        refresh_ttl: timedelta = timedelta(days=14),
        *,
        leeway: timedelta = timedelta(seconds=10),
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        if access_ttl <= timedelta(0) or refresh_ttl <= timedelta(0):
            raise ValueError("token lifetimes must be positive")
        self.keyring = keyring
        self.issuer = issuer
        self.audience = audience
        self.access_ttl = access_ttl
        self.refresh_ttl = refresh_ttl
        self.leeway = leeway
        self._clock = clock
        # token text → (its claims, its time claims), oldest first
        self._verified_access: dict[str, tuple[AccessClaims, dict[str, Any]]] = {}

    # -- issuing ------------------------------------------------------------------------------

    def issue_access(self, user_id: uuid.UUID, account_id: uuid.UUID, role: Role | str) -> str:
        """A signed access token valid for ``access_ttl``."""
        claims = {
            "typ": ACCESS_TYP,
            "sub": str(user_id),
            "acc": str(account_id),
            "role": Role(role).value,
            "jti": uuid.uuid4().hex,
        }
        return self._sign(claims, self.access_ttl, ACCESS_HEADER_TYP)

    def issue_refresh(
        self,
        user_id: uuid.UUID,
        account_id: uuid.UUID,
        family_id: uuid.UUID,
        token_id: uuid.UUID,
    ) -> str:
        """A signed refresh token valid for ``refresh_ttl``; its ``jti`` is ``token_id``."""
        claims = {
            "typ": REFRESH_TYP,
            "sub": str(user_id),
            "acc": str(account_id),
            "fam": str(family_id),
            "jti": str(token_id),
        }
        return self._sign(claims, self.refresh_ttl, REFRESH_HEADER_TYP)

    def _sign(self, claims: dict[str, Any], ttl: timedelta, header_typ: str) -> str:
        now = int(self._clock().timestamp())
        payload = {
            "iss": self.issuer,
            "aud": self.audience,
            "iat": now,
            "nbf": now,
            "exp": now + int(ttl.total_seconds()),
            **claims,
        }
        headers = {"kid": self.keyring.signing_kid, "typ": header_typ}
        return jwt.encode(payload, self.keyring.signing_key, algorithm=ALGORITHM, headers=headers)

    # -- verifying ----------------------------------------------------------------------------

    def decode_access(self, token: str) -> AccessClaims:
        """Verify an access token; raise ``InvalidToken`` otherwise."""
        verified = self._verified_access.get(token) if isinstance(token, str) else None
        if verified is not None:
            claims, times = verified
            self._check_times(times)
            return claims
        payload = self._verify(token, ACCESS_HEADER_TYP, ACCESS_TYP)
        claims = self._access_claims(payload)
        while len(self._verified_access) >= VERIFIED_ACCESS_TOKENS:
            del self._verified_access[next(iter(self._verified_access))]
        times = {name: payload[name] for name in ("exp", "iat", "nbf") if name in payload}
        self._verified_access[token] = (claims, times)
        return claims

    @staticmethod
    def _access_claims(payload: dict[str, Any]) -> AccessClaims:
        try:
            return AccessClaims(
                user_id=uuid.UUID(payload["sub"]),
                account_id=uuid.UUID(payload["acc"]),
                role=Role(payload["role"]),
                token_id=_as_str(payload["jti"]),
                issued_at=_as_datetime(payload["iat"]),
                expires_at=_as_datetime(payload["exp"]),
            )
        except (KeyError, ValueError, TypeError, AttributeError) as exc:
            raise InvalidToken("malformed claims") from exc

    def decode_refresh(self, token: str) -> RefreshClaims:
        """Verify a refresh token; raise ``InvalidToken`` otherwise."""
        payload = self._verify(token, REFRESH_HEADER_TYP, REFRESH_TYP)
        try:
            return RefreshClaims(
                user_id=uuid.UUID(payload["sub"]),
                account_id=uuid.UUID(payload["acc"]),
                family_id=uuid.UUID(payload["fam"]),
                token_id=uuid.UUID(payload["jti"]),
                issued_at=_as_datetime(payload["iat"]),
                expires_at=_as_datetime(payload["exp"]),
            )
        except (KeyError, ValueError, TypeError, AttributeError) as exc:
            raise InvalidToken("malformed claims") from exc

    def _verify(self, token: str, header_typ: str, claim_typ: str) -> dict[str, Any]:
        if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
            raise InvalidToken("malformed token")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise InvalidToken("malformed token") from exc
        if header.get("alg") != ALGORITHM:
            raise InvalidToken(f"algorithm not allowed: {header.get('alg')!r}")
        if "crit" in header:
            raise InvalidToken("unsupported critical header")
        kid = header.get("kid")
        key = self.keyring.public_key(kid) if isinstance(kid, str) else None
        if key is None:
            raise InvalidToken("unknown key id")
        if header.get("typ") != header_typ:
            raise InvalidToken("wrong token type")
        try:
            payload: dict[str, Any] = jwt.decode(
                token,
                key=key,
                algorithms=[ALGORITHM],
                issuer=self.issuer,
                audience=self.audience,
                options={
                    "require": list(REQUIRED_CLAIMS),
                    "verify_signature": True,
                    "verify_iss": True,
                    "verify_aud": True,
                    "strict_aud": True,
                    "verify_sub": True,
                    "verify_jti": True,
                    # times are checked below against the injectable clock
                    "verify_exp": False,
                    "verify_nbf": False,
                    "verify_iat": False,
                },
            )
        except jwt.InvalidSignatureError as exc:
            raise InvalidToken("bad signature") from exc
        except jwt.MissingRequiredClaimError as exc:
            raise InvalidToken(f"missing claim: {exc.claim}") from exc
        except jwt.InvalidIssuerError as exc:
            raise InvalidToken("wrong issuer") from exc
        except jwt.InvalidAudienceError as exc:
            raise InvalidToken("wrong audience") from exc
        except jwt.PyJWTError as exc:
            raise InvalidToken(f"invalid token: {exc}") from exc
        if payload.get("typ") != claim_typ:
            raise InvalidToken("wrong token type")
        self._check_times(payload)
        return payload

    def _check_times(self, payload: Mapping[str, Any]) -> None:
        now = self._clock().timestamp()
        leeway = self.leeway.total_seconds()
        try:
            exp = _as_number(payload["exp"])
            iat = _as_number(payload["iat"])
            nbf = _as_number(payload["nbf"]) if "nbf" in payload else iat
        except (TypeError, ValueError) as exc:
            raise InvalidToken("malformed time claims") from exc
        if exp <= iat:
            raise InvalidToken("malformed time claims")
        if now >= exp + leeway:
            raise InvalidToken("expired")
        if now + leeway < nbf or now + leeway < iat:
            raise InvalidToken("not yet valid")


def _as_number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError("time claims must be numbers")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError("time claims must be finite")
    return number


def _as_datetime(value: object) -> datetime:
    return datetime.fromtimestamp(_as_number(value), UTC)


def _as_str(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError("expected a non-empty string")
    return value
