"""Quality scores over the JSON API (aggregates, scoped by the user's regions)."""

from __future__ import annotations

from typing import Any

from ninja import Router, Schema

from padu.quality import selectors

router = Router(tags=["quality"])
LEVELS = {"kabupaten": 5, "kecamatan": 8, "desa": 13}


class ScoreOut(Schema):
    code: str
    keluarga: int
    bersih: int
    skor: float | None
    galat: int
    peringatan: int
    info: int
    galat_per_aturan: dict[str, int]


@router.get(
    "/skor",
    response=list[ScoreOut],
    summary="Skor kualitas per wilayah (persentase keluarga tanpa galat)",
)
def scores(request: Any, prefix: str = "33.", tingkat: str = "kabupaten") -> list[dict[str, Any]]:
    length = LEVELS.get(tingkat, 5)
    found = selectors.quality_by_region(request.user, prefix, length)
    return [
        {
            "code": code,
            "keluarga": q.keluarga,
            "bersih": q.bersih,
            "skor": q.skor,
            "galat": q.galat,
            "peringatan": q.peringatan,
            "info": q.info,
            "galat_per_aturan": q.galat_per_aturan,
        }
        for code, q in sorted(found.items())
    ]
