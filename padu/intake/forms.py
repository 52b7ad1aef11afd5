from __future__ import annotations

from typing import Any

from django import forms

from padu.engine import schema
from padu.intake.models import Source


class UploadForm(forms.Form):
    file = forms.FileField(label="Berkas CSV atau XLSX")
    table = forms.ChoiceField(
        label="Jenis data",
        choices=[("keluarga", "Keluarga (keluarga.csv)"), ("art", "Anggota keluarga (art.csv)")],
    )
    source = forms.ModelChoiceField(
        label="Sumber", queryset=Source.objects.none(), required=False, empty_label="(sumber baru)"
    )
    new_source = forms.CharField(label="Nama sumber baru", required=False, max_length=100)
    new_kind = forms.ChoiceField(
        label="Jenis sumber baru", choices=Source.Kind.choices, initial=Source.Kind.LAINNYA
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, sources: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if sources is not None:
            self.fields["source"].queryset = sources  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("source") and not (data.get("new_source") or "").strip():
            raise forms.ValidationError("Pilih sumber yang ada atau tulis nama sumber baru.")
        uploaded = data.get("file")
        name = uploaded.name if uploaded is not None else ""
        if name and not name.lower().endswith((".csv", ".txt", ".xlsx")):
            raise forms.ValidationError("Berkas harus CSV (.csv/.txt) atau Excel (.xlsx).")
        return data


class MappingForm(forms.Form):
    """One select per target column; choices are the file's headers."""

    def __init__(
        self,
        *args: Any,
        table: schema.TableName,
        headers: list[str],
        initial_map: dict[str, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "(tidak ada)")] + [(h, h) for h in headers]
        for name, column in schema.columns(table).items():
            label = f"{column.label} ({name})" + (" *" if column.required else "")
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=choices,
                required=column.required,
                initial=initial_map.get(name, ""),
            )

    def mapping(self) -> dict[str, str]:
        return {k: v for k, v in self.cleaned_data.items() if v}
