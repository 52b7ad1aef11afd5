"""Benchmark (issue 12): bytes over the wire for the verval field visit form
(``/verval/kunjungan/<id>/``) on a phone-sized Chromium, first load and a later load.

    .venv/bin/python benchmarks/bench_visit_page.py [--members 5] [--keep]

Steps: a fresh data directory with a SQLite database (migrate, Jawa Tengah regions), one
family of Blora with ``--members`` members and full housing/asset values, an operator desa
and a verval period open today; ``collectstatic`` (hashed, gzip-compressed names, as in
production); gunicorn (DEBUG off, 2 workers) on 127.0.0.1 behind a small TCP relay that
counts every byte the server sends (headers included), so the service worker's own
requests are counted too, not only the page's. Debian's Chromium (Playwright) logs in, the
browser cache is cleared, then:

- first load: the form with an empty cache and no service worker; counted until the
  service worker has registered and kept the page and its static files;
- later load: the same form opened again in a new tab (the service worker controls it:
  the HTML comes from the network, the static files from its cache).

Targets: first load < 150 KB, later load < 20 KB. Prints a Markdown table and each
response of the page (URL, status, body bytes as Chromium saw them, from the service
worker or not).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip
PASSWORD = "sandi-bench-panjang-1"
KEPT = """async () => {
  if (!navigator.serviceWorker.controller) return false;
  const assets = document.querySelectorAll('script[src], link[rel=stylesheet]');
  const urls = [location.href, ...[...assets].map(n => n.src || n.href)];
  for (const u of urls) if (!(await caches.match(u))) return false;
  return true;
}"""


class Relay:
    """A TCP relay that counts the bytes sent by the server (downstream)."""

    def __init__(self, target: int) -> None:
        self.target = target
        self.down = 0
        self.lock = threading.Lock()
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def reset(self) -> int:
        with self.lock:
            value, self.down = self.down, 0
        return value

    def _accept(self) -> None:
        while True:
            client, _ = self.sock.accept()
            server = socket.create_connection(("127.0.0.1", self.target))
            threading.Thread(target=self._pipe, args=(client, server, False), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client, True), daemon=True).start()

    def _pipe(self, src: socket.socket, dst: socket.socket, count: bool) -> None:
        try:
            while chunk := src.recv(65536):
                if count:
                    with self.lock:
                        self.down += len(chunk)
                dst.sendall(chunk)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)


def prepare(members: int) -> int:
    """Database, family, user and period; returns the family's id."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from padu.accounts.services import user_upsert
    from padu.registry.models import Keluarga, Person
    from padu.verval.services.periode import periode_create
    from padu.wilayah.services import wilayah_load

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    wilayah_load(actor=None)
    family = Keluarga.objects.create(
        id_keluarga="3316012001000123", no_kk="3316010101000123", kode_desa="33.16.01.2001",
        alamat="Dusun Krajan, Jl. Randublatung Km 3", rt="003", rw="001", perkotaan=False,
        status_bangunan=1, status_lahan=1, luas_lantai=48.0, jenis_lantai=9, jenis_dinding=3,
        kondisi_dinding=2, jenis_atap=4, kondisi_atap=2, jumlah_kamar=2, sumber_air_minum=4,
        sumber_penerangan=1, daya_listrik=1, bahan_bakar_memasak=7, fasilitas_bab=1,
        jenis_kloset=1, pembuangan_tinja=1, aset_tabung_gas=True, aset_kulkas=False,
        aset_tv=False, aset_sepeda=True, aset_sepeda_motor=True, aset_smartphone=True,
        aset_lahan=False, ternak_kambing=2, usaha_art=False,
    )  # fmt: skip
    names = ["Sumarno Wiryo", "Sulastri", "Agus Setiawan", "Dwi Lestari", "Tri Wahyuni",
             "Eko Prasetyo", "Siti Aminah", "Budi Santoso"]  # fmt: skip
    for i in range(members):
        Person.objects.create(
            keluarga=family, nama=names[i % len(names)], nik=f"33160101{i + 1:02d}850001",
            no_kk=family.no_kk, hub_kepala_keluarga=min(i + 1, 3), jenis_kelamin=1 + i % 2,
            tgl_lahir=dt.date(1975 + 6 * i, 1 + i, 10), pendidikan=2 + i % 4,
            bekerja=i < 2, lapangan_usaha=1 if i < 2 else None,
        )  # fmt: skip
    user_upsert(
        actor=None, username="bench-operator", password=PASSWORD,
        assignments=[("operator-desa", "33.16.01.2001")],
    )  # fmt: skip
    dinsos = user_upsert(
        actor=None, username="bench-dinsos", password=PASSWORD,
        assignments=[("dinsos-kabupaten", "33.16")],
    )  # fmt: skip
    today = timezone.localdate()
    stages = ["desa", "musdes", "kecamatan", "dinsos", "pengesahan"]
    periode_create(
        actor=dinsos, kode_kabupaten="33.16", year=today.year, month=today.month,
        dates={f"batas_{t}": today + dt.timedelta(days=3 + i) for i, t in enumerate(stages)},
    )  # fmt: skip
    return int(family.pk)


def wait_port(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server on {port} did not start")


def measure(base: str, relay: Relay, url: str) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    out: dict[str, Any] = {"responses": {}}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 360, "height": 740})
        page = context.new_page()
        page.goto(f"{base}/masuk/")
        page.fill("#id_username", "bench-operator")
        page.fill("#id_password", PASSWORD)
        page.click("button.primary")
        page.wait_for_url(f"{base}/")
        cdp = context.new_cdp_session(page)
        cdp.send("Network.clearBrowserCache")
        for label in ("first", "later"):
            if label == "later":
                page.close()
                page = context.new_page()
            rows: list[tuple[str, int, int, bool]] = []

            def finished(request: Any, rows: list[tuple[str, int, int, bool]] = rows) -> None:
                response = request.response()
                status = response.status if response else 0
                via_sw = bool(response and response.from_service_worker)
                rows.append((request.url, status, request.sizes()["responseBodySize"], via_sw))

            page.on("requestfinished", finished)
            page.wait_for_timeout(500)
            relay.reset()
            page.goto(url, wait_until="load")
            page.wait_for_function(KEPT, timeout=20_000)
            page.wait_for_timeout(1500)  # let the worker finish what it keeps
            out[label] = relay.reset()
            out["responses"][label] = rows
        browser.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="padu-bench-visit-"))
    env = {
        **os.environ,
        "PADU_DATA_DIR": str(data),
        "SECRET_KEY": "bench-only-" + os.urandom(16).hex(),
        "DJANGO_SETTINGS_MODULE": "padu.settings",
        "PADU_DEBUG": "0",
    }
    env.pop("DATABASE_URL", None)
    os.environ.update(env)
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    family = prepare(args.members)
    port = 8791
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "padu.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        wait_port(port)
        relay = Relay(port)
        base = f"http://127.0.0.1:{relay.port}"
        result = measure(base, relay, f"{base}/verval/kunjungan/{family}/")
    finally:
        server.terminate()
        server.wait(10)
        if not args.keep:
            shutil.rmtree(data, ignore_errors=True)
    print(f"\nfamily with {args.members} members; bytes sent by the server (headers included)\n")
    print("| load | bytes | KB | target | met |")
    print("|---|---|---|---|---|")
    for label, target in (("first", 150), ("later", 20)):
        kb = result[label] / 1024
        print(f"| {label} | {result[label]:,} | {kb:.1f} | < {target} KB | {kb < target} |")
    for label in ("first", "later"):
        print(f"\n{label} load, responses seen by the page (body bytes; sw = via service worker):")
        for url, status, size, sw in result["responses"][label]:
            shown = f"{size:>7,}" if size >= 0 else "      -"  # not reported for sw answers
            print(f"  {status} {shown} {'sw' if sw else '  '} {url.split('127.0.0.1')[1]}")


if __name__ == "__main__":
    main()
