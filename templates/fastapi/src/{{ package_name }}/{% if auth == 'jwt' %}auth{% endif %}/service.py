"""Registering and authenticating users."""

from fastapi.concurrency import run_in_threadpool
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import ConflictError
from .models import User
from .security import hash_password, verify_password

DUPLICATE_EMAIL = "A user with this e-mail address already exists"


class UserService:
    """E-mail addresses ignore case. Argon2 runs in a thread, as it is slow on purpose."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def register(self, email: str, password: str) -> User:
        email = email.lower()
        if await self._find(email) is not None:
            raise ConflictError(DUPLICATE_EMAIL)
        user = User(email=email, hashed_password=await run_in_threadpool(hash_password, password))
        self.session.add(user)
        try:
            await self.session.commit()
        except IntegrityError:  # registered concurrently since the check above
            await self.session.rollback()
            raise ConflictError(DUPLICATE_EMAIL) from None
        return user

    async def authenticate(self, email: str, password: str) -> User | None:
        """The user with these credentials, or None."""
        user = await self._find(email.lower())
        hashed_password = None if user is None else user.hashed_password
        if await run_in_threadpool(verify_password, password, hashed_password):
            return user
        return None

    async def _find(self, email: str) -> User | None:
        user: User | None = await self.session.scalar(select(User).where(User.email == email))
        return user
