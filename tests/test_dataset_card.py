"""The dataset card (README front matter + generated regions), versioning and provenance."""

from __future__ import annotations

import re

import datasets
import pytest
import yaml
from dataset_support import ROOT, built

from sgie.annotations.store import load_store
from sgie.corpus.manifest import SPLITS, load_corpus
from sgie.dataset import provenance
from sgie.dataset.card import REGIONS, CardData, render_readme, replace_region, split_front_matter
from sgie.dataset.features import CONFIG_LIST
from sgie.dataset.version import (
    CHANGELOG_FILE,
    DATASET_VERSION,
    RELEASE_DATE,
    SEMVER,
    changelog_problems,
    content_hashes,
)

FENCE = re.compile(r"```bash\n(.*?)```", re.S)


def _front(result) -> dict:
    front, _ = split_front_matter((result.out_root / "README.md").read_text(encoding="utf-8"))
    return yaml.safe_load(front)


def test_card_records_version_and_hashes():
    """The card's `sgie` mapping holds the dataset version and the content hashes."""
    result = built("partial")
    sgie = _front(result)["sgie"]
    assert SEMVER.match(sgie["version"]) and sgie["version"] == DATASET_VERSION
    assert sgie["gold_sha256"] == result.hashes.gold and sgie["corpus_sha256"] == result.hashes.corpus
    assert f"**{DATASET_VERSION}**" in (result.out_root / "README.md").read_text(encoding="utf-8")


def test_changelog_names_the_current_gold_and_corpus_hashes():
    """CHANGELOG.md's newest entry is DATASET_VERSION and names the committed data's hashes."""
    corpus = load_corpus(ROOT / "corpus")
    hashes = content_hashes(corpus, load_store(ROOT / "annotations", corpus))
    text = (ROOT / CHANGELOG_FILE).read_text(encoding="utf-8")
    assert changelog_problems(text, hashes) == []


def test_a_gold_change_without_a_new_version_fails_the_changelog_rule():
    """Changing the gold changes its hash: the same CHANGELOG.md no longer passes."""
    text = (ROOT / CHANGELOG_FILE).read_text(encoding="utf-8")
    hashes = built("full").hashes
    assert any("gold sha256" in p for p in changelog_problems(text, hashes))
    bumped = f"# Changelog\n\n## [9.0.0] - {RELEASE_DATE}\n\n- x\n\n" + text.split("\n## ", 1)[1]
    assert any("must be the dataset version" in p for p in changelog_problems(bumped, hashes))
    unordered = f"## [0.0.1] - x\n\n## [{DATASET_VERSION}] - {RELEASE_DATE}\n"
    assert any("newest first" in p for p in changelog_problems(unordered, hashes))


def test_front_matter_declares_configs_features_and_split_sizes():
    """configs/data_files name the built files; no dataset_info (features are in the Parquet)."""
    result = built("full")
    front = _front(result)
    assert [c["config_name"] for c in front["configs"]] == [c.name for c in CONFIG_LIST]
    assert [c["config_name"] for c in front["configs"] if c.get("default")] == ["documents"]
    assert "dataset_info" not in front
    for entry, config in zip(front["configs"], CONFIG_LIST):
        assert entry["data_files"] == [{"split": s, "path": f"data/{config.name}/{s}.parquet"}
                                       for s in SPLITS if result.stats[config.name][s].num_examples]


def test_render_keeps_everything_outside_its_regions_and_is_idempotent():
    """Other text, other regions and the first two bash blocks survive; rendering twice is stable."""
    result = built("empty")
    card = _card(result)
    original = (ROOT / "README.md").read_text(encoding="utf-8")
    _, body = split_front_matter(original)
    body = replace_region(body, "someone-else", "their text")
    once = render_readme("---\nold: yaml\n---\n" + body, card)
    assert render_readme(once, card) == once
    assert FENCE.findall(once)[:2] == FENCE.findall(original)[:2]
    _, new_body = split_front_matter(once)
    assert _without_regions(new_body) == _without_regions(body)
    assert "<!-- sgie:begin someone-else -->\ntheir text\n<!-- sgie:end someone-else -->" in once


def _card(result) -> CardData:
    return CardData(result.version, result.hashes, result.stats, result.rows)


def _without_regions(text: str) -> str:
    for name in REGIONS:
        text = re.sub(rf"\n*<!-- sgie:begin {name} -->.*?<!-- sgie:end {name} -->\n?", "", text, flags=re.S)
    return text.rstrip("\n")


def test_label_inventory_counts_are_the_data_counts():
    """The card's entity-label table states the gold counts found in the entities config."""
    result = built("full")
    readme = (result.out_root / "README.md").read_text(encoding="utf-8")
    names = CONFIG_LIST[0].features["entities"].feature["label"].names
    counts = {n: 0 for n in names}
    for s in SPLITS:
        for row in result.rows.by_config["entities"][s]:
            counts[row["label"]] += 1
    section = readme.split("#### Entity labels", 1)[1].split("####", 1)[0]
    for name, n in counts.items():
        row = next(line for line in section.splitlines() if line.startswith(f"| `{name}` |"))
        assert int(row.split("|")[5]) == n, row


@pytest.mark.parametrize("kind", ["empty", "full"])
def test_readme_loading_examples_run(monkeypatch, tmp_path, kind):
    """The generated loading examples run against a built dataset (with or without gold), offline."""
    result = built(kind)
    readme = (result.out_root / "README.md").read_text(encoding="utf-8")
    region = readme.split("<!-- sgie:begin dataset-loading -->", 1)[1]
    code = region.split("```python\n", 1)[1].split("```", 1)[0]
    code = code.replace('"path/to/a/clone/of/this/repository"', repr(str(result.out_root)))
    original = datasets.load_dataset
    counter = iter(range(100))
    monkeypatch.setattr(datasets.config, "HF_HUB_OFFLINE", True)
    monkeypatch.setattr(datasets, "load_dataset", lambda *a, **k: original(
        *a, cache_dir=str(tmp_path / f"c{next(counter)}"), **k))  # fmt: skip
    datasets.disable_progress_bars()
    namespace: dict = {"print": lambda *a: None}
    exec(compile(code, "README loading example", "exec"), namespace)
    documents = len(load_corpus(ROOT / "corpus").documents)
    assert namespace["every"].num_rows == namespace["folds"].num_rows == documents  # all, not a split


def test_provenance_names_every_outlet_publisher_and_wire_of_the_manifest():
    """SOURCE_TEXTS names the outlets, publishers, wires and copyright holders as printed."""
    corpus = load_corpus(ROOT / "corpus")
    for doc in corpus.documents:
        r = doc.record
        for value in (r.outlet, r.publisher, r.wire, *r.sources_as_printed):
            if value:
                assert value in provenance.SOURCE_TEXTS, value
        for line in r.copyright_as_printed:
            assert line.split(" - ")[-1] in provenance.SOURCE_TEXTS, line
    assert "AI model" in provenance.MACHINE_ANNOTATION_TOOLS[0]
    assert "No human annotators" in provenance.MACHINE_ANNOTATION_TOOLS[0]
    assert "Label Studio" in provenance.ANNOTATION_PLATFORM[0]


@pytest.mark.parametrize("name", REGIONS)
def test_committed_readme_has_every_generated_region(name):
    """README.md carries each generated region exactly once (after `sgie build`)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    if split_front_matter(readme)[0] is None:
        pytest.skip("no dataset card committed yet")
    assert readme.count(f"<!-- sgie:begin {name} -->") == 1 == readme.count(f"<!-- sgie:end {name} -->")
