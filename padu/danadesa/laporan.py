"""BLT-DD reports per desa, kecamatan and kabupaten, the what-if at another share, and the
monthly realisation export in an OM-SPAN-like layout. Aggregates: every logged-in user sees
the figures of the desa its roles cover (scoped through access.py, no personal data)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import polars as pl
import xlsxwriter
from django.db.models import Count, Max, Sum

from padu.accounts import access
from padu.core.formatting import BULAN
from padu.danadesa.models import AturanTahun, Baris, Daftar, Musdesus, Pagu, Pembayaran
from padu.engine.danadesa import Aturan, Hasil, andai_porsi, dari_dict
from padu.wilayah.models import Desa


@dataclass
class Baris_:
    kode: str
    nama: str
    kecamatan: str
    pagu: int = 0
    persen: Decimal = Decimal(0)
    kuota: int = 0
    kpm: int = 0
    ditetapkan: bool = False
    rencana: int = 0
    dibayar: int = 0
    batas_rp: int = 0
    desil: dict[int, int] = field(default_factory=dict)
    desil1_di_luar: int = 0
    lain_masuk: int = 0
    andai: dict[str, int] = field(default_factory=dict)

    @property
    def porsi_terpakai(self) -> float:
        """Planned BLT-DD as a share of the year's limit (100 = the whole limit)."""
        return 100.0 * self.rencana / self.batas_rp if self.batas_rp else 0.0

    @property
    def di_atas_batas(self) -> bool:
        return self.batas_rp > 0 and self.rencana > self.batas_rp

    @property
    def desil1_tertinggal(self) -> bool:
        """Desil-1 families left out while families of higher desil are in."""
        return self.desil1_di_luar > 0 and self.lain_masuk > 0


def _scope(qs: Any, user: Any, code: str) -> Any:
    # ``user`` None: a system job (the dashboard refresh) that reads every region; pages
    # and commands always pass the user they act for.
    scoped = (
        qs if user is None else access.scope_by_region(qs, user, "kode_desa", personal_data=False)
    )
    prefix = code if len(code) == 13 else code.rstrip(".") + "."
    return scoped.filter(kode_desa__startswith=prefix)


def aturan(tahun: int) -> Aturan | None:
    row = AturanTahun.objects.filter(tahun=tahun).first()
    return dari_dict(row.data) if row else None


def _latest(versions: list[Daftar]) -> tuple[dict[str, Daftar], dict[str, Daftar]]:
    last: dict[str, Daftar] = {}
    final: dict[str, Daftar] = {}
    for d in sorted(versions, key=lambda d: d.versi):
        last[d.kode_desa] = d
        if d.jenis == Daftar.Jenis.PENETAPAN:
            final[d.kode_desa] = d
    return last, final


def laporan(user: Any, code: str, tahun: int, persen_andai: Decimal | None = None) -> list[Baris_]:
    """One row per desa under ``code`` that has a pagu or a list for ``tahun``."""
    rule = aturan(tahun)
    pagus = {p.kode_desa: p for p in _scope(Pagu.objects.filter(tahun=tahun), user, code)}
    last, final = _latest(list(_scope(Daftar.objects.filter(tahun=tahun), user, code)))
    codes = sorted(set(pagus) | set(last))
    names = {d.code: d for d in Desa.objects.filter(code__in=codes).select_related("kecamatan")}
    paid = dict(
        _scope(Pembayaran.objects.filter(tahun=tahun), user, code)
        .values("kode_desa")
        .annotate(s=Sum("jumlah"))
        .values_list("kode_desa", "s")
    )
    chosen = {k: final.get(k) or last[k] for k in last}
    counts = (
        Baris.objects.filter(daftar__in=list(chosen.values()) + list(last.values()))
        .values("daftar_id", "desil", "status")
        .annotate(n=Count("id"))
    )
    by_daftar: dict[int, list[dict[str, Any]]] = {}
    for c in counts:
        by_daftar.setdefault(c["daftar_id"], []).append(dict(c))
    out = []
    for k in codes:
        desa = names.get(k)
        row = Baris_(k, desa.name if desa else k, desa.kecamatan.name if desa else k[:8])
        p = pagus.get(k)
        if p is not None:
            row.pagu = p.pagu
            row.persen = (
                p.persen_blt if p.persen_blt is not None else (rule.persen if rule else Decimal(0))
            )
        if rule is not None and row.pagu:
            row.batas_rp = int(Decimal(row.pagu) * rule.persen / 100)
            row.kuota = rule.kuota(row.pagu, row.persen)
        d = chosen.get(k)
        if d is not None:
            row.ditetapkan = d.jenis == Daftar.Jenis.PENETAPAN
            for cnt in by_daftar.get(d.pk, []):  # one count per desil and status
                if cnt["status"] == Baris.Status.KPM:
                    row.kpm += cnt["n"]
                    row.desil[cnt["desil"] or 0] = row.desil.get(cnt["desil"] or 0, 0) + cnt["n"]
                    if (cnt["desil"] or 99) > 1:
                        row.lain_masuk += cnt["n"]
                elif cnt["desil"] == 1:
                    row.desil1_di_luar += cnt["n"]
        if rule is not None:
            row.rencana = row.kpm * rule.nilai_per_tahun
        row.dibayar = int(paid.get(k) or 0)
        out.append(row)
    if persen_andai is not None and rule is not None:
        _andai(out, last, rule, persen_andai)
    return out


def _andai(rows: list[Baris_], last: dict[str, Daftar], rule: Aturan, persen: Decimal) -> None:
    """Fill ``andai`` of each row from the latest list's ranks (the engine's what-if)."""
    ranked = list(
        Baris.objects.filter(daftar__in=list(last.values()))
        .exclude(tingkat=None)
        .exclude(status=Baris.Status.DIHAPUS)
        .values_list("daftar__kode_desa", "peringkat", "desil", "status")
    )
    daftar = pl.DataFrame(
        {
            "kode_desa": [r[0] for r in ranked],
            "peringkat": [r[1] for r in ranked],
            "desil": [r[2] for r in ranked],
            "dalam_kuota": [r[3] == Baris.Status.KPM for r in ranked],
        },
        schema={
            "kode_desa": pl.String,
            "peringkat": pl.Int64,
            "desil": pl.Int64,
            "dalam_kuota": pl.Boolean,
        },
    )
    ringkasan = pl.DataFrame(
        {
            "kode_desa": [r.kode for r in rows],
            "pagu": [r.pagu for r in rows],
            "kuota": [r.kuota for r in rows],
        },
        schema={"kode_desa": pl.String, "pagu": pl.Int64, "kuota": pl.Int64},
    )
    empty = pl.DataFrame()
    result = andai_porsi(Hasil(daftar, empty, ringkasan), rule, persen)
    by_code = {r["kode_desa"]: r for r in result.iter_rows(named=True)}
    for row in rows:
        got = by_code.get(row.kode)
        if got:
            row.andai = {
                k: int(got[k])
                for k in (
                    "kuota_andai",
                    "tercakup_andai",
                    "tambahan",
                    "desil1_tercakup",
                    "desil1_andai",
                    "tambahan_desil1",
                )
            }


def total(rows: list[Baris_]) -> Baris_:
    """The sum of rows (a kecamatan or the whole region)."""
    t = Baris_("", "Jumlah", "")
    for r in rows:
        t.pagu += r.pagu
        t.kuota += r.kuota
        t.kpm += r.kpm
        t.rencana += r.rencana
        t.dibayar += r.dibayar
        t.batas_rp += r.batas_rp
        t.desil1_di_luar += r.desil1_di_luar
        for d, n in r.desil.items():
            t.desil[d] = t.desil.get(d, 0) + n
        for key, n in r.andai.items():
            t.andai[key] = t.andai.get(key, 0) + n
    return t


def per_kecamatan(rows: list[Baris_]) -> list[tuple[str, list[Baris_], Baris_]]:
    groups: dict[str, list[Baris_]] = {}
    for r in rows:
        groups.setdefault(r.kode[:8], []).append(r)
    return [(g[0].kecamatan, g, total(g)) for _, g in sorted(groups.items())]


OMSPAN_KOLOM = [
    "No",
    "Kode Desa",
    "Nama Desa",
    "Kecamatan",
    "Tahun",
    "Bulan",
    "Pagu Dana Desa (Rp)",
    "Nomor Perkades",
    "Jumlah KPM Ditetapkan",
    "Jumlah KPM Tersalur",
    "KPM Tunai",
    "KPM Transfer",
    "Realisasi Bulan Ini (Rp)",
    "Realisasi s.d. Bulan Ini (Rp)",
    "Tanggal Salur Terakhir",
]


def omspan_xlsx(user: Any, code: str, tahun: int, bulan: int) -> bytes:
    """Realisation of BLT-DD for one month per desa, in the columns of the national report."""
    rows = laporan(user, code, tahun)
    pay = _scope(Pembayaran.objects.filter(tahun=tahun), user, code)
    month = {
        r["kode_desa"]: r
        for r in pay.filter(bulan=bulan)
        .values("kode_desa")
        .annotate(
            n=Count("id"),
            s=Sum("jumlah"),
            t=Max("tanggal"),
        )
    }
    cash = dict(
        pay.filter(bulan=bulan, cara="tunai")
        .values("kode_desa")
        .annotate(n=Count("id"))
        .values_list("kode_desa", "n")
    )
    upto = dict(
        pay.filter(bulan__lte=bulan)
        .values("kode_desa")
        .annotate(s=Sum("jumlah"))
        .values_list("kode_desa", "s")
    )
    perkades = dict(
        _scope(Musdesus.objects.filter(tahun=tahun), user, code)
        .order_by("tanggal", "id")
        .values_list("kode_desa", "nomor_perkades")
    )
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False})
    ws = wb.add_worksheet("Realisasi BLT Desa")
    head = wb.add_format({"bold": True, "border": 1, "text_wrap": True, "valign": "top"})
    money = wb.add_format({"num_format": "#,##0", "border": 1})
    cell = wb.add_format({"border": 1})
    ws.write_string(
        0, 0, f"Realisasi BLT Dana Desa bulan {BULAN[bulan - 1]} {tahun} - wilayah {code}"
    )
    for c, name in enumerate(OMSPAN_KOLOM):
        ws.write_string(2, c, name, head)
    for i, r in enumerate(rows, start=1):
        m = month.get(r.kode, {})
        n = int(m.get("n") or 0)
        values: list[Any] = [
            i,
            r.kode,
            r.nama,
            r.kecamatan,
            tahun,
            bulan,
            r.pagu,
            perkades.get(r.kode, ""),
            r.kpm if r.ditetapkan else 0,
            n,
            int(cash.get(r.kode) or 0),
            n - int(cash.get(r.kode) or 0),
            int(m.get("s") or 0),
            int(upto.get(r.kode) or 0),
            m["t"].isoformat() if m.get("t") else "",
        ]
        for c, v in enumerate(values):
            if isinstance(v, int):
                ws.write_number(2 + i, c, v, money if c in (6, 12, 13) else cell)
            else:
                ws.write_string(2 + i, c, str(v), cell)
    ws.set_column(0, 0, 5)
    ws.set_column(1, 3, 18)
    ws.set_column(4, 14, 14)
    ws.freeze_panes(3, 0)
    wb.close()
    return buf.getvalue()
