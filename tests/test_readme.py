"""README.md and .ci/run agree, and the README's numbers come from generated files."""

from __future__ import annotations

import re

FENCE = re.compile(r"```bash\n(.*?)```", re.S)


def _commands(readme: str) -> list[str]:
    blocks = FENCE.findall(readme)
    return [line for b in blocks[:2] for line in b.splitlines() if line and not line.startswith("#")]


def test_readme_starts_with_two_commands(root):
    """The first two bash blocks of README.md hold one command each: main job, then tests."""
    commands = _commands((root / "README.md").read_text(encoding="utf-8"))
    assert len(commands) == 2
    assert "pip install -e ." in commands[0] and ".venv/bin/sgie " in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command_verbatim(root):
    """.ci/run contains README command (2) as one line, exactly."""
    test_command = _commands((root / "README.md").read_text(encoding="utf-8"))[1]
    ci_lines = (root / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in ci_lines


def test_readme_similarity_numbers_match_generated_file(root, corpus):
    """The Jaccard threshold and the 001/002 score quoted in README.md are the generated ones."""
    import json

    report = json.loads((root / "corpus" / "similarity.json").read_text(encoding="utf-8"))
    readme = (root / "README.md").read_text(encoding="utf-8")
    pair = next(p for p in report["pairs"] if (p["a"], p["b"]) == ("001", "002"))
    assert f"threshold is {report['threshold']}" in readme
    assert f"score\n{pair['jaccard']:.3f}" in readme or f"score {pair['jaccard']:.3f}" in readme


def _ways_in(readme: str) -> list[list[str]]:
    block = readme.split("<!-- ways-in:", 1)[1].split("```bash\n", 1)[1].split("```", 1)[0]
    return [line.split()[1:] for line in block.splitlines() if line.startswith("sgie ")]


def test_readme_ways_in_run(root, monkeypatch, capsys):
    """Every `sgie evaluate` line of README's "Ways in" block runs from the clone and scores."""
    from sgie.cli import main

    monkeypatch.chdir(root)
    commands = _ways_in((root / "README.md").read_text(encoding="utf-8"))
    options = {a for c in commands for a in c}
    assert len(commands) >= 6 and {"--format", "--label-map", "--label-space"} <= options
    for argv in commands:
        assert main(argv) == 0, argv
        assert "Entities" in capsys.readouterr().out, argv
