"""Project style rules that a test can hold: ruff and mypy clean, few ``type: ignore``, every
module states its room."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys

import pytest


def test_ruff_clean(root):
    """`ruff check` passes on src and tests."""
    ruff = shutil.which("ruff") or str(root / ".venv" / "bin" / "ruff")
    if not shutil.which("ruff") and not (root / ".venv" / "bin" / "ruff").exists():
        ruff_mod = [sys.executable, "-m", "ruff"]
    else:
        ruff_mod = [ruff]
    proc = subprocess.run([*ruff_mod, "check", "src", "tests"], cwd=root, capture_output=True, text=True)
    if proc.returncode != 0 and "No module named ruff" in proc.stderr:
        pytest.skip("ruff not installed")
    assert proc.returncode == 0, proc.stdout + proc.stderr


MAX_TYPE_IGNORES = 20


def test_mypy_clean(root):
    """`mypy` (configured in pyproject.toml [tool.mypy]: src/sgie) reports no error, and src/sgie
    holds at most MAX_TYPE_IGNORES `type: ignore` comments."""
    ignores = {str(p.relative_to(root)): n for p in sorted((root / "src" / "sgie").rglob("*.py"))
               if (n := len(re.findall(r"#\s*type:\s*ignore", p.read_text(encoding="utf-8"))))}  # fmt: skip
    assert sum(ignores.values()) <= MAX_TYPE_IGNORES, ignores
    proc = subprocess.run([sys.executable, "-m", "mypy"], cwd=root, capture_output=True, text=True)
    if proc.returncode != 0 and "No module named mypy" in proc.stderr:
        pytest.skip("mypy not installed (it is in the `test` extra)")
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr


def test_every_module_has_a_docstring(root):
    """Each module in src/sgie opens with a docstring."""
    missing = [str(p.relative_to(root)) for p in (root / "src" / "sgie").rglob("*.py")
               if not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))]
    assert missing == []


def test_modules_are_small(root):
    """No module reaches 500 lines (split before that)."""
    big = {str(p.relative_to(root)): n for p in (root / "src" / "sgie").rglob("*.py")
           if (n := len(p.read_text(encoding="utf-8").splitlines())) >= 500}
    assert big == {}
