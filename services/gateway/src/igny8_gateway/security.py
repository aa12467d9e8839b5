"""What the gateway builds once at start-up to sign people in: token service and hasher."""

from __future__ import annotations

from dataclasses import dataclass

from igny8_gateway.adapters.identity_cache import IdentityCache
from igny8_gateway.adapters.password_hasher import Argon2PasswordHasher
from igny8_gateway.adapters.tokens import KeyRing, TokenService
from igny8_gateway.domain.authentication import ThrottleRule
from igny8_gateway.settings import GatewaySettings

# How long another gateway process may still let a deactivated user in, or act on an old role
# (this process forgets at once; see adapters/identity_cache.py).
IDENTITY_CACHE_SECONDS = 2.0


@dataclass(frozen=True)
class Security:
    tokens: TokenService
    hasher: Argon2PasswordHasher
    email_throttle: ThrottleRule
    ip_throttle: ThrottleRule
    identities: IdentityCache


def build_security(settings: GatewaySettings) -> Security:
    """Loads (or, on first start, creates) the JWT keys; argon2 costs from the settings."""
    return Security(
        tokens=TokenService(
            KeyRing.load_or_create(settings.jwt_key_dir),
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            access_ttl=settings.access_ttl,
            refresh_ttl=settings.refresh_ttl,
        ),
        hasher=Argon2PasswordHasher(
            time_cost=settings.argon2_time_cost,
            memory_cost=settings.argon2_memory_cost,
            parallelism=settings.argon2_parallelism,
        ),
        email_throttle=ThrottleRule(settings.login_max_failures_per_email, settings.login_window),
        ip_throttle=ThrottleRule(settings.login_max_failures_per_ip, settings.login_window),
        identities=IdentityCache(IDENTITY_CACHE_SECONDS),
    )
