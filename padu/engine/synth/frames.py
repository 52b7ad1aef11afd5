"""Put the generator's parts together into keluarga, art and truth frames (DTKS-CSV v1)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
import polars as pl

from padu.engine import schema
from padu.engine.synth.addresses import address_columns, place_families
from padu.engine.synth.households import HEAD_FEMALE, HUB, compose
from padu.engine.synth.housing import housing
from padu.engine.synth.identity import identity
from padu.engine.synth.kinship import family_names
from padu.engine.synth.persons import GOVERNMENT, person_attributes
from padu.engine.synth.programmes import participation
from padu.engine.synth.regions import Kabupaten
from padu.engine.synth.welfare import draw_welfare, family_summaries, truth_frame

STREAMS = (
    "places",
    "welfare",
    "households",
    "persons",
    "housing",
    "programmes",
    "identity",
    "names",
    "survey",
)


def streams(seed: int, kabupaten: str) -> dict[str, np.random.Generator]:
    """Independent PCG64 generators per part, so one part never shifts another's draws.

    The kabupaten code is mixed into the seed: two kabupaten never get the same families."""
    entropy = [seed, int(kabupaten.replace(".", ""))]
    children = np.random.SeedSequence(entropy).spawn(len(STREAMS))
    return {
        name: np.random.Generator(np.random.PCG64(s))
        for name, s in zip(STREAMS, children, strict=True)
    }


def fractional_year(day: date) -> float:
    return day.year + (day.timetuple().tm_yday - 1) / 365.2425


@dataclass(frozen=True)
class Frames:
    keluarga: pl.DataFrame
    art: pl.DataFrame
    truth: pl.DataFrame


def _any_per_family(
    fam: npt.NDArray[np.int64], mask: npt.NDArray[np.bool_], n: int
) -> npt.NDArray[np.bool_]:
    out = np.zeros(n, dtype=np.bool_)
    out[fam[mask]] = True
    return out


def _nullable(df: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    """Negative values stand for blanks while building; make them nulls."""
    return df.with_columns(pl.when(pl.col(c) >= 0).then(pl.col(c)).alias(c) for c in columns)


def build_frames(kab: Kabupaten, n: int, seed: int, reference_date: date) -> Frames:
    rng = streams(seed, kab.code)
    ref_year = fractional_year(reference_date)
    places = place_families(rng["places"], kab, n)
    wz = rng["welfare"].standard_normal(n)
    comp = compose(rng["households"], wz, places.urban, ref_year)
    people = comp.people
    fam, alive, age = people.fam, people.alive, people.age
    summaries = family_summaries(fam, age, alive, n)
    welfare = draw_welfare(
        rng["welfare"],
        wz,
        places.desa_effect,
        places.urban,
        HEAD_FEMALE[comp.htype],
        summaries,
        kab.poverty_rate,
    )
    attrs = person_attributes(rng["persons"], people, wz, places.urban, kab.coastal, ref_year)

    living = alive
    government = _any_per_family(fam, living & (attrs.lapangan_usaha == GOVERNMENT), n)
    in_school = living & (attrs.partisipasi_sekolah == 1) & (age >= 6.0) & (age < 22.0)
    component = (
        (living & ((age < 6.0) | (age >= 60.0)))
        | in_school
        | (attrs.hamil == 1)
        | (attrs.disabilitas == 1)
    )
    elderly_only = ~_any_per_family(fam, living & (age < 60.0), n)
    house = housing(
        rng["housing"],
        welfare.signal,
        places.urban,
        summaries["size"],
        government,
        elderly_only,
        kab.coastal,
        kab.livestock,
    )
    business = living & (
        np.isin(attrs.status_pekerjaan, [1, 2, 3]) & ~np.isin(attrs.lapangan_usaha, [1, GOVERNMENT])
    )
    house["usaha_art"] = _any_per_family(fam, business, n).astype(np.int64)
    house.update(
        participation(
            rng["programmes"],
            welfare.log_pce,
            places.urban,
            _any_per_family(fam, component, n),
            _any_per_family(fam, in_school, n),
            government,
        )
    )
    kec6 = np.array([int(c.replace(".", "")) for c in kab.kecamatan_codes], dtype=np.int64)
    ident = identity(rng["identity"], kab, people, kec6[places.kecamatan], reference_date)
    names = family_names(rng["names"], people, n, ref_year)
    address = address_columns(rng["places"], kab, places)

    keluarga = pl.DataFrame({"id_keluarga": ident.id_keluarga, "no_kk": ident.no_kk}).hstack(
        address
    )
    keluarga = keluarga.with_columns(perkotaan=pl.Series(places.urban.astype(np.int8)))
    keluarga = keluarga.hstack(pl.DataFrame(house))
    keluarga = _nullable(keluarga, ["daya_listrik", "luas_lahan"])
    keluarga = keluarga.select(schema.column_names("keluarga"))

    fam_series = pl.Series(fam)
    art = pl.DataFrame(
        {
            "id_art": ident.id_art,
            "id_keluarga": ident.id_keluarga.gather(fam_series),
            "nik": ident.nik,
            "no_kk": ident.no_kk.gather(fam_series),
            "nama": names.nama,
            "tempat_lahir": ident.tempat_lahir,
            "tgl_lahir": pl.Series(ident.tgl_lahir),
            "jenis_kelamin": people.sex,
            "hub_kepala_keluarga": HUB[people.role],
            "status_kawin": people.marital,
            "nama_ayah": names.nama_ayah,
            "nama_ibu": names.nama_ibu,
            "pendidikan": attrs.pendidikan,
            "partisipasi_sekolah": attrs.partisipasi_sekolah,
            "bekerja": attrs.bekerja,
            "lapangan_usaha": attrs.lapangan_usaha,
            "status_pekerjaan": attrs.status_pekerjaan,
            "disabilitas": attrs.disabilitas,
            "penyakit_kronis": attrs.penyakit_kronis,
            "hamil": attrs.hamil,
            "status_hidup": np.where(alive, 1, 2),
            "tgl_meninggal": pl.Series(ident.tgl_meninggal),
        }
    )
    art = _nullable(art, ["lapangan_usaha", "status_pekerjaan"]).select(schema.column_names("art"))
    truth = truth_frame(ident.id_keluarga, welfare, summaries["size"])
    return Frames(keluarga, art, truth)
