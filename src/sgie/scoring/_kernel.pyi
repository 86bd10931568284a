"""Types of the compiled kernel ``sgie.scoring._kernel`` (``_kernel.c``)."""

from collections.abc import Sequence

import numpy.typing as npt

from sgie.records import Entity

def flatten(
    docs: Sequence[Sequence[Entity]],
    entity_type: type[Entity],
    codes: dict[str, int],
    texts: list[str] | None,
    /,
) -> tuple[bytes, bytes, bytes, bytes, bytes, bytes, str, bool | None]: ...
def lines_and_colons(buffer: bytes | bytearray | memoryview, /) -> tuple[int, int]: ...
def first_keys(
    a_doc: npt.ArrayLike, a_key: npt.ArrayLike, b_doc: npt.ArrayLike, b_key: npt.ArrayLike, /
) -> tuple[bytes, bytes, bytes]: ...
