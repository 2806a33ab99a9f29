"""Items: the example resource, with CRUD under /api/v1/items."""
