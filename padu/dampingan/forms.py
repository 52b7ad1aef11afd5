"""Forms of the dampingan pages (Django forms: validation and Indonesian messages)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from padu.dampingan.config import jenis_mitra
from padu.dampingan.models import Intervensi, JenisIntervensi, SumberDana


class MitraForm(forms.Form):
    kode = forms.SlugField(label="Kode", max_length=40, help_text="Huruf kecil dan tanda hubung.")
    nama = forms.CharField(label="Nama OPD/mitra", max_length=200)
    jenis = forms.ChoiceField(label="Jenis")
    wilayah = forms.ChoiceField(label="Program")

    def __init__(self, *args: Any, programmes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        jenis = self.fields["jenis"]
        wilayah = self.fields["wilayah"]
        assert isinstance(jenis, forms.ChoiceField) and isinstance(wilayah, forms.ChoiceField)
        jenis.choices = list(jenis_mitra().items())
        wilayah.choices = programmes


class PenugasanForm(forms.Form):
    kode_desa = forms.RegexField(
        label="Kode desa",
        regex=r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$",
        error_messages={"invalid": "Tulis kode desa Kemendagri, mis. 33.16.01.2001."},
    )
    tahun = forms.IntegerField(label="Tahun", min_value=2019, max_value=2100)
    dasar_hukum = forms.CharField(label="Dasar (nomor SK/SE)", max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tahun"].initial = timezone.localdate().year


class AnggotaForm(forms.Form):
    username = forms.CharField(label="Nama pengguna", max_length=150)
    jabatan = forms.CharField(label="Jabatan dalam tim", max_length=100, required=False)


class IntervensiForm(forms.Form):
    jenis = forms.ModelChoiceField(label="Jenis", queryset=JenisIntervensi.objects.none())
    keluarga = forms.TypedChoiceField(
        label="Keluarga", coerce=int, required=False, empty_value=None
    )
    sumber_dana = forms.ModelChoiceField(label="Sumber dana", queryset=SumberDana.objects.none())
    jumlah = forms.IntegerField(label="Jumlah (Rp)", min_value=0, initial=0)
    status = forms.ChoiceField(label="Status", choices=Intervensi.Status.choices[:3])
    mulai = forms.DateField(
        label="Tanggal", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    uraian = forms.CharField(label="Uraian", max_length=500, required=False)
    bukti = forms.FileField(label="Foto bukti", required=False)

    def __init__(self, *args: Any, families: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        jenis, sumber, keluarga = (self.fields[k] for k in ("jenis", "sumber_dana", "keluarga"))
        assert isinstance(jenis, forms.ModelChoiceField)
        assert isinstance(sumber, forms.ModelChoiceField)
        assert isinstance(keluarga, forms.ChoiceField)
        jenis.queryset = JenisIntervensi.objects.filter(aktif=True)
        sumber.queryset = SumberDana.objects.filter(aktif=True)
        keluarga.choices = [("", "- untuk desa (bukan keluarga) -"), *families]
        self.fields["mulai"].initial = timezone.localdate()
        self.fields["bukti"].widget.attrs["accept"] = "image/*,application/pdf"
        self.fields["bukti"].widget.attrs["capture"] = "environment"
