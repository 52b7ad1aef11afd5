"""Ninja root: mounts each app's ``api.py`` router under ``/api/v1/``, nothing else."""

from ninja import NinjaAPI

from padu.intake.api import router as intake_router
from padu.linkage.api import router as linkage_router
from padu.quality.api import router as quality_router
from padu.welfare.api import router as welfare_router
from padu.wilayah.api import router as wilayah_router

api = NinjaAPI(title="Padu API", version="1", urls_namespace="api")
api.add_router("/wilayah", wilayah_router)
api.add_router("/kualitas", quality_router)
api.add_router("/linkage", linkage_router)
api.add_router("/kesejahteraan", welfare_router)
api.add_router("/impor", intake_router)
