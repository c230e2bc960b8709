"""docs/reliability.md cannot drift from the tests: every test it names exists (with its
parameter id, when it names one), and every ``test_attack_…`` of the suite is named."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from conftest import ROOT

DOC = ROOT / "docs" / "reliability.md"
NAMED = re.compile(r"`(tests/[\w/]+\.py)::(test_\w+)(?:\[([^\]`]+)\])?`")


def _tests(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.name for n in ast.walk(tree)
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name.startswith("test_")}


def test_every_test_the_page_names_exists():
    named = NAMED.findall(DOC.read_text(encoding="utf-8"))
    assert len(named) > 40
    for file, name, param in named:
        path = ROOT / file
        assert path.is_file(), file
        assert name in _tests(path), f"{file}::{name} named in {DOC.name} does not exist"
        if param:  # a parametrised case: its id is written in the test module
            text = path.read_text(encoding="utf-8")
            assert f'"{param}"' in text or f"'{param}'" in text, f"{file}::{name}[{param}]"


def test_every_attack_test_is_on_the_page():
    named = {(f, n) for f, n, _ in NAMED.findall(DOC.read_text(encoding="utf-8"))}
    attacks = {(p.relative_to(ROOT).as_posix(), name) for p in sorted((ROOT / "tests").rglob("test_*.py"))
               for name in _tests(p) if name.startswith("test_attack_")}
    assert attacks, "no attack test found"
    missing = sorted(f"{f}::{n}" for f, n in attacks - named)
    assert missing == [], f"attack tests not listed in {DOC.name}: {missing}"


def test_every_parametrised_attack_case_is_on_the_page():
    """The params attacks are one test with a case per mistake: each case has its row."""
    import test_trust_params

    text = DOC.read_text(encoding="utf-8")
    for attack in test_trust_params.ATTACKS:
        case = f"test_attack_params_refused_by_every_command[{attack[0]}]"
        assert case in text, case
