"""Argon2id at OWASP's minimum, a few hashes at a time per process.

Each Argon2 hash holds MEMORY_COST_KIB of memory while it runs, on purpose. Left unbounded, a
burst of logins multiplies that by the number of server threads; here at most
MAX_CONCURRENT_HASHES run at once and the rest wait their turn, so memory stays flat and every
login is still answered. Django upgrades a hash made with other parameters at the next
successful login.
"""

import threading

from django.contrib.auth.hashers import Argon2PasswordHasher

# OWASP's minimum for Argon2id: 19 MiB, 2 passes, 1 lane.
MEMORY_COST_KIB = 19 * 1024
TIME_COST = 2
PARALLELISM = 1
MAX_CONCURRENT_HASHES = 2

_hash_slots = threading.BoundedSemaphore(MAX_CONCURRENT_HASHES)


class BoundedArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = TIME_COST
    memory_cost = MEMORY_COST_KIB
    parallelism = PARALLELISM

    def encode(self, password: str, salt: str) -> str:
        with _hash_slots:
            return super().encode(password, salt)

    def verify(self, password: str, encoded: str) -> bool:
        with _hash_slots:
            return super().verify(password, encoded)
