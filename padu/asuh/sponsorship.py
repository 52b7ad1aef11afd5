"""Every write about foster parents: registering one, confirming a match with its pledge
(only after the guardian's consent), recording a disbursement with its receipt, ending a
sponsorship. Suggestions come from ``padu/engine/asuh/match.py``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count

from padu.accounts import access
from padu.asuh.config import choices
from padu.asuh.models import Anak, Asuhan, OrangTuaAsuh, Penyaluran
from padu.asuh.services import AsuhError, AsuhForbidden, require_child_access
from padu.core.audit import audit_write
from padu.engine.asuh.match import Sponsor, Suggestion, suggest
from padu.verval.services import VervalError
from padu.verval.services.bukti import cleaned
from padu.wilayah.models import Desa


@transaction.atomic
def ota_create(
    *,
    actor: Any,
    jenis: str,
    nama: str,
    kode_desa: str,
    kapasitas: int = 1,
    jangkauan: str = OrangTuaAsuh.Jangkauan.KABUPATEN,
    kebutuhan: list[str] | None = None,
    jumlah_per_bulan: int = 0,
    kontak: str = "",
    user: Any = None,
    status: str = OrangTuaAsuh.StatusOta.AKTIF,
) -> OrangTuaAsuh:
    """Register a foster parent (by the Dinas Sosial or the desa: active at once, or a
    candidate to approach when suggested from the register)."""
    if not access.can_write_region(actor, kode_desa):
        raise AsuhForbidden(f"Anda tidak dapat mencatat orang tua asuh di desa {kode_desa}.")
    if not Desa.objects.filter(code=kode_desa).exists():
        raise AsuhError(f"Kode desa '{kode_desa}' tidak ada di daftar wilayah Kemendagri.")
    if jenis not in OrangTuaAsuh.JenisOta.values:
        raise AsuhError(f"Jenis orang tua asuh '{jenis}' tidak dikenal.")
    bad = set(kebutuhan or []) - set(choices("kebutuhan"))
    if bad:
        raise AsuhError(f"Kebutuhan tidak dikenal: {', '.join(sorted(bad))}.")
    if kapasitas < 1:
        raise AsuhError("Kapasitas sedikitnya satu anak.")
    ota = OrangTuaAsuh.objects.create(
        jenis=jenis, nama=nama.strip(), kode_desa=kode_desa, kapasitas=kapasitas,
        jangkauan=jangkauan, kebutuhan=list(kebutuhan or []), jumlah_per_bulan=jumlah_per_bulan,
        kontak=kontak.strip(), user=user, status=status,
    )  # fmt: skip
    audit_write(actor=actor, action="asuh.ota_create", obj=ota, region_code=kode_desa)
    return ota


def suggestions(anak: Anak) -> list[Suggestion]:
    """Active foster parents with room left whose reach covers the child, best first."""
    taken = dict(
        Asuhan.objects.filter(status=Asuhan.StatusAsuhan.AKTIF)
        .values("ota")
        .annotate(n=Count("anak", distinct=True))
        .values_list("ota", "n")
    )
    already = set(
        anak.asuhan.filter(status=Asuhan.StatusAsuhan.AKTIF).values_list("ota", flat=True)
    )
    sponsors = [
        Sponsor(
            o.pk, o.kode_desa, o.jangkauan, o.kapasitas - taken.get(o.pk, 0), frozenset(o.kebutuhan)
        )
        for o in OrangTuaAsuh.objects.filter(status=OrangTuaAsuh.StatusOta.AKTIF)
        .filter(kode_desa__startswith="33.")
        .exclude(pk__in=already)
    ]
    return suggest(anak.kode_desa, list(anak.kebutuhan), sponsors)


@transaction.atomic
def asuhan_confirm(
    *,
    actor: Any,
    anak: Anak,
    ota: OrangTuaAsuh,
    kebutuhan: str,
    jumlah_per_bulan: int,
    mulai: dt.date,
    selesai: dt.date | None = None,
) -> Asuhan:
    """Confirm a match and its pledge. Nothing of the child reaches the sponsor before the
    guardian's consent is recorded."""
    require_child_access(actor, anak.kode_desa)
    if anak.persetujuan_wali is None:
        raise AsuhError(
            "Persetujuan wali belum dicatat: data anak tidak boleh dibagikan kepada orang tua "
            "asuh sebelum wali setuju (UU PDP 27/2022 pasal 25)."
        )
    if kebutuhan not in choices("kebutuhan"):
        raise AsuhError(f"Kebutuhan '{kebutuhan}' tidak dikenal.")
    if ota.status != OrangTuaAsuh.StatusOta.AKTIF:
        raise AsuhError(f"{ota} belum atau tidak lagi aktif sebagai orang tua asuh.")
    active = Asuhan.objects.filter(ota=ota, status=Asuhan.StatusAsuhan.AKTIF)
    if (
        active.values("anak").distinct().count() >= ota.kapasitas
        and not active.filter(anak=anak).exists()
    ):
        raise AsuhError(f"{ota} sudah mengasuh {ota.kapasitas} anak (batas kesanggupannya).")
    if selesai is not None and selesai < mulai:
        raise AsuhError("Tanggal berakhir tidak boleh sebelum tanggal mulai.")
    made = Asuhan.objects.create(
        anak=anak, ota=ota, kebutuhan=kebutuhan, jumlah_per_bulan=jumlah_per_bulan,
        mulai=mulai, selesai=selesai,
        dikonfirmasi_oleh=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip
    audit_write(
        actor=actor, action="asuh.asuhan_confirm", obj=made, region_code=anak.kode_desa,
        detail={"ota": ota.pk, "kebutuhan": kebutuhan, "per_bulan": jumlah_per_bulan},
    )  # fmt: skip
    return made


@transaction.atomic
def penyaluran_record(
    *,
    actor: Any,
    asuhan: Asuhan,
    tanggal: dt.date,
    jumlah: int,
    bukti: UploadedFile | None,
    rekening: str = "",
) -> Penyaluran:
    """One disbursement to the guardian's account, with its receipt."""
    require_child_access(actor, asuhan.anak.kode_desa)
    if asuhan.status != Asuhan.StatusAsuhan.AKTIF:
        raise AsuhError("Asuhan ini sudah berakhir.")
    if jumlah <= 0:
        raise AsuhError("Jumlah penyaluran harus lebih dari nol.")
    if bukti is None:
        raise AsuhError("Unggah bukti terima (foto kuitansi atau bukti transfer).")
    try:
        receipt = cleaned(bukti)  # no metadata or location kept in the stored file
    except VervalError as exc:
        raise AsuhError(str(exc)) from exc
    paid = Penyaluran(
        asuhan=asuhan, tanggal=tanggal, jumlah=jumlah, rekening=rekening.strip(),
        dicatat_oleh=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip
    receipt.save_to(paid.bukti, asuhan.anak.kode_desa, save=False)
    paid.save()
    audit_write(
        actor=actor, action="asuh.penyaluran", obj=paid, region_code=asuhan.anak.kode_desa,
        detail={"jumlah": jumlah},
    )  # fmt: skip
    return paid


@transaction.atomic
def asuhan_end(*, actor: Any, asuhan: Asuhan, alasan: str, tanggal: dt.date) -> Asuhan:
    """End a sponsorship (turned 18, moved, stopped ...) with its reason."""
    require_child_access(actor, asuhan.anak.kode_desa)
    if not alasan.strip():
        raise AsuhError("Tulis alasan berakhirnya asuhan (mis. sudah 18 tahun, pindah).")
    asuhan.status = Asuhan.StatusAsuhan.BERAKHIR
    asuhan.alasan_berakhir = alasan.strip()
    asuhan.selesai = tanggal
    asuhan.save()
    audit_write(
        actor=actor, action="asuh.asuhan_end", obj=asuhan, region_code=asuhan.anak.kode_desa
    )
    return asuhan


def ota_counts(prefix: str) -> dict[str, dict[str, float]]:
    """Per desa: registered foster parents, matched children and rupiah pledged and paid."""
    out: dict[str, dict[str, float]] = {}

    def add(code: str, key: str, n: float) -> None:
        out.setdefault(code, {})
        out[code][key] = out[code].get(key, 0) + n

    for code, n in (
        OrangTuaAsuh.objects.filter(kode_desa__startswith=prefix)
        .exclude(status=OrangTuaAsuh.StatusOta.BERHENTI)
        .values_list("kode_desa")
        .annotate(n=Count("id"))
    ):
        add(code, "ota", n)
    active = Asuhan.objects.filter(
        status=Asuhan.StatusAsuhan.AKTIF, anak__kode_desa__startswith=prefix
    )
    for r in active.values("anak__kode_desa").annotate(n=Count("anak", distinct=True)):
        add(r["anak__kode_desa"], "anak_diasuh", r["n"])
    for a in active.values("anak__kode_desa", "jumlah_per_bulan"):
        add(a["anak__kode_desa"], "janji_per_bulan", a["jumlah_per_bulan"])
    for p in Penyaluran.objects.filter(asuhan__anak__kode_desa__startswith=prefix).values(
        "asuhan__anak__kode_desa", "jumlah"
    ):
        add(p["asuhan__anak__kode_desa"], "disalurkan", p["jumlah"])
    return out


def ota_self_register(
    *, nama: str, jenis: str, kode_desa: str, kontak: str, kapasitas: int, jangkauan: str,
    kebutuhan: list[str], jumlah_per_bulan: int, ip_hash: str,
) -> OrangTuaAsuh:  # fmt: skip
    """A resident registers as a foster parent on the public page: a candidate the Dinas
    Sosial or the desa verifies before any match."""
    from django.utils import timezone

    from padu.asuh.config import settings as asuh_settings
    from padu.layanan import limits

    if not limits.allow(f"ota:ip:{ip_hash}", asuh_settings()["daftar_ota_per_ip"], timezone.now()):
        raise AsuhError("Terlalu banyak pendaftaran dari perangkat ini hari ini. Coba lagi besok.")
    problems = []
    if not nama.strip():
        problems.append("isi nama")
    if jenis not in ("warga", "asn", "relawan", "lembaga"):
        problems.append("pilih jenis")
    if not Desa.objects.filter(code=kode_desa).exists():
        problems.append("pilih desa/kelurahan tempat tinggal")
    if len("".join(ch for ch in kontak if ch.isdigit())) < 8:
        problems.append("isi nomor telepon/WA yang dapat dihubungi")
    if kapasitas < 1:
        problems.append("sanggup mengasuh sedikitnya satu anak")
    if jangkauan not in OrangTuaAsuh.Jangkauan.values:
        problems.append("pilih jangkauan")
    bad = set(kebutuhan) - set(choices("kebutuhan"))
    if bad:
        problems.append(f"kebutuhan tidak dikenal: {', '.join(sorted(bad))}")
    if problems:
        raise AsuhError("Pendaftaran belum dapat dikirim: " + "; ".join(problems) + ".")
    with transaction.atomic():
        ota = OrangTuaAsuh.objects.create(
            jenis=jenis, nama=nama.strip()[:255], kode_desa=kode_desa, kontak=kontak.strip()[:100],
            kapasitas=kapasitas, jangkauan=jangkauan, kebutuhan=kebutuhan,
            jumlah_per_bulan=max(jumlah_per_bulan, 0), status=OrangTuaAsuh.StatusOta.CALON,
        )  # fmt: skip
        audit_write(
            actor=None, action="asuh.ota_daftar", obj=ota, region_code=kode_desa,
            detail={"ip": ip_hash[:12]},
        )  # fmt: skip
    return ota


@transaction.atomic
def ota_verify(*, actor: Any, ota: OrangTuaAsuh, terima: bool) -> OrangTuaAsuh:
    """The Dinas Sosial or the desa verifies a candidate: active, or stopped."""
    if not access.can_write_region(actor, ota.kode_desa):
        raise AsuhForbidden(f"Anda tidak dapat memverifikasi orang tua asuh desa {ota.kode_desa}.")
    ota.status = OrangTuaAsuh.StatusOta.AKTIF if terima else OrangTuaAsuh.StatusOta.BERHENTI
    ota.save()
    audit_write(
        actor=actor, action="asuh.ota_verifikasi", obj=ota, region_code=ota.kode_desa,
        detail={"status": ota.status},
    )  # fmt: skip
    return ota


@transaction.atomic
def pemantauan_record(
    *, actor: Any, anak: Anak, tanggal: dt.date, masih_sekolah: bool, kelas: str = "",
    kondisi: str = "",
) -> Any:  # fmt: skip
    """A monitoring visit (still in school, grade, condition)."""
    from padu.asuh.models import Pemantauan

    require_child_access(actor, anak.kode_desa)
    visit = Pemantauan.objects.create(
        anak=anak, tanggal=tanggal, masih_sekolah=masih_sekolah, kelas=kelas.strip()[:20],
        kondisi=kondisi.strip()[:500], petugas=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip
    audit_write(actor=actor, action="asuh.pemantauan", obj=visit, region_code=anak.kode_desa)
    return visit
