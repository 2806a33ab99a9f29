"""Items: the example resource, /api/v1/items."""
