"""Labelled validation errors injected into clean synthetic DTKS frames (no Django).

:func:`inject_errors` damages a share ``rate`` of the ``keluarga`` and ``art`` rows and
returns a ``labels`` frame (``table``, ``record_id``, ``error``, ``field``) listing every
damaged record, so quality rules can be scored against exact truth. Each injected error is
the only thing wrong with its record (and family) as far as practical: every error gets a
family of its own, and a changed birth date gets a matching NIK.

``field`` is the column that was changed (for a family error it may be an ``art`` column,
e.g. ``hub_kepala_keluarga`` for ``tanpa_kepala``). Family errors are labelled on the
``keluarga`` row; ``kk_panjang`` also labels every member whose No. KK was shortened, and
``nik_ganda`` labels both persons sharing the NIK. Person kinds go to ``art``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np
import polars as pl

__all__ = ["ART_ERRORS", "KELUARGA_ERRORS", "inject_errors"]

ART_ERRORS = [
    "nik_panjang", "nik_bukan_angka", "nik_float_rusak", "nik_wilayah_tidak_dikenal",
    "nik_tgl_lahir_beda", "nik_jenis_kelamin_beda", "nik_ganda", "kk_beda_keluarga",
    "anak_lebih_tua", "tgl_lahir_masa_depan", "umur_lebih_110", "meninggal_sebelum_lahir",
    "wajib_kosong",
]  # fmt: skip
KELUARGA_ERRORS = [
    "kk_panjang", "tanpa_kepala", "kepala_ganda", "desa_tidak_dikenal",
    "bab_tanpa_fasilitas_septik", "tidak_listrik_ada_daya", "luas_lantai_tidak_wajar",
    "asn_penerima_bansos", "semua_meninggal_terima_bantuan",
]  # fmt: skip
AID = ["penerima_pkh", "penerima_bpnt", "penerima_pbi", "penerima_blt_dd", "penerima_pip"]

_NIK16 = "^[0-9]{16}$"
_nik, _tgl, _hub = pl.col("nik"), pl.col("tgl_lahir"), pl.col("hub_kepala_keluarga")
_valid_nik, _alive = _nik.str.contains(_NIK16), pl.col("status_hidup") != 2
_d, _at = pl.col("_d"), 12 + pl.col("_p")  # a random digit 0-9, a serial position 12-15
_NIK_DAMAGE = {
    "nik_panjang": pl.when(_d < 5).then(_nik.str.slice(0, 15)).otherwise(_nik + _d.cast(pl.String)),
    "nik_bukan_angka": _nik.str.slice(0, _at)  # a look-alike letter in the serial
    + _d.replace_strict(dict(enumerate("OIlSBZOIlS")), return_dtype=pl.String)
    + _nik.str.slice(_at + 1),
    "nik_float_rusak": (_nik.cast(pl.Int64) / 1e15).round(5).cast(pl.String) + "E+15",
    # kecamatan 90-99 exists in no kabupaten
    "nik_wilayah_tidak_dikenal": _nik.str.slice(0, 4)
    + "9"
    + _d.cast(pl.String)
    + _nik.str.slice(6),
}
_LABELS = pl.Schema(
    {"table": pl.String, "record_id": pl.String, "error": pl.String, "field": pl.String}
)


def inject_errors(
    keluarga: pl.DataFrame,
    art: pl.DataFrame,
    *,
    seed: int,
    rate: float = 0.03,
    today: date = date(2026, 1, 1),
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Damaged ``keluarga`` and ``art`` (same rows, order and dtypes) and their ``labels``.

    About ``rate`` of the rows of each table get a label, spread evenly over the error
    kinds (fewer where a kind runs out of eligible records, e.g. in tiny frames).
    """
    injector = _Injector(keluarga, art, seed=seed, today=today)
    n_kel = round(rate * keluarga.height)
    per_family = art.height / max(keluarga.height, 1)
    kel_quota = _spread(n_kel, len(KELUARGA_ERRORS), injector.rng)
    art_budget = round(rate * art.height) - round(kel_quota[0] * per_family)
    art_quota = _spread(max(art_budget, 0), len(ART_ERRORS), injector.rng)
    quota = dict(zip(KELUARGA_ERRORS + ART_ERRORS, kel_quota + art_quota, strict=True))
    for kind in _ORDER:  # scarce candidates first
        injector.error = kind
        if kind in _NIK_DAMAGE:
            injector.damage_nik(_NIK_DAMAGE[kind], quota[kind])
        elif quota[kind] > 0:
            getattr(injector, kind)(quota[kind])
    return injector.result()


_ORDER = [
    "nik_ganda", "anak_lebih_tua", "meninggal_sebelum_lahir", "kepala_ganda",
    "asn_penerima_bansos", "semua_meninggal_terima_bantuan", "bab_tanpa_fasilitas_septik",
    "tidak_listrik_ada_daya", "kk_panjang", "tanpa_kepala", "desa_tidak_dikenal",
    "luas_lantai_tidak_wajar", "umur_lebih_110", "tgl_lahir_masa_depan",
    "nik_tgl_lahir_beda", "nik_jenis_kelamin_beda", "nik_panjang", "nik_bukan_angka",
    "nik_float_rusak", "nik_wilayah_tidak_dikenal", "kk_beda_keluarga", "wajib_kosong",
]  # fmt: skip


def _spread(total: int, parts: int, rng: np.random.Generator) -> list[int]:
    """``total`` split into ``parts`` near-equal counts (the remainder to random parts)."""
    counts = np.full(parts, total // parts)
    counts[rng.choice(parts, total % parts, replace=False)] += 1
    return [int(c) for c in counts]


def nik_with_birth(nik: pl.Expr, born: pl.Expr) -> pl.Expr:
    """A valid NIK with digits 7-12 rewritten for ``born`` (keeping its sex, +40 rule)."""
    female = nik.str.slice(6, 2).cast(pl.Int32, strict=False) > 40
    day = born.dt.day() + pl.when(female).then(40).otherwise(0)
    rewritten = pl.concat_str(
        nik.str.slice(0, 6),
        day.cast(pl.String).str.zfill(2),
        born.dt.strftime("%m%y"),
        nik.str.slice(12, 4),
    )
    return pl.when(nik.str.contains(_NIK16)).then(rewritten).otherwise(nik)


class _Injector:
    """The frames being damaged, the families already used, and the labels so far."""

    def __init__(self, keluarga: pl.DataFrame, art: pl.DataFrame, *, seed: int, today: date):
        self.rng = np.random.default_rng(seed)
        self.today = today
        self.frames = {"keluarga": keluarga, "art": art}
        self.labels: list[pl.DataFrame] = []
        self.used: set[str] = set()
        self.error = ""
        tgl, hub = _tgl, _hub
        facts = art.group_by("id_keluarga").agg(
            n=pl.len(),
            n_living=(pl.col("status_hidup") != 2).fill_null(True).sum(),
            n_head=(hub == 1).sum(),
            n_spouse=(hub == 2).sum(),
            n_asn=(pl.col("lapangan_usaha") == 9).sum(),
            head_tgl=tgl.filter(hub == 1).first(),
            youngest_spouse=tgl.filter(hub == 2).max(),
            oldest_child=tgl.filter(hub == 3).min(),
            newest=tgl.max(),
            all_tgl=tgl.is_not_null().all(),
            kk_same=(pl.col("no_kk") == pl.col("no_kk").first()).all(),
            first_kk=pl.col("no_kk").first(),
        )
        # shuffled once: taking the first eligible rows is a random choice
        self.families = keluarga.join(facts, on="id_keluarga", how="left")
        self.families = self.families[self.rng.permutation(keluarga.height)]
        self.people = art.join(facts, on="id_keluarga", how="left")[
            self.rng.permutation(art.height)
        ]

    # ---- choosing and applying -------------------------------------------------------

    def _free(self) -> pl.Expr:
        return ~pl.col("id_keluarga").is_in(list(self.used))

    def pick_families(self, eligible: pl.Expr, k: int) -> pl.DataFrame:
        chosen = self.families.filter(eligible.fill_null(False) & self._free()).head(max(k, 0))
        self.used.update(chosen["id_keluarga"].to_list())
        return chosen

    def pick_people(self, eligible: pl.Expr, k: int) -> pl.DataFrame:
        """One eligible person from each of ``k`` unused families."""
        pool = self.people.filter(eligible.fill_null(False) & self._free())
        chosen = pool.unique("id_keluarga", keep="first", maintain_order=True).head(max(k, 0))
        self.used.update(chosen["id_keluarga"].to_list())
        return chosen

    def set(self, table: str, rows: pl.DataFrame, **values: Any) -> None:
        key = "id_art" if table == "art" else "id_keluarga"
        frame = self.frames[table]
        upd = rows.select(key, **values)
        upd = upd.select(pl.col(c).cast(frame.schema[c]) for c in upd.columns)
        self.frames[table] = frame.update(upd, on=key, include_nulls=True)

    def label(self, table: str, rows: pl.DataFrame, field: str | pl.Expr) -> None:
        """Label ``rows`` of ``table`` with the current error, found in ``field``."""
        key = "id_art" if table == "art" else "id_keluarga"
        name = field if isinstance(field, pl.Expr) else pl.lit(field)
        found = rows.select(
            table=pl.lit(table), record_id=key, error=pl.lit(self.error), field=name
        )
        self.labels.append(found.cast(_LABELS))

    def apply(self, table: str, rows: pl.DataFrame, field: str, **values: Any) -> None:
        """Change ``rows`` of ``table`` and label them."""
        self.set(table, rows, **values)
        self.label(table, rows, field)

    def draw(self, rows: pl.DataFrame, low: int, high: int) -> pl.Expr:
        """Random integers in [low, high), one per row of ``rows``."""
        return pl.lit(pl.Series(self.rng.integers(low, high, rows.height), dtype=pl.Int64))

    def years_ago(self, years: int) -> date:
        day = min(self.today.day, 28) if self.today.month == 2 else self.today.day
        return self.today.replace(year=self.today.year - years, day=day)

    def rebirth(self, rows: pl.DataFrame, born: pl.Expr) -> None:
        """New birth dates with the NIK's date rewritten to match: only ``error`` shows."""
        rows = rows.with_columns(_born=born.cast(pl.Date))
        niks = rows.select(nik_with_birth(pl.col("nik"), pl.col("_born"))).to_series()
        taken = self.frames["art"]["nik"].drop_nulls().implode()
        for _ in range(20):  # a rewritten NIK must not be someone else's
            clash = (niks.is_in(taken) | ~niks.is_first_distinct()) & niks.str.contains(_NIK16)
            if not clash.any():
                break
            serial = (niks.str.slice(12, 4).cast(pl.Int32) % 9999 + 1).cast(pl.String).str.zfill(4)
            niks = pl.select(
                pl.when(clash).then(niks.str.slice(0, 12) + serial).otherwise(niks)
            ).to_series()
        rows = rows.with_columns(_nik=niks)
        self.apply("art", rows, "tgl_lahir", tgl_lahir=pl.col("_born"), nik=pl.col("_nik"))

    def result(self) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
        labels = pl.concat([pl.DataFrame(schema=_LABELS), *self.labels])
        return (
            self.frames["keluarga"],
            self.frames["art"],
            labels.sort("table", "error", "record_id"),
        )

    # ---- person errors ----------------------------------------------------------------

    def damage_nik(self, new: pl.Expr, k: int) -> None:
        rows = self.pick_people(_valid_nik, k)
        rows = rows.with_columns(_d=self.draw(rows, 0, 10), _p=self.draw(rows, 0, 4))
        self.apply("art", rows, "nik", nik=new)

    def nik_tgl_lahir_beda(self, k: int) -> None:
        """tgl_lahir set to a default 1 January or 1 July of the same year."""
        recent = (_tgl.dt.year() < self.today.year) & (_tgl > self.years_ago(100))
        rows = self.pick_people(_valid_nik & _alive & recent, k)
        jan, jul = pl.date(_tgl.dt.year(), 1, 1), pl.date(_tgl.dt.year(), 7, 1)
        use_jan = ((self.draw(rows, 0, 2) == 0) & (_tgl != jan)) | (_tgl == jul)
        self.apply("art", rows, "tgl_lahir", tgl_lahir=pl.when(use_jan).then(jan).otherwise(jul))

    def nik_jenis_kelamin_beda(self, k: int) -> None:
        sex = pl.col("jenis_kelamin")
        rows = self.pick_people(
            _valid_nik & sex.is_in([1, 2]) & (pl.col("hamil") != 1).fill_null(True), k
        )
        self.apply("art", rows, "jenis_kelamin", jenis_kelamin=3 - sex)

    def nik_ganda(self, k: int) -> None:
        """B gets the NIK of A, born the same day with the same sex: only the copy shows."""
        same = ["tgl_lahir", "jenis_kelamin"]
        ok = _valid_nik & pl.all_horizontal(pl.col(same).is_not_null()) & self._free()
        pool = self.people.filter(ok).with_columns(_i=pl.int_range(pl.len()).over(same))
        b = pool.filter(pl.col("_i") == 1).select(*same, b_art="id_art", b_kel="id_keluarga")
        pairs = pool.filter(pl.col("_i") == 0).join(b, on=same, maintain_order="left")
        keep: list[int] = []
        for i, (fa, fb) in enumerate(zip(pairs["id_keluarga"], pairs["b_kel"], strict=True)):
            if len(keep) < (k + 1) // 2 and fa not in self.used and fb not in self.used:
                keep.append(i)
                self.used.update((fa, fb))
        pairs = pairs[keep]
        self.set("art", pairs.with_columns(id_art=pl.col("b_art")), nik=_nik)
        self.label("art", pl.concat([pairs.select("id_art"), pairs.select(id_art="b_art")]), "nik")

    def kk_beda_keluarga(self, k: int) -> None:
        """The No. KK of another family (as when a move was not registered)."""
        kk = pl.col("no_kk")
        rows = self.pick_people(kk.str.contains(_NIK16), k)
        donors = self.families.filter(kk.str.contains(_NIK16))["no_kk"]
        pick = self.rng.integers(0, len(donors), (2, rows.height))
        rows = rows.with_columns(_a=donors.gather(pick[0]), _b=donors.gather(pick[1]))
        self.apply(
            "art", rows, "no_kk", no_kk=pl.when(pl.col("_a") != kk).then("_a").otherwise("_b")
        )

    def anak_lebih_tua(self, k: int) -> None:
        """An older relative recoded as a child; else a child's birth moved before the head's."""
        head, one_head = pl.col("head_tgl"), pl.col("n_head") == 1
        rows = self.pick_people(one_head & ~_hub.is_in([1, 3]) & (_tgl < head), k)
        self.apply("art", rows, "hub_kepala_keluarga", hub_kepala_keluarga=3)
        child = one_head & (_hub == 3) & _alive & (head > self.years_ago(90))
        rows = self.pick_people(child, k - rows.height)
        self.rebirth(rows, head - pl.duration(days=self.draw(rows, 365, 3650)))

    def tgl_lahir_masa_depan(self, k: int) -> None:
        rows = self.pick_people((_hub != 1) & _alive & _tgl.is_not_null(), k)
        self.rebirth(rows, pl.lit(self.today) + pl.duration(days=self.draw(rows, 1, 366)))

    def umur_lebih_110(self, k: int) -> None:
        rows = self.pick_people(~_hub.is_in([3, 4, 5]) & _alive & _tgl.is_not_null(), k)
        self.rebirth(rows, pl.lit(self.years_ago(111)) - pl.duration(days=self.draw(rows, 1, 2500)))

    def meninggal_sebelum_lahir(self, k: int) -> None:
        """A death date before birth; when too few are deceased, a living member dies too."""
        rows = self.pick_people(
            ~_alive & pl.col("tgl_meninggal").is_not_null() & _tgl.is_not_null(), k
        )
        other = _alive & (_hub != 1) & (pl.col("n_living") >= 2) & _tgl.is_not_null()
        rows = pl.concat([rows, self.pick_people(other, k - rows.height)])
        death = _tgl - pl.duration(days=self.draw(rows, 1, 3650))
        self.apply("art", rows, "tgl_meninggal", status_hidup=2, tgl_meninggal=death)

    def wajib_kosong(self, k: int) -> None:
        rows = self.pick_people(pl.col("nama").is_not_null() & _tgl.is_not_null(), k)
        rows = rows.with_columns(_f=pl.when(self.draw(rows, 0, 2) == 0).then(pl.lit("nama")))
        rows = rows.with_columns(_f=pl.col("_f").fill_null("tgl_lahir"))
        self.set("art", rows.filter(pl.col("_f") == "nama"), nama=pl.lit(None, pl.String))
        self.set("art", rows.filter(pl.col("_f") == "tgl_lahir"), tgl_lahir=pl.lit(None, pl.Date))
        self.label("art", rows, pl.col("_f"))

    # ---- family errors ------------------------------------------------------------------

    def kk_panjang(self, k: int) -> None:
        """The family's No. KK loses its last digit, on the family row and every member."""
        kk = pl.col("no_kk")
        same = pl.col("kk_same") & (pl.col("first_kk") == kk)
        rows = self.pick_families(kk.str.contains(_NIK16) & same, k).with_columns(
            _kk=kk.str.slice(0, 15)
        )
        members = self.frames["art"].join(rows.select("id_keluarga", "_kk"), on="id_keluarga")
        self.apply("keluarga", rows, "no_kk", no_kk=pl.col("_kk"))
        self.apply("art", members, "no_kk", no_kk=pl.col("_kk"))

    def _recode(self, eligible: pl.Expr, k: int, member: pl.Expr, **values: Any) -> int:
        """Change one member matching ``member`` in up to ``k`` families; label the family."""
        rows = self.pick_families(eligible, k)
        chosen = self.people.filter(
            member & pl.col("id_keluarga").is_in(rows["id_keluarga"].implode())
        )
        self.set("art", chosen.unique("id_keluarga", keep="first", maintain_order=True), **values)
        self.label("keluarga", rows, next(iter(values)))
        return rows.height

    def tanpa_kepala(self, k: int) -> None:
        self._recode(pl.col("n_head") == 1, k, _hub == 1, hub_kepala_keluarga=7)

    def kepala_ganda(self, k: int) -> None:
        """The spouse recorded as a second head (children are younger than both)."""
        child = pl.col("oldest_child")
        younger = child.is_null() | (child > pl.col("youngest_spouse"))
        ok = (pl.col("n_head") == 1) & (pl.col("n_spouse") >= 1) & younger
        self._recode(ok, k, _hub == 2, hub_kepala_keluarga=1)

    def asn_penerima_bansos(self, k: int) -> None:
        """A working member becomes ASN in a PKH/BPNT family; else an ASN family gets PKH."""
        aid = (pl.col("penerima_pkh") == 1) | (pl.col("penerima_bpnt") == 1)
        worker = (pl.col("bekerja") == 1) & _alive
        with_worker = pl.col("id_keluarga").is_in(
            self.people.filter(worker)["id_keluarga"].implode()
        )
        ok = aid & (pl.col("n_asn") == 0) & with_worker
        done = self._recode(ok, k, worker, lapangan_usaha=9, status_pekerjaan=4)
        rows = self.pick_families(~aid & (pl.col("n_asn") > 0), k - done)
        self.apply("keluarga", rows, "penerima_pkh", penerima_pkh=1)

    def desa_tidak_dikenal(self, k: int) -> None:
        code = pl.col("kode_desa")  # desa numbers 29xx exist in no kecamatan
        rows = self.pick_families(code.is_not_null(), k)
        dotted = code.str.contains(r"\.")
        kecamatan = pl.when(dotted).then(code.str.slice(0, 8) + ".").otherwise(code.str.slice(0, 6))
        new = kecamatan + "29" + self.draw(rows, 0, 100).cast(pl.String).str.zfill(2)
        self.apply("keluarga", rows, "kode_desa", kode_desa=new)

    def _either(
        self, k: int, first: pl.Expr, second: pl.Expr, a: dict[str, Any], b: dict[str, Any]
    ) -> None:
        """Families where ``first`` holds get values ``a``; too few, then ``second`` and ``b``."""
        rows = self.pick_families(first, k)
        self.apply("keluarga", rows, next(iter(a)), **a)
        rows = self.pick_families(second, k - rows.height)
        self.apply("keluarga", rows, next(iter(b)), **b)

    def bab_tanpa_fasilitas_septik(self, k: int) -> None:
        bab, tinja = pl.col("fasilitas_bab"), pl.col("pembuangan_tinja")
        self._either(
            k,
            (bab == 4) & (tinja != 1),
            (bab != 4) & (tinja == 1),
            {"pembuangan_tinja": 1},
            {"fasilitas_bab": 4},
        )

    def tidak_listrik_ada_daya(self, k: int) -> None:
        light, power = pl.col("sumber_penerangan"), pl.col("daya_listrik")
        self._either(
            k,
            (light == 3) & power.is_null(),
            (light != 3) & power.is_not_null(),
            {"daya_listrik": 1},
            {"sumber_penerangan": 3},
        )

    def luas_lantai_tidak_wajar(self, k: int) -> None:
        per_person = pl.col("luas_lantai") / pl.col("n")
        rows = self.pick_families((per_person > 0) & (per_person <= 1000), k)
        huge = pl.col("n") * self.draw(rows, 1100, 3000)
        self.apply(
            "keluarga",
            rows,
            "luas_lantai",
            luas_lantai=pl.when(self.draw(rows, 0, 2) == 0).then(0).otherwise(huge),
        )

    def semua_meninggal_terima_bantuan(self, k: int) -> None:
        """Every member of an aided family dies within the last two years."""
        aid = pl.any_horizontal([pl.col(c) == 1 for c in AID if c in self.families.columns])
        grown = pl.col("newest") < self.today - timedelta(days=3)
        rows = self.pick_families(aid & (pl.col("n_living") > 0) & pl.col("all_tgl") & grown, k)
        art = self.frames["art"].join(rows.select("id_keluarga"), on="id_keluarga").filter(_alive)
        age = (pl.lit(self.today) - _tgl).dt.total_days()
        share = pl.lit(pl.Series(self.rng.random(art.height)))
        back = (share * pl.min_horizontal(730, age - 2)).floor().cast(pl.Int64) + 1
        self.set(
            "art", art, status_hidup=2, tgl_meninggal=pl.lit(self.today) - pl.duration(days=back)
        )
        self.label("keluarga", rows, "status_hidup")
