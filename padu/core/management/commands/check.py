"""``padu check``: the data quality rules over DTKS-CSV files, or Django's system check.

With ``--keluarga`` and ``--art`` the rules of ``padu/engine/rules/catalogue.yaml`` (or of
``--katalog``) run over the two files, read leniently so a bad cell becomes a finding, and
the findings are written to ``--out`` as ``record_id,rule,severity,field,message``.
Without them the command is Django's own ``check`` (system checks), unchanged.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.core.management.commands.check import Command as SystemCheckCommand

from padu.core.formatting import angka
from padu.core.progress import steps
from padu.engine import io, nik
from padu.engine.rules import catalogue as rule_catalogue
from padu.engine.rules.engine import check_files, write_issues
from padu.engine.rules.frames import Reference, RulesInputError
from padu.engine.rules.reference import desa_codes, packaged_desa_codes


class Command(SystemCheckCommand):
    help = (
        "Memeriksa kualitas data keluarga.csv dan art.csv dengan katalog aturan lalu menulis "
        "temuan ke --out (record_id,rule,severity,field,message). Tanpa --keluarga/--art: "
        "pemeriksaan sistem Django."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--keluarga", type=Path, help="berkas keluarga.csv")
        parser.add_argument("--art", type=Path, help="berkas art.csv")
        parser.add_argument("--out", type=Path, help="berkas temuan (CSV) yang ditulis")
        parser.add_argument(
            "--tanggal",
            type=date.fromisoformat,
            help="tanggal acuan TTTT-BB-HH untuk umur dan tanggal di masa depan (bawaan: hari ini)",
        )
        parser.add_argument(
            "--wilayah",
            type=Path,
            help="folder berisi districts.csv dan villages.csv (bawaan: wilayah Jawa Tengah)",
        )
        parser.add_argument("--katalog", type=Path, help="katalog aturan YAML pengganti bawaan")

    def handle(self, *args: Any, **options: Any) -> None:
        if not (options.get("keluarga") or options.get("art") or options.get("out")):
            super().handle(*args, **options)
            return
        missing = [f"--{n}" for n in ("keluarga", "art", "out") if not options.get(n)]
        if missing:
            raise CommandError(
                f"Pemeriksaan data memerlukan {', '.join(missing)}: padu check --keluarga "
                "keluarga.csv --art art.csv --out temuan.csv"
            )
        self._check_files(options)

    def _reference(self, options: dict[str, Any]) -> Reference:
        today = options.get("tanggal") or date.today()
        folder = options.get("wilayah")
        if folder is None:
            return Reference(today, nik.kecamatan_codes(), packaged_desa_codes())
        if not (folder / "districts.csv").is_file() or not (folder / "villages.csv").is_file():
            raise CommandError(f"Folder {folder} harus berisi districts.csv dan villages.csv.")
        return Reference(today, nik.kecamatan_codes(folder), desa_codes(folder / "villages.csv"))

    def _check_files(self, options: dict[str, Any]) -> None:
        started = time.perf_counter()
        try:
            rules = rule_catalogue.default_catalogue()
            if options.get("katalog"):
                text = Path(options["katalog"]).read_text("utf-8")
                rules = rule_catalogue.parse_catalogue(text)
            reference = self._reference(options)
            with steps(len(rules) + 2, "Memeriksa") as progress:
                result = check_files(
                    options["keluarga"],
                    options["art"],
                    reference=reference,
                    catalogue=rules,
                    progress=progress,
                )
        except (io.DtksFileError, RulesInputError, rule_catalogue.CatalogueError) as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(f"Berkas tidak dapat dibaca: {exc}") from exc
        write_issues(result.issues, options["out"])
        seconds = time.perf_counter() - started
        issues = result.issues
        by_severity = {
            s: issues.filter(issues["severity"] == s).height for s in ("error", "warning", "info")
        }
        self.stdout.write(
            f"{angka(result.n_keluarga)} keluarga dan {angka(result.n_art)} anggota diperiksa "
            f"dalam {seconds:.1f} detik: {angka(issues.height)} temuan "
            f"({angka(by_severity['error'])} galat, {angka(by_severity['warning'])} peringatan, "
            f"{angka(by_severity['info'])} info), ditulis ke {options['out']}."
        )
        for rule, severity, count in result.counts().iter_rows():
            self.stdout.write(f"  {rule} ({severity}): {angka(count)}")
        for code, reason in result.skipped.items():
            self.stdout.write(f"  aturan {code} tidak dijalankan: {reason}.")
