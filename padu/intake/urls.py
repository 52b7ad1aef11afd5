from django.urls import path

from padu.intake import views

app_name = "intake"
urlpatterns = [
    path("", views.run_list, name="list"),
    path("baru/", views.upload, name="upload"),
    path("ekspor/", views.export, name="export"),
    path("<int:pk>/", views.run_detail, name="run"),
    path("<int:pk>/pemetaan/", views.mapping, name="mapping"),
    path("<int:pk>/kemajuan/", views.run_progress, name="progress"),
    path("<int:pk>/karantina.xlsx", views.quarantine_download, name="quarantine"),
    path("<int:pk>/laporan.xlsx", views.report_download, name="report"),
    path("<int:pk>/batal/", views.rollback, name="rollback"),
    path("<int:pk>/lanjutkan/", views.resume, name="resume"),
]
