"""The one rule on attribution nesting: ``parent_id`` / ``nested_in`` links form no cycle.

What it does
    ``nesting_cycle(parents)`` takes each attribution id's parent (``None``: not nested) and
    returns the first cycle found, as the ids along the links with the first id repeated at the
    end (``("a1", "a1")`` for an attribution nested in itself, ``("a10", "a11", "a10")``), or
    ``None``. Used by the export validation (``sgie.annotations.convert``); the prediction/gold
    validator can use it too. Links to ids not in ``parents`` end a walk (resolving them is the
    caller's check).

What it does not do
    No error messages, no records: a pure function over ids.
"""

from __future__ import annotations

from collections.abc import Mapping


def nesting_cycle(parents: Mapping[str, str | None]) -> tuple[str, ...] | None:
    """The first cycle of ``parents`` links (in sorted id order), or None (see the module)."""
    done: set[str] = set()
    for start in sorted(parents):
        path: list[str] = []
        on_path: set[str] = set()
        node: str | None = start
        while node is not None and node in parents and node not in done:
            if node in on_path:
                return (*path[path.index(node) :], node)
            path.append(node)
            on_path.add(node)
            node = parents[node]
        done.update(path)
    return None
