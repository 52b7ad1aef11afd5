"""The verval cycle through its services, on the real database: usulan, visit, musdes,
kecamatan, Dinas Sosial, pengesahan, and what the register shows afterwards."""

from __future__ import annotations

from typing import Any

import pytest
from django_tasks import task_backends

from padu.core.models import AuditLog
from padu.registry.models import Keluarga, Person, Version
from padu.verval.models import Kunjungan, Langkah, Tugas, Usulan
from padu.verval.services import VervalError, VervalForbidden
from padu.verval.services.apply import pengesahan_record
from padu.verval.services.approval import usulan_decide
from padu.verval.services.kunjungan import kunjungan_submit
from padu.verval.services.musdes import musdes_lock, musdes_record
from padu.verval.services.usulan import usulan_create, usulan_resubmit
from padu.verval.services.worklist import worklist_generate
from padu.welfare.models import Activation, PmtModel
from tests.verval.fixtures import DAY, Cycle, open_cycle, pdf

pytestmark = pytest.mark.django_db

PEOPLE = [{"nama": "Kepala Desa Uji", "jabatan": "Kepala Desa"},
          {"nama": "Ketua BPD Uji", "jabatan": "Ketua BPD"}]  # fmt: skip


@pytest.fixture
def cycle() -> Cycle:
    return open_cycle()


def _perbaikan(cycle: Cycle, place: str = "own", role: str = "operator-desa") -> Usulan:
    return usulan_create(
        actor=cycle.user(role),
        kode_desa=cycle.world.families[place].kode_desa,
        keluarga=cycle.world.families[place],
        jenis=Usulan.Jenis.PERBAIKAN,
        data={"keluarga": {"alamat": "Dusun Krajan RT 003", "jumlah_kamar": 2}},
        alasan="Alamat pindah RT menurut kunjungan.",
        today=DAY["desa"],
    )


def _musdes(
    cycle: Cycle, decisions: dict[int, tuple[str, str]], desa: str = "33.16.01.2001"
) -> None:
    musdes = musdes_record(
        actor=cycle.user("operator-desa") if desa == "33.16.01.2001" else cycle.user("operator-kecamatan"),
        kode_desa=desa, tanggal=DAY["musdes"], tempat="Balai desa", pimpinan="Kepala Desa Uji",
        peserta=PEOPLE, penandatangan=PEOPLE, keputusan=decisions, today=DAY["musdes"],
    )  # fmt: skip
    musdes_lock(
        actor=cycle.user("operator-kecamatan"), musdes=musdes, scan=pdf(), today=DAY["musdes"]
    )


def _through_dinsos(cycle: Cycle, ids: list[int]) -> None:
    usulan_decide(actor=cycle.user("operator-kecamatan"), usulan_ids=ids, tahap="kecamatan",
                  keputusan="setuju", today=DAY["kecamatan"])  # fmt: skip
    usulan_decide(actor=cycle.user("dinsos-kabupaten"), usulan_ids=ids, tahap="dinsos",
                  keputusan="setuju", today=DAY["dinsos"])  # fmt: skip


def test_whole_cycle_changes_the_register_with_its_reasons(cycle: Cycle) -> None:
    usulan = _perbaikan(cycle)
    family = cycle.world.families["own"]
    assert Keluarga.objects.get(pk=family.pk).alamat == "Jl. Uji", "a usulan never edits early"
    _musdes(cycle, {usulan.pk: ("diterima", "")})
    _through_dinsos(cycle, [usulan.pk])
    sk = pengesahan_record(
        actor=cycle.user("dinsos-kabupaten"), periode=cycle.periode, nomor_sk="400/123/2026",
        tanggal_sk=DAY["pengesahan"], berkas=pdf("sk.pdf"), today=DAY["pengesahan"],
    )  # fmt: skip
    family.refresh_from_db()
    assert family.alamat == "Dusun Krajan RT 003" and family.jumlah_kamar == 2
    usulan.refresh_from_db()
    assert usulan.status == Usulan.Status.DITERAPKAN and usulan.pengesahan == sk
    version = Version.objects.filter(keluarga=family, action="update").first()
    assert version is not None
    assert f"usulan #{usulan.pk}" in version.reason and "SK 400/123/2026" in version.reason
    assert "Musyawarah desa" in version.reason
    stages = list(Langkah.objects.filter(usulan=usulan).values_list("tahap", "keputusan"))
    assert stages == [("desa", "ajukan"), ("musdes", "setuju"), ("kecamatan", "setuju"),
                      ("dinsos", "setuju"), ("pengesahan", "sahkan")]  # fmt: skip
    assert sk.ringkasan["usulan"] == 1 and sk.ringkasan["keluarga"] == 1


def test_closed_window_refuses_input(cycle: Cycle) -> None:
    with pytest.raises(VervalError, match="sudah ditutup pada 17 Desember 2026"):
        usulan_create(
            actor=cycle.user("operator-desa"), kode_desa="33.16.01.2001",
            keluarga=cycle.world.families["own"], jenis="perbaikan",
            data={"keluarga": {"rt": "004"}}, alasan="x", today=DAY["musdes"],
        )  # fmt: skip


def test_other_kecamatan_cannot_act(cycle: Cycle) -> None:
    with pytest.raises(VervalForbidden):
        _perbaikan(cycle, place="other_kec", role="operator-kecamatan")
    usulan = _perbaikan(cycle)
    _musdes(cycle, {usulan.pk: ("diterima", "")})
    # The Dinas Sosial cannot take the kecamatan's stage, and no role acts out of turn.
    with pytest.raises(VervalForbidden):
        usulan_decide(actor=cycle.user("dinsos-kabupaten"), usulan_ids=[usulan.pk],
                      tahap="kecamatan", keputusan="setuju", today=DAY["kecamatan"])  # fmt: skip


def test_return_and_resubmit(cycle: Cycle) -> None:
    usulan = _perbaikan(cycle)
    _musdes(cycle, {usulan.pk: ("diterima", "")})
    with pytest.raises(VervalError, match="catatan"):
        usulan_decide(actor=cycle.user("operator-kecamatan"), usulan_ids=[usulan.pk],
                      tahap="kecamatan", keputusan="kembalikan", today=DAY["kecamatan"])  # fmt: skip
    usulan_decide(actor=cycle.user("operator-kecamatan"), usulan_ids=[usulan.pk],
                  tahap="kecamatan", keputusan="kembalikan", catatan="Lampirkan foto rumah.",
                  today=DAY["kecamatan"])  # fmt: skip
    usulan.refresh_from_db()
    assert usulan.status == Usulan.Status.DIKEMBALIKAN
    assert usulan.catatan_terakhir == "Lampirkan foto rumah."
    usulan_resubmit(actor=cycle.user("operator-desa"), usulan=usulan,
                    alasan="Foto rumah dilampirkan.", today=DAY["kecamatan"])  # fmt: skip
    usulan.refresh_from_db()
    assert usulan.status == Usulan.Status.DITERIMA_MUSDES  # the musdes decision stands
    _through_dinsos(cycle, [usulan.pk])
    usulan.refresh_from_db()
    assert usulan.status == Usulan.Status.DIVERIFIKASI


def test_batch_with_one_refused_usulan_decides_nothing(cycle: Cycle) -> None:
    own = _perbaikan(cycle)
    same_kec = _perbaikan(cycle, place="same_kec", role="operator-kecamatan")
    _musdes(cycle, {own.pk: ("diterima", "")})
    _musdes(cycle, {same_kec.pk: ("diterima", "")}, desa="33.16.01.2002")
    other = _perbaikan(cycle, place="other_kec", role="dinsos-kabupaten")  # not past musdes
    with pytest.raises(VervalError):
        usulan_decide(actor=cycle.user("dinsos-kabupaten"), usulan_ids=[own.pk, other.pk],
                      tahap="dinsos", keputusan="setuju", today=DAY["dinsos"])  # fmt: skip
    with pytest.raises((VervalError, VervalForbidden)):
        usulan_decide(actor=cycle.user("operator-kecamatan"),
                      usulan_ids=[own.pk, same_kec.pk, other.pk], tahap="kecamatan",
                      keputusan="setuju", today=DAY["kecamatan"])  # fmt: skip
    assert set(Usulan.objects.values_list("status", flat=True)) <= {"diterima_musdes", "diajukan"}
    assert not Langkah.objects.filter(tahap="kecamatan").exists()


def test_failing_apply_applies_nothing(cycle: Cycle) -> None:
    good = _perbaikan(cycle)
    person = cycle.world.persons["own"]
    bad = usulan_create(
        actor=cycle.user("operator-desa"), kode_desa="33.16.01.2001", person=person,
        keluarga=cycle.world.families["own"], jenis="nonaktif", alasan_nonaktif="pindah",
        alasan="Pindah ke luar kota.", today=DAY["desa"],
    )  # fmt: skip
    _musdes(cycle, {good.pk: ("diterima", ""), bad.pk: ("diterima", "")})
    _through_dinsos(cycle, [good.pk, bad.pk])
    # Between verification and pengesahan the person was removed another way: the second
    # usulan can no longer be applied, so the first must not be applied either.
    Person.objects.filter(pk=person.pk).update(deleted_at="2026-12-25T00:00:00Z")
    with pytest.raises(VervalError, match=f"Usulan #{bad.pk}"):
        pengesahan_record(
            actor=cycle.user("dinsos-kabupaten"), periode=cycle.periode, nomor_sk="1/2026",
            tanggal_sk=DAY["pengesahan"], berkas=pdf("sk.pdf"), today=DAY["pengesahan"],
        )  # fmt: skip
    assert Keluarga.objects.get(pk=int(good.keluarga_id or 0)).alamat == "Jl. Uji"
    assert set(Usulan.objects.values_list("status", flat=True)) == {"diverifikasi"}
    assert not Version.objects.filter(reason__contains="SK 1/2026").exists()


def test_visit_is_idempotent_and_proposes_the_differences(cycle: Cycle) -> None:
    family = cycle.world.families["own"]
    person = cycle.world.persons["own"]
    payload = {
        "actor": cycle.user("operator-desa"), "kunci": "kunjungan-uji-0001",
        "keluarga_id": family.pk, "hasil": 1, "today": DAY["desa"],
        "data": {"keluarga": {"alamat": "Jl. Uji", "jumlah_kamar": "3"},
                 "anggota": [{"id": person.pk, "nama": person.nama, "pendidikan": "4"}]},
    }  # fmt: skip
    first, created = kunjungan_submit(**payload)
    again, created_again = kunjungan_submit(**payload)
    assert created and not created_again and first.pk == again.pk
    assert Kunjungan.objects.count() == 1
    proposals = list(Usulan.objects.filter(kunjungan=first))
    assert [u.jenis for u in proposals] == ["perbaikan"]
    assert proposals[0].data == {"keluarga": {"jumlah_kamar": "3"},
                                 "anggota": {str(person.pk): {"pendidikan": "4"}}}  # fmt: skip
    family.refresh_from_db()
    assert family.verified_at is not None


def test_visit_not_found_proposes_removal(cycle: Cycle) -> None:
    family = cycle.world.families["own"]
    visit, _ = kunjungan_submit(actor=cycle.user("operator-desa"), kunci="kunjungan-uji-0002",
                                keluarga_id=family.pk, hasil=2, today=DAY["desa"])  # fmt: skip
    usulan = Usulan.objects.get(kunjungan=visit)
    assert usulan.jenis == "nonaktif" and usulan.alasan_nonaktif is not None
    assert usulan.alasan_nonaktif.code == "alamat-tidak-ditemukan"


def test_worklist_generation_is_repeatable(cycle: Cycle) -> None:
    made = worklist_generate(actor=cycle.user("dinsos-kabupaten"), periode=cycle.periode,
                             today=DAY["desa"])  # fmt: skip
    # Three Blora families never verified get a task each, assigned to no one but the
    # operator of the desa where there is one.
    assert made == {"belum_diverifikasi": 3}
    own = Tugas.objects.get(kode_desa="33.16.01.2001")
    assert own.penanggung == cycle.user("operator-desa")
    assert own.batas == DAY["desa"].replace(day=17)
    again = worklist_generate(actor=cycle.user("dinsos-kabupaten"), periode=cycle.periode,
                              today=DAY["desa"])  # fmt: skip
    assert again == {} and Tugas.objects.count() == 3
    with pytest.raises(VervalForbidden):
        worklist_generate(actor=cycle.user("operator-desa"), periode=cycle.periode,
                          today=DAY["desa"])  # fmt: skip


def test_big_batch_decides_and_is_audited(cycle: Cycle) -> None:
    """Thirty usulan in one decision: the audit row names as many as fit (PostgreSQL checks
    the length of its object id)."""
    ids = []
    for n in range(30):
        family = Keluarga.objects.create(id_keluarga=f"B{n}", no_kk=f"331601010{n:07d}",
                                         kode_desa="33.16.01.2001", alamat="Jl. Uji")  # fmt: skip
        ids.append(
            usulan_create(
                actor=cycle.user("operator-desa"), kode_desa="33.16.01.2001", keluarga=family,
                jenis=Usulan.Jenis.PERBAIKAN, data={"keluarga": {"alamat": f"Jl. Baru {n}"}},
                alasan="Alamat baru.", today=DAY["desa"],
            ).pk
        )  # fmt: skip
    _musdes(cycle, dict.fromkeys(ids, ("diterima", "")))
    _through_dinsos(cycle, ids)
    assert Usulan.objects.filter(status=Usulan.Status.DIVERIFIKASI).count() == 30
    row = AuditLog.objects.filter(action="verval.usulan_setuju").latest("id")
    assert len(row.object_id) <= 64 and row.object_id.endswith("...")


def test_pengesahan_queues_the_rescoring_after_commit(
    cycle: Cycle, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    model = PmtModel.objects.create(nama="uji", survei="survey.csv")
    Activation.objects.create(model=model, wilayah="33.16.")
    usulan = _perbaikan(cycle)
    _musdes(cycle, {usulan.pk: ("diterima", "")})
    _through_dinsos(cycle, [usulan.pk])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sk = pengesahan_record(
            actor=cycle.user("dinsos-kabupaten"), periode=cycle.periode, nomor_sk="2/2026",
            tanggal_sk=DAY["pengesahan"], berkas=pdf("sk.pdf"), today=DAY["pengesahan"],
        )  # fmt: skip
    assert any("di latar" in n for n in sk.ringkasan["catatan"])
    backend = task_backends["default"]
    backend.clear()  # type: ignore[attr-defined]
    for callback in callbacks:
        callback()
    queued = [r for r in backend.results if r.task.name == "score_register"]  # type: ignore[attr-defined]
    assert len(queued) == 1 and list(queued[0].args) == [model.pk, "33.16."]
