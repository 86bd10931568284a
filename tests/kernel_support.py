"""Test support: sgie's Python paths in this process, as where the optional C kernel
(``sgie.scoring._kernel``) was not built."""

from __future__ import annotations

import pytest

from sgie.scoring import bulk_checks, bulk_surface, flatten, onepass


def without_kernel(mp: pytest.MonkeyPatch) -> None:
    """Every use of the kernel replaced by its Python path (undone with ``mp``)."""
    mp.setattr(flatten, "KERNEL", None)
    mp.setattr(onepass, "_COMPILED_COUNT", None)
    mp.setattr(bulk_checks, "FIRST_KEYS", None)
    mp.setattr(bulk_surface, "FIRST_KEYS", None)
