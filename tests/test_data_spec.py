"""docs/data-spec.md, the contract users read, is what the code defines: its tables are
written from the spec, the vocabularies, the catalogue, the form and the index config."""

from __future__ import annotations

import importlib.util

from conftest import ROOT


def test_data_spec_is_current():
    loader = importlib.util.spec_from_file_location("make_data_spec",
                                                    ROOT / "tools" / "make_data_spec.py")
    module = importlib.util.module_from_spec(loader)
    loader.loader.exec_module(module)
    text = (ROOT / "docs" / "data-spec.md").read_text(encoding="utf-8")
    assert text == module.render(), "run: python tools/make_data_spec.py"
    # and it says what users need: every table, every catalogue code, the form's columns
    from helpers.indicators import catalogue
    from helpers.ingest.spec import TABLES

    for code in TABLES:
        assert f"### `{code}`" in text
    for e in catalogue.entries():
        assert f"`{e.code}`" in text, e.code
    assert "(13)" in text and "`dossiers.pending_overdue`" in text
