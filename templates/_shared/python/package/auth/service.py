"""Registering and authenticating users."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import ConflictError
from .async_passwords import hash_password_async, verify_password_async
from .models import User

DUPLICATE_EMAIL = "A user with this e-mail address already exists"


class UserService:
    """E-mail addresses ignore case.

    Argon2 is slow on purpose and hashes wait their turn, so each method ends its read before
    hashing: the database connection goes back to the pool instead of waiting with it.
    """

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def register(self, email: str, password: str) -> User:
        email = email.lower()
        if await self._find(email) is not None:
            raise ConflictError(DUPLICATE_EMAIL)
        await self.session.commit()
        user = User(email=email, hashed_password=await hash_password_async(password))
        self.session.add(user)
        try:
            await self.session.commit()
        except IntegrityError:  # registered concurrently since the check above
            await self.session.rollback()
            raise ConflictError(DUPLICATE_EMAIL) from None
        return user

    async def authenticate(self, email: str, password: str) -> User | None:
        """The user with these credentials, or None. An outdated hash is replaced at once."""
        user = await self._find(email.lower())
        await self.session.commit()
        hashed_password = None if user is None else user.hashed_password
        verification = await verify_password_async(password, hashed_password)
        if user is None or not verification.matches:
            return None
        if verification.new_hash is not None:
            user.hashed_password = verification.new_hash
            await self.session.commit()
        return user

    async def _find(self, email: str) -> User | None:
        user: User | None = await self.session.scalar(select(User).where(User.email == email))
        return user
