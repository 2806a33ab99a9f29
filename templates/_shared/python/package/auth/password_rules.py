"""What makes a new password too easy to guess, whatever its length."""

from zxcvbn.frequency_lists import FREQUENCY_LISTS  # type: ignore[import-untyped]

# The 30,000 passwords found most often in leaked password lists, as zxcvbn ranks them; lower case.
COMMON_PASSWORDS = frozenset(FREQUENCY_LISTS["passwords"])
# A local part this short (`jo@example.com`) is part of too many good passwords to rule them out.
MIN_LOCAL_PART_LENGTH = 3


def password_problem(password: str, email: str) -> str | None:
    """Why `password` is too easy to guess for the owner of `email`, or None."""
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS:
        return "password is one of the most common passwords; choose another"
    local_part = email.rpartition("@")[0].lower()
    if len(local_part) >= MIN_LOCAL_PART_LENGTH and local_part in lowered:
        return "password must not contain the e-mail address before the @"
    return None
