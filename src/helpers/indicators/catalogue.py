"""The catalogue of indicator codes (``catalogue.yml`` beside this module).

One entry per code the figures compute — label, kind, unit, direction, group, place in the
headline, trend title, definition — so a table, a chart, a sentence and a page all name
and format a code the same way, and the data contract is written from the same file.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

PATH = Path(__file__).with_name("catalogue.yml")
KINDS = ("count", "rate", "growth", "money", "number")


@dataclass(frozen=True)
class Entry:
    code: str  # a code, or a family pattern such as ``rate.satisfaction.*``
    label: str
    kind: str
    direction: str  # higher | lower | none
    group: str
    definition: str
    unit: str = ""
    headline: int | None = None
    trend: str | None = None

    @property
    def is_family(self) -> bool:
        return "*" in self.code

    @property
    def higher_is_better(self) -> bool:
        return self.direction != "lower"


@cache
def entries() -> tuple[Entry, ...]:
    data = yaml.safe_load(PATH.read_text(encoding="utf-8"))["indicators"]
    out = tuple(Entry(**e) for e in data)
    bad = [e.code for e in out if e.kind not in KINDS or e.direction not in
           ("higher", "lower", "none")]
    if bad:
        raise ValueError(f"{PATH}: kind or direction not understood for {', '.join(bad)}")
    return out


@cache
def _exact() -> dict[str, Entry]:
    return {e.code: e for e in entries() if not e.is_family}


def entry(code: str) -> Entry | None:
    """The entry of a code: its own, else the family it belongs to (longest pattern)."""
    if code in _exact():
        return _exact()[code]
    families = [e for e in entries() if e.is_family and fnmatch.fnmatchcase(code, e.code)]
    return max(families, key=lambda e: len(e.code)) if families else None


def kind(code: str) -> str:
    e = entry(code)
    return e.kind if e else "number"


def label(code: str, name: str | None = None) -> str:
    """The Vietnamese label; a family's label takes the member's name (a channel, the
    self-assessed figure's own name), or the code's last part when no name is known."""
    e = entry(code)
    if e is None:
        return name or code
    if "{name}" in e.label:
        return e.label.format(name=name or code.rsplit(".", 1)[-1].replace("_", " "))
    return e.label


def headline() -> tuple[str, ...]:
    """Codes of the headline table, in order."""
    return tuple(e.code for e in sorted((e for e in entries() if e.headline is not None),
                                        key=lambda e: e.headline or 0))


def trend() -> tuple[tuple[str, str], ...]:
    """(code, chart title) of the codes drawn on an agency's trend page."""
    return tuple((e.code, e.trend) for e in entries() if e.trend)


def higher_is_better(code: str) -> bool:
    e = entry(code)
    return e.higher_is_better if e else True
