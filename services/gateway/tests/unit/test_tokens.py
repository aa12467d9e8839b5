"""JWT access/refresh tokens and the key ring (igny8_gateway.adapters.tokens), per RFC 8725."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import stat
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, generate_private_key
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from igny8_gateway.adapters.tokens import (
    REQUIRED_CLAIMS,
    AccessClaims,
    InvalidToken,
    KeyRing,
    RefreshClaims,
    TokenService,
)
from igny8_gateway.domain.model import Role

ISS = "https://igny8.test"
AUD = "igny8-api"
USER = uuid.UUID("11111111-1111-4111-8111-111111111111")
ACCOUNT = uuid.UUID("22222222-2222-4222-8222-222222222222")
FAMILY = uuid.UUID("33333333-3333-4333-8333-333333333333")
TOKEN_ID = uuid.UUID("44444444-4444-4444-8444-444444444444")


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime(2030, 1, 1, 12, 0, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def craft(header: dict[str, Any], payload: dict[str, Any], signature: bytes = b"") -> str:
    """A compact JWS assembled by hand (no library checks in the way)."""
    h = b64(json.dumps(header, separators=(",", ":")).encode())
    p = b64(json.dumps(payload, separators=(",", ":")).encode())
    return f"{h}.{p}.{b64(signature)}"


def signing_input(token: str) -> bytes:
    h, p, _ = token.split(".")
    return f"{h}.{p}".encode("ascii")


def resign(token: str, key: Ed25519PrivateKey) -> str:
    h, p, _ = token.split(".")
    return f"{h}.{p}.{b64(key.sign(signing_input(token)))}"


@pytest.fixture
def key_dir(tmp_path: Path) -> Path:
    return tmp_path / "jwt"


@pytest.fixture
def keyring(key_dir: Path) -> KeyRing:
    return KeyRing.load_or_create(key_dir)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def tokens(keyring: KeyRing, clock: FakeClock) -> TokenService:
    return TokenService(keyring, ISS, AUD, clock=clock)


def access_payload(clock: FakeClock, **overrides: Any) -> dict[str, Any]:
    now = int(clock().timestamp())
    payload: dict[str, Any] = {
        "iss": ISS,
        "aud": AUD,
        "sub": str(USER),
        "iat": now,
        "nbf": now,
        "exp": now + 900,
        "jti": uuid.uuid4().hex,
        "typ": "access",
        "acc": str(ACCOUNT),
        "role": "owner",
    }
    payload.update(overrides)
    return {k: v for k, v in payload.items() if v is not None}


def access_header(keyring: KeyRing, **overrides: Any) -> dict[str, Any]:
    header: dict[str, Any] = {"alg": "EdDSA", "typ": "at+jwt", "kid": keyring.signing_kid}
    header.update(overrides)
    return {k: v for k, v in header.items() if v is not None}


def signed(keyring: KeyRing, header: dict[str, Any], payload: dict[str, Any]) -> str:
    """Hand-crafted, correctly signed with the ring's signing key."""
    return resign(craft(header, payload), keyring.signing_key)


def assert_invalid(tokens: TokenService, token: str, reason: str | None = None) -> None:
    with pytest.raises(InvalidToken) as info:
        tokens.decode_access(token)
    if reason is not None:
        assert reason in info.value.reason, info.value.reason


# --- happy paths -----------------------------------------------------------------------------


def test_access_token_round_trip(tokens: TokenService, keyring: KeyRing, clock: FakeClock) -> None:
    token = tokens.issue_access(USER, ACCOUNT, Role.EDITOR)
    header = jwt.get_unverified_header(token)
    assert header == {"alg": "EdDSA", "typ": "at+jwt", "kid": keyring.signing_kid}
    payload = json.loads(unb64(token.split(".")[1]))
    assert set(payload) == {"iss", "aud", "sub", "iat", "nbf", "exp", "jti", "typ", "acc", "role"}
    assert payload["typ"] == "access"
    assert payload["exp"] - payload["iat"] == 15 * 60

    claims = tokens.decode_access(token)
    assert claims == AccessClaims(
        user_id=USER,
        account_id=ACCOUNT,
        role=Role.EDITOR,
        token_id=payload["jti"],
        issued_at=clock(),
        expires_at=clock() + timedelta(minutes=15),
    )
    assert tokens.issue_access(USER, ACCOUNT, "viewer") != tokens.issue_access(
        USER, ACCOUNT, "viewer"
    )  # fresh jti each time


def test_refresh_token_round_trip(tokens: TokenService, clock: FakeClock) -> None:
    token = tokens.issue_refresh(USER, ACCOUNT, FAMILY, TOKEN_ID)
    assert jwt.get_unverified_header(token)["typ"] == "refresh+jwt"
    payload = json.loads(unb64(token.split(".")[1]))
    assert payload["typ"] == "refresh"
    assert payload["jti"] == str(TOKEN_ID)
    assert payload["fam"] == str(FAMILY)
    assert "role" not in payload
    assert tokens.decode_refresh(token) == RefreshClaims(
        user_id=USER,
        account_id=ACCOUNT,
        family_id=FAMILY,
        token_id=TOKEN_ID,
        issued_at=clock(),
        expires_at=clock() + timedelta(days=14),
    )


def test_leeway_accepts_small_clock_skew(tokens: TokenService, clock: FakeClock) -> None:
    token = tokens.issue_access(USER, ACCOUNT, Role.OWNER)
    clock.advance(timedelta(minutes=15, seconds=5))
    assert tokens.decode_access(token).user_id == USER
    clock.advance(timedelta(seconds=-15 * 60 - 10))  # 5 s before issuance
    assert tokens.decode_access(token).user_id == USER


# --- algorithm attacks -----------------------------------------------------------------------


@pytest.mark.parametrize("alg", ["none", "None", "NONE", "nOnE"])
@pytest.mark.parametrize("with_signature", [False, True])
def test_alg_none_is_refused(
    tokens: TokenService, keyring: KeyRing, clock: FakeClock, alg: str, with_signature: bool
) -> None:
    token = craft(access_header(keyring, alg=alg), access_payload(clock))
    if with_signature:
        token = resign(token, keyring.signing_key)
    assert_invalid(tokens, token, "algorithm not allowed")
    with pytest.raises(InvalidToken):
        tokens.decode_refresh(token)


def test_alg_header_missing_is_refused(
    tokens: TokenService, keyring: KeyRing, clock: FakeClock
) -> None:
    assert_invalid(tokens, signed(keyring, access_header(keyring, alg=None), access_payload(clock)))


@pytest.mark.parametrize(
    ("alg", "digest"),
    [("HS256", hashlib.sha256), ("HS384", hashlib.sha384), ("HS512", hashlib.sha512)],
)
@pytest.mark.parametrize("key_form", ["raw", "pem", "der"])
def test_hmac_with_the_public_key_as_secret_is_refused(
    tokens: TokenService,
    keyring: KeyRing,
    clock: FakeClock,
    alg: str,
    digest: Any,
    key_form: str,
) -> None:
    public = keyring.signing_key.public_key()
    secret = {
        "raw": public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw),
        "pem": public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
        "der": public.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
    }[key_form]
    unsigned = craft(access_header(keyring, alg=alg), access_payload(clock))
    mac = hmac.new(secret, signing_input(unsigned), digest).digest()
    token = unsigned.rsplit(".", 1)[0] + "." + b64(mac)
    assert_invalid(tokens, token, "algorithm not allowed")


@pytest.mark.parametrize("alg", ["ES256", "RS256", "PS256", "Ed25519", "EdDSA "])
def test_other_algorithms_are_refused(
    tokens: TokenService, keyring: KeyRing, clock: FakeClock, alg: str
) -> None:
    # even with a valid Ed25519 signature underneath
    token = signed(keyring, access_header(keyring, alg=alg), access_payload(clock))
    assert_invalid(tokens, token, "algorithm not allowed")


def test_es256_token_signed_with_an_ec_key_is_refused(
    tokens: TokenService, keyring: KeyRing, clock: FakeClock
) -> None:
    ec_key = generate_private_key(SECP256R1())
    token = jwt.encode(
        access_payload(clock),
        ec_key,
        algorithm="ES256",
        headers={"kid": keyring.signing_kid, "typ": "at+jwt"},
    )
    assert_invalid(tokens, token, "algorithm not allowed")


# --- keys and signatures ---------------------------------------------------------------------


def test_signature_by_another_key_with_the_same_kid_is_refused(
    tokens: TokenService, keyring: KeyRing, clock: FakeClock
) -> None:
    unsigned = craft(access_header(keyring), access_payload(clock))
    forged = resign(unsigned, Ed25519PrivateKey.generate())
    assert_invalid(tokens, forged, "bad signature")


def test_token_from_another_issuer_keyring_is_refused(
    tokens: TokenService, clock: FakeClock
) -> None:
    other = TokenService(KeyRing.generate(), ISS, AUD, clock=clock)
    assert_invalid(tokens, other.issue_access(USER, ACCOUNT, Role.OWNER), "unknown key id")
    with pytest.raises(InvalidToken):
        tokens.decode_refresh(other.issue_refresh(USER, ACCOUNT, FAMILY, TOKEN_ID))


@pytest.mark.parametrize("kid", [None, "", "no-such-key", 42, ["x"], "../../etc/passwd"])
def test_missing_or_unknown_kid_is_refused(
    tokens: TokenService, keyring: KeyRing, clock: FakeClock, kid: Any
) -> None:
    header = access_header(keyring)
    if kid is None:
        del header["kid"]
    else:
        header["kid"] = kid
    reason = "unknown key id" if kid is None or isinstance(kid, str) else None
    assert_invalid(tokens, signed(keyring, header, access_payload(clock)), reason)


def test_tampered_claims_are_refused(tokens: TokenService) -> None:
    token = tokens.issue_access(USER, ACCOUNT, Role.VIEWER)
    h, p, s = token.split(".")
    payload = json.loads(unb64(p))
    payload["role"] = "owner"
    assert_invalid(tokens, f"{h}.{b64(json.dumps(payload).encode())}.{s}", "bad signature")


@pytest.mark.parametrize("position", [0, 5, 20, 40])
def test_flipped_payload_byte_is_refused(tokens: TokenService, position: int) -> None:
    token = tokens.issue_access(USER, ACCOUNT, Role.VIEWER)
    h, p, s = token.split(".")
    raw = bytearray(unb64(p))
    raw[position] ^= 0x01
    with pytest.raises(InvalidToken):
        tokens.decode_access(f"{h}.{b64(bytes(raw))}.{s}")


def test_flipped_signature_byte_is_refused(tokens: TokenService) -> None:
    token = tokens.issue_access(USER, ACCOUNT, Role.VIEWER)
    h, p, s = token.split(".")
    raw = bytearray(unb64(s))
    raw[10] ^= 0x80
    assert_invalid(tokens, f"{h}.{p}.{b64(bytes(raw))}", "bad signature")


def test_tampered_header_is_refused(tokens: TokenService, keyring: KeyRing) -> None:
    token = tokens.issue_access(USER, ACCOUNT, Role.VIEWER)
    _, p, s = token.split(".")
    header = b64(json.dumps({"alg": "EdDSA", "kid": keyring.signing_kid, "typ": "at+jwt"}).encode())
    assert_invalid(tokens, f"{header}.{p}.{s}", "bad signature")  # same meaning, other bytes


def test_critical_header_is_refused(
    tokens: TokenService, keyring: KeyRing, clock: FakeClock
) -> None:
    header = access_header(keyring, crit=["exp"])
    assert_invalid(tokens, signed(keyring, header, access_payload(clock)))


@pytest.mark.parametrize(
    "token",
    ["", "abc", "a.b", "a.b.c", "a.b.c.d", "....", "eyJhbGciOiJFZERTQSJ9..", "x" * 5000],
)
def test_garbage_is_refused(tokens: TokenService, token: str) -> None:
    assert_invalid(tokens, token)
    with pytest.raises(InvalidToken):
        tokens.decode_refresh(token)


def test_non_string_is_refused(tokens: TokenService) -> None:
    not_a_token: Any = b"abc.def.ghi"
    with pytest.raises(InvalidToken):
        tokens.decode_access(not_a_token)


# --- time ------------------------------------------------------------------------------------


def test_expired_access_token_is_refused(tokens: TokenService, clock: FakeClock) -> None:
    token = tokens.issue_access(USER, ACCOUNT, Role.OWNER)
    clock.advance(timedelta(minutes=15, seconds=11))
    assert_invalid(tokens, token, "expired")


def test_expired_refresh_token_is_refused(tokens: TokenService, clock: FakeClock) -> None:
    token = tokens.issue_refresh(USER, ACCOUNT, FAMILY, TOKEN_ID)
    clock.advance(timedelta(days=13, hours=23))
    assert tokens.decode_refresh(token).token_id == TOKEN_ID
    clock.advance(timedelta(hours=1, seconds=11))
    with pytest.raises(InvalidToken, match="expired"):
        tokens.decode_refresh(token)


def test_token_whose_exp_is_in_the_past_is_refused(
    tokens: TokenService, keyring: KeyRing, clock: FakeClock
) -> None:
    now = int(clock().timestamp())
    payload = access_payload(clock, iat=now - 3600, nbf=now - 3600, exp=now - 60)
    assert_invalid(tokens, signed(keyring, access_header(keyring), payload), "expired")


def test_token_not_yet_valid_is_refused(tokens: TokenService, clock: FakeClock) -> None:
    token = tokens.issue_access(USER, ACCOUNT, Role.OWNER)
    clock.advance(timedelta(seconds=-60))
    assert_invalid(tokens, token, "not yet valid")


def test_nbf_in_the_future_is_refused(
    tokens: TokenService, keyring: KeyRing, clock: FakeClock
) -> None:
    now = int(clock().timestamp())
    payload = access_payload(clock, nbf=now + 120)
    assert_invalid(tokens, signed(keyring, access_header(keyring), payload), "not yet valid")


@pytest.mark.parametrize(
    "overrides",
    [
        {"exp": "9999999999"},
        {"exp": True},
        {"iat": "now"},
        {"nbf": [1]},
        {"exp": 1, "iat": 2},  # exp before iat
    ],
)
def test_malformed_time_claims_are_refused(
    tokens: TokenService, keyring: KeyRing, clock: FakeClock, overrides: dict[str, Any]
) -> None:
    payload = access_payload(clock, **overrides)
    assert_invalid(tokens, signed(keyring, access_header(keyring), payload))


def test_non_positive_lifetimes_are_rejected(keyring: KeyRing) -> None:
    with pytest.raises(ValueError, match="positive"):
        TokenService(keyring, ISS, AUD, access_ttl=timedelta(seconds=-1))
    with pytest.raises(ValueError, match="positive"):
        TokenService(keyring, ISS, AUD, refresh_ttl=timedelta(0))


# --- issuer, audience, required claims, types ------------------------------------------------


def test_wrong_issuer_is_refused(tokens: TokenService, keyring: KeyRing, clock: FakeClock) -> None:
    other = TokenService(keyring, "https://evil.example", AUD, clock=clock)
    assert_invalid(tokens, other.issue_access(USER, ACCOUNT, Role.OWNER), "wrong issuer")
    with pytest.raises(InvalidToken, match="wrong issuer"):
        tokens.decode_refresh(other.issue_refresh(USER, ACCOUNT, FAMILY, TOKEN_ID))


def test_wrong_audience_is_refused(
    tokens: TokenService, keyring: KeyRing, clock: FakeClock
) -> None:
    other = TokenService(keyring, ISS, "some-other-api", clock=clock)
    assert_invalid(tokens, other.issue_access(USER, ACCOUNT, Role.OWNER), "wrong audience")
    with pytest.raises(InvalidToken, match="wrong audience"):
        tokens.decode_refresh(other.issue_refresh(USER, ACCOUNT, FAMILY, TOKEN_ID))


def test_audience_list_is_refused(tokens: TokenService, keyring: KeyRing, clock: FakeClock) -> None:
    payload = access_payload(clock, aud=[AUD, "other"])
    assert_invalid(tokens, signed(keyring, access_header(keyring), payload))


@pytest.mark.parametrize("claim", REQUIRED_CLAIMS)
def test_missing_required_claim_is_refused(
    tokens: TokenService, keyring: KeyRing, clock: FakeClock, claim: str
) -> None:
    payload = access_payload(clock)
    del payload[claim]
    token = signed(keyring, access_header(keyring), payload)
    assert_invalid(tokens, token, f"missing claim: {claim}")


@pytest.mark.parametrize("claim", ["acc", "role", "typ"])
def test_missing_product_claim_is_refused(
    tokens: TokenService, keyring: KeyRing, clock: FakeClock, claim: str
) -> None:
    payload = access_payload(clock)
    del payload[claim]
    assert_invalid(tokens, signed(keyring, access_header(keyring), payload))


@pytest.mark.parametrize(
    "overrides",
    [{"sub": "not-a-uuid"}, {"acc": "nope"}, {"role": "superuser"}, {"sub": 123}, {"jti": 5}],
)
def test_malformed_claims_are_refused(
    tokens: TokenService, keyring: KeyRing, clock: FakeClock, overrides: dict[str, Any]
) -> None:
    payload = access_payload(clock, **overrides)
    assert_invalid(tokens, signed(keyring, access_header(keyring), payload))


def test_refresh_token_used_as_access_is_refused(tokens: TokenService) -> None:
    refresh = tokens.issue_refresh(USER, ACCOUNT, FAMILY, TOKEN_ID)
    assert_invalid(tokens, refresh, "wrong token type")


def test_access_token_used_as_refresh_is_refused(tokens: TokenService) -> None:
    access = tokens.issue_access(USER, ACCOUNT, Role.OWNER)
    with pytest.raises(InvalidToken, match="wrong token type"):
        tokens.decode_refresh(access)


@pytest.mark.parametrize(
    ("header_typ", "claim_typ"),
    [("at+jwt", "refresh"), ("refresh+jwt", "access"), ("JWT", "access"), (None, "access")],
)
def test_mismatched_types_are_refused(
    tokens: TokenService, keyring: KeyRing, clock: FakeClock, header_typ: str, claim_typ: str
) -> None:
    header = access_header(keyring, typ=header_typ)
    payload = access_payload(clock, typ=claim_typ, fam=str(FAMILY), jti=str(TOKEN_ID))
    token = signed(keyring, header, payload)
    assert_invalid(tokens, token, "wrong token type")
    with pytest.raises(InvalidToken, match="wrong token type"):
        tokens.decode_refresh(token)


# --- key ring --------------------------------------------------------------------------------


def test_load_or_create_makes_one_private_key(key_dir: Path) -> None:
    ring = KeyRing.load_or_create(key_dir)
    files = sorted(key_dir.glob("*.pem"))
    assert [f.stem for f in files] == [ring.signing_kid] == list(ring.kids)
    assert stat.S_IMODE(os.stat(files[0]).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(key_dir).st_mode) == 0o700
    again = KeyRing.load_or_create(key_dir)
    assert again.kids == ring.kids  # no second key
    assert len(list(key_dir.glob("*.pem"))) == 1


def test_greatest_kid_signs(tmp_path: Path) -> None:
    for kid in ["2024a", "2025b", "2023c"]:
        KeyRing.create_key(tmp_path, kid)
    (tmp_path / "README.txt").write_text("not a key")
    ring = KeyRing.load(tmp_path)
    assert ring.kids == ("2023c", "2024a", "2025b")
    assert ring.signing_kid == "2025b"


def test_load_refuses_empty_dirs_and_foreign_keys(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"no <kid>\.pem"):
        KeyRing.load(tmp_path)
    ec_pem = generate_private_key(SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    (tmp_path / "ec.pem").write_bytes(ec_pem)
    with pytest.raises(ValueError, match="not an Ed25519"):
        KeyRing.load(tmp_path)


def test_key_ids_are_validated(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="invalid key id"):
        KeyRing.create_key(tmp_path, "../escape")
    with pytest.raises(ValueError, match="invalid key id"):
        KeyRing({"has space": Ed25519PrivateKey.generate()})
    with pytest.raises(ValueError, match="at least one key"):
        KeyRing({})


def test_key_rotation(key_dir: Path, clock: FakeClock) -> None:
    old_ring = KeyRing.load_or_create(key_dir)
    old_service = TokenService(old_ring, ISS, AUD, clock=clock)
    old_access = old_service.issue_access(USER, ACCOUNT, Role.ADMIN)
    old_refresh = old_service.issue_refresh(USER, ACCOUNT, FAMILY, TOKEN_ID)

    new_kid = KeyRing.create_key(key_dir)
    assert new_kid > old_ring.signing_kid  # timestamped names sort chronologically
    new_ring = KeyRing.load_or_create(key_dir)
    assert new_ring.signing_kid == new_kid
    assert set(new_ring.kids) == {old_ring.signing_kid, new_kid}
    new_service = TokenService(new_ring, ISS, AUD, clock=clock)

    # tokens signed by the old key still verify
    assert new_service.decode_access(old_access).role is Role.ADMIN
    assert new_service.decode_refresh(old_refresh).token_id == TOKEN_ID
    # new tokens carry the new kid
    fresh = new_service.issue_access(USER, ACCOUNT, Role.ADMIN)
    assert jwt.get_unverified_header(fresh)["kid"] == new_kid
    assert new_service.decode_access(fresh).user_id == USER
    # the old service does not know the new key
    with pytest.raises(InvalidToken, match="unknown key id"):
        old_service.decode_access(fresh)

    # once the old key is retired, its tokens stop verifying
    (key_dir / f"{old_ring.signing_kid}.pem").unlink()
    retired = TokenService(KeyRing.load(key_dir), ISS, AUD, clock=clock)
    with pytest.raises(InvalidToken, match="unknown key id"):
        retired.decode_access(old_access)


def test_an_access_token_seen_again_still_expires(tokens: TokenService, clock: FakeClock) -> None:
    token = tokens.issue_access(USER, ACCOUNT, Role.EDITOR)
    assert tokens.decode_access(token).user_id == USER
    assert tokens.decode_access(token).user_id == USER  # remembered: no second verification
    clock.advance(tokens.access_ttl + timedelta(minutes=1))
    assert_invalid(tokens, token, "expired")


def test_a_remembered_token_does_not_vouch_for_a_tampered_copy(tokens: TokenService) -> None:
    token = tokens.issue_access(USER, ACCOUNT, Role.EDITOR)
    tokens.decode_access(token)
    header, payload, signature = token.split(".")
    claims = json.loads(unb64(payload))
    claims["role"] = Role.OWNER.value
    forged = f"{header}.{b64(json.dumps(claims).encode())}.{signature}"
    assert_invalid(tokens, forged, "bad signature")
