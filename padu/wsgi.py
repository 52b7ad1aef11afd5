import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "padu.settings")
application = get_wsgi_application()
# Import the URL configuration (every app's views and API, with Polars and scikit-learn) now,
# not on each worker's first request (seconds): under ``gunicorn --preload`` it is imported
# once, before the workers fork, and they answer at once.
get_resolver().url_patterns  # noqa: B018
