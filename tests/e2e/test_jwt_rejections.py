"""Every token the gateway must refuse (RFC 8725) answers 401 in the unified format.

Forged tokens are made with the session gateway's real signing key (read from its key
directory) so that each case fails for exactly one reason, and that reason is checked: the
gateway logs it (``access token refused``, never told to the client) with the request's id,
so each refusal is matched to its log line in the gateway's output.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from igny8_devtools.testing import ServiceProcess
from igny8_gateway.adapters.tokens import KeyRing, TokenService
from igny8_gateway.settings import GatewaySettings

pytestmark = pytest.mark.e2e

ISSUER = GatewaySettings().jwt_issuer
AUDIENCE = GatewaySettings().jwt_audience


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _unb64(segment: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


@pytest.fixture
def owner(gw):
    return gw.register()


@pytest.fixture
def real_keys(jwt_key_dir) -> KeyRing:
    return KeyRing.load(jwt_key_dir)


def _tokens(keys: KeyRing, *, issuer: str = ISSUER, audience: str = AUDIENCE,
            now: datetime | None = None) -> TokenService:
    return TokenService(keys, issuer=issuer, audience=audience,
                        clock=(lambda: now) if now else (lambda: datetime.now(UTC)))


def _claims_of(owner) -> tuple[uuid.UUID, uuid.UUID]:
    return uuid.UUID(owner.id), uuid.UUID(owner.account_id)


def refusal_reasons(gateway: ServiceProcess, request_id: str, event: str) -> list[str]:
    """The reasons the gateway logged for refusing a token in request ``request_id``."""
    reasons = []
    for line in gateway.log_path.read_text(errors="replace").splitlines():
        if request_id not in line or not line.startswith("{"):
            continue
        entry = json.loads(line)
        if entry.get("request_id") == request_id and entry.get("event") == event:
            reasons.append(entry["reason"])
    return reasons


@pytest.fixture
def assert_refused(gw, gateway: ServiceProcess):
    """``assert_refused(token, reason)``: GET /auth/me/ with ``token`` answers 401, and the
    gateway logged exactly ``reason`` as the cause (a 401 for another cause does not pass)."""

    def check(token: str, reason: str) -> None:
        response = gw.call("GET", "/api/v1/auth/me/",
                           headers={"Authorization": f"Bearer {token}"})
        gw.fail(response, 401)
        assert response.headers["www-authenticate"].startswith("Bearer")
        # The line is written before the answer is sent; the wait only covers file buffering.
        logged = gw.wait_for(lambda: refusal_reasons(
            gateway, response.headers["x-request-id"], "access token refused"), timeout=10)
        assert logged == [reason]

    return check


def _hs256(claims: dict, secret: bytes, kid: str) -> str:
    """A JWT signed HS256 with ``secret``, by hand: PyJWT itself refuses to use a public key
    as an HMAC secret, which is exactly what a vulnerable verifier would do."""
    signing_input = f"{_b64({'alg': 'HS256', 'typ': 'at+jwt', 'kid': kid})}.{_b64(claims)}"
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"


def test_a_token_made_with_the_real_key_is_accepted(gw, owner, real_keys) -> None:
    # The control case: the forging below works, so each refusal is about its one defect.
    user_id, account_id = _claims_of(owner)
    token = _tokens(real_keys).issue_access(user_id, account_id, "owner")
    assert gw.ok(gw.call("GET", "/api/v1/auth/me/",
                         headers={"Authorization": f"Bearer {token}"}))["id"] == owner.id


def test_missing_or_non_bearer_credentials(gw, owner, assert_refused) -> None:
    gw.fail(gw.call("GET", "/api/v1/auth/me/", headers={"Authorization": "Bearer"}), 401)
    response = gw.call("GET", "/api/v1/auth/me/", headers={"Authorization": f"Basic {owner.access}"})
    gw.fail(response, 401)
    gw.fail(gw.call("GET", "/api/v1/auth/me/"), 401)
    assert_refused("not-a-jwt", "malformed token")


def test_alg_none(owner, real_keys, assert_refused) -> None:
    header, payload, _ = owner.access.split(".")
    unsigned = _b64({**_unb64(header), "alg": "none"})
    assert_refused(f"{unsigned}.{payload}.", "algorithm not allowed: 'none'")
    # PyJWT's own rendering of an unsigned token, too.
    claims = _unb64(payload)
    assert_refused(jwt.encode(claims, None, algorithm="none",
                              headers={"kid": real_keys.signing_kid, "typ": "at+jwt"}),
                   "algorithm not allowed: 'none'")


def test_hmac_with_the_public_key_as_secret(owner, real_keys, assert_refused) -> None:
    # The classic algorithm-confusion attack (RFC 8725 §2.1): the attacker knows the public
    # key, so a verifier that takes the header's "alg" would check an HS256 MAC keyed with it.
    # Every encoding of the gateway's real public key a verifier might use as the secret.
    claims = _unb64(owner.access.split(".")[1])
    public = real_keys.public_key(real_keys.signing_kid)
    assert public is not None
    encodings = {
        "raw": public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw),
        "pem": public.public_bytes(serialization.Encoding.PEM,
                                   serialization.PublicFormat.SubjectPublicKeyInfo),
        "der": public.public_bytes(serialization.Encoding.DER,
                                   serialization.PublicFormat.SubjectPublicKeyInfo),
    }
    # The forgery is well made: an HS256 verifier keyed with the raw key accepts it.
    forged = _hs256(claims, encodings["raw"], real_keys.signing_kid)
    assert jwt.decode(forged, encodings["raw"], algorithms=["HS256"], audience=AUDIENCE,
                      issuer=ISSUER)["sub"] == owner.id
    for secret in encodings.values():
        assert_refused(_hs256(claims, secret, real_keys.signing_kid),
                       "algorithm not allowed: 'HS256'")


def test_signed_with_another_key(owner, real_keys, assert_refused) -> None:
    user_id, account_id = _claims_of(owner)
    same_kid = KeyRing({real_keys.signing_kid: Ed25519PrivateKey.generate()})
    assert_refused(_tokens(same_kid).issue_access(user_id, account_id, "owner"), "bad signature")
    unknown_kid = KeyRing.generate()
    assert_refused(_tokens(unknown_kid).issue_access(user_id, account_id, "owner"),
                   "unknown key id")


def test_expired(owner, real_keys, assert_refused) -> None:
    user_id, account_id = _claims_of(owner)
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    token = _tokens(real_keys, now=an_hour_ago).issue_access(user_id, account_id, "owner")
    assert _unb64(token.split(".")[1])["exp"] < datetime.now(UTC).timestamp()
    assert_refused(token, "expired")


def test_not_yet_valid(owner, real_keys, assert_refused) -> None:
    user_id, account_id = _claims_of(owner)
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    assert_refused(_tokens(real_keys, now=tomorrow).issue_access(user_id, account_id, "owner"),
                   "not yet valid")


def test_wrong_audience(owner, real_keys, assert_refused) -> None:
    user_id, account_id = _claims_of(owner)
    token = _tokens(real_keys, audience="someone-else").issue_access(user_id, account_id, "owner")
    assert_refused(token, "wrong audience")


def test_wrong_issuer(owner, real_keys, assert_refused) -> None:
    user_id, account_id = _claims_of(owner)
    token = _tokens(real_keys, issuer="evil").issue_access(user_id, account_id, "owner")
    assert_refused(token, "wrong issuer")


def test_tampered_payload(gw, owner, assert_refused) -> None:
    other = gw.register()
    header, payload, signature = owner.access.split(".")
    claims = _unb64(payload)
    for forged in ({**claims, "acc": other.account_id, "sub": other.id},
                   {**claims, "role": "developer"},
                   {**claims, "exp": claims["exp"] + 3600}):
        assert_refused(f"{header}.{_b64(forged)}.{signature}", "bad signature")


def test_missing_required_claim(owner, real_keys, assert_refused) -> None:
    claims = _unb64(owner.access.split(".")[1])
    del claims["exp"]
    token = jwt.encode(claims, real_keys.signing_key, algorithm="EdDSA",
                       headers={"kid": real_keys.signing_kid, "typ": "at+jwt"})
    assert_refused(token, "missing claim: exp")


def test_refresh_token_is_not_an_access_token(owner, assert_refused) -> None:
    assert_refused(owner.refresh, "wrong token type")


def test_access_token_is_not_a_refresh_token(gw, owner, gateway) -> None:
    response = gw.call("POST", "/api/v1/auth/refresh/", json={"refresh": owner.access})
    gw.fail(response, 401)
    assert gw.wait_for(lambda: refusal_reasons(gateway, response.headers["x-request-id"],
                                               "refresh token refused"), 10) == ["wrong token type"]


def test_token_of_a_user_that_does_not_exist(gw, real_keys, gateway) -> None:
    # A well-made token: refused for its unknown user, not for the token.
    token = _tokens(real_keys).issue_access(uuid.uuid4(), uuid.uuid4(), "owner")
    response = gw.call("GET", "/api/v1/auth/me/", headers={"Authorization": f"Bearer {token}"})
    assert gw.fail(response, 401)["error"] == "This user or account is no longer active."
    assert refusal_reasons(gateway, response.headers["x-request-id"],
                           "access token refused") == []


def test_reused_refresh_token_is_refused_and_revokes_the_whole_family(gw, owner) -> None:
    first = gw.ok(gw.call("POST", "/api/v1/auth/refresh/", json={"refresh": owner.refresh}))
    second = gw.ok(gw.call("POST", "/api/v1/auth/refresh/", json={"refresh": first["refresh"]}))

    # The first refresh token was spent: presenting it again is theft or replay.
    gw.fail(gw.call("POST", "/api/v1/auth/refresh/", json={"refresh": owner.refresh}), 401)
    # ...so the newest token of that sign-in is revoked too,
    gw.fail(gw.call("POST", "/api/v1/auth/refresh/", json={"refresh": second["refresh"]}), 401)
    # ...but another sign-in of the same user is a separate family.
    other_session = gw.login(owner.email)
    gw.ok(gw.call("POST", "/api/v1/auth/refresh/", json={"refresh": other_session.refresh}))


def test_forged_refresh_token_with_unknown_id(gw, owner, real_keys) -> None:
    user_id, account_id = _claims_of(owner)
    token = _tokens(real_keys).issue_refresh(user_id, account_id, uuid.uuid4(), uuid.uuid4())
    gw.fail(gw.call("POST", "/api/v1/auth/refresh/", json={"refresh": token}), 401)
