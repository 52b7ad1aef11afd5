from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from padu.accounts.services import user_upsert
from padu.core.models import AuditLog
from padu.intake.models import ImportRun
from padu.intake.services import (
    import_execute,
    import_prepare,
    import_set_mapping,
    source_get_or_create,
)
from padu.registry.models import Keluarga
from tests.intake.samples import KELUARGA, load_small

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client: Any) -> Any:
    user = user_upsert(
        actor=None,
        username="op-desa",
        password="x",
        assignments=[("operator-desa", "33.16.01.2001")],
    )
    client.force_login(user)
    return user


def test_upload_review_run_report(client: Any, operator: Any) -> None:
    page = client.get(reverse("intake:upload"))
    key = page.context["form"].initial["idempotency_key"]
    upload = io.BytesIO(KELUARGA.encode())
    upload.name = "keluarga.csv"
    data = {
        "table": "keluarga",
        "new_source": "Desa Uji",
        "new_kind": "desa",
        "idempotency_key": key,
        "file": upload,
    }
    response = client.post(reverse("intake:upload"), data)
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "intake:mapping", args=[run.pk]
    )
    # The same form again (a retry after a dropped connection) makes no second run.
    upload.seek(0)
    client.post(reverse("intake:upload"), data)
    assert ImportRun.objects.count() == 1
    page = client.get(reverse("intake:mapping", args=[run.pk])).content.decode()
    assert "Periksa pemetaan kolom" in page and "Dukuh Krajan" in page
    mapping = dict(run.mapping)
    response = client.post(reverse("intake:mapping", args=[run.pk]), mapping)
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == "selesai"
    # K2 lies in another desa: quarantined for this operator, K1 promoted.
    assert (run.counts["baru"], run.counts["karantina"]) == (1, 1)
    assert list(Keluarga.objects.values_list("id_keluarga", flat=True)) == ["K1"]
    html = client.get(reverse("intake:run", args=[run.pk])).content.decode()
    assert "di luar wilayah tugas Anda" in html
    download = client.get(reverse("intake:quarantine", args=[run.pk]))
    assert download.status_code == 200
    assert AuditLog.objects.filter(action="import.download.karantina").count() == 1
    assert client.get(reverse("intake:report", args=[run.pk])).status_code == 200


def test_other_users_runs_are_not_found(client: Any, tmp_path: Path) -> None:
    load_small(tmp_path)
    user = user_upsert(
        actor=None, username="op2", password="x", assignments=[("operator-desa", "33.16.01.2001")]
    )
    client.force_login(user)
    run = ImportRun.objects.first()
    assert run is not None
    assert client.get(reverse("intake:run", args=[run.pk])).status_code == 404
    assert client.get(reverse("intake:quarantine", args=[run.pk])).status_code == 404


def test_viewer_may_not_upload(client: Any) -> None:
    user = user_upsert(actor=None, username="lihat", password="x", assignments=[("viewer", "")])
    client.force_login(user)
    assert client.get(reverse("intake:upload")).status_code == 403


def test_export_is_scoped_and_audited(client: Any, operator: Any, tmp_path: Path) -> None:
    load_small(tmp_path)
    response = client.get(reverse("intake:export"), {"format": "csv"})
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    keluarga = archive.read("keluarga.csv").decode()
    art = archive.read("art.csv").decode()
    assert "K1" in keluarga and "K2" not in keluarga
    assert "Sumarno" in art and "Wagiman" not in art
    assert keluarga.splitlines()[0].startswith("id_keluarga,no_kk,kode_desa")
    assert AuditLog.objects.filter(action="register.export", actor=operator).count() == 1


def test_seeing_a_run_is_not_changing_it(client: Any, operator: Any) -> None:
    """A read-only role that sees a run (TKPK kabupaten over the source's desa) may neither
    confirm its mapping nor cancel it; the importer may."""
    page = client.get(reverse("intake:upload"))
    upload = io.BytesIO(KELUARGA.encode())
    upload.name = "keluarga.csv"
    client.post(
        reverse("intake:upload"),
        {
            "table": "keluarga",
            "new_source": "Desa Uji",
            "new_kind": "desa",
            "idempotency_key": page.context["form"].initial["idempotency_key"],
            "file": upload,
        },
    )
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.PEMETAAN
    reader = user_upsert(
        actor=None, username="tkpk-kab", password="x", assignments=[("tkpk-kabupaten", "33.16")]
    )
    client.force_login(reader)
    page = client.get(reverse("intake:mapping", args=[run.pk]))
    assert page.status_code == 200
    assert "Benar, jalankan impor" not in page.content.decode()
    assert (
        client.post(reverse("intake:mapping", args=[run.pk]), dict(run.mapping)).status_code == 403
    )
    assert client.post(reverse("intake:rollback", args=[run.pk])).status_code == 403
    run.refresh_from_db()
    assert run.status == ImportRun.Status.PEMETAAN
    client.force_login(operator)
    assert client.post(reverse("intake:rollback", args=[run.pk])).status_code == 302
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DIBATALKAN


def test_a_failed_run_is_resumed_or_cancelled_from_its_page(
    client: Any, operator: Any, tmp_path: Path
) -> None:
    """A promotion that failed leaves the register untouched; the run's page offers to go on
    from the staged chunks (a second click does nothing more) or to cancel."""
    path = tmp_path / "keluarga.csv"
    path.write_text(KELUARGA, encoding="utf-8")
    source = source_get_or_create(
        actor=operator, name="Desa Uji", kind="desa", owner_region="33.16.01.2001"
    )
    run = import_prepare(actor=operator, source=source, table="keluarga", upload=path)
    import_set_mapping(actor=operator, run=run, mapping=run.mapping)

    def fail(index: int) -> None:
        raise RuntimeError("server basis data mati di tengah promosi")

    with pytest.raises(RuntimeError):
        import_execute(actor=operator, run=run, fail_hook=fail)
    assert Keluarga.all_objects.count() == 0
    html = client.get(reverse("intake:run", args=[run.pk])).content.decode()
    assert "mati di tengah promosi" in html and "Lanjutkan impor" in html

    reader = user_upsert(
        actor=None, username="tkpk-kab", password="x", assignments=[("tkpk-kabupaten", "33.16")]
    )
    client.force_login(reader)
    assert client.post(reverse("intake:resume", args=[run.pk])).status_code == 403

    client.force_login(operator)
    response = client.post(reverse("intake:resume", args=[run.pk]), follow=True)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.SELESAI and run.counts["baru"] == 1
    assert "Impor dilanjutkan" in response.content.decode()
    assert AuditLog.objects.filter(action="import.resume", actor=operator).count() == 1
    again = client.post(reverse("intake:resume", args=[run.pk]), follow=True).content.decode()
    assert "hanya impor yang gagal" in again
    assert Keluarga.objects.count() == 1  # promoted once


def test_the_command_line_resumes_or_cancels_a_failed_run(tmp_path: Path) -> None:
    from django.core.management import CommandError, call_command

    path = tmp_path / "keluarga.csv"
    path.write_text(KELUARGA, encoding="utf-8")

    def fail(index: int) -> None:
        raise RuntimeError("putus")

    runs = []
    for name in ("A", "B"):
        source = source_get_or_create(actor=None, name=name, kind="desa")
        run = import_prepare(actor=None, source=source, table="keluarga", upload=path)
        import_set_mapping(actor=None, run=run, mapping=run.mapping)
        with pytest.raises(RuntimeError):
            import_execute(actor=None, run=run, fail_hook=fail)
        runs.append(run)
    out = io.StringIO()
    call_command("import_run", "lanjutkan", str(runs[0].pk), stdout=out)
    assert "Selesai" in out.getvalue()
    call_command("import_run", "batalkan", str(runs[1].pk), "--alasan", "berkas salah")
    statuses = list(ImportRun.objects.order_by("pk").values_list("status", "error_message"))
    assert statuses == [("selesai", ""), ("dibatalkan", "berkas salah")]
    assert Keluarga.objects.count() == 2
    with pytest.raises(CommandError, match="hanya impor yang gagal"):
        call_command("import_run", "lanjutkan", str(runs[0].pk))
    # A run left "running" by a worker that died: only on the administrator's word.
    stuck = import_prepare(actor=None, source=source, table="keluarga", upload=path)
    import_set_mapping(actor=None, run=stuck, mapping=stuck.mapping)
    ImportRun.objects.filter(pk=stuck.pk).update(status=ImportRun.Status.BERJALAN)
    with pytest.raises(CommandError, match="hanya impor yang gagal"):
        call_command("import_run", "lanjutkan", str(stuck.pk))
    call_command("import_run", "lanjutkan", str(stuck.pk), "--macet", stdout=io.StringIO())
    stuck.refresh_from_db()
    assert stuck.status == ImportRun.Status.SELESAI
