"""The auth API: /api/v1/auth/register, /api/v1/auth/token and /api/v1/users/me."""

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from apiflask import APIBlueprint, HTTPError
from flask import current_app, request

from ..db.session import get_session
from ..errors import UnsupportedMediaTypeError
from .schemas import Credentials, Token, UserCreate, UserRead
from .security import current_user, token_auth
from .service import UserService
from .throttle import TOO_MANY_ATTEMPTS, limit_attempts
from .tokens import create_access_token

bp = APIBlueprint("auth", __name__, url_prefix="/api/v1")
FORMS = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


def form_or_json(view: Callable[..., Any]) -> Callable[..., Any]:
    """The token route reads an OAuth2 password form or JSON: a body of another type is a 415."""

    @wraps(view)
    def checked(*args: Any, **kwargs: Any) -> Any:
        if not (request.is_json or request.mimetype in FORMS) and request.get_data(cache=True):
            raise UnsupportedMediaTypeError("The body must be JSON or an OAuth2 password form")
        return view(*args, **kwargs)

    return checked


@bp.post("/auth/register")
@limit_attempts  # first: attempts count whether their body is valid or not
@bp.input(UserCreate, arg_name="payload")
@bp.output(UserRead, status_code=201)
@bp.doc(
    tags=["auth"],
    responses={409: "The e-mail address is already registered", **TOO_MANY_ATTEMPTS},
)
def register(payload: UserCreate) -> UserRead:
    user = UserService(get_session()).register(payload.email, payload.password)
    return UserRead.model_validate(user)


@bp.post("/auth/token")
@limit_attempts
@form_or_json
@bp.input(Credentials, location="json_or_form", arg_name="credentials")
@bp.output(Token)
@bp.doc(
    tags=["auth"],
    responses={401: "Incorrect e-mail address or password", **TOO_MANY_ATTEMPTS},
)
def issue_token(credentials: Credentials) -> tuple[Token, int, dict[str, str]]:
    """A bearer token for the user with these credentials (JSON, or an OAuth2 password form)."""
    user = UserService(get_session()).authenticate(credentials.email, credentials.password)
    if user is None:
        raise HTTPError(
            401, "Incorrect e-mail address or password", headers={"WWW-Authenticate": "Bearer"}
        )
    settings = current_app.extensions["settings"]
    expires_in = timedelta(minutes=settings.access_token_expire_minutes)
    token = Token(
        access_token=create_access_token(
            user.id, settings.secret_key.get_secret_value(), expires_in
        ),
        expires_in=int(expires_in.total_seconds()),
    )
    return token, 200, {"Cache-Control": "no-store"}


@bp.get("/users/me")
@bp.auth_required(token_auth)
@bp.output(UserRead)
@bp.doc(tags=["users"])
def read_current_user() -> UserRead:
    return UserRead.model_validate(current_user())
