"""Memory stays flat over a run: a cache on a function that sees data values (cells,
headers of any row, texts) must be bounded. An unbounded ``@cache`` on ``is_personal``,
asked of data cells by header detection, grew each worker by about 0,12 MB per report
(bench/run_speed.py --memory). Unbounded caches are allowed only on functions whose
arguments come from the code or the project's own files, listed here with why."""

from __future__ import annotations

import importlib
import pkgutil

import helpers

# keyed by constants of the code or by the project's own files: a handful of entries
UNBOUNDED_ALLOWED = {
    "helpers.params._catalogue": "no argument: the catalogue's codes",
    "helpers.indicators.catalogue.entries": "no argument: the catalogue file",
    "helpers.indicators.catalogue._exact": "no argument: the catalogue's exact codes",
    "helpers.ingest.spec._keys": "the spec's own field names and aliases",
    "helpers.publish.build.render_version": "no argument: the engine's version",
    "helpers.publish.docx._template": "no argument: the reference document",
    "helpers.publish.layout._font": "bold or not",
    "helpers.publish.layout.font_file": "bold or not",
    "helpers.publish.pdf.fonts": "no argument: the fonts found on the machine",
}


def caches() -> dict[str, int | None]:
    found: dict[str, int | None] = {}
    for info in pkgutil.walk_packages(helpers.__path__, "helpers."):
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if callable(obj) and hasattr(obj, "cache_info") and \
                    getattr(obj, "__module__", None) == info.name:
                found[f"{info.name}.{name}"] = obj.cache_info().maxsize
    return found


def test_caches_on_data_values_are_bounded():
    found = caches()
    assert "helpers.ingest.spec.is_personal" in found and "helpers.text._fold_cached" in found
    unbounded = {k for k, size in found.items() if size is None}
    assert unbounded <= set(UNBOUNDED_ALLOWED), \
        f"unbounded caches on data values: {unbounded - set(UNBOUNDED_ALLOWED)}"
    assert found["helpers.ingest.spec.is_personal"] <= 1 << 12
    assert found["helpers.text._fold_cached"] <= 1 << 12


def test_personal_header_check_forgets_old_values():
    from helpers.ingest.spec import is_personal

    for i in range(10_000):  # the first rows of ten thousand exports
        is_personal(f"Nguyễn Văn {i}")
    assert is_personal.cache_info().currsize <= 1 << 12
    assert is_personal("Số điện thoại liên hệ") and not is_personal("Mã hồ sơ")
