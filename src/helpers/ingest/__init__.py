"""Ingestion: from an agency's raw exports to validated, normalised tables in the store.

``readers`` (files to raw sheets), ``headers`` (finding the header row), ``cells`` (parsing
values), ``sheet`` (one sheet as one table), ``agency`` (every file of an agency),
``mappings`` (source systems), ``validation`` (row rules), ``accounting`` (issues and row
counts), ``store`` (Parquet), ``templates`` (blank input workbooks).
"""
