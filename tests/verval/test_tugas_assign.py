"""Giving a worklist task to a worker of its desa, with a due date, from the desa page."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from padu.accounts import access
from padu.core.models import AuditLog
from padu.verval.config import stage_roles
from padu.verval.models import Tugas
from padu.verval.services import VervalError, VervalForbidden
from padu.verval.services.worklist import tugas_assign
from tests.access_fixtures import OWN, TARGETS, logged_in
from tests.verval.fixtures import Cycle, open_cycle

pytestmark = pytest.mark.django_db
DAY = "2026-12-10 09:00 +0700"


@pytest.fixture
def cycle() -> Cycle:
    return open_cycle()


def _task(cycle: Cycle, **kw: object) -> Tugas:
    return Tugas.objects.create(
        periode=cycle.periode, kode_desa=OWN, jenis=Tugas.Jenis.MENINGGAL, kunci=f"k{kw}",
        uraian="Dilaporkan meninggal", batas=dt.date(2026, 12, 15),
        penanggung=cycle.user("operator-desa"), **kw,
    )  # fmt: skip


def test_workers_of_a_desa_are_its_region_staff_of_the_desa_stage(cycle: Cycle) -> None:
    names = [u.username for u in access.users_acting_in(stage_roles("desa"), OWN)]
    assert names == ["u-dinsos-kabupaten", "u-opd-pendamping", "u-operator-desa",
                     "u-operator-kecamatan"]  # fmt: skip
    other = [u.username for u in access.users_acting_in(stage_roles("desa"), TARGETS["other_kec"])]
    assert other == ["u-dinsos-kabupaten"]
    assert access.users_acting_in(stage_roles("desa"), "33.16") == []


def test_assign_to_the_opd_team_with_a_new_due_date(cycle: Cycle) -> None:
    task = _task(cycle)
    with time_machine.travel(DAY, tick=False):
        tugas_assign(actor=cycle.user("operator-desa"), tugas=task,
                     penanggung=cycle.user("opd-pendamping"), batas=dt.date(2026, 12, 16))  # fmt: skip
    task.refresh_from_db()
    assert task.penanggung == cycle.user("opd-pendamping") and task.batas == dt.date(2026, 12, 16)
    row = AuditLog.objects.get(action="verval.tugas_assign")
    assert row.detail == {"penanggung": cycle.user("opd-pendamping").pk}


def test_assign_refuses_outsiders_past_dates_closed_tasks_and_non_actors(cycle: Cycle) -> None:
    task = _task(cycle)
    operator = cycle.user("operator-desa")
    with time_machine.travel(DAY, tick=False):
        with pytest.raises(VervalError, match="tidak bekerja di desa"):
            tugas_assign(actor=operator, tugas=task, penanggung=cycle.user("tkpk-kabupaten"))
        with pytest.raises(VervalError, match="sudah lewat"):
            tugas_assign(actor=operator, tugas=task, penanggung=operator,
                         batas=dt.date(2026, 12, 9))  # fmt: skip
        with pytest.raises(VervalForbidden):
            tugas_assign(actor=cycle.user("tkpk-kabupaten"), tugas=task, penanggung=operator)
        done = _task(cycle, status=Tugas.Status.SELESAI)
        with pytest.raises(VervalError, match="sudah selesai"):
            tugas_assign(actor=operator, tugas=done, penanggung=operator)
    task.refresh_from_db()
    assert task.penanggung == operator and task.batas == dt.date(2026, 12, 15)
    assert not AuditLog.objects.filter(action="verval.tugas_assign").exists()


def test_assign_from_the_desa_page(cycle: Cycle) -> None:
    task = _task(cycle)
    url = reverse("verval:tugas_assign", args=[task.pk])
    opd = cycle.user("opd-pendamping")
    with time_machine.travel(DAY, tick=False):
        client = logged_in(cycle.user("operator-desa"))
        html = client.get(reverse("verval:desa", args=[OWN])).content.decode()
        assert url in html and f'<option value="{opd.pk}"' in html
        bad = client.post(url, {"penanggung": opd.pk, "batas": "besok"}, follow=True)
        assert "Tanggal batas tidak valid" in bad.content.decode()
        sent = client.post(url, {"penanggung": opd.pk, "batas": "2026-12-14"})
        assert sent.status_code == 302 and sent["Location"].endswith(f"#t{task.pk}")
        assert logged_in(cycle.user("viewer")).post(url, {"penanggung": opd.pk}).status_code == 404
        # A role that only reads the desa sees no form.
        tkpk = logged_in(cycle.user("tkpk-kabupaten")).get(reverse("verval:desa", args=[OWN]))
        assert url not in tkpk.content.decode()
    task.refresh_from_db()
    assert task.penanggung == opd and task.batas == dt.date(2026, 12, 14)
