"""The auth API: /api/v1/auth/register, /api/v1/auth/token and /api/v1/users/me."""

from datetime import timedelta
from typing import Any

from pydantic import BaseModel
from pyramid.request import Request
from pyramid.view import view_config

from ..errors import InvalidRequestError
from ..openapi import INVALID_REQUEST
from ..validation import read_json, validate
from .models import User
from .policy import UNAUTHORIZED_RESPONSE, SignedIn, unauthorized
from .schemas import Credentials, Token, UserCreate, UserRead
from .service import UserService
from .throttle import TOO_MANY_ATTEMPTS_RESPONSE, limit_attempts
from .tokens import create_access_token

FORMS = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
# The token route reads its body itself, as it takes two content types; this is how OpenAPI sees it.
_PASSWORD_FORM_SCHEMA = {
    "type": "object",
    "required": ["username", "password"],
    "properties": {
        "grant_type": {"type": "string", "enum": ["password"]},
        "username": Credentials.model_json_schema()["properties"]["email"],
        "password": Credentials.model_json_schema()["properties"]["password"],
    },
}
_TOKEN_REQUEST_BODY = {
    "required": True,
    "content": {
        "application/x-www-form-urlencoded": {"schema": _PASSWORD_FORM_SCHEMA},
        "application/json": {"schema": Credentials.model_json_schema()},
    },
}


def read_credentials(request: Request) -> BaseModel:
    """Credentials from an OAuth2 password form (`username`, `password`) or from JSON; a body of
    another content type is a 415."""
    data: Any
    if request.content_type not in FORMS:
        data = read_json(request)
    else:
        try:
            form = request.POST
        except ValueError:  # a multipart body without its boundary, for one
            problem = {"type": "form_invalid", "loc": ["body"], "msg": "Form decode error"}
            raise InvalidRequestError([problem]) from None
        data = {"email": form.get("username"), "password": form.get("password")}
    return validate(Credentials, data, "body")


@view_config(
    route_name="register",
    request_method="POST",
    renderer="json",
    guard=limit_attempts,
    body=UserCreate,
    status=201,
    responses={
        201: UserRead,
        409: "The e-mail address is already registered",
        **TOO_MANY_ATTEMPTS_RESPONSE,
    },
    tags=["auth"],
)
def register(request: Request) -> UserRead:
    payload = request.validated
    user = UserService(request.dbsession).register(payload.email, payload.password)
    return UserRead.model_validate(user)


@view_config(
    route_name="token",
    request_method="POST",
    renderer="json",
    guard=limit_attempts,
    responses={
        200: Token,
        401: "Incorrect e-mail address or password",
        422: INVALID_REQUEST,
        **TOO_MANY_ATTEMPTS_RESPONSE,
    },
    tags=["auth"],
    openapi={"requestBody": _TOKEN_REQUEST_BODY},
)
def issue_token(request: Request) -> Any:
    """A bearer token for the user with these credentials."""
    credentials = read_credentials(request)
    assert isinstance(credentials, Credentials)  # noqa: S101 - for the type checker
    user = UserService(request.dbsession).authenticate(credentials.email, credentials.password)
    if user is None:
        return unauthorized("Incorrect e-mail address or password")
    settings = request.app_settings
    expires_in = timedelta(minutes=settings.access_token_expire_minutes)
    request.response.headers["Cache-Control"] = "no-store"
    return Token(
        access_token=create_access_token(
            user.id, settings.secret_key.get_secret_value(), expires_in
        ),
        expires_in=int(expires_in.total_seconds()),
    )


@view_config(
    route_name="me",
    request_method="GET",
    renderer="json",
    permission="use",
    responses={200: UserRead, **UNAUTHORIZED_RESPONSE},
    tags=["users"],
)
def read_current_user(_context: SignedIn, request: Request) -> UserRead:
    user: User = request.identity
    return UserRead.model_validate(user)
