"""The password rule of registration that Django does not have."""

from typing import Any

from django.core.exceptions import ValidationError

# Shorter names ("al", "jo") are found in too many good passwords by chance.
MIN_NAME_LENGTH = 3


class EmailNameValidator:
    """Refuses a password that contains the name of the user's address (`bob` of bob@example.com),
    among the first an attacker tries; Django's similarity check lets `bob1234567` through."""

    def validate(self, password: str, user: Any = None) -> None:
        name = str(getattr(user, "email", "")).rpartition("@")[0].lower()
        if len(name) >= MIN_NAME_LENGTH and name in password.lower():
            raise ValidationError(
                "The password contains the name of the e-mail address.",
                code="password_contains_email_name",
            )

    def get_help_text(self) -> str:
        return "Your password cannot contain the name of your e-mail address."
