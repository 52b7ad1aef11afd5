from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

import yaml
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from padu.accounts.models import User
from padu.core.formatting import angka
from padu.engine.intake.mapping import is_known_header, propose_mapping
from padu.engine.intake.reader import FileReadError, inspect_file
from padu.intake.models import Source
from padu.intake.reports import COUNT_LABELS
from padu.intake.services import IntakeError, import_file, source_get_or_create


class Command(BaseCommand):
    help = (
        "Mengimpor berkas CSV/XLSX dari suatu sumber ke register: membaca, memperbaiki, "
        "memvalidasi, mengarantina baris bermasalah, lalu memasukkan sisanya dalam satu transaksi."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="berkas CSV atau XLSX")
        parser.add_argument(
            "--source", required=True, help="nama sumber data (dibuat bila belum ada)"
        )
        parser.add_argument(
            "--kind",
            choices=["keluarga", "art"],
            help="jenis data (bawaan: ditebak dari judul kolom)",
        )
        parser.add_argument(
            "--map", type=Path, help="berkas YAML/JSON pemetaan: kolom_tujuan: JUDUL KOLOM"
        )
        parser.add_argument(
            "--source-kind", default=Source.Kind.LAINNYA, choices=Source.Kind.values
        )
        parser.add_argument(
            "--trusted", action="store_true", help="sumber dipercaya untuk identitas (NIK)"
        )
        parser.add_argument("--as-user", help="jalankan dengan hak akses pengguna ini")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        actor = None
        if options["as_user"]:
            actor = User.objects.filter(username=options["as_user"], is_active=True).first()
            if actor is None:
                raise CommandError(f"Pengguna '{options['as_user']}' tidak ada atau tidak aktif.")
        table = options["kind"] or self._guess_kind(path)
        mapping = self._read_map(options["map"]) if options["map"] else None
        source = source_get_or_create(
            actor=actor,
            name=options["source"],
            kind=options["source_kind"],
            trusted_for_identity=options["trusted"],
        )
        bar = tqdm(total=None, unit=" baris", desc=f"Impor {path.name}", disable=None)

        def progress(done: int) -> None:
            bar.update(done - bar.n)

        try:
            run = import_file(
                actor=actor,
                path=path,
                source=source,
                table=table,
                mapping=mapping,
                progress=progress,
            )
        except IntakeError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            bar.close()
        status = run.get_status_display()
        self.stdout.write(
            f"Impor #{run.pk} ({run.get_table_display()}) dari {source.name}: {status}"
        )
        for key, label in COUNT_LABELS:
            self.stdout.write(f"  {label:<34} {angka(run.counts.get(key, 0)):>10}")
        if run.counts.get("karantina"):
            self.stdout.write(
                f"Baris bermasalah dapat diunduh di halaman impor #{run.pk} "
                "(berkas karantina XLSX dengan kolom KESALAHAN)."
            )

    def _guess_kind(self, path: Path) -> str:
        try:
            layout = inspect_file(path, is_known_header)
        except FileReadError as exc:
            raise CommandError(str(exc)) from exc
        art = propose_mapping(layout.headers, "art")
        return "art" if "id_art" in art.mapping else "keluarga"

    def _read_map(self, path: Path) -> dict[str, str]:
        try:
            text = path.read_text(encoding="utf-8")
            data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
        except (OSError, ValueError, yaml.YAMLError) as exc:
            raise CommandError(f"Berkas pemetaan {path} tidak dapat dibaca: {exc}") from exc
        if not isinstance(data, dict):
            raise CommandError(
                f"Berkas pemetaan {path} harus berisi pasangan kolom_tujuan: JUDUL KOLOM."
            )
        return {str(k): str(v) for k, v in data.items()}
