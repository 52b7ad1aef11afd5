"""BLT-DD over the JSON API: a desa's list (a version, the latest by default) and the report
of a region. Same selectors and access as the pages."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from padu.accounts import access
from padu.danadesa import laporan, selectors
from padu.danadesa.schemas import BarisOut, DaftarOut, LaporanDesaOut

router = Router(tags=["danadesa"])


@router.get(
    "/daftar",
    response=DaftarOut,
    summary="Daftar BLT-DD satu desa (versi terakhir, atau ?versi=N)",
    url_name="danadesa_daftar",
)
def daftar(request: HttpRequest, desa: str, tahun: int, versi: int | None = None) -> DaftarOut:
    if not access.can_see_region(request.user, desa):
        raise HttpError(404, "Desa tidak ditemukan atau di luar wilayah Anda.")
    shown = selectors.version(request.user, desa, tahun, versi)
    if shown is None:
        raise HttpError(404, "Belum ada daftar BLT-DD untuk desa dan tahun ini.")
    return DaftarOut(
        kode_desa=shown.kode_desa,
        tahun=shown.tahun,
        versi=shown.versi,
        jenis=shown.jenis,
        pagu=shown.pagu,
        persen=str(shown.persen),
        kuota=shown.kuota,
        baris=[
            BarisOut(
                peringkat=r["b"].peringkat,
                keluarga_id=r["b"].keluarga_id,
                kepala=r["kepala"],
                status=r["b"].status,
                tingkat=r["b"].tingkat,
                alasan=r["b"].alasan,
                keterangan=r["b"].keterangan,
                desil=r["b"].desil,
                konflik=list(r["b"].konflik or []),
            )
            for r in selectors.rows(shown)
        ],
    )


@router.get(
    "/laporan",
    response=list[LaporanDesaOut],
    summary="Laporan BLT-DD per desa di satu wilayah (angka, dibatasi wilayah pengguna)",
    url_name="danadesa_laporan",
)
def laporan_wilayah(request: HttpRequest, wilayah: str, tahun: int) -> list[LaporanDesaOut]:
    return [
        LaporanDesaOut(
            kode_desa=r.kode,
            nama=r.nama,
            kecamatan=r.kecamatan,
            pagu=r.pagu,
            kuota=r.kuota,
            kpm=r.kpm,
            ditetapkan=r.ditetapkan,
            rencana=r.rencana,
            dibayar=r.dibayar,
            porsi_terpakai=round(r.porsi_terpakai, 2),
            di_atas_batas=r.di_atas_batas,
            desil1_tertinggal=r.desil1_tertinggal,
            kpm_per_desil={str(k): v for k, v in sorted(r.desil.items())},
        )
        for r in laporan.laporan(request.user, wilayah, tahun)
    ]
