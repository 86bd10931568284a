"""croissant.json is valid Croissant 1.0 (mlcroissant) with the RAI fields, and its records load."""

from __future__ import annotations

import functools
import hashlib
import json

import mlcroissant as mlc
import pandas as pd
import pytest
from dataset_support import ROOT, built

from sgie.corpus.manifest import SPLITS
from sgie.dataset import provenance
from sgie.dataset.features import CONFIGS

RAI_FIELDS = (
    "data_collection", "data_annotation_platform", "annotations_per_item", "machine_annotation_tools",
    "data_limitations", "data_biases", "personal_sensitive_information", "data_use_cases",
    "data_release_maintenance_plan", "data_annotation_protocol", "annotator_demographics",
)  # fmt: skip


@pytest.fixture(autouse=True)
def _parquet_without_prebuffer(monkeypatch):
    """mlcroissant reads Parquet from Python file objects; with pyarrow 24 and pre_buffer=True
    that intermittently aborts the interpreter at exit (apache/arrow#33975), so read without."""
    monkeypatch.setattr(pd, "read_parquet", functools.partial(pd.read_parquet, pre_buffer=False))


def _dataset(root) -> mlc.Dataset:
    ds = mlc.Dataset(jsonld=str(root / "croissant.json"))
    issues = ds.metadata.ctx.issues
    assert not issues.errors and not issues.warnings, issues.report()
    return ds


def test_full_build_croissant_validates_and_every_record_set_loads():
    """No mlcroissant errors or warnings; every record set yields records; splits come from paths."""
    result = built("full")
    ds = _dataset(result.out_root)
    sets = {rs.uuid for rs in ds.metadata.record_sets}
    assert set(CONFIGS) <= sets
    records = {uuid: list(ds.records(uuid)) for uuid in sorted(sets)}
    for uuid in sorted(sets):
        assert records[uuid], uuid
        if uuid in CONFIGS:
            assert len(records[uuid]) == sum(result.stats[uuid][s].num_examples for s in SPLITS)
    docs = records["documents"]
    assert sorted((r["documents/split"].decode(), r["documents/id"].decode()) for r in docs) == sorted(
        (s, str(row["id"])) for s in SPLITS for row in result.rows.by_config["documents"][s])
    entity = records["entities"][0]
    assert {"entities/label", "entities/start", "entities/end", "entities/text"} <= set(entity)


def test_croissant_rai_fields_are_the_provenance_texts():
    """The RAI fields are present and equal the constants of sgie.dataset.provenance."""
    meta = _dataset(built("empty").out_root).metadata
    for name in RAI_FIELDS:
        assert getattr(meta, name), name
    assert meta.data_collection == provenance.DATA_COLLECTION
    assert meta.machine_annotation_tools == list(provenance.MACHINE_ANNOTATION_TOOLS)
    assert meta.data_biases == list(provenance.DATA_BIASES)
    assert meta.personal_sensitive_information == list(provenance.PERSONAL_SENSITIVE_INFORMATION)


def test_croissant_names_every_parquet_file_with_its_sha256_and_records_the_hashes():
    """Every built Parquet file is a FileObject with the right sha256; version and hashes recorded."""
    result = built("partial")
    meta = json.loads((result.out_root / "croissant.json").read_text(encoding="utf-8"))
    objects = {d["contentUrl"]: d["sha256"] for d in meta["distribution"] if d["@type"] == "cr:FileObject"}
    parquet = {p: hashlib.sha256((result.out_root / p).read_bytes()).hexdigest()
               for p in result.files if p.endswith(".parquet")}  # fmt: skip
    assert objects == parquet
    assert meta["version"] == result.version
    assert result.hashes.gold in meta["description"] and result.hashes.corpus in meta["description"]


def test_committed_croissant_validates():
    """The committed croissant.json validates and its documents load."""
    if not (ROOT / "croissant.json").is_file():
        pytest.skip("no croissant.json committed yet")
    ds = _dataset(ROOT)
    assert len(list(ds.records("documents"))) == 5
