"""``sgie.scoring.flatten``: the C kernel and the Python path give the same columns, the
kernel's hashes are ``sgie.scoring.hashing``'s, and its ``holds`` is ``spans_hold``'s answer."""

from __future__ import annotations

import shutil
import sysconfig

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import raw_entity_batches

from sgie import schema
from sgie.records import Entity
from sgie.scoring import flatten as flatten_module
from sgie.scoring.bulk import Flat
from sgie.scoring.bulk_checks import Chars, Spans, spans_hold
from sgie.scoring.flatten import KERNEL, Columns, flatten, flatten_compiled, flatten_python
from sgie.scoring.hashing import string_hash

needs_kernel = pytest.mark.skipif(KERNEL is None, reason="the C kernel was not built (no C compiler)")


def _fits(docs: list) -> bool:
    return all(-(2**63) <= x < 2**63 for d in docs for e in d for x in (e.start, e.end))


def _same(a: Columns, b: Columns) -> None:
    for name, dtype in [*[(n, np.int64) for n in ("doc", "start", "end", "code")],
                        ("id_hash", np.uint64), ("text_hash", np.uint64)]:  # fmt: skip
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype == dtype and x.tolist() == y.tolist(), name
        assert not x.flags.writeable and not y.flags.writeable, name
    assert a.joined_texts == b.joined_texts


def test_the_kernel_is_built_wherever_a_c_compiler_is():
    """An install on a machine with a C compiler (CI's) builds the kernel that is measured."""
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(compiler) is None:
        pytest.skip(f"no C compiler ({compiler}): the optional kernel is not built")
    assert KERNEL is not None


def test_python_columns_of_a_small_batch():
    """Each entity gives its document index, offsets, label code and hashes; texts each end in a NUL."""
    docs = [(Entity("e1", 0, 4, "Kyiv", "GPE"), Entity("e2", 5, 9, "NATO", "ORG")), (),
            [Entity("x", 3, 4, "Ж", "PERSON")]]  # fmt: skip
    c = flatten_python(docs)
    assert c.doc.tolist() == [0, 0, 2]
    assert c.start.tolist() == [0, 5, 3] and c.end.tolist() == [4, 9, 4]
    code = schema.ENTITY_LABELS.index
    assert c.code.tolist() == [code("GPE"), code("ORG"), code("PERSON")]
    assert c.joined_texts == "Kyiv\0NATO\0Ж\0" and c.holds is None
    assert c.id_hash.tolist() == [string_hash(s) for s in ("e1", "e2", "x")]
    assert c.text_hash.tolist() == [string_hash(s) for s in ("Kyiv", "NATO", "Ж")]
    assert flatten_python([]).joined_texts == "" and len(flatten_python([(), ()]).doc) == 0


@needs_kernel
def test_kernel_widens_mixed_strings():
    """Strings of every width (ASCII, Latin-1, BMP, astral) join into one string of the widest."""
    texts = ["a", "é", "Київ", "\U0001f600", "", "b\0c"]
    docs = [tuple(Entity(t, 0, 1, t, "GPE") for t in texts[:3]),
            tuple(Entity(t, 0, 1, t, "LOC") for t in texts[3:])]  # fmt: skip
    c = flatten_compiled(docs)
    assert c.joined_texts == "\0".join([*texts, ""]) and c.id_hash.tolist() == c.text_hash.tolist()
    assert c.text_hash.tolist() == [string_hash(t) for t in texts]
    _same(c, flatten_python(docs))


@settings(max_examples=300, deadline=None)
@given(raw_entity_batches())
def test_kernel_and_python_agree(docs):
    """Any batch gives the same columns both ways; an offset beyond 64 bits is an OverflowError."""
    if KERNEL is None:
        pytest.skip("the C kernel was not built (no C compiler)")
    if not _fits(docs):
        with pytest.raises(OverflowError):
            flatten_python(docs)
        with pytest.raises(OverflowError):
            flatten_compiled(docs)
        return
    _same(flatten_compiled(docs), flatten_python(docs))
    _same(flatten(docs), flatten_python(docs))


@settings(max_examples=300, deadline=None)
@given(raw_entity_batches(), st.data())
def test_kernel_holds_is_spans_hold(docs, data):
    """Given the documents' texts, the kernel's ``holds`` is ``spans_hold``'s answer, for any batch."""
    if KERNEL is None:
        pytest.skip("the C kernel was not built (no C compiler)")
    if not _fits(docs):
        return
    texts = [data.draw(st.one_of(st.just("".join(e.text for e in d)), st.text(max_size=30))) for d in docs]
    flat = Flat.of(docs, texts)
    assert flat.holds == spans_hold(Chars(texts), flat, Spans(flat))
    assert Flat.of(docs).holds is None


@needs_kernel
def test_texts_the_kernel_does_not_take_go_the_python_way():
    """Texts that are not a list of one ``str`` per document raise TypeError in the kernel;
    ``flatten`` then gives the Python path's columns, with ``holds`` unchecked."""
    docs = [(Entity("e1", 0, 4, "Kyiv", "GPE"),)]
    for texts in (["Kyiv", "x"], [b"Kyiv"], ("Kyiv",)):
        with pytest.raises(TypeError):
            flatten_compiled(docs, texts)  # type: ignore[arg-type]
        assert flatten(docs, texts).holds is None  # type: ignore[arg-type]
    assert flatten(docs, ["Kyiv"]).holds is True and flatten(docs, ["Kyi"]).holds is False


@needs_kernel
def test_a_label_outside_the_schema_is_a_key_error_both_ways():
    """A label msgspec would not let through raises KeyError on both paths."""
    docs = [(Entity("e1", 0, 1, "x", "COUNTRY"),)]  # type: ignore[arg-type]
    for way in (flatten_python, flatten_compiled):
        with pytest.raises(KeyError):
            way(docs)


@needs_kernel
def test_records_the_kernel_does_not_take_go_the_python_way(monkeypatch):
    """Records the kernel does not take raise TypeError there, and ``flatten`` takes the Python path."""

    class Like(Entity, frozen=True):  # a subclass: not exactly Entity
        pass

    odd = [
        [(Like("e1", 0, 1, "x", "GPE"),)],
        [(Entity("e1", 0, 1, 5, "GPE"),)],  # type: ignore[arg-type]  # text not a str
        [iter([Entity("e1", 0, 1, "x", "GPE")])],
    ]
    for docs in odd:
        with pytest.raises(TypeError):
            flatten_compiled(docs)
    calls = []
    monkeypatch.setattr(flatten_module, "flatten_python", lambda docs: calls.append(docs) or "python")
    assert flatten(odd[0]) == "python" and calls == [odd[0]]


def test_without_the_kernel_flatten_is_the_python_path(monkeypatch):
    """Without the kernel ``flatten`` is the Python path, and ``flatten_compiled`` says why."""
    docs = [(Entity("e1", 0, 4, "Kyiv", "GPE"),)]
    monkeypatch.setattr(flatten_module, "KERNEL", None)
    _same(flatten(docs), flatten_python(docs))
    with pytest.raises(ModuleNotFoundError, match="not built"):
        flatten_compiled(docs)
