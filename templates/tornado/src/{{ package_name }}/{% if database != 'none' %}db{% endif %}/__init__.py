"""Database access: models base, URLs, the async engine and migrations."""
