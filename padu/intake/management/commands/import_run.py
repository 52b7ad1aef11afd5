from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from padu.accounts.models import User
from padu.core.formatting import angka
from padu.intake.models import ImportRun
from padu.intake.reports import COUNT_LABELS
from padu.intake.services import (
    IntakeError,
    import_claim_resume,
    import_execute,
    import_rollback,
)


class Command(BaseCommand):
    help = (
        "Melanjutkan impor yang gagal dari potongan terakhir yang tersimpan (lanjutkan), atau "
        "membatalkannya tanpa memasukkan apa pun ke register (batalkan)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["lanjutkan", "batalkan"])
        parser.add_argument("run", type=int, help="nomor impor (terlihat di halaman Impor)")
        parser.add_argument("--alasan", default="", help="alasan pembatalan")
        parser.add_argument(
            "--macet",
            action="store_true",
            help="lanjutkan juga impor yang masih tertulis berjalan: HANYA bila pekerja latar "
            "yang menjalankannya sudah mati (mis. server dinyalakan ulang)",
        )
        parser.add_argument("--as-user", help="jalankan dengan hak akses pengguna ini")

    def handle(self, *args: Any, **options: Any) -> None:
        run = ImportRun.objects.filter(pk=options["run"]).first()
        if run is None:
            raise CommandError(
                f"Impor #{options['run']} tidak ada. Nomor impor tertera di halaman Impor "
                "(kolom '#')."
            )
        actor = None
        if options["as_user"]:
            actor = User.objects.filter(username=options["as_user"], is_active=True).first()
            if actor is None:
                raise CommandError(f"Pengguna '{options['as_user']}' tidak ada atau tidak aktif.")
        try:
            if options["action"] == "batalkan":
                reason = options["alasan"] or "Dibatalkan dari baris perintah"
                import_rollback(actor=actor, run=run, reason=reason)
            else:
                self._resume(actor, run, stuck=options["macet"])
        except IntakeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Impor #{run.pk}: {run.get_status_display()}")
        for key, label in COUNT_LABELS:
            self.stdout.write(f"  {label:<34} {angka(run.counts.get(key, 0)):>10}")

    def _resume(self, actor: Any, run: ImportRun, *, stuck: bool) -> None:
        import_claim_resume(actor=actor, run=run, stuck=stuck)
        bar = tqdm(total=run.rows_total or None, initial=run.rows_done, unit=" baris", disable=None)
        try:
            import_execute(actor=actor, run=run, progress=lambda done: bar.update(done - bar.n))
        finally:
            bar.close()
        run.refresh_from_db()
