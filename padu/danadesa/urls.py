from django.urls import path

from padu.danadesa.views import desa, pembayaran, wilayah

app_name = "danadesa"
urlpatterns = [
    path("", wilayah.index, name="index"),
    path("pagu/impor/", wilayah.pagu_impor_view, name="pagu_impor"),
    path("desa/<str:kode>/<int:tahun>/", desa.desa, name="desa"),
    path("desa/<str:kode>/<int:tahun>/pagu/", desa.pagu, name="pagu"),
    path("desa/<str:kode>/<int:tahun>/hitung/", desa.hitung, name="hitung"),
    path("desa/<str:kode>/<int:tahun>/perangkat/", desa.perangkat, name="perangkat"),
    path("desa/<str:kode>/<int:tahun>/musdesus/", desa.musdesus, name="musdesus"),
    path("desa/<str:kode>/<int:tahun>/dokumen/<str:nama>", desa.dokumen_view, name="dokumen"),
    path("desa/<str:kode>/<int:tahun>/pembayaran/", pembayaran.pembayaran, name="pembayaran"),
    path(
        "desa/<str:kode>/<int:tahun>/pembayaran/impor/",
        pembayaran.pembayaran_impor_view,
        name="pembayaran_impor",
    ),
    path("laporan/<str:code>/<int:tahun>/", wilayah.laporan_view, name="laporan"),
    path("laporan/<str:code>/<int:tahun>/omspan.xlsx", wilayah.omspan, name="omspan"),
]
