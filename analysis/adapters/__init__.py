"""Adapters: each reads one published file format as it is, checks it, and returns a contract table.

mar (Monthly Activity Return -> activity), fingertips and fingertips_long (-> indicators), ons
(-> population), kh03 (-> beds), hchs (-> workforce), practices (-> practices), nhse_ae (NHS
England's monthly A&E files by provider -> provider_series), tidy (any contract table from a CSV or
Parquet file already in its columns); registry names them for the parameter file; source holds what
they share (header check, row numbers, rejected rows).
"""
