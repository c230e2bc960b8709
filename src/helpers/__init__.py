"""cchc-reports: reproducible reporting for Vietnamese administrative-reform (CCHC) monitoring.

Five parts, one subpackage each: ``ingest`` (exports → normalised tables), ``indicators``
(the figures), ``present`` (tables, charts, narrative, files), ``run`` (a period's batch)
and ``publish`` (site, PDF, DOCX); ``params`` reads the configuration and ``cli`` is the
command. ``text`` and ``atomic`` are the base every part uses.
"""

import sys

__version__ = "0.2.0"

# nbformat validates notebooks with jsonschema, which, when the optional ``rfc3987_syntax``
# package is installed (JupyterLab brings it), builds a Lark grammar for the "iri" string
# format at import: about 0.9 s of every process start. The notebook schema has no "iri"
# field, so this package's processes do without that checker.
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
