"""Tasks: work handed to the Celery worker, /api/v1/tasks."""
