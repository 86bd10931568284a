"""load_dataset works offline on the built and the committed dataset, with the declared features.

Each load uses its own cache dir (the datasets cache does not notice rewritten Parquet files)
and runs with the hub offline.
"""

from __future__ import annotations

from pathlib import Path

import datasets
import huggingface_hub.constants
import pytest
import yaml
from dataset_support import ROOT, built

from sgie import schema
from sgie.annotations.store import ANNOTATORS
from sgie.corpus.manifest import SPLITS, load_corpus
from sgie.dataset.card import CardData, built_splits, split_front_matter
from sgie.dataset.features import CONFIGS, DEFAULT_CONFIG
from sgie.dataset.ner import BIO_NAMES
from sgie.dataset.parquet import read


@pytest.fixture()
def offline(monkeypatch, tmp_path):
    """Hub offline (env and the already-imported constants) and a private cache dir."""
    for var in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE"):
        monkeypatch.setenv(var, "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
    monkeypatch.setattr(datasets.config, "HF_HUB_OFFLINE", True)
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
    datasets.disable_progress_bars()
    counter = iter(range(1000))

    def load(path: Path, *args, **kwargs):
        return datasets.load_dataset(str(path), *args, cache_dir=str(tmp_path / f"cache{next(counter)}"),
                                     **kwargs)  # fmt: skip

    return load


def test_full_build_loads_every_config_with_declared_features(offline):
    """Every config of a full build loads with its features (from the Parquet metadata: the card
    declares none) and its split sizes."""
    result = built("full")
    for name, config in CONFIGS.items():
        ds = offline(result.out_root, name)
        assert list(ds) == list(SPLITS), name
        for split in SPLITS:
            assert ds[split].features == config.features, (name, split)
            assert ds[split].num_rows == result.stats[name][split].num_examples


def test_default_config_is_documents_and_class_label_names_come_from_the_schema(offline):
    """load_dataset(path) gives `documents`; ClassLabel names are the schema's."""
    ds = offline(built("full").out_root)
    f = ds["test"].features
    assert f == CONFIGS[DEFAULT_CONFIG].features
    assert f["entities"].feature["label"].names == list(schema.ENTITY_LABELS)
    assert f["proposals"].feature["type"].names == list(schema.PROPOSAL_TYPE.value_names)
    assert f["proposals"].feature["arguments"].feature["role"].names == list(schema.ROLE_NAMES)
    assert f["attributions"].feature["source_type"].names == list(schema.SOURCE_TYPE.value_names)
    assert [r["id"] for r in ds["test"]] == ["000", "004"]


def test_ner_test_split_and_annotators_load(offline):
    """load_dataset(path, "ner", split="test") works; annotators has a, b, gold per document."""
    result = built("full")
    ner = offline(result.out_root, "ner", split="test")
    assert ner.features["ner_tags"].feature.names == list(BIO_NAMES)
    passes = offline(result.out_root, "annotators", split="train")
    names = passes.features["annotator"].names
    assert names == list(ANNOTATORS)
    assert sorted((r["id"], names[r["annotator"]]) for r in passes) == [
        (d, a) for d in ("001", "002") for a in sorted(ANNOTATORS)]


@pytest.mark.parametrize("kind", ["empty", "partial"])
def test_builds_without_full_gold_declare_only_splits_with_rows(offline, kind):
    """With no or partial gold, empty splits/configs are not declared and the rest loads."""
    result = built(kind)
    front, _ = split_front_matter((result.out_root / "README.md").read_text(encoding="utf-8"))
    declared = {c["config_name"]: [f["split"] for f in c["data_files"]]
                for c in yaml.safe_load(front)["configs"]}  # fmt: skip
    for name in CONFIGS:
        with_rows = [s for s in SPLITS if result.stats[name][s].num_examples]
        assert declared.get(name, []) == with_rows
    if kind == "empty":
        assert set(declared) == {"documents", "ner", "annotators", "folds"}
    else:  # gold for 004 only: the flat layers exist in test only
        assert declared["entities"] == ["test"]
    ner = offline(result.out_root, "ner", split="test")
    assert ner.num_rows > 0
    docs = offline(result.out_root)
    assert {r["id"]: r["annotated"] for s in SPLITS for r in docs[s]} == {
        d: (kind == "partial" and d == "004") for d in ("000", "001", "002", "003", "004")}


def test_committed_dataset_loads_from_the_repository_root(offline):
    """The committed card + data load with load_dataset(<clone>) and match the declared sizes."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    front, _ = split_front_matter(readme)
    if front is None or not (ROOT / "data").is_dir():
        pytest.skip("no dataset committed yet")
    card = yaml.safe_load(front)
    assert "dataset_info" not in card
    declared = {c["config_name"]: {f["split"]: f["path"] for f in c["data_files"]} for c in card["configs"]}
    docs = offline(ROOT)
    assert docs["test"].features == CONFIGS[DEFAULT_CONFIG].features
    corpus = load_corpus(ROOT / "corpus")
    assert {s: [r["id"] for r in docs[s]] for s in SPLITS} == {
        s: [d.id for d in corpus.split(s)] for s in SPLITS}
    ner = offline(ROOT, "ner", split="test")
    assert ner.features == CONFIGS["ner"].features
    for name, files in declared.items():
        ds = offline(ROOT, name)
        assert {s: ds[s].num_rows for s in ds} == {s: read(ROOT / p).num_rows for s, p in files.items()}
        assert all(ds[s].features == CONFIGS[name].features for s in ds)


def test_built_splits_lists_only_splits_with_rows():
    """built_splits is what the card declares."""
    result = built("partial")
    card = CardData(result.version, result.hashes, result.stats, result.rows)
    assert built_splits(card, "entities") == ("test",)
    assert built_splits(card, "documents") == SPLITS
