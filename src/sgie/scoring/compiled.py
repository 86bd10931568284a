"""The functions of the optional C kernel, or ``None`` where it was not built.

What it does
    Imports ``sgie.scoring._kernel`` (``_kernel.c``) once and gives its three functions
    typed: ``FLATTEN`` (for ``sgie.scoring.flatten``), ``FIRST_KEYS`` (for
    ``sgie.scoring.bulk_checks`` and ``bulk_surface``) and ``LINES_AND_COLONS`` (for
    ``sgie.scoring.onepass``). ``pip install`` builds the kernel where a C compiler is found;
    without one the import fails, all three are ``None``, and every module takes its Python
    path, with the same results.

What it does not do
    No fallback of its own (each module holds its Python path), no computation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from sgie.records import Entity

Flatten = Callable[
    [Sequence[Sequence[Entity]], type[Entity], dict[str, int], list[str] | None],
    tuple[bytes, bytes, bytes, bytes, bytes, bytes, str, bool | None],
]
FirstKeys = Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray], tuple[bytes, bytes, bytes]]
LinesAndColons = Callable[[memoryview], tuple[int, int]]

FLATTEN: Flatten | None = None
FIRST_KEYS: FirstKeys | None = None
LINES_AND_COLONS: LinesAndColons | None = None
try:
    from sgie.scoring._kernel import first_keys, flatten, lines_and_colons
except ImportError:  # not built: no C compiler at install time
    pass
else:
    FLATTEN, FIRST_KEYS, LINES_AND_COLONS = flatten, first_keys, lines_and_colons
