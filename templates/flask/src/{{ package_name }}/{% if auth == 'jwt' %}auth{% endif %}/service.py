"""Registering and authenticating users."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..errors import ConflictError
from .models import User
from .passwords import hash_password, verify_password

DUPLICATE_EMAIL = "A user with this e-mail address already exists"


class UserService:
    """E-mail addresses ignore case.

    Argon2 is slow on purpose and hashes wait their turn, so each method ends its read before
    hashing: the database connection goes back to the pool instead of waiting with it.
    """

    def __init__(self, session: Session) -> None:
        self.session = session

    def register(self, email: str, password: str) -> User:
        email = email.lower()
        if self._find(email) is not None:
            raise ConflictError(DUPLICATE_EMAIL)
        self.session.commit()
        user = User(email=email, hashed_password=hash_password(password))
        self.session.add(user)
        try:
            self.session.commit()
        except IntegrityError:  # registered concurrently since the check above
            self.session.rollback()
            raise ConflictError(DUPLICATE_EMAIL) from None
        return user

    def authenticate(self, email: str, password: str) -> User | None:
        """The user with these credentials, or None. An outdated hash is replaced at once."""
        user = self._find(email.lower())
        self.session.commit()
        hashed_password = None if user is None else user.hashed_password
        verification = verify_password(password, hashed_password)
        if user is None or not verification.matches:
            return None
        if verification.new_hash is not None:
            user.hashed_password = verification.new_hash
            self.session.commit()
        return user

    def _find(self, email: str) -> User | None:
        user: User | None = self.session.scalar(select(User).where(User.email == email))
        return user
