"""The figures: pure functions over the normalised frames, never over files.

``periods`` (windows under the two cut-off rules), ``dossiers`` (the flow and the official
table), ``rates``, ``tasks``, ``budget``, ``targets`` (apportionment), ``score``, ``values``
(one report's indicators) and ``catalogue`` (every code: label, kind, direction, …).
"""
