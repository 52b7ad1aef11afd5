"""Intake engine (no Django): read messy CSV/XLSX files in chunks, propose a column mapping,
repair what is unambiguous and validate every row."""
