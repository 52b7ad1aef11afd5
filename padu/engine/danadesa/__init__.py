"""BLT Dana Desa: yearly rules, family columns, the ranked candidate list per desa and the
conflicts found through linkage (framework-free: NO Django imports)."""

from padu.engine.danadesa.aturan import Aturan, AturanError, bawaan, dari_dict, untuk_tahun
from padu.engine.danadesa.ciri import keluarga_ciri
from padu.engine.danadesa.konflik import tandai
from padu.engine.danadesa.peringkat import Hasil, andai_porsi, susun

__all__ = [
    "Aturan",
    "AturanError",
    "Hasil",
    "andai_porsi",
    "bawaan",
    "dari_dict",
    "keluarga_ciri",
    "susun",
    "tandai",
    "untuk_tahun",
]
