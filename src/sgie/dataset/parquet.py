"""Byte-deterministic Parquet files from rows and ``datasets.Features``.

What it does
    ``to_parquet(rows, features)`` encodes rows with ``Features.encode_example`` (ClassLabel
    names -> ids), builds a ``pyarrow.Table`` with exactly ``features.arrow_schema`` (which
    carries the ``huggingface`` features metadata, so the file is self-describing), and writes
    it with fixed options: one row group (none for an empty split: ``datasets`` cannot read a
    row group of 0 rows), zstd level 9, dictionary encoding, statistics, no
    page index and no timestamps. The same rows give the same bytes with the same pyarrow
    version (the file footer names the writer, ``parquet-cpp-arrow version X``, so a different
    pyarrow may write different bytes; ``sgie build --check`` then reports the files).

    ``read(path)`` reads a written file back (tests). It reads from a path on purpose: with pyarrow 24,
    reading Parquet from an in-memory buffer or a Python file object (``pre_buffer=True``)
    intermittently aborts the interpreter at exit ("terminate called without an active
    exception", apache/arrow#33975, #34314); reading from a path does not.

What it does not do
    No writing (bytes out; ``sgie.dataset.build`` writes atomically).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from datasets import Features

COMPRESSION = "zstd"
COMPRESSION_LEVEL = 9


def to_table(rows: Sequence[Mapping[str, object]], features: Features) -> pa.Table:
    encoded = [features.encode_example(dict(row)) for row in rows]
    for row in encoded:
        if set(row) != set(features):
            raise ValueError(f"row columns must be {list(features)} (got {list(row)})")
    return pa.Table.from_pylist(encoded, schema=features.arrow_schema)


def to_parquet(rows: Sequence[Mapping[str, object]], features: Features) -> bytes:
    """The Parquet bytes of ``rows`` (see the module docstring for the fixed options)."""
    table = to_table(rows, features)
    sink = pa.BufferOutputStream()
    with pq.ParquetWriter(
        sink,
        table.schema,
        compression=COMPRESSION,
        compression_level=COMPRESSION_LEVEL,
        use_dictionary=True,
        write_statistics=True,
        write_page_index=False,
        store_schema=True,
    ) as writer:
        if table.num_rows:  # an empty split has no row group at all (datasets reads it as 0 rows)
            writer.write_table(table, row_group_size=table.num_rows)
    return sink.getvalue().to_pybytes()


def read(path: Path) -> pa.Table:
    """The table in the Parquet file at ``path`` (read from the path, see the docstring)."""
    return pq.read_table(str(path), use_threads=False)

