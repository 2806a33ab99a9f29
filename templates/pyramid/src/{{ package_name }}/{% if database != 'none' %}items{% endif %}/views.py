"""The items API: /api/v1/items."""

from typing import Any

from pyramid.httpexceptions import HTTPNoContent
from pyramid.request import Request
from pyramid.view import view_config

from .permissions import CHANGE_ERRORS, CREATE_ERRORS, ItemResource, Items, new_item
from .schemas import ItemCreate, ItemPage, ItemPath, ItemRead, ItemUpdate, PageQuery

NOT_FOUND: dict[int, Any] = {404: "No item has this id"}


@view_config(
    route_name="items",
    request_method="GET",
    renderer="json",
    query=PageQuery,
    responses={200: ItemPage},
    tags=["items"],
)
def list_items(context: Items, request: Request) -> ItemPage:
    """A page of items, oldest first, with the total count."""
    page = request.validated_query
    return context.service.page(limit=page.limit, offset=page.offset)


@view_config(
    route_name="items",
    request_method="POST",
    renderer="json",
    permission="create",
    body=ItemCreate,
    status=201,
    responses={201: ItemRead, **CREATE_ERRORS},
    tags=["items"],
)
def create_item(context: Items, request: Request) -> ItemRead:
    return context.service.add(new_item(request, request.validated))


@view_config(
    route_name="item",
    request_method="GET",
    renderer="json",
    path=ItemPath,
    responses={200: ItemRead, **NOT_FOUND},
    tags=["items"],
)
def read_item(context: ItemResource, request: Request) -> ItemRead:
    return context.service.read(request.validated_path.item_id)


@view_config(
    route_name="item",
    request_method="PATCH",
    renderer="json",
    permission="change",
    path=ItemPath,
    body=ItemUpdate,
    responses={200: ItemRead, **NOT_FOUND, **CHANGE_ERRORS},
    tags=["items"],
)
def update_item(context: ItemResource, request: Request) -> ItemRead:
    """Change the fields given; the others keep their value."""
    return context.service.update(context.item, request.validated)


@view_config(
    route_name="item",
    request_method="DELETE",
    permission="change",
    path=ItemPath,
    responses={204: None, **NOT_FOUND, **CHANGE_ERRORS},
    tags=["items"],
)
def delete_item(context: ItemResource, _request: Request) -> HTTPNoContent:
    context.service.delete(context.item)
    return HTTPNoContent()
