"""Background tasks: enqueue work for the Celery worker and read its result."""
