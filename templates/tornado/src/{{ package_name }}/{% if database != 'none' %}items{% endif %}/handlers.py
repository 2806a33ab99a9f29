"""The items API: /api/v1/items and /api/v1/items/{item_id}."""

from http import HTTPStatus

from ..errors import ErrorDetail
from ..handlers import BaseHandler
from ..openapi import Response, operation
from .permissions import CHANGE_ERRORS, CREATE_ERRORS, SECURED, changeable_item, new_item
from .provider import item_service
from .schemas import ItemCreate, ItemPage, ItemPath, ItemRead, ItemUpdate, PageQuery

NOT_FOUND: dict[int, Response] = {HTTPStatus.NOT_FOUND: (ErrorDetail, "No item has this id")}


class ItemsHandler(BaseHandler):
    route = "/api/v1/items"

    @operation(
        "A page of items, oldest first, with the total count",
        tags=["items"],
        query=PageQuery,
        responses={HTTPStatus.OK: (ItemPage, "A page of items")},
    )
    async def get(self) -> None:
        query = self.parse_query(PageQuery)
        async with item_service(self) as items:
            page = await items.page(limit=query.limit, offset=query.offset)
        self.respond(page)

    @operation(
        "Create an item",
        tags=["items"],
        body=ItemCreate,
        responses={HTTPStatus.CREATED: (ItemRead, "The new item"), **CREATE_ERRORS},
        secured=SECURED,
    )
    async def post(self) -> None:
        payload = self.parse_body(ItemCreate)
        async with item_service(self) as items:
            created = await items.add(await new_item(self, items, payload))
        self.respond(created, HTTPStatus.CREATED)


class ItemHandler(BaseHandler):
    route = "/api/v1/items/{item_id}"

    @operation(
        "An item",
        tags=["items"],
        path=ItemPath,
        responses={HTTPStatus.OK: (ItemRead, "The item"), **NOT_FOUND},
    )
    async def get(self, item_id: str) -> None:
        path = self.parse_path(ItemPath, item_id=item_id)
        async with item_service(self) as items:
            item = await items.read(path.item_id)
        self.respond(item)

    @operation(
        "Change the fields given; the others keep their value",
        tags=["items"],
        path=ItemPath,
        body=ItemUpdate,
        responses={HTTPStatus.OK: (ItemRead, "The item"), **NOT_FOUND, **CHANGE_ERRORS},
        secured=SECURED,
    )
    async def patch(self, item_id: str) -> None:
        path = self.parse_path(ItemPath, item_id=item_id)
        changes = self.parse_body(ItemUpdate)
        async with item_service(self) as items:
            item = await changeable_item(self, items, path.item_id)
            updated = await items.update(item, changes)
        self.respond(updated)

    @operation(
        "Delete an item",
        tags=["items"],
        path=ItemPath,
        responses={HTTPStatus.NO_CONTENT: (None, "Deleted"), **NOT_FOUND, **CHANGE_ERRORS},
        secured=SECURED,
    )
    async def delete(self, item_id: str) -> None:
        path = self.parse_path(ItemPath, item_id=item_id)
        async with item_service(self) as items:
            await items.delete(await changeable_item(self, items, path.item_id))
        self.set_status(HTTPStatus.NO_CONTENT)
        self.finish()


HANDLERS: list[type[BaseHandler]] = [ItemsHandler, ItemHandler]
