"""Benchmark of the verval cycle (issue 12): worklists for a kabupaten and applying usulan.

    .venv/bin/python benchmarks/bench_verval.py --keluarga 300000 --usulan 10000 \
        [--database sqlite|postgres|both] [--profile DIR]

Targets: (a) ``worklist_generate`` for a kabupaten of 300,000 families in < 30 s;
(b) ``pengesahan_record`` applying 10,000 approved usulan in < 60 s.

Generates ``padu synth --errors --survey`` files of Blora (33.16) once, then for each
database, in a fresh process and a fresh database (not timed): migrate, load regions,
import both files through intake, run the full quality check (error findings), fit a PMT
model on the survey (quick settings), put it in force for 33.16 and score the register
(desil), write linkage results in bulk (every person a cluster of its own; some persons
reported deceased by DUKCAPIL put in a cluster with a living person of the register; pairs
of persons of one desa waiting for review), and create the users (Dinas Sosial, an
operator per kecamatan and per desa).

Timed, each in its own transaction as a user would run it:

1. ``worklist_generate`` of period December 2026: the first generation (every family gets
   its desil reference, so no desil task yet).
2. ``worklist_generate`` of period January 2027 after the references of 5% of the families
   were moved by 3 desil (as a new PMT run would move them): the steady state.
3. ``pengesahan_record`` of the 10,000 usulan of January 2027 (mostly perbaikan of the
   address, some nonaktif of families and persons), created with ``usulan_create`` and
   taken through musdes (recorded and locked per desa), kecamatan and Dinas Sosial with the
   real services (not timed). Applying includes the quality re-check of the changed
   families and rescoring the kabupaten with the PMT model in force.

Afterwards it checks that the register changed: versions whose reason names the SK (one
per usulan), addresses and statuses as proposed. Prints peak RSS.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime as dt
import json
import os
import pstats
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DAYS = {"desa": 10, "musdes": 19, "kecamatan": 21, "dinsos": 24, "pengesahan": 28}
SK = "400/BENCH-VERVAL/2027"
# Quick PMT settings (as tests/welfare/test_pmt_command.py): the model only has to exist.
FAST_PMT: dict[str, Any] = {
    "lipatan_cv": 3,
    "bootstrap": 20,
    "kandidat": {
        "ols_bps": {"jenis": "linear_sel", "sel_minimum": 300, "alpha": 1e-6},
        "lightgbm": {"jenis": "lightgbm", "n_estimators": 40, "learning_rate": 0.1,
                     "num_leaves": 15, "min_child_samples": 40, "subsample": 0.8,
                     "colsample_bytree": 0.7},
    },
}  # fmt: skip


def say(text: str) -> None:
    print(text, flush=True)


def peak_rss_mb(reset: bool = False) -> int:
    """This process's peak RSS so far (``VmHWM``); ``reset`` starts a new peak (Linux)."""
    if reset:
        with contextlib.suppress(OSError):
            Path("/proc/self/clear_refs").write_text("5")
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def server_cpu() -> float:
    """CPU seconds used so far by this connection's PostgreSQL backend (same machine only),
    as in bench_intake.py: with the process's own CPU time, a figure other work on a busy
    machine inflates much less than the wall time."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(label: str, profile: Path | None, func: Any, **kwargs: Any) -> tuple[Any, float, int]:
    """Run ``func`` once, profiled into ``profile/label.prof`` when asked; returns its
    result, wall seconds and the peak RSS (MB) while it ran; prints the CPU time."""
    peak_rss_mb(reset=True)
    profiler = cProfile.Profile() if profile else None
    cpu, server = time.process_time(), server_cpu()
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    result = func(**kwargs)
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - started
    cpu, server = time.process_time() - cpu, server_cpu() - server
    say(f"{label}: {seconds:.1f} s wall, CPU {cpu:.1f} s Python + {server:.1f} s server, "
        f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    if profiler and profile:
        profile.mkdir(parents=True, exist_ok=True)
        profiler.dump_stats(profile / f"{label}.prof")
        stats = pstats.Stats(profiler).sort_stats("cumulative")
        stats.print_stats(30)
    return result, seconds, peak_rss_mb()


# --- setup, not timed ----------------------------------------------------------------


def load_register(files: Path) -> None:
    from django.core.management import call_command

    from padu.intake.services import import_file, source_get_or_create
    from padu.wilayah.services import wilayah_load

    call_command("migrate", verbosity=0)
    wilayah_load(actor=None)
    source = source_get_or_create(actor=None, name="bench", kind="sintetis")
    started = time.perf_counter()
    import_file(actor=None, path=files / "keluarga.csv", source=source, table="keluarga")
    import_file(actor=None, path=files / "art.csv", source=source, table="art")
    say(f"setup: imported in {time.perf_counter() - started:.1f} s")


def quality_and_scores(files: Path, admin: Any) -> None:
    from padu.engine import synth
    from padu.quality.services import quality_check
    from padu.welfare import services as welfare

    started = time.perf_counter()
    run = quality_check(actor=None, today=synth.REFERENCE_DATE)
    say(f"setup: quality check {time.perf_counter() - started:.1f} s, findings {run.counts}")
    started = time.perf_counter()
    model = welfare.pmt_model_create(actor=admin, nama="bench", survei=files / "survey.csv")
    model = welfare.pmt_model_fit(actor=admin, model=model, overrides=FAST_PMT)
    welfare.pmt_model_activate(actor=admin, model=model, wilayah="33.16.")
    written = welfare.keluarga_scores_write(actor=admin, model=model, wilayah="33.16.")
    say(f"setup: PMT fitted, in force for 33.16, {written:,} families scored "
        f"in {time.perf_counter() - started:.1f} s")  # fmt: skip


def linkage_results(seed: int, n_dead: int, n_pairs: int) -> None:
    """What a linkage run leaves behind, written in bulk: every person in a cluster;
    ``n_dead`` persons reported deceased by DUKCAPIL put in the cluster of a living person
    of the same desa; ``n_pairs`` pairs of persons of one desa waiting for review."""
    import polars as pl
    from django.db import connection, transaction
    from django.utils import timezone

    from padu.core.bulk import insert_frame, reset_sequence
    from padu.linkage.models import Cluster, LinkageRun, Member, ReviewItem

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.id, k.kode_desa, COALESCE(p.status_hidup, 1), p.status "
            "FROM registry_person p JOIN registry_keluarga k ON k.id = p.keluarga_id "
            "WHERE p.deleted_at IS NULL ORDER BY p.id"
        )
        rows = cursor.fetchall()
    persons = pl.DataFrame(
        rows, schema=["id", "kode_desa", "hidup", "status"], orient="row"
    ).with_columns(cluster=pl.col("id"))
    rng = random.Random(seed)
    by_desa: dict[str, list[int]] = {}
    for pid, desa, hidup, status in rows:
        if hidup != 2 and status == "aktif":
            by_desa.setdefault(desa, []).append(pid)
    dead = [r for r in rows if r[2] == 2]
    rng.shuffle(dead)
    joined: dict[int, int] = {}
    for pid, desa, _, _ in dead[:n_dead]:
        joined[pid] = rng.choice(by_desa[desa])  # the dead record joins the living one
    persons = persons.with_columns(
        cluster=pl.col("id").replace_strict(joined, default=pl.col("id"), return_dtype=pl.Int64)
    )
    now = timezone.now().replace(tzinfo=None)
    with transaction.atomic():
        run = LinkageRun.objects.create(status="selesai", region_prefix="33.16.")
        sizes = persons.group_by("cluster").agg(
            size=pl.len(), kode_desa=pl.col("kode_desa").first()
        )
        insert_frame(
            Cluster._meta.db_table,
            sizes.select(id="cluster", kode_desa="kode_desa", size="size"),
            constants={"run_id": run.pk, "active": True, "golden": "{}", "created_at": now},
        )
        dead_ids = set(joined)
        insert_frame(
            Member._meta.db_table,
            persons.select(
                id="id", cluster_id="cluster", person_id="id", kode_desa="kode_desa",
                source_name=pl.when(pl.col("id").is_in(list(dead_ids)))
                .then(pl.lit("DUKCAPIL")).otherwise(pl.lit("DTKS")),
            ),
            constants={"gammas": "{}", "identity": ""},
        )  # fmt: skip
        reset_sequence(Cluster._meta.db_table)
        reset_sequence(Member._meta.db_table)
        desa_list = sorted(d for d, ids in by_desa.items() if len(ids) >= 2)
        items = []
        for _ in range(n_pairs):
            desa = rng.choice(desa_list)
            left, right = rng.sample(by_desa[desa], 2)
            items.append(
                ReviewItem(run=run, person_l=left, person_r=right, kode_desa_l=desa,
                           kode_desa_r=desa, match_probability=rng.uniform(0.5, 0.99))
            )  # fmt: skip
        ReviewItem.objects.bulk_create(items, batch_size=5_000)
    say(f"setup: linkage results written in {time.perf_counter() - started:.1f} s: "
        f"{persons.height:,} members, {len(joined):,} deceased records joined to a living "
        f"person, {n_pairs:,} review pairs")  # fmt: skip


def users() -> dict[str, Any]:
    """Dinas Sosial of Blora, an operator per kecamatan and one per desa (assignees)."""
    from django.conf import settings

    from padu.accounts.services import user_upsert
    from padu.registry.models import Keluarga

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # set-up only
    desa = sorted(set(Keluarga.objects.values_list("kode_desa", flat=True)))
    out: dict[str, Any] = {
        "dinsos": user_upsert(actor=None, username="b-dinsos", password="x",
                              assignments=[("dinsos-kabupaten", "33.16")]),
    }  # fmt: skip
    for kec in sorted({d[:8] for d in desa}):
        out[kec] = user_upsert(actor=None, username=f"b-kec-{kec}", password="x",
                               assignments=[("operator-kecamatan", kec)])  # fmt: skip
    for code in desa:
        user_upsert(actor=None, username=f"b-desa-{code}", password="x",
                    assignments=[("operator-desa", code)])  # fmt: skip
    say(f"setup: users: 1 Dinas Sosial, {len(out) - 1} operator kecamatan, "
        f"{len(desa)} operator desa")  # fmt: skip
    return out


def shift_desil_references(share: float, seed: int) -> int:
    """Move the desil reference of ``share`` of the families by 3 (as if the desil had moved
    since the last verval)."""
    from padu.verval.models import DesilAcuan

    rng = random.Random(seed)
    refs = list(DesilAcuan.objects.all())
    moved = [r for r in refs if rng.random() < share]
    for ref in moved:
        ref.desil = ref.desil + 3 if ref.desil <= 7 else ref.desil - 3
    DesilAcuan.objects.bulk_update(moved, ["desil"], batch_size=5_000)
    return len(moved)


def make_usulan(n: int, seed: int, dinsos: Any, periode: Any) -> dict[str, list[int]]:
    """``n`` usulan on distinct families of every desa, through ``usulan_create``:
    90% perbaikan of the address, 5% nonaktif of a family, 5% nonaktif (meninggal) of a
    member."""
    from padu.registry.models import Keluarga, Person, Status
    from padu.verval.models import Usulan
    from padu.verval.services.usulan import usulan_create

    today = periode.mulai.replace(day=DAYS["desa"])
    rng = random.Random(seed)
    ids = list(Keluarga.objects.filter(status=Status.AKTIF).values_list("pk", flat=True))
    chosen = sorted(rng.sample(ids, n))
    families = Keluarga.objects.in_bulk(chosen)
    n_nonaktif = n // 20
    order = list(chosen)
    rng.shuffle(order)  # kinds spread over the desa
    members: dict[int, Person] = {}
    for person in Person.objects.filter(
        keluarga_id__in=order[:n_nonaktif], status=Status.AKTIF
    ).exclude(hub_kepala_keluarga=1):
        members.setdefault(person.keluarga_id, person)
    kinds: dict[str, list[int]] = {"perbaikan": [], "nonaktif_keluarga": [], "nonaktif_art": []}
    for i, pk in enumerate(order):
        fam = families[pk]
        if i < n_nonaktif and pk in members:
            u = usulan_create(actor=dinsos, kode_desa=fam.kode_desa, keluarga=fam,
                              person=members[pk], jenis=Usulan.Jenis.NONAKTIF,
                              alasan_nonaktif="meninggal", alasan="Meninggal dunia (surat desa).",
                              today=today)  # fmt: skip
            kinds["nonaktif_art"].append(u.pk)
        elif i < 2 * n_nonaktif:
            code = "pindah" if i % 2 else "alamat-tidak-ditemukan"
            u = usulan_create(actor=dinsos, kode_desa=fam.kode_desa, keluarga=fam,
                              jenis=Usulan.Jenis.NONAKTIF, alasan_nonaktif=code,
                              alasan="Hasil kunjungan rumah.", today=today)  # fmt: skip
            kinds["nonaktif_keluarga"].append(u.pk)
        else:
            change = {"keluarga": {"alamat": f"Dusun Baru RT {i % 20 + 1:03d}"}}
            u = usulan_create(actor=dinsos, kode_desa=fam.kode_desa, keluarga=fam,
                              jenis=Usulan.Jenis.PERBAIKAN, data=change,
                              alasan="Alamat pindah RT (kunjungan).", today=today)  # fmt: skip
            kinds["perbaikan"].append(u.pk)
    return kinds


def approve(users_: dict[str, Any], periode: Any) -> None:
    """Musdes (recorded and locked) per desa, then kecamatan and Dinas Sosial approval."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from padu.verval.models import Usulan
    from padu.verval.services.approval import usulan_decide
    from padu.verval.services.musdes import musdes_lock, musdes_record

    day = {k: periode.mulai.replace(day=v) for k, v in DAYS.items()}
    people = [{"nama": "Kepala Desa", "jabatan": "Kepala Desa"},
              {"nama": "Ketua BPD", "jabatan": "Ketua BPD"}]  # fmt: skip
    per_desa: dict[str, list[int]] = {}
    for pk, desa in Usulan.objects.filter(periode=periode).values_list("pk", "kode_desa"):
        per_desa.setdefault(desa, []).append(pk)
    for desa, ids in sorted(per_desa.items()):
        actor = users_[desa[:8]]
        musdes = musdes_record(
            actor=actor, kode_desa=desa, tanggal=day["musdes"], tempat="Balai desa",
            pimpinan="Kepala Desa", peserta=people, penandatangan=people,
            keputusan=dict.fromkeys(ids, ("diterima", "")), today=day["musdes"],
        )  # fmt: skip
        scan = SimpleUploadedFile("ba.pdf", PDF, content_type="application/pdf")
        musdes_lock(actor=actor, musdes=musdes, scan=scan, today=day["musdes"])
    per_kec: dict[str, list[int]] = {}
    for desa, ids in per_desa.items():
        per_kec.setdefault(desa[:8], []).extend(ids)
    for kec, ids in sorted(per_kec.items()):
        usulan_decide(actor=users_[kec], usulan_ids=ids, tahap="kecamatan", keputusan="setuju",
                      today=day["kecamatan"])  # fmt: skip
    every = [pk for ids in per_kec.values() for pk in ids]
    usulan_decide(actor=users_["dinsos"], usulan_ids=every, tahap="dinsos", keputusan="setuju",
                  today=day["dinsos"])  # fmt: skip
    say(f"setup: {len(every):,} usulan through musdes ({len(per_desa)} desa), kecamatan "
        f"({len(per_kec)}) and Dinas Sosial with the real services")  # fmt: skip


# --- the benchmark -------------------------------------------------------------------


def check_register(kinds: dict[str, list[int]], periode: Any) -> dict[str, Any]:
    """What changed in the register: the benchmark must have measured real work."""
    import re

    from padu.registry.models import Keluarga, Person, Version
    from padu.verval.models import Usulan

    reasons = Version.objects.filter(reason__contains=f"SK {SK}")
    named = Counter(
        int(m.group(1))
        for r in reasons.values_list("reason", flat=True)
        if (m := re.search(r"usulan #(\d+)", r))
    )
    perbaikan = Usulan.objects.filter(pk__in=kinds["perbaikan"]).values_list("keluarga_id", "data")
    wanted = {k: d["keluarga"]["alamat"] for k, d in perbaikan}
    actual = dict(Keluarga.objects.filter(pk__in=list(wanted)).values_list("pk", "alamat"))
    fam_ids = Usulan.objects.filter(pk__in=kinds["nonaktif_keluarga"]).values_list(
        "keluarga_id", flat=True
    )
    art_ids = Usulan.objects.filter(pk__in=kinds["nonaktif_art"]).values_list(
        "person_id", flat=True
    )
    return {
        "versions_with_sk": reasons.count(),
        "usulan_named_in_versions": len(named),
        "addresses_as_proposed": sum(actual[k] == v for k, v in wanted.items()),
        "perbaikan": len(wanted),
        "families_not_active": Keluarga.all_objects.filter(pk__in=list(fam_ids))
        .exclude(status="aktif")
        .count(),
        "nonaktif_keluarga": len(kinds["nonaktif_keluarga"]),
        "persons_meninggal": Person.all_objects.filter(
            pk__in=list(art_ids), status="meninggal"
        ).count(),
        "nonaktif_art": len(kinds["nonaktif_art"]),
        "usulan_diterapkan": Usulan.objects.filter(periode=periode, status="diterapkan").count(),
    }


def child(files: Path, n_usulan: int, seed: int, profile: Path | None) -> None:
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection

    from padu.registry.models import Keluarga
    from padu.verval.models import Tugas
    from padu.verval.services.apply import pengesahan_record
    from padu.verval.services.periode import periode_create
    from padu.verval.services.worklist import worklist_generate

    load_register(files)
    users_ = users()
    dinsos = users_["dinsos"]
    quality_and_scores(files, dinsos)
    linkage_results(seed, n_dead=2_000, n_pairs=5_000)
    n_keluarga = Keluarga.objects.count()
    result: dict[str, Any] = {"database": connection.vendor, "keluarga": n_keluarga}

    december = periode_create(actor=dinsos, kode_kabupaten="33.16", year=2026, month=12)
    made, seconds, rss = timed(
        "worklist_first", profile, worklist_generate,
        actor=dinsos, periode=december, today=december.mulai.replace(day=DAYS["desa"]),
    )  # fmt: skip
    say(f"TIMED worklist_generate, first generation: {seconds:.1f} s, peak {rss} MB, tasks {made}")
    result["worklist_first"] = {"seconds": round(seconds, 2), "tasks": made, "rss_mb": rss}

    moved = shift_desil_references(0.05, seed)
    january = periode_create(actor=dinsos, kode_kabupaten="33.16", year=2027, month=1)
    made, seconds, rss = timed(
        "worklist_steady", profile, worklist_generate,
        actor=dinsos, periode=january, today=january.mulai.replace(day=DAYS["desa"]),
    )  # fmt: skip
    say(f"TIMED worklist_generate, January after {moved:,} desil references moved: "
        f"{seconds:.1f} s, peak {rss} MB, tasks {made}")  # fmt: skip
    result["worklist_steady"] = {"seconds": round(seconds, 2), "tasks": made, "moved": moved,
                                 "rss_mb": rss}  # fmt: skip
    result["tasks_in_db"] = Tugas.objects.count()

    started = time.perf_counter()
    kinds = make_usulan(n_usulan, seed, dinsos, january)
    say(
        f"setup: usulan_create x {n_usulan:,} in {time.perf_counter() - started:.1f} s: "
        + ", ".join(f"{k} {len(v):,}" for k, v in kinds.items())
    )
    started = time.perf_counter()
    approve(users_, january)
    say(f"setup: approval chain in {time.perf_counter() - started:.1f} s")

    sk, seconds, rss = timed(
        "pengesahan", profile, pengesahan_record,
        actor=dinsos, periode=january, nomor_sk=SK, tanggal_sk=january.mulai.replace(day=27),
        berkas=SimpleUploadedFile("sk.pdf", PDF, content_type="application/pdf"),
        today=january.mulai.replace(day=DAYS["pengesahan"]),
    )  # fmt: skip
    say(f"TIMED pengesahan_record of {sk.jumlah_usulan:,} usulan: {seconds:.1f} s, "
        f"peak {rss} MB, summary {sk.ringkasan}")  # fmt: skip
    result["pengesahan"] = {"seconds": round(seconds, 2), "ringkasan": sk.ringkasan,
                            "rss_mb": rss}  # fmt: skip
    result["register"] = check_register(kinds, january)
    say(f"register afterwards: {result['register']}")
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    result["load_average"] = os.getloadavg()
    say("RESULT " + json.dumps(result, default=str))


def run_child(database_url: str, files: Path, args: argparse.Namespace) -> dict[str, Any]:
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="padu.settings",
        SECRET_KEY="benchmark-only",
        PADU_DATA_DIR=tempfile.mkdtemp(prefix="padu-bench-verval-"),
    )
    command = [sys.executable, __file__, "--child", str(files), "--usulan", str(args.usulan),
               "--seed", str(args.seed)]  # fmt: skip
    if args.profile:
        command += ["--profile", str(args.profile)]
    proc = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    result: dict[str, Any] = {}
    assert proc.stdout is not None
    for line in proc.stdout:
        print(line, end="", flush=True)
        if line.startswith("RESULT "):
            result = json.loads(line[len("RESULT ") :])
    if proc.wait() != 0:
        raise SystemExit(f"benchmark process failed ({database_url})")
    return result


def report(results: list[dict[str, Any]]) -> None:
    say(
        "| database | keluarga | worklist, first generation s | tasks | worklist, January s "
        "| tasks | pengesahan of usulan s | usulan | versions with the SK | peak RSS MB |"
    )
    say("|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        first, steady, apply = r["worklist_first"], r["worklist_steady"], r["pengesahan"]
        say(f"| {r['database']} | {r['keluarga']:,} | {first['seconds']:.1f} "
            f"| {sum(first['tasks'].values()):,} | {steady['seconds']:.1f} "
            f"| {sum(steady['tasks'].values()):,} | {apply['seconds']:.1f} "
            f"| {apply['ringkasan']['usulan']:,} | {r['register']['versions_with_sk']:,} "
            f"| {r['peak_rss_mb']:,} |")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--keluarga", type=int, default=300_000)
    parser.add_argument("--usulan", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--dir", type=Path, help="reuse/keep generated files in this folder")
    parser.add_argument("--profile", type=Path, help="write cProfile files of the timed steps")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.usulan, args.seed, args.profile)
        return

    from padu.engine import synth

    files = args.dir or Path(tempfile.mkdtemp(prefix="padu-bench-verval-files-"))
    if not (files / "survey.csv").exists():
        started = time.perf_counter()
        survey = min(20_000, args.keluarga // 5)
        made = synth.generate(kabupaten="33.16", n_keluarga=args.keluarga, seed=args.seed,
                              out_dir=files, errors=True, survey=survey)  # fmt: skip
        seconds = time.perf_counter() - started
        say(f"synth: {made.n_keluarga:,} keluarga, {made.n_art:,} persons, with errors, "
            f"survey of {survey:,} in {seconds:.1f} s (not timed)")  # fmt: skip
    say(f"started {dt.datetime.now():%Y-%m-%d %H:%M}, load average {os.getloadavg()}")
    results = []
    if args.database in ("sqlite", "both"):
        db = Path(tempfile.mkdtemp(prefix="padu-bench-verval-db-")) / "bench.sqlite3"
        results.append(run_child(f"sqlite:///{db}", files, args))
    if args.database in ("postgres", "both"):
        name = f"padu_bench_verval_{os.getpid()}"
        subprocess.run(["psql", PG_ADMIN, "-qc", f"CREATE DATABASE {name}"], check=True)
        try:
            results.append(run_child(f"postgres://postgres@127.0.0.1:5432/{name}", files, args))
        finally:
            if args.keep:
                say(f"kept database {name}")
            else:
                subprocess.run(["psql", PG_ADMIN, "-qc", f"DROP DATABASE {name}"], check=True)
    say(f"finished {dt.datetime.now():%Y-%m-%d %H:%M}, load average {os.getloadavg()}")
    report(results)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
