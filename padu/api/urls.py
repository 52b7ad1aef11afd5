"""Ninja root: mounts each app's ``api.py`` router under ``/api/v1/``, nothing else."""

from ninja import NinjaAPI

from padu.wilayah.api import router as wilayah_router

api = NinjaAPI(title="Padu API", version="1", urls_namespace="api")
api.add_router("/wilayah", wilayah_router)
