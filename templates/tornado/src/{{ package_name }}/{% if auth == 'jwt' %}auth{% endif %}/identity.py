"""The signed-in user of a request: whose bearer token it carries."""

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
# A browser cannot set headers on a WebSocket: it sends its token as the second of two
# subprotocols, `new WebSocket(url, ["bearer", token])`. Not in the query string, where every
# proxy's access log would keep it.
BEARER_SUBPROTOCOL = "bearer"


def bearer_token(handler: RequestHandler) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, if any."""
    scheme, _, token = handler.request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def websocket_token(handler: RequestHandler) -> str | None:
    """The token of a WebSocket handshake: its Authorization header, or the subprotocols
    `bearer, <token>` that a browser sends."""
    offered = handler.request.headers.get("Sec-WebSocket-Protocol", "")
    match [protocol.strip() for protocol in offered.split(",")]:
        case [subprotocol, token] if subprotocol == BEARER_SUBPROTOCOL and token:
            return token
    return bearer_token(handler)


def token_user_id(handler: RequestHandler, token: str | None) -> int:
    """The user id of a bearer token, from its signed claims alone; 401 without a valid one."""
    if token is None:
        raise UnauthorizedError("Not authenticated")
    secret_key = handler.settings["config"].secret_key.get_secret_value()
    try:
        return decode_access_token(token, secret_key)
    except jwt.InvalidTokenError:
        raise UnauthorizedError("Invalid or expired token") from None


async def signed_in_user(handler: RequestHandler, session: AsyncSession) -> User:
    """The user of the request's bearer token; 401 without a valid one."""
    user = await session.get(User, token_user_id(handler, bearer_token(handler)))
    if user is None:  # deleted since the token was issued
        raise UnauthorizedError("Invalid or expired token")
    return user
