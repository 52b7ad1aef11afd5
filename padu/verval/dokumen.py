"""The documents of a recorded musdes (Berita Acara, BNBA, SPTJM) from the database: the
bridge between the verval models and the framework-free generators of ``documents/``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from padu.core.masking import mask_number
from padu.registry.models import Person
from padu.verval import documents as doc
from padu.verval.models import KeputusanMusdes, Musdes, Usulan
from padu.wilayah.models import Desa

# name -> (content type, builder)
FILES: dict[str, tuple[str, Callable[[Musdes], bytes]]] = {}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def wilayah(kode_desa: str) -> doc.Wilayah:
    desa = Desa.objects.select_related("kecamatan__kabupaten").filter(code=kode_desa).first()
    if desa is None:
        return doc.Wilayah("Jawa Tengah", kode_desa[:5], kode_desa[:8], kode_desa, kode_desa)
    jenis = "Kelurahan" if str(getattr(desa, "jenis", "")) in {"2", "kelurahan"} else "Desa"
    kab = desa.kecamatan.kabupaten.name
    return doc.Wilayah(
        provinsi="Jawa Tengah",
        kabupaten=kab if kab.lower().startswith(("kabupaten", "kota")) else f"Kabupaten {kab}",
        kecamatan=desa.kecamatan.name,
        desa=desa.name,
        kode_desa=kode_desa,
        jenis_desa=jenis,
    )


def _uraian(usulan: Usulan) -> str:
    data = usulan.data or {}
    if usulan.jenis == Usulan.Jenis.NONAKTIF:
        reason = usulan.alasan_nonaktif.label if usulan.alasan_nonaktif else ""
        who = f"anggota {usulan.person.nama}" if usulan.person else "keluarga"
        return f"Nonaktifkan {who}: {reason}"
    if usulan.jenis == Usulan.Jenis.PERBAIKAN:
        parts = [f"{k}: {v}" for k, v in (data.get("keluarga") or {}).items()]
        parts += [f"anggota {k}: {', '.join(v)}" for k, v in (data.get("anggota") or {}).items()]
        if data.get("anggota_baru"):
            parts.append(f"{len(data['anggota_baru'])} anggota baru")
        return "; ".join(parts)[:300]
    if usulan.jenis == Usulan.Jenis.BARU:
        return f"Keluarga baru, {len(data.get('anggota') or [])} anggota"
    return "Aktifkan kembali"


def _row(number: int, decision: KeputusanMusdes) -> doc.Keputusan:
    usulan = decision.usulan
    fam = usulan.keluarga
    head = None
    if fam is not None:
        head = Person.objects.filter(keluarga=fam, hub_kepala_keluarga=1).first()
    baru = (usulan.data or {}).get("anggota") or [{}]
    name = head.nama if head else str(baru[0].get("nama", "-"))
    nik = mask_number(head.nik) if head and head.nik else "-"
    address = (
        f"{fam.alamat} RT {fam.rt or '-'}/RW {fam.rw or '-'}"
        if fam
        else str((usulan.data or {}).get("keluarga", {}).get("alamat", "-"))
    )
    members = Person.objects.filter(keluarga=fam).count() if fam else len(baru)
    return doc.Keputusan(
        nomor=number, nama_kepala=name or "-", nik_tersamar=nik, alamat=address or "-",
        jenis=usulan.jenis, uraian=_uraian(usulan) or "-", keputusan=decision.keputusan,
        alasan=decision.alasan, jumlah_art=members,
    )  # fmt: skip


def _people(rows: list[dict[str, Any]]) -> list[doc.Penandatangan]:
    return [doc.Penandatangan(jabatan=r.get("jabatan") or "-", nama=r["nama"]) for r in rows]


def musdes_document(musdes: Musdes) -> doc.Musdes:
    decisions = (
        KeputusanMusdes.objects.filter(musdes=musdes)
        .select_related("usulan__keluarga", "usulan__person", "usulan__alasan_nonaktif")
        .order_by("usulan__kode_desa", "usulan_id")
    )
    return doc.Musdes(
        wilayah=wilayah(musdes.kode_desa),
        periode=musdes.periode.nama,
        jenis="muskel" if musdes.jenis == Musdes.Jenis.MUSKEL else "musdes",
        nomor=musdes.nomor,
        tanggal=musdes.tanggal,
        tempat=musdes.tempat,
        pimpinan=musdes.pimpinan,
        peserta=_people(musdes.peserta),
        keputusan=[_row(i, d) for i, d in enumerate(decisions, start=1)],
        penandatangan=_people(musdes.penandatangan),
        catatan=musdes.catatan,
    )


def sptjm_document(musdes: Musdes) -> doc.Sptjm:
    built = musdes_document(musdes)
    counts: dict[str, int] = {}
    for row in built.keputusan:
        label = Usulan.Jenis(row.jenis).label
        counts[label] = counts.get(label, 0) + 1
    signer = (
        built.penandatangan[0] if built.penandatangan else doc.Penandatangan("Kepala Desa", "-")
    )
    return doc.Sptjm(
        wilayah=built.wilayah, periode=built.periode, nomor=musdes.nomor, tanggal=musdes.tanggal,
        penanggung_jawab=signer, jumlah_usulan=len(built.keputusan),
        ringkasan=sorted(counts.items()), alasan_tanpa_musdes=musdes.alasan_tanpa_musdes or "-",
    )  # fmt: skip


FILES.update(
    {
        "berita-acara.pdf": ("application/pdf", lambda m: doc.berita_acara_pdf(musdes_document(m))),
        "berita-acara.docx": (DOCX, lambda m: doc.berita_acara_docx(musdes_document(m))),
        "bnba.xlsx": (XLSX, lambda m: doc.bnba_xlsx(doc.bnba_dari_musdes(musdes_document(m)))),
        "bnba.pdf": (
            "application/pdf",
            lambda m: doc.bnba_pdf(doc.bnba_dari_musdes(musdes_document(m))),
        ),
        "sptjm.pdf": ("application/pdf", lambda m: doc.sptjm_pdf(sptjm_document(m))),
        "sptjm.docx": (DOCX, lambda m: doc.sptjm_docx(sptjm_document(m))),
    }
)
