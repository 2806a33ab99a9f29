"""Request and response bodies of the items API."""

from datetime import datetime
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.json_schema import SkipJsonSchema

from ..text import StorableText
from .models import NAME_MAX_LENGTH

DESCRIPTION_MAX_LENGTH = 2000
MAX_PAGE_SIZE = 100
# The largest key of a 32-bit integer column, the primary key type on every supported database.
MAX_ID = 2**31 - 1

ItemName = Annotated[StorableText, Field(min_length=1, max_length=NAME_MAX_LENGTH)]
ItemDescription = Annotated[StorableText, Field(max_length=DESCRIPTION_MAX_LENGTH)]


class PageQuery(BaseModel):
    limit: int = Field(default=20, ge=1, le=MAX_PAGE_SIZE)
    offset: int = Field(default=0, ge=0, le=MAX_ID)


class ItemCreate(BaseModel):
    name: ItemName
    description: ItemDescription | None = None


def _without_default(schema: dict[str, Any]) -> None:
    """A null default contradicts the field's "string" type: OpenAPI validators refuse it."""
    schema.pop("default", None)


class ItemUpdate(BaseModel):
    """The fields to change; those left out keep their value."""

    # Optional but not nullable: the schema says "string", and an explicit null is refused below.
    name: ItemName | SkipJsonSchema[None] = Field(default=None, json_schema_extra=_without_default)
    description: ItemDescription | None = None

    @model_validator(mode="after")
    def _name_not_null(self) -> Self:
        if "name" in self.model_fields_set and self.name is None:
            raise ValueError("name cannot be null")
        return self


class ItemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    description: str | None
    created_at: datetime


class ItemPage(BaseModel):
    items: list[ItemRead]
    total: int
    limit: int
    offset: int
