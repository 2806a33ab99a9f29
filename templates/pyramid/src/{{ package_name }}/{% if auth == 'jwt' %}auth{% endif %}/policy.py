"""The security policy: who sends a request (a bearer token's user), and what they may do (ACLs)."""

from typing import Any

import jwt
from pyramid.authorization import ACLHelper, Allow, Authenticated, Everyone
from pyramid.request import Request
from pyramid.response import Response
from pyramid.security import Denied
from pyramid.view import forbidden_view_config

from ..tweens import json_error
from .models import User
from .tokens import decode_access_token

# What a route that needs a user may answer, in the OpenAPI document.
UNAUTHORIZED_RESPONSE: dict[int, Any] = {401: "Missing, invalid or expired bearer token"}
BEARER_SCHEME = {
    "type": "oauth2",
    "flows": {"password": {"tokenUrl": "/api/v1/auth/token", "scopes": {}}},
}
_BEARER_PREFIX = "bearer "
ITEM_REFUSAL = "Only the owner of an item may change or delete it"


class SignedIn:
    """The context of routes that any signed-in user may use."""

    __acl__ = ((Allow, Authenticated, "use"),)

    def __init__(self, request: Request) -> None:
        self.request = request


class BearerTokenPolicy:
    """Pyramid 2 security policy: the identity is the user a valid bearer token names."""

    def __init__(self, secret_key: str) -> None:
        self.secret_key = secret_key
        self.acl = ACLHelper()

    def identity(self, request: Request) -> User | None:
        header = request.headers.get("Authorization", "")
        if not header.lower().startswith(_BEARER_PREFIX):
            return None
        try:
            user_id = decode_access_token(header[len(_BEARER_PREFIX) :].strip(), self.secret_key)
        except jwt.InvalidTokenError:
            return None
        # None for a user deleted since the token was issued.
        user: User | None = request.dbsession.get(User, user_id)
        return user

    def authenticated_userid(self, request: Request) -> int | None:
        user = request.identity
        return None if user is None else user.id

    def permits(self, request: Request, context: Any, permission: str) -> Any:
        user = request.identity
        if user is None:
            # Nobody signed in: refused before the context is even looked at (401, not 404).
            return Denied("not signed in")
        principals = [Everyone, Authenticated, f"user:{user.id}"]
        return self.acl.permits(context, principals, permission)

    def remember(self, _request: Request, _userid: Any, **_kw: Any) -> list[tuple[str, str]]:
        return []

    def forget(self, _request: Request, **_kw: Any) -> list[tuple[str, str]]:
        return []


def unauthorized(detail: str) -> Response:
    return json_error(401, detail, {"WWW-Authenticate": "Bearer"})


@forbidden_view_config()
def refused(request: Request) -> Response:
    """401 with a challenge when nobody is signed in; 403 when the signed-in user may not."""
    if request.identity is None:
        if request.authorization is None:
            return unauthorized("Not authenticated")
        return unauthorized("Invalid or expired token")
    # A resource's context says what only the owner may do; the items' refusal is the default.
    refusal = getattr(request.context, "refusal", ITEM_REFUSAL)
    return json_error(403, refusal)
