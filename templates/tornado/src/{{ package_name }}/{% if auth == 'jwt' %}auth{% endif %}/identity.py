"""The signed-in user of a request: whose bearer token its Authorization header carries."""

from http import HTTPStatus

import jwt
from sqlalchemy.ext.asyncio import AsyncSession
from tornado.web import RequestHandler

from ..errors import ErrorDetail, UnauthorizedError
from ..openapi import Response
from .models import User
from .tokens import decode_access_token

UNAUTHORIZED_RESPONSE: dict[int, Response] = {
    HTTPStatus.UNAUTHORIZED: (ErrorDetail, "Missing, invalid or expired bearer token"),
}


def bearer_token(handler: RequestHandler) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, if any."""
    scheme, _, token = handler.request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


async def signed_in_user(handler: RequestHandler, session: AsyncSession) -> User:
    """The user of the request's bearer token; 401 without a valid one."""
    token = bearer_token(handler)
    if token is None:
        raise UnauthorizedError("Not authenticated")
    secret_key = handler.settings["config"].secret_key.get_secret_value()
    try:
        user_id = decode_access_token(token, secret_key)
    except jwt.InvalidTokenError:
        raise UnauthorizedError("Invalid or expired token") from None
    user = await session.get(User, user_id)
    if user is None:  # deleted since the token was issued
        raise UnauthorizedError("Invalid or expired token")
    return user
