"""The items API: /api/v1/items."""

from django.db import transaction
from django.http import HttpRequest
from ninja import P, PathEx, QueryEx, Router, Status

from ..errors import INVALID, ErrorDetail, NotFoundError
from . import reads
from .models import Item
from .permissions import CHANGE_ERRORS, CREATE_ERRORS, WRITE_AUTH, check_owner, owner_of
from .schemas import MAX_ID, MAX_PAGE_SIZE, ItemCreate, ItemPage, ItemRead, ItemUpdate

# The item's id in the path: 1 to the largest key of a 32-bit integer column.
ItemId = PathEx[int, P(ge=1, le=MAX_ID, description="The item's id")]


router = Router(tags=["items"])


@router.get("", response={200: ItemPage, **INVALID})
def list_items(
    request: HttpRequest,
    limit: QueryEx[int, P(ge=1, le=MAX_PAGE_SIZE)] = 20,
    offset: QueryEx[int, P(ge=0, le=MAX_ID)] = 0,
) -> ItemPage:
    """A page of items, oldest first, with the total count."""
    # Not django-ninja's @paginate: it slices the queryset the view returns, on every request,
    # where a page, items and total together, is read through the item cache (reads.py).
    return reads.page(limit=limit, offset=offset)


@router.post("", response={201: ItemRead, **CREATE_ERRORS, **INVALID}, auth=WRITE_AUTH)
def create_item(request: HttpRequest, payload: ItemCreate) -> Status[Item]:
    item = Item.objects.create(**payload.dict(), **owner_of(request))
    return Status(201, item)


@router.get("/{item_id}", response={200: ItemRead, 404: ErrorDetail, **INVALID})
def read_item(request: HttpRequest, item_id: ItemId) -> ItemRead:
    return reads.item(item_id)


@router.patch(
    "/{item_id}",
    response={200: ItemRead, 404: ErrorDetail, **CHANGE_ERRORS, **INVALID},
    auth=WRITE_AUTH,
)
def update_item(request: HttpRequest, payload: ItemUpdate, item_id: ItemId) -> Item:
    """Change the fields given; the others keep their value."""
    with transaction.atomic():
        item = _get_for_update(item_id)
        check_owner(request, item)
        for field, value in payload.dict(exclude_unset=True).items():
            setattr(item, field, value)
        item.save()
    return item


@router.delete(
    "/{item_id}",
    response={204: None, 404: ErrorDetail, **CHANGE_ERRORS, **INVALID},
    auth=WRITE_AUTH,
)
def delete_item(request: HttpRequest, item_id: ItemId) -> Status[None]:
    with transaction.atomic():
        item = _get_for_update(item_id)
        check_owner(request, item)
        item.delete()
    return Status(204, None)


def _get_for_update(item_id: int) -> Item:
    """The item, locked until the transaction ends, so that a concurrent change waits its turn."""
    try:
        return Item.objects.select_for_update().get(pk=item_id)
    except Item.DoesNotExist:
        raise NotFoundError(reads.NOT_FOUND) from None
