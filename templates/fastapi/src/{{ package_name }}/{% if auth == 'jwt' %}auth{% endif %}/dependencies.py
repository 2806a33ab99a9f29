"""The signed-in user of a request."""

from typing import Annotated, Any

import jwt
from fastapi import Depends, HTTPException, status
from fastapi.security import OAuth2PasswordBearer

from ..db.session import SessionDep
from ..dependencies import SettingsDep
from ..errors import error_response
from .models import User
from .service import UserService
from .tokens import decode_access_token

UNAUTHORIZED_RESPONSE: dict[int | str, dict[str, Any]] = {
    status.HTTP_401_UNAUTHORIZED: error_response("Missing, invalid or expired bearer token"),
}

# Not auto_error: this module answers a missing token itself, like any other bad one.
_bearer_token = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


def unauthorized(detail: str) -> HTTPException:
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED, detail, headers={"WWW-Authenticate": "Bearer"}
    )


async def get_user_service(session: SessionDep) -> UserService:
    return UserService(session)


UserServiceDep = Annotated[UserService, Depends(get_user_service)]


async def get_current_user(
    token: Annotated[str | None, Depends(_bearer_token)],
    session: SessionDep,
    settings: SettingsDep,
) -> User:
    if token is None:
        raise unauthorized("Not authenticated")
    try:
        user_id = decode_access_token(token, settings.secret_key.get_secret_value())
    except jwt.InvalidTokenError:
        raise unauthorized("Invalid or expired token") from None
    user = await session.get(User, user_id)
    if user is None:  # deleted since the token was issued
        raise unauthorized("Invalid or expired token")
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]
