"""Every token the gateway must refuse (RFC 8725) answers 401 in the unified format.

Forged tokens are made with the session gateway's real signing key (read from its key
directory) so that each case fails for exactly one reason.
"""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

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


def assert_refused(gw, token: str) -> None:
    response = gw.call("GET", "/api/v1/auth/me/", headers={"Authorization": f"Bearer {token}"})
    gw.fail(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_a_token_made_with_the_real_key_is_accepted(gw, owner, real_keys) -> None:
    # The control case: the forging below works, so each refusal is about its one defect.
    user_id, account_id = _claims_of(owner)
    token = _tokens(real_keys).issue_access(user_id, account_id, "owner")
    assert gw.ok(gw.call("GET", "/api/v1/auth/me/",
                         headers={"Authorization": f"Bearer {token}"}))["id"] == owner.id


def test_missing_or_non_bearer_credentials(gw, owner) -> None:
    gw.fail(gw.call("GET", "/api/v1/auth/me/", headers={"Authorization": "Bearer"}), 401)
    response = gw.call("GET", "/api/v1/auth/me/", headers={"Authorization": f"Basic {owner.access}"})
    gw.fail(response, 401)
    gw.fail(gw.call("GET", "/api/v1/auth/me/"), 401)
    assert_refused(gw, "not-a-jwt")


def test_alg_none(gw, owner, real_keys) -> None:
    header, payload, _ = owner.access.split(".")
    unsigned = _b64({**_unb64(header), "alg": "none"})
    assert_refused(gw, f"{unsigned}.{payload}.")
    # PyJWT's own rendering of an unsigned token, too.
    claims = _unb64(payload)
    assert_refused(gw, jwt.encode(claims, None, algorithm="none",
                                  headers={"kid": real_keys.signing_kid, "typ": "at+jwt"}))


def test_hmac_with_the_public_key_as_secret(gw, owner, real_keys) -> None:
    # The classic algorithm-confusion attack: HS256 keyed with bytes the attacker can know.
    claims = _unb64(owner.access.split(".")[1])
    token = jwt.encode(claims, real_keys.signing_kid.encode() * 4, algorithm="HS256",
                       headers={"kid": real_keys.signing_kid, "typ": "at+jwt"})
    assert_refused(gw, token)


def test_signed_with_another_key(gw, owner, real_keys) -> None:
    user_id, account_id = _claims_of(owner)
    same_kid = KeyRing({real_keys.signing_kid: Ed25519PrivateKey.generate()})
    assert_refused(gw, _tokens(same_kid).issue_access(user_id, account_id, "owner"))
    unknown_kid = KeyRing.generate()
    assert_refused(gw, _tokens(unknown_kid).issue_access(user_id, account_id, "owner"))


def test_expired(gw, owner, real_keys) -> None:
    user_id, account_id = _claims_of(owner)
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    token = _tokens(real_keys, now=an_hour_ago).issue_access(user_id, account_id, "owner")
    assert _unb64(token.split(".")[1])["exp"] < datetime.now(UTC).timestamp()
    assert_refused(gw, token)


def test_not_yet_valid(gw, owner, real_keys) -> None:
    user_id, account_id = _claims_of(owner)
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    assert_refused(gw, _tokens(real_keys, now=tomorrow).issue_access(user_id, account_id, "owner"))


def test_wrong_audience(gw, owner, real_keys) -> None:
    user_id, account_id = _claims_of(owner)
    token = _tokens(real_keys, audience="someone-else").issue_access(user_id, account_id, "owner")
    assert_refused(gw, token)


def test_wrong_issuer(gw, owner, real_keys) -> None:
    user_id, account_id = _claims_of(owner)
    token = _tokens(real_keys, issuer="evil").issue_access(user_id, account_id, "owner")
    assert_refused(gw, token)


def test_tampered_payload(gw, owner) -> None:
    other = gw.register()
    header, payload, signature = owner.access.split(".")
    claims = _unb64(payload)
    for forged in ({**claims, "acc": other.account_id, "sub": other.id},
                   {**claims, "role": "developer"},
                   {**claims, "exp": claims["exp"] + 3600}):
        assert_refused(gw, f"{header}.{_b64(forged)}.{signature}")


def test_missing_required_claim(gw, owner, real_keys) -> None:
    claims = _unb64(owner.access.split(".")[1])
    del claims["exp"]
    token = jwt.encode(claims, real_keys.signing_key, algorithm="EdDSA",
                       headers={"kid": real_keys.signing_kid, "typ": "at+jwt"})
    assert_refused(gw, token)


def test_refresh_token_is_not_an_access_token(gw, owner) -> None:
    assert_refused(gw, owner.refresh)


def test_access_token_is_not_a_refresh_token(gw, owner) -> None:
    gw.fail(gw.call("POST", "/api/v1/auth/refresh/", json={"refresh": owner.access}), 401)


def test_token_of_a_user_that_does_not_exist(gw, real_keys) -> None:
    token = _tokens(real_keys).issue_access(uuid.uuid4(), uuid.uuid4(), "owner")
    assert_refused(gw, token)


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
