"""The yearly BLT Dana Desa rules as data (no Django).

A rule carries its year and legal basis, the share of Dana Desa (at most or at least
``persen`` %), the amount per family per month, the months, the priority cascade
(``tingkat``), the exclusions (``pengecualian``) and the order inside a tier (``urutan``).
The defaults live in ``aturan.yaml``; the Django side stores the same dictionaries in the
database and builds :class:`Aturan` from them with :func:`dari_dict`. Every error names the
year and the field, in Bahasa Indonesia.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from importlib import resources
from typing import Any

import yaml

BATAS = {"maksimal": "paling banyak", "minimal": "paling sedikit"}
ARAH = {"naik": False, "turun": True}  # value: descending?


class AturanError(ValueError):
    """A rule that cannot be used (message in Bahasa Indonesia)."""


@dataclass(frozen=True)
class Syarat:
    """One condition on a family column: equal to, one of, or between (inclusive)."""

    kolom: str
    sama: Any = None
    dalam: tuple[Any, ...] | None = None
    min: float | None = None
    maks: float | None = None

    def uraian(self) -> str:
        if self.dalam is not None:
            return f"{self.kolom} salah satu dari {', '.join(map(str, self.dalam))}"
        if self.min is not None or self.maks is not None:
            return f"{self.kolom} {self.min if self.min is not None else '...'}-" + (
                f"{self.maks if self.maks is not None else '...'}"
            )
        return f"{self.kolom} = {self.sama}"


@dataclass(frozen=True)
class Tingkat:
    """A tier of the priority cascade."""

    kode: str
    nama: str
    semua: tuple[Syarat, ...] = ()
    salah_satu: tuple[Syarat, ...] = ()


@dataclass(frozen=True)
class Pengecualian:
    kode: str
    nama: str
    syarat: Syarat


@dataclass(frozen=True)
class Urutan:
    kolom: str
    turun: bool = False


@dataclass(frozen=True)
class Aturan:
    tahun: int
    dasar_hukum: str
    batas: str
    persen: Decimal
    nilai_per_bulan: int
    bulan: int
    tingkat: tuple[Tingkat, ...]
    pengecualian: tuple[Pengecualian, ...] = ()
    urutan: tuple[Urutan, ...] = ()
    catatan: str = ""

    @property
    def nilai_per_tahun(self) -> int:
        """Rupiah one family receives over the year."""
        return self.nilai_per_bulan * self.bulan

    def uraian_batas(self) -> str:
        return f"{BATAS[self.batas]} {self.persen}% Dana Desa"

    def kolom(self) -> set[str]:
        """Every family column the rule reads."""
        cols = {u.kolom for u in self.urutan}
        for t in self.tingkat:
            cols |= {s.kolom for s in (*t.semua, *t.salah_satu)}
        cols |= {p.syarat.kolom for p in self.pengecualian}
        return cols

    def kuota(self, pagu: int, persen: Decimal | None = None) -> int:
        """Families the budget pays for: floor(pagu x share / (amount x months))."""
        share = self.persen if persen is None else persen
        return int((Decimal(pagu) * share) // (Decimal(100) * self.nilai_per_tahun))

    def periksa_persen(self, persen: Decimal) -> None:
        """Raise when a desa's planned share breaks the year's limit."""
        if self.batas == "maksimal" and persen > self.persen:
            raise AturanError(
                f"Porsi BLT-DD {persen}% melebihi batas tahun {self.tahun}: "
                f"{self.uraian_batas()} ({self.dasar_hukum}). Turunkan porsinya."
            )
        if self.batas == "minimal" and persen < self.persen:
            raise AturanError(
                f"Porsi BLT-DD {persen}% kurang dari batas tahun {self.tahun}: "
                f"{self.uraian_batas()} ({self.dasar_hukum}). Naikkan porsinya."
            )


def _syarat(data: Any, where: str) -> Syarat:
    if not isinstance(data, dict) or not str(data.get("kolom") or "").strip():
        raise AturanError(f"{where}: setiap syarat wajib punya 'kolom'.")
    keys = {"sama", "dalam", "min", "maks"} & set(data)
    if not keys:
        raise AturanError(
            f"{where}: syarat kolom {data['kolom']} perlu 'sama', 'dalam' atau 'min'/'maks'."
        )
    dalam = data.get("dalam")
    return Syarat(
        kolom=str(data["kolom"]).strip(),
        sama=data.get("sama"),
        dalam=tuple(dalam) if dalam is not None else None,
        min=data.get("min"),
        maks=data.get("maks"),
    )


def _angka(data: dict[str, Any], key: str, where: str) -> int:
    value = data.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise AturanError(
            f"{where}: '{key}' wajib bilangan bulat lebih dari 0 (tertulis {value!r})."
        )
    return value


def dari_dict(data: dict[str, Any]) -> Aturan:
    """Build and check one year's rule from its dictionary (YAML or database JSON)."""
    tahun = data.get("tahun")
    where = f"Aturan BLT-DD tahun {tahun}"
    if not isinstance(tahun, int) or not 2000 <= tahun <= 2100:
        raise AturanError(f"Aturan BLT-DD: 'tahun' wajib tahun empat angka (tertulis {tahun!r}).")
    dasar = str(data.get("dasar_hukum") or "").strip()
    if not dasar:
        raise AturanError(f"{where}: 'dasar_hukum' wajib diisi (peraturan yang menjadi dasar).")
    batas = str(data.get("batas") or "")
    if batas not in BATAS:
        raise AturanError(f"{where}: 'batas' harus 'maksimal' atau 'minimal' (tertulis {batas!r}).")
    try:
        persen = Decimal(str(data.get("persen")))
    except InvalidOperation:
        raise AturanError(
            f"{where}: 'persen' wajib angka (tertulis {data.get('persen')!r})."
        ) from None
    if not Decimal(0) < persen <= Decimal(100):
        raise AturanError(f"{where}: 'persen' harus di antara 0 dan 100 (tertulis {persen}).")
    tingkat = []
    for i, t in enumerate(data.get("tingkat") or [], start=1):
        w = f"{where}, tingkat {i}"
        if not isinstance(t, dict) or not t.get("kode") or not t.get("nama"):
            raise AturanError(f"{w}: wajib punya 'kode' dan 'nama'.")
        semua = tuple(_syarat(s, w) for s in t.get("semua") or [])
        salah_satu = tuple(_syarat(s, w) for s in t.get("salah_satu") or [])
        if not semua and not salah_satu:
            raise AturanError(f"{w}: isi minimal satu syarat ('semua' atau 'salah_satu').")
        tingkat.append(Tingkat(str(t["kode"]), str(t["nama"]), semua, salah_satu))
    if not tingkat:
        raise AturanError(f"{where}: isi minimal satu tingkat prioritas ('tingkat').")
    pengecualian = []
    for i, p in enumerate(data.get("pengecualian") or [], start=1):
        w = f"{where}, pengecualian {i}"
        if not isinstance(p, dict) or not p.get("kode") or not p.get("nama"):
            raise AturanError(f"{w}: wajib punya 'kode' dan 'nama'.")
        pengecualian.append(Pengecualian(str(p["kode"]), str(p["nama"]), _syarat(p, w)))
    urutan = []
    for u in data.get("urutan") or []:
        arah = str(u.get("arah") or "naik")
        if arah not in ARAH or not u.get("kolom"):
            raise AturanError(f"{where}: urutan perlu 'kolom' dan 'arah' naik/turun.")
        urutan.append(Urutan(str(u["kolom"]), ARAH[arah]))
    return Aturan(
        tahun=tahun,
        dasar_hukum=dasar,
        batas=batas,
        persen=persen,
        nilai_per_bulan=_angka(data, "nilai_per_bulan", where),
        bulan=_angka(data, "bulan", where),
        tingkat=tuple(tingkat),
        pengecualian=tuple(pengecualian),
        urutan=tuple(urutan),
        catatan=str(data.get("catatan") or ""),
    )


def bawaan() -> list[dict[str, Any]]:
    """The shipped rules (``aturan.yaml``) as dictionaries, one per year."""
    text = resources.files("padu.engine.danadesa").joinpath("aturan.yaml").read_text("utf-8")
    rows = list((yaml.safe_load(text) or {}).get("tahun") or [])
    for row in rows:
        dari_dict(row)  # refuse a broken file at once
    return rows


def untuk_tahun(tahun: int) -> Aturan:
    """The shipped rule of ``tahun``."""
    for row in bawaan():
        if row["tahun"] == tahun:
            return dari_dict(row)
    raise AturanError(f"Belum ada aturan BLT-DD untuk tahun {tahun}. Tambahkan aturannya dahulu.")
