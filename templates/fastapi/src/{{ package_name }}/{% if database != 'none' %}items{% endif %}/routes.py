"""The items API: /api/v1/items."""

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, status

from ..errors import MALFORMED_BODY, JSONBodyRoute, error_response
from .dependencies import ItemServiceDep
from .permissions import CHANGE_ERRORS, CREATE_ERRORS, ChangeableItem, NewItem
from .schemas import MAX_ID, MAX_PAGE_SIZE, ItemId, ItemPage, ItemRead, ItemUpdate

NOT_FOUND: dict[int | str, dict[str, Any]] = {
    status.HTTP_404_NOT_FOUND: error_response("No item has this id")
}
CHANGE_RESPONSES = {**NOT_FOUND, **CHANGE_ERRORS}
UPDATE_RESPONSES = {**CHANGE_RESPONSES, **MALFORMED_BODY}

# Shown by the documentation pages, ready to send.
_CHANGE_EXAMPLES = {"rename": {"summary": "A new name", "value": {"name": "Sketchbook"}}}

router = APIRouter(prefix="/api/v1/items", tags=["items"], route_class=JSONBodyRoute)


@router.get("")
async def list_items(
    items: ItemServiceDep,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 20,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> ItemPage:
    """A page of items, oldest first, with the total count."""
    return await items.page(limit=limit, offset=offset)


@router.post("", status_code=status.HTTP_201_CREATED, responses={**CREATE_ERRORS, **MALFORMED_BODY})
async def create_item(item: NewItem, items: ItemServiceDep) -> ItemRead:
    return await items.add(item)


@router.get("/{item_id}", responses=NOT_FOUND)
async def read_item(item_id: ItemId, items: ItemServiceDep) -> ItemRead:
    return await items.read(item_id)


# ChangeableItem reads the item_id of the path.
@router.patch("/{item_id}", responses=UPDATE_RESPONSES)  # noqa: FAST003
async def update_item(
    item: ChangeableItem,
    changes: Annotated[ItemUpdate, Body(openapi_examples=_CHANGE_EXAMPLES)],
    items: ItemServiceDep,
) -> ItemRead:
    """Change the fields given; the others keep their value."""
    return await items.update(item, changes)


@router.delete("/{item_id}", status_code=status.HTTP_204_NO_CONTENT, responses=CHANGE_RESPONSES)  # noqa: FAST003
async def delete_item(item: ChangeableItem, items: ItemServiceDep) -> None:
    await items.delete(item)
