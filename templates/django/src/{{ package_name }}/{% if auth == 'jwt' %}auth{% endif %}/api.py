"""The auth API: /api/v1/auth/register, /api/v1/auth/token and /api/v1/users/me."""

import json
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import Router, Status
from ninja.errors import ValidationError
from pydantic import ValidationError as PydanticValidationError

from ..errors import (
    INVALID,
    ConflictError,
    ErrorDetail,
    UnauthorizedError,
    UnsupportedMediaTypeError,
)
from .models import User
from .schemas import Credentials, Token, UserCreate, UserRead
from .security import bearer
from .throttle import TOO_MANY_ATTEMPTS, AttemptThrottle
from .tokens import create_access_token

# A body that does not decode: bad syntax, or nested deeper than the decoder recurses (100,000 `[`).
UNDECODABLE = (ValueError, RecursionError)

router = Router()

_CREDENTIAL_MEDIA_TYPES = frozenset(
    {"application/json", "application/x-www-form-urlencoded", "multipart/form-data"}
)

# The token route reads its body itself, as it takes two content types; this is how OpenAPI sees it.
_CREDENTIALS_SCHEMA = Credentials.model_json_schema()
_TOKEN_REQUEST_BODY = {
    "required": True,
    "content": {
        "application/x-www-form-urlencoded": {
            "schema": {
                "type": "object",
                "required": ["username", "password"],
                "properties": {
                    "grant_type": {"type": "string", "enum": ["password"]},
                    "username": _CREDENTIALS_SCHEMA["properties"]["email"],
                    "password": _CREDENTIALS_SCHEMA["properties"]["password"],
                },
            }
        },
        "application/json": {"schema": _CREDENTIALS_SCHEMA},
    },
}


def read_credentials(request: HttpRequest) -> Credentials:
    """Credentials from an OAuth2 password form (`username`, `password`) or from JSON."""
    data: Any
    if request.content_type not in _CREDENTIAL_MEDIA_TYPES and request.body:
        raise UnsupportedMediaTypeError(
            "The body must be an OAuth2 password form or JSON: Content-Type"
            " application/x-www-form-urlencoded or application/json"
        )
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body)
        except UNDECODABLE:
            error = {"type": "json_invalid", "loc": ("body",), "msg": "JSON decode error"}
            raise ValidationError([error]) from None
    else:
        try:
            form = request.POST
        except MultiPartParserError:
            error = {"type": "value_error", "loc": ("body",), "msg": "Malformed form data"}
            raise ValidationError([error]) from None
        data = {"email": form.get("username"), "password": form.get("password")}
    try:
        return Credentials.model_validate(data)
    except PydanticValidationError as error:
        errors = error.errors(include_url=False, include_context=False, include_input=False)
        raise ValidationError([{**e, "loc": ("body", *e["loc"])} for e in errors]) from None


def check_password_strength(payload: UserCreate) -> None:
    """A 422 that says why, if the password is common, all digits or like the address."""
    try:
        validate_password(payload.password, User(email=User.objects.normalize_email(payload.email)))
    except DjangoValidationError as error:
        loc = ("body", "password")
        raise ValidationError(
            [{"type": "password_too_weak", "loc": loc, "msg": msg} for msg in error.messages]
        ) from None


@router.post(
    "/auth/register",
    tags=["auth"],
    response={201: UserRead, 409: ErrorDetail, **TOO_MANY_ATTEMPTS, **INVALID},
    throttle=AttemptThrottle(),
)
def register(request: HttpRequest, payload: UserCreate) -> Status[User]:
    check_password_strength(payload)
    try:
        # In a savepoint of its own: a duplicate leaves any enclosing transaction usable.
        with transaction.atomic():
            user = User.objects.create_user(payload.email, payload.password)
    except IntegrityError:
        raise ConflictError("This e-mail address is already registered") from None
    return Status(201, user)


@router.post(
    "/auth/token",
    tags=["auth"],
    response={200: Token, 401: ErrorDetail, **TOO_MANY_ATTEMPTS, **INVALID},
    openapi_extra={"requestBody": _TOKEN_REQUEST_BODY},
    throttle=AttemptThrottle(),
)
def issue_token(request: HttpRequest, response: HttpResponse) -> Token:
    """A bearer token for the user with these credentials."""
    credentials = read_credentials(request)
    user = authenticate(request, email=credentials.email, password=credentials.password)
    if user is None:
        raise UnauthorizedError("Incorrect e-mail address or password")
    expires_in = timedelta(minutes=settings.SERVICE.access_token_expire_minutes)
    response["Cache-Control"] = "no-store"
    return Token(
        access_token=create_access_token(user.pk, settings.SECRET_KEY, expires_in),
        expires_in=int(expires_in.total_seconds()),
    )


@router.get("/users/me", tags=["users"], response={200: UserRead, 401: ErrorDetail}, auth=bearer)
def read_current_user(request: HttpRequest) -> User:
    user: User = request.auth  # type: ignore[attr-defined]  # set by ninja's auth
    return user
