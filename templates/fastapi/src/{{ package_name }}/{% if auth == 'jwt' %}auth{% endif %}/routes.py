"""The auth API: /api/v1/auth/register, /api/v1/auth/token and /api/v1/users/me."""

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Request, Response, status
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from ..dependencies import SettingsDep
from ..errors import (
    MALFORMED_BODY,
    JSONBodyRoute,
    error_response,
    is_json,
    unsupported_media_type,
)
from .dependencies import UNAUTHORIZED_RESPONSE, CurrentUser, UserServiceDep, unauthorized
from .schemas import Credentials, Token, UserCreate, UserRead
from .throttle import TOO_MANY_ATTEMPTS_RESPONSE, limit_attempts, open_rate_limiter
from .tokens import create_access_token

router = APIRouter(prefix="/api/v1", lifespan=open_rate_limiter, route_class=JSONBodyRoute)

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
_FORM_MEDIA_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
_VALIDATION_ERROR_RESPONSE = {
    "description": "Validation Error",
    "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}
    },
}


async def read_credentials(request: Request) -> Credentials:
    """Credentials from an OAuth2 password form (`username`, `password`) or from JSON."""
    content_type = request.headers.get("content-type")
    media_type = (content_type or "").partition(";")[0].strip().lower()
    try:
        if is_json(content_type):
            # pydantic's own JSON parser, which bounds nesting: `[[[[...` is a 422, not a crash.
            return Credentials.model_validate_json(await request.body())
        # No body at all is a form without its fields: a 422 that names them.
        if media_type in _FORM_MEDIA_TYPES or not await request.body():
            form = await request.form()
            data = {"email": form.get("username"), "password": form.get("password")}
            return Credentials.model_validate(data)
    except ValidationError as error:
        errors = error.errors(include_url=False, include_context=False, include_input=False)
        raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in errors]) from None
    raise unsupported_media_type("an OAuth2 password form or JSON")


# Shown by the documentation pages, ready to send.
_REGISTRATION_EXAMPLES = {
    "registration": {
        "summary": "A new user",
        "value": {"email": "ada@example.com", "password": "plum-orbit-lantern-7"},
    }
}


@router.post(
    "/auth/register",
    tags=["auth"],
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(limit_attempts)],
    responses={
        status.HTTP_409_CONFLICT: error_response("The e-mail address is already registered"),
        **TOO_MANY_ATTEMPTS_RESPONSE,
        **MALFORMED_BODY,
    },
)
async def register(
    payload: Annotated[UserCreate, Body(openapi_examples=_REGISTRATION_EXAMPLES)],
    users: UserServiceDep,
) -> UserRead:
    user = await users.register(payload.email, payload.password)
    return UserRead.model_validate(user)


@router.post(
    "/auth/token",
    tags=["auth"],
    dependencies=[Depends(limit_attempts)],
    responses={
        status.HTTP_401_UNAUTHORIZED: error_response("Incorrect e-mail address or password"),
        status.HTTP_422_UNPROCESSABLE_CONTENT: _VALIDATION_ERROR_RESPONSE,
        **TOO_MANY_ATTEMPTS_RESPONSE,
        **MALFORMED_BODY,
    },
    openapi_extra={"requestBody": _TOKEN_REQUEST_BODY},
)
async def issue_token(
    credentials: Annotated[Credentials, Depends(read_credentials)],
    users: UserServiceDep,
    settings: SettingsDep,
    response: Response,
) -> Token:
    """A bearer token for the user with these credentials."""
    user = await users.authenticate(credentials.email, credentials.password)
    if user is None:
        raise unauthorized("Incorrect e-mail address or password")
    expires_in = timedelta(minutes=settings.access_token_expire_minutes)
    response.headers["Cache-Control"] = "no-store"
    return Token(
        access_token=create_access_token(
            user.id, settings.secret_key.get_secret_value(), expires_in
        ),
        expires_in=int(expires_in.total_seconds()),
    )


@router.get("/users/me", tags=["users"], responses=UNAUTHORIZED_RESPONSE)
async def read_current_user(user: CurrentUser) -> UserRead:
    return UserRead.model_validate(user)
