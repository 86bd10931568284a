"""The package version: the one place it is written (``pyproject.toml`` reads it from here,
``[tool.setuptools.dynamic]``), so that no command imports ``importlib.metadata`` (about
30 ms at start-up) to learn it."""

__version__ = "0.1.0"
