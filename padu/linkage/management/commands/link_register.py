"""``padu link_register``: a linkage run over the register from the command line, with the
access rights of a user (``--as-user``), the same service and task as the page."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from padu.accounts.models import User
from padu.core.formatting import angka
from padu.intake.models import ImportRun, Source
from padu.linkage.models import LinkageRun
from padu.linkage.runs import LinkageError, linkage_run_create, linkage_run_execute


class Command(BaseCommand):
    help = (
        "Menautkan orang di register (linkage) untuk suatu wilayah dan sumber: proses penuh, "
        "atau inkremental untuk satu impor baru dengan model proses penuh terakhir."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--as-user", required=True, help="pengguna yang hak aksesnya dipakai")
        parser.add_argument(
            "--wilayah", default="", help="kode wilayah, mis. 33.16 (kosong: semua, hanya provinsi)"
        )
        parser.add_argument(
            "--sumber",
            action="append",
            default=[],
            help="nama sumber (boleh berulang; bawaan: semua)",
        )
        parser.add_argument(
            "--impor",
            type=int,
            help="nomor impor baru: proses inkremental terhadap klaster yang ada",
        )
        parser.add_argument("--ambang", type=float, help="ambang tautan (bawaan 0,99)")
        parser.add_argument(
            "--batas-tinjauan", type=float, help="batas bawah tinjauan (bawaan 0,5)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = User.objects.filter(username=options["as_user"], is_active=True).first()
        if actor is None:
            raise CommandError(f"Pengguna '{options['as_user']}' tidak ada atau tidak aktif.")
        sources = list(Source.objects.filter(name__in=options["sumber"]))
        missing = set(options["sumber"]) - {s.name for s in sources}
        if missing:
            raise CommandError(
                f"Sumber tidak dikenal: {', '.join(sorted(missing))}. Sumber yang ada: "
                f"{', '.join(Source.objects.values_list('name', flat=True)) or '(belum ada)'}."
            )
        import_run = None
        if options["impor"]:
            import_run = ImportRun.objects.filter(pk=options["impor"]).first()
            if import_run is None:
                raise CommandError(f"Impor #{options['impor']} tidak ada.")
        try:
            run = linkage_run_create(
                actor=actor,
                region_prefix=options["wilayah"],
                source_ids=[s.pk for s in sources],
                kind=LinkageRun.Kind.INKREMENTAL if import_run else LinkageRun.Kind.PENUH,
                import_run=import_run,
                threshold=options["ambang"],
                review_lower=options["batas_tinjauan"],
            )
            run = linkage_run_execute(run=run)
        except LinkageError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Proses linkage #{run.pk} ({run.get_kind_display()}): {run.get_status_display()}"
        )
        for key, value in run.counts.items():
            self.stdout.write(f"  {key.replace('_', ' '):<28} {angka(value):>10}")
        self.stdout.write(
            "  waktu (detik): " + ", ".join(f"{k} {v}" for k, v in run.seconds.items())
        )
