"""Text normalisation shared by every matcher: headers, sheet names, enumerated values."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"[\s_\-./()]+")


def unaccent(text: object) -> str:
    """Strip Vietnamese diacritics (đ → d), keeping case and punctuation."""
    s = "" if text is None else str(text)
    s = s.replace("đ", "d").replace("Đ", "D")
    s = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in s if not unicodedata.combining(ch))


@lru_cache(maxsize=1 << 12)  # headers and vocabularies repeat; data values (header
# detection folds the first rows) do not: a small cache keeps memory flat over a run
def _fold_cached(text: object) -> str:
    return _SPACES.sub(" ", unaccent(text).lower()).strip()


def fold(text: object) -> str:
    """Lower-case, strip diacritics (đ → d) and collapse separators to single spaces.

    Headers and sheet names are matched on this form, so "Mã hồ sơ", "MA HO SO" and
    "ma_ho_so" are the same key.
    """
    try:
        return _fold_cached(text)
    except TypeError:  # unhashable: not a cell value, fold it anyway
        return _SPACES.sub(" ", unaccent(text).lower()).strip()


def slug(text: object) -> str:
    """An ASCII identifier for codes and file names: "Quầy/Kiosk" → "quay_kiosk"."""
    return re.sub(r"[^a-z0-9]+", "_", fold(text)).strip("_")


SAFE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


def checked_id(value: str, what: str = "id") -> str:
    """Return ``value`` if it is a lowercase slug safe to use as a path component."""
    if not isinstance(value, str) or not SAFE_ID.match(value):
        raise ValueError(f"{what} {value!r} is not a lowercase slug (a-z, 0-9, '-')")
    return value
