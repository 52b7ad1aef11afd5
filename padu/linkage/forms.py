from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from padu.intake.models import ImportRun, Source
from padu.linkage.models import LinkageRun


class RunForm(forms.Form):
    kind = forms.ChoiceField(label="Jenis proses", choices=LinkageRun.Kind.choices)
    wilayah = forms.CharField(
        label="Wilayah (kode)",
        max_length=14,
        required=False,
        help_text="Mis. 33.16 (kabupaten), 33.16.01 (kecamatan) atau 33.16.01.2001 (desa). "
        "Kosong: seluruh wilayah (hanya peran tingkat provinsi).",
    )
    sources = forms.ModelMultipleChoiceField(
        label="Sumber",
        queryset=Source.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tidak memilih: semua sumber.",
    )
    import_run = forms.ModelChoiceField(
        label="Impor baru (untuk proses inkremental)",
        queryset=ImportRun.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, imports: QuerySet[ImportRun], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sources"].queryset = Source.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["import_run"].queryset = imports  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == LinkageRun.Kind.INKREMENTAL and not data.get("import_run"):
            self.add_error("import_run", "Pilih impor baru yang akan ditautkan.")
        return data
