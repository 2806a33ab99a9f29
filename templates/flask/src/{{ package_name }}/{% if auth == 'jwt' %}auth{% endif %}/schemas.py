"""Request and response bodies of the auth API."""

from typing import Annotated, Literal

from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, AliasChoices, BaseModel, ConfigDict, Field

from ..text import StorableText
from .models import EMAIL_MAX_LENGTH

PASSWORD_MIN_LENGTH = 8
# Hashing is deliberately slow: a bound keeps a huge "password" from tying up a hashing thread.
PASSWORD_MAX_LENGTH = 128

Password = Annotated[
    StorableText, Field(min_length=PASSWORD_MIN_LENGTH, max_length=PASSWORD_MAX_LENGTH)
]


def _email_address(value: str) -> str:
    """Any well-formed address, as JSON Schema's `email` format; not whether it is reachable."""
    try:
        address = validate_email(
            value, check_deliverability=False, globally_deliverable=False, test_environment=True
        )
    except EmailNotValidError as error:
        raise ValueError(f"not a valid e-mail address: {error}") from None
    return address.normalized


EmailAddress = Annotated[
    str,
    Field(max_length=EMAIL_MAX_LENGTH, json_schema_extra={"format": "email"}),
    AfterValidator(_email_address),
]


class UserCreate(BaseModel):
    email: EmailAddress
    password: Password


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str


class Credentials(BaseModel):
    """What a token is issued for. No password rules here: a wrong password is a 401, not a 422.

    JSON names the address `email`; an OAuth2 password form names it `username`.
    """

    email: Annotated[
        StorableText,
        Field(
            min_length=1,
            max_length=EMAIL_MAX_LENGTH,
            validation_alias=AliasChoices("email", "username"),
        ),
    ]
    password: Annotated[StorableText, Field(min_length=1, max_length=PASSWORD_MAX_LENGTH)]


class Token(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_in: int = Field(description="Seconds until the token expires")
