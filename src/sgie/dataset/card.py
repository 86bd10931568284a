"""The dataset card: README.md's YAML front matter and the README regions ``sgie build`` owns.

What it does
    ``render_readme(readme, card)`` returns README.md with

    * the YAML front matter (the Hugging Face dataset card header) replaced by a generated one:
      card metadata (license, language, task tags), ``configs`` (``data_files`` per split,
      ``documents`` the default), ``dataset_info`` (features from ``sgie.dataset.features``,
      split sizes, which ``datasets`` verifies), and an ``sgie`` mapping with the dataset
      version and the content hashes;
    * every region ``<!-- sgie:begin NAME -->`` ... ``<!-- sgie:end NAME -->`` of ``REGIONS``
      regenerated in place (regions that are missing are appended at the end of the file, in
      ``REGIONS`` order); everything else in README.md is kept byte for byte.

    Regions: ``dataset-overview`` (version, hashes, gold coverage, configs, how to rebuild),
    ``dataset-loading`` (loading examples for each config), ``dataset-features`` (a table of
    the features of each config), ``dataset-splits`` (split sizes), ``dataset-labels`` (label
    inventory with counts), ``dataset-ner`` (tokenizer, rows, alignment report),
    ``dataset-provenance`` (the Responsible-AI statements of ``sgie.dataset.provenance``).

What it does not do
    No file I/O; no numbers of its own (everything is counted from the rows it is given).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import yaml
from datasets import ClassLabel, List, Value

from sgie import schema
from sgie.annotations.store import ANNOTATORS
from sgie.corpus.manifest import SPLITS
from sgie.dataset import provenance
from sgie.dataset.features import CONFIG_LIST, DEFAULT_CONFIG
from sgie.dataset.ner import BIO_NAMES
from sgie.dataset.rows import Rows
from sgie.dataset.tokenize import TOKEN_PATTERN
from sgie.dataset.version import CHANGELOG_FILE, ContentHashes

REGIONS: tuple[str, ...] = (
    "dataset-overview", "dataset-loading", "dataset-features", "dataset-splits",
    "dataset-labels", "dataset-ner", "dataset-provenance",
)  # fmt: skip
BEGIN, END = "<!-- sgie:begin {} -->", "<!-- sgie:end {} -->"


@dataclass(frozen=True)
class SplitStats:
    num_examples: int
    num_bytes: int  # Arrow in-memory size (datasets' num_bytes)
    file_bytes: int  # Parquet file size


@dataclass(frozen=True)
class CardData:
    version: str
    hashes: ContentHashes
    splits: Mapping[str, Mapping[str, SplitStats]]  # config -> split -> stats
    rows: Rows


def data_path(config: str, split: str) -> str:
    return f"data/{config}/{split}.parquet"


def built_splits(card: CardData, config: str) -> tuple[str, ...]:
    """The splits of ``config`` that have rows (``datasets`` refuses a split with no data, so
    an empty split gets no file and is not declared; a config with no rows at all -- e.g.
    ``entities`` before any gold exists -- is left out of the card until it has some)."""
    return tuple(s for s in SPLITS if card.splits[config][s].num_examples > 0)


# --------------------------------------------------------------------------------------------
# Front matter
# --------------------------------------------------------------------------------------------
def front_matter_data(card: CardData) -> dict:
    configs, infos = [], []
    for c in CONFIG_LIST:
        splits = built_splits(card, c.name)
        if not splits:
            continue
        entry: dict = {"config_name": c.name}
        if c.name == DEFAULT_CONFIG:
            entry["default"] = True
        entry["data_files"] = [{"split": s, "path": data_path(c.name, s)} for s in splits]
        configs.append(entry)
        stats = card.splits[c.name]
        infos.append({
            "config_name": c.name,
            "features": c.features._to_yaml_list(),
            "splits": [{"name": s, "num_bytes": stats[s].num_bytes,
                        "num_examples": stats[s].num_examples} for s in splits],
            "download_size": sum(stats[s].file_bytes for s in splits),
            "dataset_size": sum(stats[s].num_bytes for s in splits),
        })  # fmt: skip
    return {
        "pretty_name": provenance.TITLE,
        "language": ["en"],
        "license": "other",
        "license_name": "sgie-mixed",
        "license_link": "DATASHEET.md",
        "annotations_creators": ["machine-generated"],
        "language_creators": ["found"],
        "multilinguality": ["monolingual"],
        "size_categories": ["n<1K"],
        "source_datasets": ["original"],
        "task_categories": ["token-classification", "text-classification"],
        "task_ids": ["named-entity-recognition"],
        "tags": ["information-extraction", "attribution", "quotation-extraction", "news",
                 "security-guarantees"],  # fmt: skip
        "sgie": {
            "version": card.version,
            "schema_version": schema.SCHEMA_VERSION,
            "gold_sha256": card.hashes.gold,
            "annotations_sha256": card.hashes.annotations,
            "corpus_sha256": card.hashes.corpus,
            "changelog": CHANGELOG_FILE,
        },
        "configs": configs,
        "dataset_info": infos,
    }


def front_matter(card: CardData) -> str:
    """The YAML between the ``---`` lines (deterministic: fixed key order, no flow style)."""
    return yaml.safe_dump(front_matter_data(card), sort_keys=False, allow_unicode=True,
                          default_flow_style=False, width=100)  # fmt: skip


def split_front_matter(readme: str) -> tuple[str | None, str]:
    """(YAML text or None, the rest of README.md)."""
    if readme.startswith("---\n"):
        end = readme.find("\n---\n", 4)
        if end != -1:
            return readme[4 : end + 1], readme[end + 5 :]
    return None, readme


# --------------------------------------------------------------------------------------------
# Regions
# --------------------------------------------------------------------------------------------
def type_name(feature: object) -> str:
    """A short human-readable name of a ``datasets`` feature type."""
    if isinstance(feature, ClassLabel):
        names = feature.names
        shown = ", ".join(names) if len(names) <= 12 else ", ".join(names[:5]) + ", ..."
        return f"ClassLabel({shown})"
    if isinstance(feature, List):
        return f"list of {type_name(feature.feature)}"
    if isinstance(feature, dict):
        return "{" + ", ".join(feature) + "}"
    if isinstance(feature, Value):
        return feature.dtype
    return type(feature).__name__


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _total(card: CardData, config: str) -> int:
    return sum(card.splits[config][s].num_examples for s in SPLITS)


def region_overview(card: CardData) -> str:
    docs = [r for s in SPLITS for r in card.rows.by_config["documents"][s]]
    gold = sorted(str(r["id"]) for r in docs if r["annotated"])
    coverage = (f"{len(gold)} of {len(docs)} documents ({', '.join(gold)})" if gold
                else f"none of the {len(docs)} documents yet (the gold layers are empty lists)")  # fmt: skip
    lines = [
        "## Hugging Face dataset",
        "",
        f"Dataset version **{card.version}** (schema {schema.SCHEMA_VERSION}); changes are listed "
        f"in [{CHANGELOG_FILE}]({CHANGELOG_FILE}). Gold annotations: {coverage}.",
        "",
        f"- gold sha256: `{card.hashes.gold}`",
        f"- all passes (a, b, gold) sha256: `{card.hashes.annotations}`",
        f"- corpus sha256: `{card.hashes.corpus}`",
        "",
        "The dataset at the repository root (this card's YAML header, `data/<config>/<split>.parquet`, "
        "`croissant.json`) is generated by `sgie build` from `corpus/` and "
        "`annotations/export.json` only; `sgie build --check` exits 1 if a fresh build would "
        "change any committed file. No loading script: `datasets.load_dataset` reads the "
        "Parquet files with the features declared in the YAML header.",
        "",
        "| config | rows | what |",
        "| --- | ---: | --- |",
        *(f"| `{c.name}`{' (default)' if c.name == DEFAULT_CONFIG else ''} | {_total(card, c.name)} "
          f"| {_cell(c.description)} |" for c in CONFIG_LIST),  # fmt: skip
    ]
    return "\n".join(lines)


def region_loading(card: CardData) -> str:
    def split_of(config: str, prefer: str) -> str | None:
        splits = built_splits(card, config)
        return prefer if prefer in splits else (splits[0] if splits else None)

    flat = []
    for config, comment in (("entities", "one row per mention"),
                            ("proposals", "with their arguments"),
                            ("attributions", "cue / source / content")):  # fmt: skip
        split = split_of(config, "train")
        if split is None:
            flat.append(f"# {config}: declared once the gold has {config} ({comment})")
        else:
            call = f'{config} = load_dataset(SGIE, "{config}", split="{split}")'
            flat.append(f"{call:<66}# {comment}")
    lines = [
        "```python",
        "from datasets import concatenate_datasets, load_dataset",
        "",
        'SGIE = "path/to/a/clone/of/this/repository"  # works offline (HF_HUB_OFFLINE=1)',
        "",
        'docs = load_dataset(SGIE)                      # config "documents": train / validation / test',
        'doc = docs["test"][0]',
        'labels = docs["test"].features["entities"].feature["label"].names',
        'for e in doc["entities"]:                      # spans: half-open code-point offsets',
        '    assert doc["text"][e["start"]:e["end"]] == e["text"]',
        '    print(labels[e["label"]], e["text"])',
        "",
        *flat,
        "",
        'ner = load_dataset(SGIE, "ner", split="test")                     # CoNLL-style paragraphs',
        'tag_names = ner.features["ner_tags"].feature.names                # "O", "B-PERSON", ...',
        'gold_rows = ner.filter(lambda r: r["annotated"])                  # documents with gold',
        "",
        'passes = load_dataset(SGIE, "annotators", split="test")           # a, b and gold per document',
        'a_only = passes.filter(lambda r: r["annotator"] == 0)             # 0=a, 1=b, 2=gold',
        "",
        "# Leave-one-group-out cross-validation over all documents (fold k tests group k):",
        "every = concatenate_datasets(list(load_dataset(SGIE).values()))",
        'folds = load_dataset(SGIE, "folds", split="train")                # id, split, group, fold',
        'for k in range(folds[0]["num_folds"]):',
        '    train = every.filter(lambda r: r["fold"] != k)',
        '    test = every.filter(lambda r: r["fold"] == k)',
        "```",
    ]
    return "### Loading\n\n" + "\n".join(lines)


def region_features(card: CardData) -> str:
    lines = ["### Features", "",
             "ClassLabel columns hold integer ids; their names are in the features "
             "(`dataset.features[...]`), taken from `sgie.schema`."]  # fmt: skip
    for c in CONFIG_LIST:
        lines += ["", f"#### `{c.name}`", "", "| column | type | description |", "| --- | --- | --- |"]
        lines += [f"| `{col.name}` | {_cell(type_name(col.feature))} | {_cell(col.description)} |"
                  for col in c.columns]  # fmt: skip
    return "\n".join(lines)


def region_splits(card: CardData) -> str:
    lines = ["### Split sizes", "",
             "Rows per config and split (declared in the YAML header and verified by `datasets`).",
             "", "| config | " + " | ".join(SPLITS) + " | total |",
             "| --- | " + " | ".join("---:" for _ in SPLITS) + " | ---: |"]  # fmt: skip
    for c in CONFIG_LIST:
        n = [card.splits[c.name][s].num_examples for s in SPLITS]
        lines.append(f"| `{c.name}` | " + " | ".join(map(str, n)) + f" | {sum(n)} |")
    lines += ["", "A split with 0 rows has no file and is not declared (`datasets` cannot load an "
              "empty split); a config with no rows is not declared until it has some."]  # fmt: skip
    return "\n".join(lines)


def _counts(rows: list[dict]) -> dict[str, Counter]:
    c: dict[str, Counter] = {k: Counter() for k in ("label", "type", "status", "polarity", "role",
                                                    "quote_type", "source_type")}  # fmt: skip
    for r in rows:
        for e in r["entities"]:
            c["label"][e["label"]] += 1
        for p in r["proposals"]:
            for key in ("type", "status", "polarity"):
                c[key][p[key]] += 1
            for a in p["arguments"]:
                c["role"][a["role"]] += 1
        for a in r["attributions"]:
            c["quote_type"][a["quote_type"]] += 1
            c["source_type"][a["source_type"]] += 1
    return c


def region_labels(card: CardData) -> str:
    gold = {s: _counts(list(card.rows.by_config["documents"][s])) for s in SPLITS}
    every = [r for s in SPLITS for r in card.rows.by_config["annotators"][s]]
    passes = {name: _counts([r for r in every if r["annotator"] == name]) for name in ANNOTATORS}
    inventories = (
        ("Entity labels (`label`)", "label", schema.ENTITY_LABELS),
        ("Proposal types (`type`)", "type", schema.PROPOSAL_TYPE.value_names),
        ("Proposal statuses (`status`)", "status", schema.PROPOSAL_STATUS.value_names),
        ("Proposal polarities (`polarity`)", "polarity", schema.PROPOSAL_POLARITY.value_names),
        ("Argument roles (`role`)", "role", schema.ROLE_NAMES),
        ("Quote types (`quote_type`)", "quote_type", schema.QUOTE_TYPE.value_names),
        ("Source types (`source_type`)", "source_type", schema.SOURCE_TYPE.value_names),
    )
    lines = ["### Label inventory", "",
             "Every label and attribute value of the schema with its gold count per split, and "
             "the totals of the independent passes a and b (counted by `sgie build`)."]  # fmt: skip
    for title, key, names in inventories:
        lines += ["", f"#### {title}", "",
                  "| value | " + " | ".join(SPLITS) + " | gold total | a | b |",
                  "| --- | " + " | ".join("---:" for _ in SPLITS) + " | ---: | ---: | ---: |"]  # fmt: skip
        for name in names:
            per = [gold[s][key][name] for s in SPLITS]
            a, b = passes["a"][key][name], passes["b"][key][name]
            lines.append(f"| `{name}` | " + " | ".join(map(str, per)) + f" | {sum(per)} | {a} | {b} |")
    return "\n".join(lines)


def region_ner(card: CardData) -> str:
    pattern = "\n".join(line for line in TOKEN_PATTERN.strip("\n").splitlines())
    bad = card.rows.misaligned
    lines = [
        "### The `ner` config",
        "",
        "Rows are **paragraphs**: the non-blank lines of a document (split on `\\n`), trimmed "
        "of surrounding whitespace. Every headline, byline, dateline and paragraph of the corpus "
        "is one line, so the cut is exact and needs no sentence splitter (which would be "
        "unreliable on `U.S.`, quotations and the machine-translated document 003). Every "
        "document has rows; `annotated` is false (and every tag `O`, which is not gold) for "
        "documents whose gold entity layer is not in the export yet. `token_starts`/`token_ends` are "
        "offsets into the row's `text`; add the row's `start` for document offsets.",
        "",
        "Tokens are the matches, left to right, of this Python regular expression "
        "(`re.VERBOSE`, Unicode `\\w`; `sgie.dataset.tokenize`):",
        "",
        "```text",
        pattern,
        "```",
        "",
        f"`ner_tags` is a ClassLabel sequence over {len(BIO_NAMES)} BIO tags: "
        + ", ".join(f"`{n}`" for n in BIO_NAMES) + ". Decoding the tags (a `B-X` opens a span, "
        "`I-X` continues it) gives back exactly the gold entity spans that start and end on "
        "token boundaries inside one paragraph.",
        "",
    ]
    if not bad:
        lines.append("Gold entities that are not token-aligned (left untagged): none.")
    else:
        lines += [f"Gold entities that are not token-aligned ({len(bad)}; left untagged here, "
                  "they stay in the `documents` and `entities` configs):", "",
                  "| document | entity | label | text | reason |",
                  "| --- | --- | --- | --- | --- |"]  # fmt: skip
        lines += [f"| {m.doc_id} | {m.entity_id} | {m.label} | {_cell(repr(m.text))} "
                  f"| {_cell(m.reason)} |" for m in bad]  # fmt: skip
    return "\n".join(lines)


def region_provenance(card: CardData) -> str:
    p = provenance
    items = (
        ("Data collection", p.DATA_COLLECTION),
        ("Source texts and copyright", p.SOURCE_TEXTS),
        ("License", p.LICENSE),
        ("Annotation", " ".join(p.ANNOTATION_PROTOCOL)),
        ("Annotation platform", " ".join(p.ANNOTATION_PLATFORM)),
        ("Annotations per item", p.ANNOTATIONS_PER_ITEM),
        ("Machine annotation", " ".join(p.MACHINE_ANNOTATION_TOOLS)),
        ("Limitations", " ".join(p.DATA_LIMITATIONS)),
        ("Biases", " ".join(p.DATA_BIASES)),
        ("Personal and sensitive information", " ".join(p.PERSONAL_SENSITIVE_INFORMATION)),
        ("Use cases", " ".join(p.DATA_USE_CASES)),
        ("Test-split contamination", p.CONTAMINATION),
        ("Maintenance", p.MAINTENANCE),
    )
    lines = ["### Provenance and responsible use", "",
             "The same statements are in `croissant.json` (Croissant RAI fields).", ""]  # fmt: skip
    lines += [f"- **{title}.** {text}" for title, text in items]
    return "\n".join(lines)


RENDERERS = {
    "dataset-overview": region_overview,
    "dataset-loading": region_loading,
    "dataset-features": region_features,
    "dataset-splits": region_splits,
    "dataset-labels": region_labels,
    "dataset-ner": region_ner,
    "dataset-provenance": region_provenance,
}


def replace_region(text: str, name: str, content: str) -> str:
    """``text`` with region ``name`` holding ``content`` (appended at the end if absent)."""
    begin, end = BEGIN.format(name), END.format(name)
    block = f"{begin}\n{content.rstrip(chr(10))}\n{end}"
    i = text.find(begin)
    if i == -1:
        return text.rstrip("\n") + "\n\n" + block + "\n"
    j = text.find(end, i)
    if j == -1:
        raise ValueError(f"README.md region {name!r} has no end marker {end!r}")
    return text[:i] + block + text[j + len(end) :]


def render_readme(readme: str, card: CardData) -> str:
    """README.md with the generated front matter and regions (see the module docstring)."""
    _, body = split_front_matter(readme)
    for name in REGIONS:
        body = replace_region(body, name, RENDERERS[name](card))
    return f"---\n{front_matter(card)}---\n{body}"
