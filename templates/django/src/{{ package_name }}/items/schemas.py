"""Request and response bodies of the items API."""

from datetime import datetime
from typing import Annotated, Self

from ninja import Schema
from pydantic import Field, model_validator
from pydantic.json_schema import SkipJsonSchema

from .models import NAME_MAX_LENGTH

DESCRIPTION_MAX_LENGTH = 2000
MAX_PAGE_SIZE = 100
# The largest key of a 32-bit integer column, the smallest primary key type of the databases.
MAX_ID = 2**31 - 1
# No database stores a NUL character in a text column: refuse it up front (422) instead of failing
# on insert (500). As a pattern, so that the OpenAPI schema states it too.
NO_NUL_PATTERN = r"^[^\x00]*$"

ItemName = Annotated[str, Field(min_length=1, max_length=NAME_MAX_LENGTH, pattern=NO_NUL_PATTERN)]
ItemDescription = Annotated[str, Field(max_length=DESCRIPTION_MAX_LENGTH, pattern=NO_NUL_PATTERN)]


class ItemCreate(Schema):
    name: ItemName
    description: ItemDescription | None = None


class ItemUpdate(Schema):
    """The fields to change; those left out keep their value."""

    # Optional but not nullable: the schema says "string", and an explicit null is refused below.
    name: ItemName | SkipJsonSchema[None] = None
    description: ItemDescription | None = None

    @model_validator(mode="after")
    def _name_not_null(self) -> Self:
        if "name" in self.model_fields_set and self.name is None:
            raise ValueError("name cannot be null")
        return self


class ItemRead(Schema):
    id: int
    name: str
    description: str | None
    created_at: datetime


class ItemPage(Schema):
    items: list[ItemRead]
    total: int
    limit: int
    offset: int
