"""Types of the compiled kernel ``sgie.scoring._flatten`` (``_flatten.c``)."""

from collections.abc import Sequence

from sgie.records import Entity

def flatten(
    docs: Sequence[Sequence[Entity]],
    entity_type: type[Entity],
    codes: dict[str, int],
    texts: list[str] | None,
    /,
) -> tuple[bytes, bytes, bytes, bytes, bytes, bytes, str, bool | None]: ...
def lines_and_colons(buffer: bytes | bytearray | memoryview, /) -> tuple[int, int]: ...
