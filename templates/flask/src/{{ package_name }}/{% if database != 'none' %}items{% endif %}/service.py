"""Reading and writing items."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ..errors import NotFoundError
from .models import Item
from .schemas import MAX_ID, ItemPage, ItemRead, ItemUpdate

NOT_FOUND = "Item not found"


class ItemService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def page(self, *, limit: int, offset: int) -> ItemPage:
        """Items in creation order, with the total count."""
        total = self.session.scalar(select(func.count()).select_from(Item))
        items = self.session.scalars(select(Item).order_by(Item.id).limit(limit).offset(offset))
        return ItemPage(
            items=[ItemRead.model_validate(item) for item in items],
            total=total or 0,
            limit=limit,
            offset=offset,
        )

    def read(self, item_id: int) -> ItemRead:
        return ItemRead.model_validate(self.get(item_id))

    def get(self, item_id: int) -> Item:
        """The item as a model, to change or delete it."""
        # Ids outside a 32-bit key are no item's: not worth a query, which some databases refuse.
        item = self.session.get(Item, item_id) if 1 <= item_id <= MAX_ID else None
        if item is None:
            raise NotFoundError(NOT_FOUND)
        return item

    def add(self, item: Item) -> ItemRead:
        self.session.add(item)
        self.session.commit()
        return ItemRead.model_validate(item)

    def update(self, item: Item, changes: ItemUpdate) -> ItemRead:
        for field, value in changes.model_dump(exclude_unset=True).items():
            setattr(item, field, value)
        try:
            self.session.commit()
        except StaleDataError:  # deleted by another request since it was read
            self.session.rollback()
            raise NotFoundError(NOT_FOUND) from None
        return ItemRead.model_validate(item)

    def delete(self, item: Item) -> None:
        self.session.delete(item)
        self.session.commit()
