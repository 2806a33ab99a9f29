"""Users and their bearer tokens: /api/v1/auth/register, /api/v1/auth/token, /api/v1/users/me."""

from pyramid.config import Configurator

from .policy import BEARER_SCHEME, BearerTokenPolicy, SignedIn
from .throttle import create_rate_limiter


def includeme(config: Configurator) -> None:
    settings = config.registry["settings"]
    config.set_security_policy(BearerTokenPolicy(settings.secret_key.get_secret_value()))
    config.registry["security_scheme"] = BEARER_SCHEME
    config.registry["auth_rate_limiter"] = create_rate_limiter(config.registry)
    config.add_route("register", "/api/v1/auth/register")
    config.add_route("token", "/api/v1/auth/token")
    config.add_route("me", "/api/v1/users/me", factory=SignedIn)
    config.scan(".policy")
    config.scan(".views")
