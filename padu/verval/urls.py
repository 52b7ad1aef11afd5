from django.urls import path

from padu.verval.views import kunjungan, pages, tugas

app_name = "verval"
urlpatterns = [
    path("", pages.index, name="index"),
    path("desa/<str:kode>/", pages.desa, name="desa"),
    path("usulan/<int:pk>/", pages.usulan_detail, name="usulan"),
    path("bukti/<int:pk>/", pages.bukti_file, name="bukti"),
    path("usulan/baru/<str:kode>/", pages.usulan_new, name="usulan_new"),
    path("musdes/<str:kode>/", pages.musdes, name="musdes"),
    path("musdes/<str:kode>/dokumen/<str:nama>", pages.musdes_document, name="musdes_document"),
    path("persetujuan/<str:tahap>/", pages.approvals, name="approvals"),
    path("pengesahan/<int:periode>/", pages.pengesahan, name="pengesahan"),
    path("ekspor/<int:periode>/", pages.periode_export_view, name="ekspor"),
    path("tugas/<int:pk>/keputusan/", tugas.resolve, name="tugas_resolve"),
    path("tugas/<int:pk>/penanggung/", tugas.assign, name="tugas_assign"),
    path("periode/", pages.periods, name="periods"),
    path("kemajuan/", pages.progress, name="progress"),
    # The field visit form (offline first) and its service worker (scope /verval/).
    path("kunjungan/<int:keluarga>/", kunjungan.form, name="kunjungan"),
    path("sw.js", kunjungan.service_worker, name="service_worker"),
]
