"""Linkage pages: runs (start, progress), clusters with their golden record, merges,
splits and undo, and the clerical review queue (htmx, keyboard shortcuts). Reads go
through the selectors (scoped by access.py), writes through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from padu.accounts import access
from padu.core.audit import audit_request
from padu.intake import selectors as intake_selectors
from padu.linkage import display, explain, runs, selectors, services
from padu.linkage.forms import RunForm
from padu.linkage.models import Cluster, ClusterChange, LinkageRun, ReviewItem
from padu.linkage.tasks import run_linkage
from padu.registry.models import Person


def _run_or_404(request: HttpRequest, pk: int) -> LinkageRun:
    try:
        return selectors.run_get(request.user, pk)
    except LinkageRun.DoesNotExist as exc:
        raise Http404("Proses linkage tidak ditemukan atau di luar wilayah Anda.") from exc


@login_required
def index(request: HttpRequest) -> HttpResponse:
    may_run = runs.may_run(request.user)
    imports = intake_selectors.runs_visible(request.user).filter(table="art", status="selesai")
    form = RunForm(request.POST or None, imports=imports)
    if request.method == "POST":
        if not may_run:
            raise PermissionDenied("Peran Anda tidak boleh menjalankan linkage.")
        if form.is_valid():
            data = form.cleaned_data
            try:
                run = runs.linkage_run_create(
                    actor=request.user,
                    region_prefix=data["wilayah"],
                    source_ids=[s.pk for s in data["sources"]],
                    kind=data["kind"],
                    import_run=data["import_run"],
                )
            except runs.LinkageError as exc:
                form.add_error(None, str(exc))
            else:
                run_linkage.enqueue(run.pk)
                messages.info(
                    request, "Proses linkage dimulai. Halaman ini menampilkan kemajuannya."
                )
                return redirect("linkage:run", pk=run.pk)
    context = {
        "runs": selectors.runs_visible(request.user)[:50],
        "form": form if may_run else None,
        "waiting": selectors.review_queue(request.user).count(),
    }
    return render(request, "linkage/index.html", context)


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "linkage/run.html", {"run": _run_or_404(request, pk)})


@login_required
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "linkage/_progress.html", {"run": _run_or_404(request, pk)})


@login_required
def cluster_list(request: HttpRequest) -> HttpResponse:
    if not access.sees_personal_data(request.user):
        raise PermissionDenied("Peran Anda tidak melihat data pribadi.")
    region = request.GET.get("wilayah", "").strip()
    if region:
        try:
            region = access.normalise_prefix(region)
        except access.RegionCodeError as exc:
            messages.error(request, str(exc))
            region = ""
    clusters = selectors.clusters_visible(request.user, region=region)
    page = Paginator(clusters, 50).get_page(request.GET.get("hal"))
    names: dict[int, str] = {}
    visible: set[tuple[int, int]] = set()
    shown = selectors.members_visible(request.user).filter(cluster_id__in=[c.pk for c in page])
    for cluster_id, person_id, nama in shown.order_by("person_id").values_list(
        "cluster_id", "person_id", "person__nama"
    ):
        names.setdefault(cluster_id, nama)
        visible.add((cluster_id, person_id))
    for c in page:
        # the golden name, unless it came from a member the user may not see
        golden = c.golden.get("nama") or {}
        from_visible = (c.pk, golden.get("orang")) in visible and golden.get("nilai")
        c.nama = golden["nilai"] if from_visible else names.get(c.pk, "")  # type: ignore[attr-defined]
    return render(request, "linkage/clusters.html", {"page": page, "wilayah": region})


@login_required
def cluster_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        cluster = selectors.cluster_get(request.user, pk)
    except Exception as exc:
        raise Http404("Klaster tidak ditemukan atau di luar wilayah Anda.") from exc
    rows, hidden = selectors.cluster_members(request.user, cluster)
    members = [
        {
            "m": r.member,
            "values": display.person_values(request.user, r.person),
            "alasan": explain.explain(r.member.gammas),
        }
        for r in rows
    ]
    visible = {r.member.person_id for r in rows}
    audit_request(request, "linkage.lihat_klaster", cluster, region_code=cluster.kode_desa)
    context = {
        "cluster": cluster,
        "members": members,
        "hidden": hidden,
        "visible": visible,
        "golden": display.golden_rows(request.user, cluster.golden, visible),
        "changes": selectors.changes_visible(request.user, cluster)[:20],
        "may_change": hidden == 0 and selectors.may_review(request.user),
    }
    return render(request, "linkage/cluster.html", context)


def _fail(request: HttpRequest, exc: Exception) -> None:
    messages.error(request, str(exc))


def _cluster_to_change(request: HttpRequest, pk: int) -> Any:
    """A cluster the user sees (else 404) and may change: every member in the user's
    write scope (else 403)."""
    try:
        cluster = selectors.cluster_get(request.user, pk)
    except Exception as exc:
        raise Http404("Klaster tidak ditemukan atau di luar wilayah Anda.") from exc
    if not selectors.may_change([cluster.pk], request.user):
        raise PermissionDenied(
            "Klaster ini memuat rekaman di luar wilayah yang boleh Anda ubah (atau peran Anda "
            "tidak boleh mengubah data)."
        )
    return cluster


@login_required
@require_POST
def cluster_merge(request: HttpRequest, pk: int) -> HttpResponse:
    cluster = _cluster_to_change(request, pk)
    try:
        other = selectors.cluster_get(request.user, int(request.POST.get("klaster_lain") or 0))
    except (ValueError, Cluster.DoesNotExist):
        messages.error(
            request,
            "Nomor klaster lain tidak ditemukan atau di luar wilayah Anda. Periksa nomornya "
            "di daftar klaster.",
        )
        return redirect("linkage:cluster", pk=cluster.pk)
    try:
        services.clusters_merge(
            actor=request.user,
            cluster_ids=[cluster.pk, other.pk],
            reason=request.POST.get("alasan", ""),
        )
        messages.info(
            request, f"Klaster #{other.pk} digabung ke klaster ini. Dapat dibatalkan dari riwayat."
        )
    except services.ReviewError as exc:
        _fail(request, exc)
    return redirect("linkage:cluster", pk=cluster.pk)


@login_required
@require_POST
def cluster_split(request: HttpRequest, pk: int) -> HttpResponse:
    cluster = _cluster_to_change(request, pk)
    try:
        ids = [int(v) for v in request.POST.getlist("orang")]
        change = services.cluster_split(
            actor=request.user,
            cluster_id=cluster.pk,
            person_ids=ids,
            reason=request.POST.get("alasan", ""),
        )
        messages.info(
            request,
            f"Anggota terpilih dipisah ke klaster #{_new_cluster(change, cluster.pk)}.",
        )
    except (services.ReviewError, ValueError) as exc:
        _fail(request, exc)
    return redirect("linkage:cluster", pk=cluster.pk)


@login_required
@require_POST
def change_undo(request: HttpRequest, pk: int) -> HttpResponse:
    change = selectors.change_get(request.user, pk)
    if change is None:
        raise Http404("Perubahan tidak ditemukan atau di luar wilayah Anda.")
    if not selectors.may_change(selectors.change_clusters(change), request.user):
        raise PermissionDenied(
            "Perubahan ini menyangkut rekaman di luar wilayah yang boleh Anda ubah."
        )
    back = next((int(c) for c, p in change.after.items() if p), None)
    try:
        services.change_undo(
            actor=request.user, change=change, reason=request.POST.get("alasan", "")
        )
        messages.info(request, "Perubahan dibatalkan; susunan klaster kembali seperti sebelumnya.")
        back = next((int(c) for c, p in change.before.items() if p), back)
    except services.ReviewError as exc:
        _fail(request, exc)
    return redirect("linkage:cluster", pk=back) if back else redirect("linkage:clusters")


def _new_cluster(change: ClusterChange, old: int) -> str:
    return next(iter(change.after.keys() - {str(old)}), "")


def _why_review(item: ReviewItem) -> str:
    """Why a pair waits for a person: uncertain, or likely but refused by the clustering."""
    run = item.run
    if item.match_probability >= run.threshold:
        return (
            "Peluangnya di atas ambang tautan, tetapi tidak digabung otomatis: ada bukti yang "
            "bertentangan (dua NIK sah yang berbeda, kembar, atau jenis kelamin berbeda) atau "
            "rekaman ini menjembatani dua klaster yang sudah ada."
        )
    lower, upper = (f"{v:.2f}".replace(".", ",") for v in (run.review_lower, run.threshold))
    return (
        f"Peluangnya di antara batas bawah tinjauan ({lower}) dan ambang tautan ({upper}): "
        "mesin tidak yakin, mohon diputuskan."
    )


def _review_context(request: HttpRequest, item: ReviewItem | None, done: int = 0) -> dict[str, Any]:
    if item is None:
        return {"item": None, "done": done}
    persons = Person.all_objects.select_related("keluarga").in_bulk([item.person_l, item.person_r])
    left = display.person_values(request.user, persons.get(item.person_l))
    right = display.person_values(request.user, persons.get(item.person_r))
    return {
        "item": item,
        "rows": display.side_by_side(left, right),
        "alasan": explain.explain(item.gammas),
        "mengapa": _why_review(item),
        "left_source": _source(persons.get(item.person_l)),
        "right_source": _source(persons.get(item.person_r)),
        "remaining": selectors.review_queue(request.user).count(),
        "done": done,
    }


def _source(person: Person | None) -> str:
    from padu.intake.models import ImportRun

    if person is None or person.import_run_id is None:
        return "register"
    run = ImportRun.objects.select_related("source").filter(pk=person.import_run_id).first()
    return run.source.name if run else "register"


@login_required
def review(request: HttpRequest) -> HttpResponse:
    if not selectors.may_review(request.user):
        raise PermissionDenied("Peran Anda tidak boleh meninjau (perlu hak ubah data).")
    item = selectors.review_queue(request.user).first()
    if item is not None:
        audit_request(request, "linkage.lihat_tinjauan", item, region_code=item.kode_desa_l)
    return render(request, "linkage/review.html", _review_context(request, item))


@login_required
@require_POST
def review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    if not selectors.may_review(request.user):
        raise PermissionDenied("Peran Anda tidak boleh meninjau (perlu hak ubah data).")
    item = selectors.review_queue(request.user).filter(pk=pk).first()
    if item is None:
        raise Http404("Pasangan tidak ditemukan, sudah diputuskan, atau di luar wilayah Anda.")
    try:
        services.review_decide(
            actor=request.user, item=item, verdict=request.POST.get("keputusan", "")
        )
    except services.ReviewError as exc:
        _fail(request, exc)
    done = int(request.POST.get("selesai", "0") or 0) + 1
    queue = selectors.review_queue(request.user)
    following = (
        queue.exclude(pk=pk).first() if request.POST.get("keputusan") == "lewati" else queue.first()
    )
    if following is not None:
        audit_request(
            request, "linkage.lihat_tinjauan", following, region_code=following.kode_desa_l
        )
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request, "linkage/_review_item.html", _review_context(request, following, done)
        )
    return redirect("linkage:review")
