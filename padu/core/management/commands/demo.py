from __future__ import annotations

import datetime as dt
import os
import secrets
import subprocess
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from padu.accounts.models import User
from padu.accounts.services import user_upsert
from padu.core.formatting import angka, tanggal
from padu.dashboard.services import agregat_refresh
from padu.engine import synth
from padu.intake.models import ImportRun, Source
from padu.intake.services import import_file, source_get_or_create
from padu.layanan.services import laporan_create
from padu.linkage.demo import demo_kecamatan, load_demo_sources, run_demo_linkage
from padu.linkage.models import LinkageRun
from padu.registry.models import Keluarga, Person
from padu.verval.models import Periode
from padu.verval.services.periode import default_dates, periode_create
from padu.verval.services.worklist import worklist_generate
from padu.wilayah.services import wilayah_load

DEMO_SOURCE = "Demo Blora (sintetis)"


class Command(BaseCommand):
    help = (
        "Menyiapkan dan menjalankan demo Padu: basis data SQLite, wilayah Jawa Tengah, data "
        "sintetis Kabupaten Blora, satu pengguna demo per peran, lalu server web."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--keluarga", type=int, default=20_000, help="jumlah keluarga sintetis")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--addr", default="127.0.0.1:8000", help="alamat server web")
        parser.add_argument(
            "--no-serve", action="store_true", help="siapkan saja, tanpa server web"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write("1/6 Menyiapkan basis data ...")
        call_command("migrate", verbosity=0, interactive=False)
        self.stdout.write("2/6 Memuat wilayah Jawa Tengah ...")
        wilayah_load(actor=None)
        self._load_data(options["keluarga"], options["seed"])
        users = self._users()
        self._link()
        self._verval()
        self._dampingan()
        summary = agregat_refresh(actor=None)  # after every programme's data is in
        self.stdout.write(
            f"    dasbor TKPK: agregat {angka(summary['wilayah'])} wilayah dihitung (/dasbor/)"
        )
        self.stdout.write("\nPengguna demo (kata sandi dibuat acak setiap kali demo dijalankan):")
        for username, password, role in users:
            self.stdout.write(f"  {username:<22} {password:<18} {role}")
        self.stdout.write(
            "Peran tingkat provinsi diminta memasang verifikasi dua langkah (aplikasi "
            "autentikator, TOTP) saat pertama masuk; pengguna lain langsung masuk."
        )
        if options["no_serve"]:
            return
        self.stdout.write(
            f"\nBuka http://{options['addr']}/ di peramban. Tekan Ctrl+C untuk berhenti.\n"
        )
        # Imports, checks and scoring run as background tasks: a worker runs beside the server.
        worker = subprocess.Popen(
            [sys.executable, "-m", "padu", "worker", "--interval", "1", "--no-reload"],
            env=os.environ.copy(),
        )
        try:
            call_command("runserver", options["addr"], use_reloader=False)
        finally:
            worker.terminate()
            worker.wait(timeout=30)

    def _load_data(self, n_keluarga: int, seed: int) -> None:
        if ImportRun.objects.filter(
            source__name=DEMO_SOURCE, table="art", status=ImportRun.Status.SELESAI
        ).exists():
            count = Keluarga.objects.count()
            self.stdout.write(f"3/6 Data demo sudah ada ({angka(count)} keluarga), dipakai lagi.")
            return
        out = Path(settings.DATA_DIR) / "demo"
        self.stdout.write(f"3/6 Membuat {angka(n_keluarga)} keluarga sintetis Blora ...")
        synth.generate(kabupaten="33.16", n_keluarga=n_keluarga, seed=seed, out_dir=out)
        source = source_get_or_create(
            actor=None, name=DEMO_SOURCE, kind=Source.Kind.SINTETIS, trusted_for_identity=True
        )
        for table, label in (("keluarga", "keluarga"), ("art", "anggota keluarga")):
            run = import_file(actor=None, path=out / f"{table}.csv", source=source, table=table)
            self.stdout.write(
                f"    impor #{run.pk}: {angka(run.counts['baru'])} {label} baru, "
                f"{angka(run.counts['karantina'])} baris di karantina"
            )
        kecamatan, created = load_demo_sources(out, n_keluarga=n_keluarga, seed=seed)
        if kecamatan:
            self.stdout.write(
                f"    sumber lain di kecamatan {kecamatan}: "
                + ", ".join(f"{name} {angka(n)} orang" for name, n in created.items())
            )

    def _link(self) -> None:
        if LinkageRun.objects.filter(status=LinkageRun.Status.SELESAI).exists():
            self.stdout.write("5/6 Klaster linkage demo sudah ada, dipakai lagi.")
            return
        kecamatan = demo_kecamatan()
        if not kecamatan:
            self.stdout.write("5/6 Tidak ada sumber lain untuk ditautkan (data terlalu kecil).")
            return
        self.stdout.write(f"5/6 Menautkan orang antar sumber di kecamatan {kecamatan} ...")
        admin = User.objects.get(username="admin")
        run = run_demo_linkage(admin, kecamatan)
        counts = run.counts
        self.stdout.write(
            f"    proses linkage #{run.pk}: {angka(counts.get('rekaman', 0))} rekaman, "
            f"{angka(counts.get('klaster_ganda', 0))} klaster berisi lebih dari satu rekaman, "
            f"{angka(counts.get('tinjauan', 0))} pasangan untuk ditinjau"
        )

    def _verval(self) -> None:
        """A verval period of Blora open today, with its worklists generated."""
        today = timezone.localdate()
        dinsos = User.objects.get(username="dinsos.blora")
        periode = Periode.objects.filter(
            kode_kabupaten="33.16", mulai__lte=today, batas_desa__gte=today
        ).first()
        if periode is None:
            dates = default_dates(today.year, today.month)
            if dates["batas_desa"] < today + dt.timedelta(days=3):
                # Late in the month: the demo's windows start from today instead.
                days = {"desa": 7, "musdes": 10, "kecamatan": 12, "dinsos": 15, "pengesahan": 20}
                dates = {f"batas_{k}": today + dt.timedelta(days=v) for k, v in days.items()}
            periode = periode_create(
                actor=dinsos,
                kode_kabupaten="33.16",
                year=today.year,
                month=today.month,
                dates=dates,
            )
        made = worklist_generate(actor=dinsos, periode=periode)
        self.stdout.write(
            f"6/6 {periode.nama} Kabupaten Blora: input desa s.d. {tanggal(periode.batas_desa)}; "
            f"{angka(sum(made.values()))} tugas verval baru di daftar kerja desa"
        )
        codes = self._warga()
        if codes:
            self.stdout.write(
                f"    layanan warga: usul {codes[0]} dan sanggah {codes[1]} masuk daftar kerja "
                "desa operator demo (lacak di /layanan/lacak/)"
            )

    def _dampingan(self) -> None:
        """Blora's own programme: one OPD assigned to the demo OPD user's desa and to the two
        desa with the most families in desil 1-4, with the desa measured this month."""
        from padu.dampingan import services as dampingan
        from padu.dampingan.models import IndikatorDesa, Mitra

        today = timezone.localdate()
        dampingan.indikator_refresh(actor=None)
        tkpk = User.objects.get(username="tkpk.blora")
        mitra = Mitra.objects.filter(kode="dinkes-blora").first() or dampingan.mitra_create(
            actor=tkpk, kode="dinkes-blora", nama="Dinas Kesehatan Kabupaten Blora",
            jenis="opd-kabupaten", wilayah="33.16",
        )  # fmt: skip
        member = User.objects.filter(username__startswith="opd.").first()
        if member is not None:
            dampingan.anggota_add(actor=tkpk, mitra=mitra, user=member, jabatan="Ketua tim")
        poorest = list(
            IndikatorDesa.objects.filter(kode_desa__startswith="33.16.", bulan=today.replace(day=1))
            .order_by("-nilai__kel_desil14", "kode_desa")
            .values_list("kode_desa", flat=True)[:2]
        )
        own = [member.username.removeprefix("opd.")] if member is not None else []
        for code in dict.fromkeys(own + poorest):
            if not mitra.penugasan.filter(kode_desa=code, tahun=today.year).exists():
                dampingan.penugasan_create(
                    actor=tkpk, mitra=mitra, kode_desa=code, tahun=today.year,
                    dasar_hukum=f"SK Bupati Blora (demo) {today.year}",
                )  # fmt: skip
        self.stdout.write(
            f"    desa dampingan: {mitra.nama} mendampingi {mitra.penugasan.count()} desa "
            "(/dampingan/)"
        )

    def _warga(self) -> list[str]:
        """One usul and one sanggah from residents of the demo operator's desa."""
        head = (
            Person.objects.filter(keluarga__kode_desa__startswith="33.16.", hub_kepala_keluarga=1)
            .order_by("keluarga__kode_desa", "id")
            .values_list("keluarga__kode_desa", "nama")
            .first()
        )
        if head is None:
            return []
        desa, nama = head
        usul = laporan_create(
            jenis="usul", kode_desa=desa, ip_hash="demo", idem="demo-layanan-usul-1",
            data={"untuk": "orang_lain", "nama_kepala": "Warga Demo Sintetis",
                  "alamat": "Dusun Demo", "rt": "001", "rw": "001", "jumlah_anggota": "4",
                  "telepon": "081200000000", "alasan": "Kepala keluarga kehilangan pekerjaan."},
        )  # fmt: skip
        sanggah = laporan_create(
            jenis="sanggah", kode_desa=desa, ip_hash="demo", idem="demo-layanan-sanggah-1",
            data={"nama_kepala": nama, "alasan": "sudah-mampu",
                  "keterangan": "Sudah membuka usaha sendiri (data demo)."},
        )  # fmt: skip
        return [usul.kode_lacak, sanggah.kode_lacak]

    def _users(self) -> list[tuple[str, str, str]]:
        self.stdout.write("4/6 Membuat pengguna demo ...")
        families = Keluarga.objects.filter(kode_desa__startswith="33.16.").order_by("kode_desa")
        desa = families.values_list("kode_desa", flat=True).first() or "33.16.01.2001"
        kecamatan = desa[:8]
        last_desa = (
            families.order_by("-kode_desa").values_list("kode_desa", flat=True).first() or desa
        )
        plan = [
            ("admin", "", "", True, "Superuser demo: semua data dan halaman admin"),
            (
                "admin.provinsi",
                "admin-provinsi",
                "",
                False,
                "Admin provinsi (verifikasi dua langkah)",
            ),
            ("tkpk.jateng", "tkpk-provinsi", "", False, "TKPK provinsi (verifikasi dua langkah)"),
            ("dinsos.blora", "dinsos-kabupaten", "33.16.", False, "Dinas Sosial Kabupaten Blora"),
            ("tkpk.blora", "tkpk-kabupaten", "33.16.", False, "TKPK Kabupaten Blora"),
            (
                "kec." + kecamatan,
                "operator-kecamatan",
                kecamatan + ".",
                False,
                "Operator kecamatan " + kecamatan,
            ),
            ("desa." + desa, "operator-desa", desa, False, "Operator desa " + desa),
            (
                "opd." + last_desa,
                "opd-pendamping",
                last_desa,
                False,
                "OPD pendamping desa " + last_desa,
            ),
            ("pemantau", "viewer", "", False, "Pemantau (agregat saja)"),
        ]
        users = []
        for username, role, prefix, admin, label in plan:
            password = secrets.token_urlsafe(9)
            user_upsert(
                actor=None,
                username=username,
                password=password,
                assignments=[(role, prefix)] if role else [],
                full_name=label,
                is_staff=admin,
                is_superuser=admin,
            )
            users.append((username, password, label))
        return users
