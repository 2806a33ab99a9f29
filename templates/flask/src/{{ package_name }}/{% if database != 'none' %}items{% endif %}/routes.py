"""The items API: /api/v1/items."""

from apiflask import APIBlueprint

from .dependencies import item_service
from .permissions import CHANGE_ERRORS, changeable_item, new_item, writes
from .schemas import ItemCreate, ItemPage, ItemRead, ItemUpdate, PageQuery

NOT_FOUND = {404: "No item has this id"}
CHANGE_RESPONSES = {**NOT_FOUND, **CHANGE_ERRORS}

bp = APIBlueprint("items", __name__, url_prefix="/api/v1/items", tag="items")
ITEM = "/<int:item_id>"


@bp.get("")
@bp.input(PageQuery, location="query", arg_name="query")
@bp.output(ItemPage)
def list_items(query: PageQuery) -> ItemPage:
    """A page of items, oldest first, with the total count."""
    return item_service().page(limit=query.limit, offset=query.offset)


@bp.post("")
@writes(bp)
@bp.input(ItemCreate, arg_name="payload")
@bp.output(ItemRead, status_code=201)
def create_item(payload: ItemCreate) -> ItemRead:
    return item_service().add(new_item(payload))


@bp.get(ITEM)
@bp.output(ItemRead)
@bp.doc(responses=NOT_FOUND)
def read_item(item_id: int) -> ItemRead:
    return item_service().read(item_id)


@bp.patch(ITEM)
@writes(bp)
@bp.input(ItemUpdate, arg_name="changes")
@bp.output(ItemRead)
@bp.doc(responses=CHANGE_RESPONSES)
def update_item(item_id: int, changes: ItemUpdate) -> ItemRead:
    """Change the fields given; the others keep their value."""
    items = item_service()
    return items.update(changeable_item(items, item_id), changes)


@bp.delete(ITEM)
@writes(bp)
@bp.output({}, status_code=204)
@bp.doc(responses=CHANGE_RESPONSES)
def delete_item(item_id: int) -> tuple[str, int]:
    items = item_service()
    items.delete(changeable_item(items, item_id))
    return "", 204
