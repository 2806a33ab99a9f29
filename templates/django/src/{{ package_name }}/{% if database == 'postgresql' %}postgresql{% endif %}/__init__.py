"""Django's PostgreSQL backend, whose pool survives the database dropping every connection."""
