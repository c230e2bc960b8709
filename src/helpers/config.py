"""Configuration from ``params/``: agencies, targets, deadlines, score weights, mappings.

Nothing here is hard-coded in code: a new agency, a new target or a new source system is a
YAML edit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .mapping import Mapping
from .periods import RULES
from .text import checked_id


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Unit:
    code: str
    name: str


@dataclass(frozen=True)
class Agency:
    id: str
    name: str
    short_name: str
    province: str
    level: str
    parent: str | None
    rule: str
    deadline_style: str | None = None
    source_system: str | None = None
    units: tuple[Unit, ...] = ()
    place: str = ""
    symbol: str = ""


@dataclass
class Params:
    root: Path
    agencies: dict[str, Agency]
    targets: dict[str, Any] = field(default_factory=dict)
    periods: dict[str, Any] = field(default_factory=dict)
    score: dict[str, Any] = field(default_factory=dict)

    def agency(self, agency_id: str) -> Agency:
        try:
            return self.agencies[agency_id]
        except KeyError:
            raise ConfigError(f"agency {agency_id!r} is not declared in "
                              f"{self.root / 'agencies.yml'}; declared: "
                              f"{', '.join(sorted(self.agencies))}") from None

    def targets_for(self, agency_id: str, year: int) -> dict[str, float]:
        """Targets of the year, with the agency's own overrides on top."""
        base = dict((self.targets.get("years") or {}).get(year) or
                    (self.targets.get("years") or {}).get(str(year)) or {})
        over = ((self.targets.get("agencies") or {}).get(agency_id) or {})
        base.update(over.get(year) or over.get(str(year)) or {})
        return {k: float(v) for k, v in base.items()}

    def apportioned_targets(self, year: int) -> list[dict[str, Any]]:
        """The per-unit targets of ``targets.yml`` → ``apportion`` for a year."""
        table = self.targets.get("apportion") or {}
        return list(table.get(year) or table.get(str(year)) or [])

    def deadline_style(self, agency: Agency) -> dict[str, str] | None:
        styles = self.periods.get("deadline_styles") or {}
        return styles.get(agency.deadline_style) if agency.deadline_style else None

    def mapping(self, agency: Agency) -> Mapping | None:
        if not agency.source_system:
            return None
        name = checked_id(agency.source_system, "source_system")
        path = self.root / "mappings" / f"{name}.yml"
        if not path.is_file():
            raise ConfigError(f"{agency.id}: source_system {name!r} has no mapping file {path}")
        data = _load(path)
        return Mapping(name, data.get("columns") or {}, data.get("values") or {})


def _load(path: Path) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level")
    return data


def load_params(root: Path | str = "params") -> Params:
    root = Path(root)
    path = root / "agencies.yml"
    if not path.is_file():
        raise ConfigError(f"{path} not found: declare agencies there (see README)")
    data = _load(path)
    agencies: dict[str, Agency] = {}
    for i, a in enumerate(data.get("agencies") or []):
        where = f"{path}: agencies[{i}]"
        try:
            aid = checked_id(str(a["id"]), "agency id")
        except (KeyError, ValueError) as exc:
            raise ConfigError(f"{where}: {exc}") from None
        if aid in agencies:
            raise ConfigError(f"{where}: id {aid!r} declared twice")
        rule = a.get("rule", "decree09")
        if rule not in RULES:
            raise ConfigError(f"{where}: rule {rule!r} is not one of {', '.join(RULES)}")
        units = tuple(Unit(str(u["code"]), str(u["name"])) for u in a.get("units") or [])
        agencies[aid] = Agency(
            id=aid, name=str(a["name"]), short_name=str(a.get("short_name", a["name"])),
            province=str(a.get("province", "")), level=str(a.get("level", "")),
            parent=a.get("parent"), rule=rule, deadline_style=a.get("deadline_style"),
            source_system=a.get("source_system"), units=units,
            place=str(a.get("place", a.get("province", ""))), symbol=str(a.get("symbol", "")))
    opt = {n: _load(root / f"{n}.yml") if (root / f"{n}.yml").is_file() else {}
           for n in ("targets", "periods", "score")}
    return Params(root, agencies, **opt)
