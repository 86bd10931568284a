"""Packaging: the plain install runs the main job; every other part is an extra that is named
when it is missing; ``dev`` installs them all; ``--version`` says package and dataset versions."""

from __future__ import annotations

import argparse
import subprocess
import sys
import tomllib

from sgie.cli import build_parser
from sgie.dataset.version import DATASET_VERSION

#: Modules of the extras: the plain install must not need any of them for evaluate/leaderboard.
EXTRA_MODULES = ("datasets", "pyarrow", "pandas", "yaml", "sklearn", "krippendorff",
                 "label_studio_sdk", "label_studio", "mlcroissant", "spacy")  # fmt: skip


def _extras(root) -> dict[str, list[str]]:
    with (root / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)["project"]["optional-dependencies"]


def _run_without_extras(root, argv: list[str]) -> subprocess.CompletedProcess:
    """``sgie ARGV`` in a subprocess in which every extra's module fails to import."""
    code = (
        "import sys\n"
        f"for m in {EXTRA_MODULES!r}: sys.modules[m] = None\n"
        "from sgie.cli import main\n"
        f"sys.exit(main({argv!r}))\n"
    )
    env_path = str(root / "src")
    return subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True,
                          env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin"}, timeout=300)  # fmt: skip


def _commands(parser: argparse.ArgumentParser, prefix: str = "sgie"):
    """(command, defaults) for every leaf subcommand of the parser."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _commands(sub, f"{prefix} {name}")
            return
    yield prefix, parser._defaults


def test_dev_extra_installs_every_other_extra(root):
    """The ``dev`` extra (README command 2) names every other extra."""
    extras = _extras(root)
    (dev,) = extras["dev"]
    named = set(dev.removeprefix("sgie[").removesuffix("]").split(","))
    assert named == set(extras) - {"dev"}


def test_commands_name_existing_extras(root):
    """Every extra a command declares exists in pyproject.toml; evaluate and leaderboard need none."""
    extras = _extras(root)
    declared = dict(_commands(build_parser()))
    assert {d.get("extra") for d in declared.values()} - {None} <= set(extras)
    assert declared["sgie build"]["extra"] == "dataset"
    assert declared["sgie studio pull"]["extra"] == "studio"
    assert declared["sgie evaluate"].get("extra") is None
    assert declared["sgie leaderboard"].get("extra") is None


def test_core_dependencies_do_not_name_extra_packages(root):
    """The plain install's dependencies include none of the extras' packages."""
    with (root / "pyproject.toml").open("rb") as f:
        core = tomllib.load(f)["project"]["dependencies"]
    names = {d.split(">")[0].split("=")[0].split("<")[0].strip().lower() for d in core}
    assert names == {"msgspec", "numpy", "scipy", "jsonschema", "tqdm", "matplotlib"}


def test_evaluate_and_leaderboard_run_without_any_extra(root):
    """With every extra's module unimportable, ``sgie evaluate`` and ``sgie leaderboard --check`` work."""
    done = _run_without_extras(
        root, ["evaluate", "--predictions", "eval/submissions/rules/predictions.jsonl"]
    )
    assert done.returncode == 0, done.stderr
    assert "Entities" in done.stdout and "strict" in done.stdout
    done = _run_without_extras(root, ["leaderboard", "--check"])
    assert done.returncode == 0, done.stderr + done.stdout


def test_missing_extra_is_one_line_naming_it(root):
    """A command whose extra is missing prints one line naming the extra and exits 1."""
    done = _run_without_extras(root, ["corpus", "folds"])
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1
    assert "'dataset' extra" in done.stderr and "pip install 'sgie[dataset]'" in done.stderr
    done = _run_without_extras(root, ["studio", "pull"])
    assert done.returncode == 1 and "'studio' extra" in done.stderr


def test_version_names_package_dataset_and_schema(capsys):
    """``sgie --version`` prints the package version and the dataset version."""
    try:
        build_parser().parse_args(["--version"])
    except SystemExit as stop:
        assert stop.code == 0
    out = capsys.readouterr().out
    assert out.startswith("sgie ") and f"dataset {DATASET_VERSION}" in out and "schema " in out


def test_studio_open_without_the_server_says_so_first(monkeypatch, capsys):
    """Without the Label Studio server, `sgie studio open` prints nothing about starting it: one
    line naming the 'studio' extra, exit 1."""
    from sgie.cli import main
    from sgie.studio import server

    monkeypatch.setattr(server, "label_studio_version", lambda: None)
    assert main(["studio", "open"]) == 1
    out, err = capsys.readouterr()
    assert "starting" not in out and "None" not in out
    assert err.count("\n") == 1 and "'studio' extra" in err


def test_a_wheel_builds_without_a_c_compiler(root, tmp_path):
    """With a C compiler that fails, ``pip wheel`` still builds sgie, without its optional kernel."""
    import shutil
    import zipfile

    tree = tmp_path / "sgie"
    tree.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(root / name, tree / name)
    built = shutil.ignore_patterns("__pycache__", "*.so", "*.egg-info")
    shutil.copytree(root / "src", tree / "src", ignore=built)
    env = {"PATH": "/usr/bin:/bin", "CC": "/bin/false", "LDSHARED": "/bin/false", "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps", "-q",
                           "-w", str(tmp_path / "dist"), str(tree)],
                          capture_output=True, text=True, env=env, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    (wheel,) = (tmp_path / "dist").glob("sgie-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "sgie/scoring/flatten.py" in names and "sgie/scoring/_kernel.pyi" in names
    assert not [n for n in names if n.endswith((".so", ".pyd"))]
