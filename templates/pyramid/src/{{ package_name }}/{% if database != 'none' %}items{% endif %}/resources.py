"""The contexts of the items routes: the collection, and one item, loaded when first needed."""

from functools import cached_property

from pyramid.request import Request

from ..validation import validate
from .models import Item
from .schemas import ItemPath
from .service import ItemService


class Items:
    """/api/v1/items."""

    def __init__(self, request: Request) -> None:
        self.request = request
        self.service: ItemService = request.item_service


class ItemResource(Items):
    """/api/v1/items/{item_id}."""

    @cached_property
    def item(self) -> Item:
        path = validate(ItemPath, self.request.matchdict, "path")
        assert isinstance(path, ItemPath)  # noqa: S101 - for the type checker
        return self.service.get(path.item_id)
