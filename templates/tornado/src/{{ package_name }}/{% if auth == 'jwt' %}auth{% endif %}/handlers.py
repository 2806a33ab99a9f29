"""The auth API: /api/v1/auth/register, /api/v1/auth/token and /api/v1/users/me."""

from datetime import timedelta
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs

from pydantic import ValidationError

from ..db.session import open_session
from ..errors import ErrorDetail, UnauthorizedError, ValidationFailedError
from ..handlers import BaseHandler, problems
from ..openapi import operation
from .identity import UNAUTHORIZED_RESPONSE, signed_in_user
from .schemas import Credentials, Token, UserCreate, UserRead
from .service import UserService
from .throttle import RETRY_AFTER_HEADER, TOO_MANY_ATTEMPTS_RESPONSE, limit_attempts
from .tokens import create_access_token

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
# The token route takes two content types; this is how OpenAPI sees its body.
_CREDENTIALS_SCHEMA = Credentials.model_json_schema()
_PASSWORD_FORM_SCHEMA = {
    "type": "object",
    "required": ["username", "password"],
    "properties": {
        "grant_type": {"type": "string", "enum": ["password"]},
        "username": _CREDENTIALS_SCHEMA["properties"]["email"],
        "password": _CREDENTIALS_SCHEMA["properties"]["password"],
    },
}
_TOKEN_REQUEST_BODY = {
    "required": True,
    "content": {
        FORM_CONTENT_TYPE: {"schema": _PASSWORD_FORM_SCHEMA},
        "application/json": {"schema": _CREDENTIALS_SCHEMA},
    },
}


class RegisterHandler(BaseHandler):
    route = "/api/v1/auth/register"

    @operation(
        "Register a user",
        tags=["auth"],
        body=UserCreate,
        responses={
            HTTPStatus.CREATED: (UserRead, "The new user"),
            HTTPStatus.CONFLICT: (ErrorDetail, "The e-mail address is already registered"),
            **TOO_MANY_ATTEMPTS_RESPONSE,
        },
        headers=RETRY_AFTER_HEADER,
    )
    async def post(self) -> None:
        await limit_attempts(self)
        payload = self.parse_body(UserCreate)
        async with open_session(self) as session:
            user = await UserService(session).register(payload.email, payload.password)
        # Answered once the session is closed: its connection is back in the pool by then.
        self.respond(UserRead.model_validate(user), HTTPStatus.CREATED)


class TokenHandler(BaseHandler):
    route = "/api/v1/auth/token"

    @operation(
        "A bearer token for the user with these credentials",
        tags=["auth"],
        request_body=_TOKEN_REQUEST_BODY,
        responses={
            HTTPStatus.OK: (Token, "A bearer token"),
            HTTPStatus.UNAUTHORIZED: (ErrorDetail, "Incorrect e-mail address or password"),
            **TOO_MANY_ATTEMPTS_RESPONSE,
        },
        headers=RETRY_AFTER_HEADER,
    )
    async def post(self) -> None:
        await limit_attempts(self)
        credentials = self.read_credentials()
        async with open_session(self) as session:
            users = UserService(session)
            user = await users.authenticate(credentials.email, credentials.password)
        if user is None:
            raise UnauthorizedError("Incorrect e-mail address or password")
        expires_in = timedelta(minutes=self.config.access_token_expire_minutes)
        secret_key = self.config.secret_key.get_secret_value()
        self.set_header("Cache-Control", "no-store")
        self.respond(
            Token(
                access_token=create_access_token(user.id, secret_key, expires_in),
                expires_in=int(expires_in.total_seconds()),
            )
        )

    def read_credentials(self) -> Credentials:
        """Credentials from an OAuth2 password form (`username`, `password`) or from JSON."""
        if not self.has_content_type(FORM_CONTENT_TYPE, default=False):
            return self.parse_body(Credentials)
        form = parse_qs(self.body.decode("utf-8", "replace"))
        data: dict[str, Any] = {
            "email": form.get("username", [None])[0],
            "password": form.get("password", [None])[0],
        }
        try:
            return Credentials.model_validate(data)
        except ValidationError as error:
            raise ValidationFailedError(problems(error, "body")) from None


class CurrentUserHandler(BaseHandler):
    route = "/api/v1/users/me"

    @operation(
        "The signed-in user",
        tags=["users"],
        responses={HTTPStatus.OK: (UserRead, "The signed-in user"), **UNAUTHORIZED_RESPONSE},
        secured=True,
    )
    async def get(self) -> None:
        async with open_session(self) as session:
            user = await signed_in_user(self, session)
        self.respond(UserRead.model_validate(user))


HANDLERS: list[type[BaseHandler]] = [RegisterHandler, TokenHandler, CurrentUserHandler]
