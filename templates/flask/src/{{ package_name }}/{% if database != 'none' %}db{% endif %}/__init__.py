"""Database access: models base, URLs, the engine, the session of each request and migrations."""
