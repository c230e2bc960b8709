"""cchc-reports: reproducible reporting for Vietnamese administrative-reform (CCHC) monitoring.

One module per concept: ``periods`` (windows and labels), ``spec`` (the input contract),
``ingest`` (reading exports), ``store`` (the normalised Parquet store), ``dossiers`` (the
official dossier-flow table), ``indicators`` (rates and growth), ``tasks``, ``budget``,
``targets``, ``score``, ``vnformat``, ``charts``, ``export``, ``manifest``, ``runner``,
``executors`` and ``publish``.
"""

__version__ = "0.1.0"
