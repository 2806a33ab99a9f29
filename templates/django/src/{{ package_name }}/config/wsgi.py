"""The WSGI application that the server serves."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"{__package__}.settings")

application = get_wsgi_application()
