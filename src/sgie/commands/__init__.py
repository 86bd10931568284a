"""Subcommands of ``sgie``: one module per command group, each with ``register(subparsers)``.

Modules here are discovered by ``sgie.cli``; each function only parses arguments, calls
library code and prints. Add a command group by adding a module.
"""
