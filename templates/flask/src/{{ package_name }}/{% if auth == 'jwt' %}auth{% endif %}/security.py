"""The signed-in user of a request: a bearer token checked by APIFlask's HTTPTokenAuth."""

from typing import cast

import jwt
from apiflask import HTTPTokenAuth
from flask import current_app

from ..db.session import get_session
from .models import User
from .tokens import decode_access_token

token_auth = HTTPTokenAuth(scheme="Bearer", description="A token from /api/v1/auth/token")


@token_auth.verify_token  # type: ignore[untyped-decorator]
def _verify_token(token: str) -> User | None:
    """The user a valid token names; None (a 401) for any bad token, or a deleted user."""
    if not token:
        return None
    secret_key = current_app.extensions["settings"].secret_key.get_secret_value()
    try:
        user_id = decode_access_token(token, secret_key)
    except jwt.InvalidTokenError:
        return None
    return get_session().get(User, user_id)


def current_user() -> User:
    """The user of a route protected by `token_auth`."""
    return cast("User", token_auth.current_user)
