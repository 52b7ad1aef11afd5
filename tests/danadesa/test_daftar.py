from __future__ import annotations

import re
from decimal import Decimal

import pytest

from padu.core.models import AuditLog
from padu.danadesa.models import Baris, Daftar, Pagu, Perangkat
from padu.danadesa.services import DanadesaError, DanadesaForbidden
from padu.danadesa.services.daftar import daftar_hitung
from padu.danadesa.services.pagu import pagu_simpan
from padu.linkage.models import Cluster, LinkageRun, Member
from padu.registry.models import Participation, Person, Program
from tests.access_fixtures import OWN
from tests.danadesa.fixtures import build_register

pytestmark = pytest.mark.django_db


def names(daftar: Daftar, status: str | None = None) -> list[str]:
    rows = daftar.baris.order_by("peringkat")
    if status:
        rows = rows.filter(status=status)
    heads = dict(Person.objects.filter(hub_kepala_keluarga=1).values_list("keluarga_id", "nama"))
    return [heads[b.keluarga_id] for b in rows]


def test_list_ranked_by_the_cascade_within_the_cap_with_reasons() -> None:
    reg = build_register()
    op = reg.user("operator-desa")
    pagu_simpan(actor=op, kode_desa=OWN, tahun=2025, pagu=120_000_000)
    d = daftar_hitung(actor=op, kode_desa=OWN, tahun=2025)
    assert (d.versi, d.kuota, d.persen) == (1, 5, Decimal("15"))
    assert names(d) == [
        "Sarmi",
        "Painem",
        "Wagiyo",
        "Sumini",
        "Karto",
        "Mbah Rejo",
        "Sumarno Wiryo",
    ]
    assert names(d, Baris.Status.KPM) == ["Sarmi", "Painem", "Wagiyo", "Sumini", "Karto"]
    assert "Tukiyo" not in names(d)  # ASN family: excluded
    rejo = d.baris.get(keluarga=reg.families["Mbah Rejo"])
    assert rejo.tingkat == 3 and "di luar kuota" in rejo.keterangan
    assert AuditLog.objects.filter(action="danadesa.daftar_hitung", region_code=OWN).count() == 1


def test_other_year_rule_gives_its_own_list() -> None:
    reg = build_register()
    op = reg.user("operator-desa")
    pagu_simpan(actor=op, kode_desa=OWN, tahun=2022, pagu=45_000_000, persen_blt=Decimal("40"))
    pagu_simpan(actor=op, kode_desa=OWN, tahun=2025, pagu=45_000_000)
    y2022 = daftar_hitung(actor=op, kode_desa=OWN, tahun=2022)
    y2025 = daftar_hitung(actor=op, kode_desa=OWN, tahun=2025)
    assert (y2022.kuota, y2025.kuota) == (5, 1)
    assert names(y2025, Baris.Status.KPM) == ["Sarmi"]
    # 2022: the criteria tier (desil 1-4) comes before desil 2-4; nobody here meets it.
    assert names(y2022, Baris.Status.KPM) == ["Sarmi", "Painem", "Wagiyo", "Sumini", "Karto"]
    assert y2022.aturan["tahun"] == 2022 and y2025.aturan["tahun"] == 2025


def test_share_above_the_year_limit_is_refused() -> None:
    reg = build_register()
    with pytest.raises(DanadesaError, match="melebihi batas tahun 2025"):
        pagu_simpan(
            actor=reg.user("operator-desa"),
            kode_desa=OWN,
            tahun=2025,
            pagu=10**9,
            persen_blt=Decimal("20"),
        )


def test_perangkat_desa_family_is_excluded() -> None:
    reg = build_register()
    op = reg.user("operator-desa")
    Perangkat.objects.create(keluarga=reg.families["Sarmi"], kode_desa=OWN, jabatan="Kaur")
    pagu_simpan(actor=op, kode_desa=OWN, tahun=2025, pagu=120_000_000)
    d = daftar_hitung(actor=op, kode_desa=OWN, tahun=2025)
    assert "Sarmi" not in names(d)


def test_list_needs_a_pagu_and_a_writer_of_the_desa() -> None:
    reg = build_register()
    with pytest.raises(
        DanadesaError, match=re.escape("Pagu Dana Desa 2025 desa 33.16.01.2001 belum diisi")
    ):
        daftar_hitung(actor=reg.user("operator-desa"), kode_desa=OWN, tahun=2025)
    with pytest.raises(DanadesaForbidden):
        daftar_hitung(actor=reg.user("operator-desa"), kode_desa="33.16.01.2002", tahun=2025)
    with pytest.raises(DanadesaForbidden):
        pagu_simpan(actor=reg.user("tkpk-kabupaten"), kode_desa=OWN, tahun=2025, pagu=1)


def test_linkage_conflicts_are_flagged() -> None:
    reg = build_register()
    op_kec = reg.user("operator-kecamatan")
    other = "33.16.01.2002"
    # Painem is also recorded (as another record, linked) in a family of the next desa.
    twin_family = reg.world.families["same_kec"]
    twin = Person.objects.create(
        keluarga=twin_family,
        nama="Painem",
        nik="3316014101999999",
        hub_kepala_keluarga=2,
        jenis_kelamin=2,
    )
    painem = Person.objects.get(keluarga=reg.families["Painem"], hub_kepala_keluarga=1)
    run = LinkageRun.objects.create(region_prefix="33.16.01.", status=LinkageRun.Status.SELESAI)
    cluster = Cluster.objects.create(run=run, kode_desa=OWN, size=2)
    Member.objects.create(cluster=cluster, person_id=painem.pk, kode_desa=OWN)
    Member.objects.create(cluster=cluster, person_id=twin.pk, kode_desa=other)
    pkh, _ = Program.objects.get_or_create(code="pkh", defaults={"nama": "PKH"})
    Participation.objects.create(keluarga=reg.families["Wagiyo"], program=pkh, start="2025-01-01")
    from padu.welfare.models import KeluargaScore, PmtModel

    KeluargaScore.objects.create(
        keluarga=twin_family,
        model=PmtModel.objects.get(nama="uji"),
        versi="uji",
        score=11.0,
        desil=1,
        desil_kabupaten=1,
        dihitung="2025-01-01T00:00Z",
    )
    for code in (other, OWN):
        pagu_simpan(actor=op_kec, kode_desa=code, tahun=2025, pagu=120_000_000)
        d = daftar_hitung(actor=op_kec, kode_desa=code, tahun=2025)
    konflik = {b.keluarga_id: b.konflik for b in d.baris.all()}
    assert konflik[reg.pk("Painem")] == [
        f"Orang yang sama ada di daftar {other} (keluarga {twin_family.pk:012d})"
    ]
    assert konflik[reg.pk("Wagiyo")] == [f"Anggota juga penerima {pkh.nama}"]
    assert konflik[reg.pk("Sarmi")] == []


def test_lists_of_every_desa_of_a_region_at_once_flag_the_same_person_on_two_lists() -> None:
    from padu.danadesa.services.daftar_wilayah import daftar_hitung_wilayah

    reg = build_register()
    op = reg.user("operator-kecamatan")
    other = "33.16.01.2002"
    twin = reg.world.families["same_kec"]
    Person.objects.create(
        keluarga=twin, nama="Sarmi", nik="3316014101000001", hub_kepala_keluarga=2, jenis_kelamin=2
    )  # same NIK as Sarmi
    for code in (OWN, other, "33.16.02.2001"):
        Pagu.objects.create(kode_desa=code, tahun=2025, pagu=120_000_000)
    made = daftar_hitung_wilayah(actor=op, wilayah="33.16.01", tahun=2025)
    assert [d.kode_desa for d in made] == [OWN, other]  # 33.16.02: outside the prefix
    own = made[0].baris.get(keluarga=reg.families["Sarmi"])
    twin_row = made[1].baris.get(keluarga=twin)
    assert own.konflik == [f"Orang yang sama ada di daftar {other} (keluarga {twin.pk:012d})"]
    assert twin_row.konflik == [
        f"Orang yang sama ada di daftar {OWN} (keluarga {reg.pk('Sarmi'):012d})"
    ]
    assert names(made[0], Baris.Status.KPM) == ["Sarmi", "Painem", "Wagiyo", "Sumini", "Karto"]
    with pytest.raises(
        DanadesaError, match=re.escape("Tidak ada pagu Dana Desa 2025 di wilayah 33.16.02")
    ):
        daftar_hitung_wilayah(actor=op, wilayah="33.16.02", tahun=2025)


def test_perangkat_desa_recorded_on_the_page_only_in_the_own_desa() -> None:
    from tests.access_fixtures import logged_in

    reg = build_register()
    client = logged_in(reg.user("operator-desa"))
    url = f"/danadesa/desa/{OWN}/2025/perangkat/"
    client.post(url, {"keluarga": reg.pk("Sarmi"), "jabatan": "Kaur Keuangan"})
    assert Perangkat.objects.get().jabatan == "Kaur Keuangan"
    other = reg.world.families["same_kec"].pk
    client.post(url, {"keluarga": other, "jabatan": "Kasi"})  # another desa's family
    assert Perangkat.objects.count() == 1
    assert client.post("/danadesa/desa/33.16.01.2002/2025/perangkat/", {}).status_code == 404
