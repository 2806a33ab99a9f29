"""Password hashing with Argon2id, a few hashes at a time per process.

Each Argon2 hash holds MEMORY_COST_KIB of memory while it runs, on purpose. Left unbounded, a
burst of logins multiplies that by the size of the thread pool; here at most MAX_CONCURRENT_HASHES
run at once and the rest wait their turn, so memory stays flat and every login is still answered.
"""

import threading
from functools import cache
from typing import NamedTuple

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

# OWASP's minimum for Argon2id: 19 MiB, 2 passes, 1 lane.
MEMORY_COST_KIB = 19 * 1024
TIME_COST = 2
PARALLELISM = 1
MAX_CONCURRENT_HASHES = 2

_password_hash = PasswordHash(
    (Argon2Hasher(time_cost=TIME_COST, memory_cost=MEMORY_COST_KIB, parallelism=PARALLELISM),)
)
# Callers from any thread queue here.
_hash_slots = threading.BoundedSemaphore(MAX_CONCURRENT_HASHES)


class Verification(NamedTuple):
    matches: bool
    # The password hashed with the current parameters, when the stored hash used other ones.
    new_hash: str | None = None


def hash_password(password: str) -> str:
    with _hash_slots:
        return _password_hash.hash(password)


def verify_password(password: str, hashed_password: str | None) -> Verification:
    """Whether `password` matches. With no hash (no such user) it takes as long, and is False."""
    with _hash_slots:
        if hashed_password is None:
            # Hash anyway, so that the response time does not tell which addresses are registered.
            _password_hash.verify(password, _dummy_hash())
            return Verification(matches=False)
        matches, new_hash = _password_hash.verify_and_update(password, hashed_password)
        return Verification(matches, new_hash)


@cache
def _dummy_hash() -> str:
    return _password_hash.hash("not a real password")
