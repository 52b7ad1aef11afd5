"""Data quality rules over DTKS frames and files (no Django): the catalogue
(``catalogue.yaml``), the rules as Polars column operations, and the engine running them."""

from padu.engine.rules.catalogue import Rule, default_catalogue, with_overrides
from padu.engine.rules.engine import ISSUE_COLUMNS, CheckResult, check, check_files, write_issues
from padu.engine.rules.frames import Reference, RulesInputError

__all__ = [
    "ISSUE_COLUMNS",
    "CheckResult",
    "Reference",
    "Rule",
    "RulesInputError",
    "check",
    "check_files",
    "default_catalogue",
    "with_overrides",
    "write_issues",
]
