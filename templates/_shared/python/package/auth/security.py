"""Password hashing (Argon2) and access tokens (JWT signed with HS256)."""

from datetime import UTC, datetime, timedelta
from functools import cache

import jwt
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

ALGORITHM = "HS256"

_password_hash = PasswordHash((Argon2Hasher(),))


def hash_password(password: str) -> str:
    return _password_hash.hash(password)


def verify_password(password: str, hashed_password: str | None) -> bool:
    """Whether `password` matches. With no hash (no such user) it takes as long, and is False."""
    if hashed_password is None:
        # Hash anyway, so that the response time does not tell which addresses are registered.
        _password_hash.verify(password, _dummy_hash())
        return False
    return _password_hash.verify(password, hashed_password)


@cache
def _dummy_hash() -> str:
    return _password_hash.hash("not a real password")


def create_access_token(user_id: int, secret_key: str, expires_in: timedelta) -> str:
    now = datetime.now(UTC)
    claims = {"sub": str(user_id), "iat": now, "exp": now + expires_in}
    return jwt.encode(claims, secret_key, algorithm=ALGORITHM)


def decode_access_token(token: str, secret_key: str) -> int:
    """The user id of a valid token.

    Raises `jwt.InvalidTokenError` for a token that is malformed, forged, expired, unsigned
    (`alg: none`) or signed with any algorithm but HS256.
    """
    claims = jwt.decode(
        token, secret_key, algorithms=[ALGORITHM], options={"require": ["exp", "sub"]}
    )
    subject = claims["sub"]
    if not isinstance(subject, str) or not (subject.isascii() and subject.isdigit()):
        raise jwt.InvalidTokenError("the subject is not a user id")
    return int(subject)
