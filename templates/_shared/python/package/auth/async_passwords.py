"""Password hashing for the event loop: it runs on threads of its own, never on the loop."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from .passwords import MAX_CONCURRENT_HASHES, Verification, hash_password, verify_password

# As many threads as hashes may run at once, so that none of them ever waits for a slot.
_hash_executor = ThreadPoolExecutor(MAX_CONCURRENT_HASHES, thread_name_prefix="password-hash")


async def hash_password_async(password: str) -> str:
    """`hash_password` off the event loop."""
    return await asyncio.get_running_loop().run_in_executor(_hash_executor, hash_password, password)


async def verify_password_async(password: str, hashed_password: str | None) -> Verification:
    """`verify_password` off the event loop."""
    return await asyncio.get_running_loop().run_in_executor(
        _hash_executor, verify_password, password, hashed_password
    )
