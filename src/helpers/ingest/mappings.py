"""Source-system mappings: a one-stop-shop product whose export headers differ from the
spec is mapped by a YAML file in ``params/mappings/<system>.yml`` (header → field, and
values such as "Nộp trực tuyến" → "Trực tuyến"), named by the agency's ``source_system``.
The registry is the folder: a new system is a new file, not new code."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from ..params import Agency, Params
from ..text import fold


@dataclass
class Mapping:
    """Header → field names for a source system whose exports differ from the spec."""

    name: str
    columns: dict[str, dict[str, str]] = field(default_factory=dict)  # table → header → field
    values: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)

    def field_for(self, table: str, header: object) -> str | None:
        key = fold(header)
        for h, f in self.columns.get(table, {}).items():
            if fold(h) == key:
                return f
        return None

    def value_for(self, table: str, fname: str, raw: object) -> object:
        key = fold(raw)
        for h, v in self.values.get(table, {}).get(fname, {}).items():
            if fold(h) == key:
                return v
        return raw

    def digest(self) -> str:
        """The mapping's content hash: a changed mapping re-reads the agency's files."""
        text = json.dumps([self.name, self.columns, self.values], sort_keys=True,
                          ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def for_agency(params: Params, agency: Agency) -> Mapping | None:
    found = params.mapping_file(agency)
    if found is None:
        return None
    name, data = found
    return Mapping(name, dict(data.columns), dict(data.values))
