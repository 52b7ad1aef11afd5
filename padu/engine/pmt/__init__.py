"""Proxy means test (PMT): features, models, desil and targeting metrics (no Django).

See ``docs/pmt.md``. Modules: ``features`` (the same features for survey and population),
``models`` (candidates), ``fit`` (cross-validated choice), ``artifact`` (immutable model
folders), ``score`` (scores, desil, explanations), ``desil``, ``metrics``.
"""
