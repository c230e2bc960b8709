"""Vietnamese number and date formats: "0,13%", "+94,4%", "6.981", "60.000.000 đ",
"14/09/2019". Notebooks, charts and exported tables all format through here."""

from __future__ import annotations

import math
from datetime import date, datetime

from ..indicators import catalogue

NOT_APPLICABLE = "không phát sinh"


def _group(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def integer(value: object) -> str:
    """6981 → "6.981"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    n = int(round(float(value)))
    return ("-" if n < 0 else "") + _group(abs(n))


def number(value: float | None, decimals: int = 2) -> str:
    """12.5 → "12,5" (trailing zeros dropped)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{abs(value):,.{decimals}f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return ("-" if value < 0 and text != "0" else "") + text


def percent(value: float | None, decimals: int = 2) -> str:
    """0.0013 → "0,13%"; None (zero denominator) → "không phát sinh"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NOT_APPLICABLE
    scaled = round(value * 100, decimals) + 0.0  # + 0.0 turns -0.0 into 0.0
    text = f"{scaled:.{decimals}f}".replace(".", ",")
    return f"{text}%"


def growth(value: float | None, decimals: int = 1) -> str:
    """0.9444 → "+94,4%"; a fall keeps its minus sign."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NOT_APPLICABLE
    scaled = round(value * 100, decimals)
    sign = "+" if scaled > 0 else ("-" if scaled < 0 else "")
    return f"{sign}{abs(scaled):.{decimals}f}".replace(".", ",") + "%"


def money(value: int | None) -> str:
    """60000000 → "60.000.000 đ"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{integer(value)} đ"


def day(value: date | datetime | None) -> str:
    """14/09/2019."""
    if value is None:
        return "–"
    try:
        return f"{value:%d/%m/%Y}"
    except (TypeError, ValueError):
        return "–"


def long_day(value: date) -> str:
    """"ngày 14 tháng 9 năm 2019", the form of the date line of administrative documents."""
    return f"ngày {value.day:02d} tháng {value.month:02d} năm {value.year}"


def indicator(code: str, value: float | int | None) -> str:
    """An indicator's value as its catalogue kind says: rates as percents, growth signed,
    money in đồng, counts grouped."""
    kind = catalogue.kind(code)
    if kind == "growth":
        return growth(value)
    if kind == "rate":
        return percent(value)
    if kind == "money":
        return money(value)
    if isinstance(value, float) and not value.is_integer():
        return number(value)
    return integer(value)


def share(value: float | None) -> str:
    """A fraction written as plans write targets: 0.8 → "80%", 0.305 → "30,5%"."""
    return "–" if value is None else number(value * 100, 2) + "%"


def target(code: str, value: float | None) -> str:
    """A target as plans write it: "95%", "2%", "0,5%" (no trailing zeros)."""
    if value is None:
        return "–"
    if catalogue.kind(code) == "rate":
        return share(value)
    return indicator(code, value)
