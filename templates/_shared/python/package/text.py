"""Text fields of request bodies: strings that every database can store."""

from typing import Annotated

from pydantic import Field

# No database stores a NUL character in a text column: refuse it up front (422) instead of failing
# on insert (500). As a pattern, so that the OpenAPI schema states it too. Pydantic already refuses
# the other unstorable strings, those with lone surrogates.
NO_NUL_PATTERN = r"^[^\x00]*$"

StorableText = Annotated[str, Field(pattern=NO_NUL_PATTERN)]
