"""Croissant 1.0 JSON-LD metadata (``croissant.json``) with the Responsible-AI fields.

What it does
    ``croissant(card, file_sha256)`` returns the JSON-LD object of the dataset:

    * dataset metadata (name, description with the version and content hashes, license,
      creator, citation, keywords, version) and the Croissant RAI 1.0 fields from
      ``sgie.dataset.provenance`` (data collection, annotation protocol and platform,
      annotations per item, annotator demographics, machine annotation tools, limitations,
      biases, personal/sensitive information, use cases, social impact, maintenance);
    * ``distribution``: one ``cr:FileObject`` per Parquet file (relative ``contentUrl``,
      sha256) and one ``cr:FileSet`` per config (``data/<config>/*.parquet``); configs and
      splits without rows have no file (``sgie.dataset.card.built_splits``) and are left out;
    * ``recordSet``: ``splits`` (``cr:Split`` enumeration of train/validation/test), one
      record set per ClassLabel vocabulary (index -> name, e.g. ``classlabel-label``), and one
      record set per config whose fields mirror the Parquet columns (lists of structs as
      repeated fields with sub-fields; ClassLabel fields reference their vocabulary) plus a
      ``split`` field read from the file path.

    ``dumps(obj)`` is the deterministic text form (sorted keys are not used: key order is the
    construction order; two-space indent, final newline).

What it does not do
    No validation (tests validate with ``mlcroissant``), no I/O.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from datasets import ClassLabel, List, Value

from sgie.corpus.manifest import SPLITS
from sgie.dataset import provenance as p
from sgie.dataset.card import CardData, built_splits, data_path
from sgie.dataset.features import CONFIG_LIST, Config
from sgie.dataset.version import RELEASE_DATE

CONFORMS_TO = "http://mlcommons.org/croissant/1.0"
PARQUET = "application/x-parquet"

CONTEXT = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}


def _vocab_id(column: str) -> str:
    return f"classlabel-{column}"


def _vocabularies() -> dict[str, ClassLabel]:
    """One vocabulary per ClassLabel column name (same name -> same names in every config)."""
    found: dict[str, ClassLabel] = {}

    def visit(name: str, feature: object) -> None:
        if isinstance(feature, ClassLabel):
            if name in found and found[name].names != feature.names:
                raise ValueError(f"ClassLabel {name!r} has two vocabularies")
            found[name] = feature
        elif isinstance(feature, List):
            visit(name, feature.feature)
        elif isinstance(feature, dict):
            for key, sub in feature.items():
                visit(key, sub)

    for c in CONFIG_LIST:
        for col in c.columns:
            visit(col.name, col.feature)
    return dict(sorted(found.items()))


def _vocab_record_set(name: str, label: ClassLabel) -> dict[str, object]:
    rid = _vocab_id(name)
    return {
        "@type": "cr:RecordSet",
        "@id": rid,
        "name": rid,
        "description": f"The names of the ClassLabel `{name}`: index -> name.",
        "key": {"@id": f"{rid}/index"},
        "field": [
            {"@type": "cr:Field", "@id": f"{rid}/index", "name": "index", "dataType": "sc:Integer"},
            {"@type": "cr:Field", "@id": f"{rid}/name", "name": "name", "dataType": "sc:Text"},
        ],
        "data": [{f"{rid}/index": i, f"{rid}/name": n} for i, n in enumerate(label.names)],
    }


def _data_type(feature: object) -> str:
    if isinstance(feature, ClassLabel):
        return "sc:Integer"
    if isinstance(feature, Value):
        if feature.dtype.startswith("int"):
            return "sc:Integer"
        if feature.dtype == "bool":
            return "sc:Boolean"
        return "sc:Text"
    raise TypeError(f"no Croissant data type for {feature!r}")


def _field(field_id: str, name: str, feature: object, file_set: str, column: str,
           path: tuple[str, ...], description: str, in_list: bool = False) -> dict[str, object]:  # fmt: skip
    repeated = isinstance(feature, List)
    inner = feature.feature if isinstance(feature, List) else feature
    out: dict[str, object] = {"@type": "cr:Field", "@id": field_id, "name": name, "description": description}
    if isinstance(inner, dict):
        # mlcroissant reads one level of lists of structs; a list inside a list (a proposal's
        # arguments, an attribution's spans inside `documents`) is left to the flat configs.
        nested = [k for k, sub in inner.items() if repeated and isinstance(sub, List)]
        if nested:
            out["description"] = (f"{description} (nested lists {', '.join(nested)}: see the "
                                  f"record set `{column}`)")  # fmt: skip
        out["subField"] = [
            _field(f"{field_id}/{key}", key, sub, file_set, column, (*path, key),
                   f"`{key}` of `{name}`", in_list or repeated)  # fmt: skip
            for key, sub in inner.items() if key not in nested
        ]
    else:
        out["dataType"] = _data_type(inner)
        source: dict[str, object] = {"fileSet": {"@id": file_set}, "extract": {"column": column}}
        if path:
            source["transform"] = {"jsonPath": ".".join(path)}
        out["source"] = source
        if isinstance(inner, ClassLabel):
            out["references"] = {"field": {"@id": f"{_vocab_id(name)}/index"}}
    if repeated:
        out["repeated"] = True
    return out


def _config_record_set(config: Config) -> dict[str, object]:
    file_set = f"files-{config.name}"
    split_field = {
        "@type": "cr:Field",
        "@id": f"{config.name}/split",
        "name": "split",
        "description": "The split of the row (from the file path).",
        "dataType": "sc:Text",
        "references": {"field": {"@id": "splits/name"}},
        "source": {"fileSet": {"@id": file_set}, "extract": {"fileProperty": "fullpath"},
                   "transform": {"regex": r"^(?:.*/)?(train|validation|test)(?:\.parquet)?$"}},
    }  # fmt: skip
    has_split = any(col.name == "split" for col in config.columns)
    fields = ([] if has_split else [split_field]) + [
        _field(f"{config.name}/{col.name}", col.name, col.feature, file_set, col.name, (),
               col.description)  # fmt: skip
        for col in config.columns
    ]
    return {"@type": "cr:RecordSet", "@id": config.name, "name": config.name,
            "description": config.description, "field": fields}  # fmt: skip


def croissant(card: CardData, file_sha256: Mapping[str, str]) -> dict[str, object]:
    """The Croissant JSON-LD object (see the module docstring)."""
    configs = [c for c in CONFIG_LIST if built_splits(card, c.name)]
    distribution: list[dict[str, object]] = []
    for c in configs:
        for s in built_splits(card, c.name):
            path = data_path(c.name, s)
            distribution.append({"@type": "cr:FileObject", "@id": f"{c.name}-{s}", "name": f"{c.name}-{s}",
                                 "description": f"Config `{c.name}`, split `{s}`.", "contentUrl": path,
                                 "encodingFormat": PARQUET, "sha256": file_sha256[path]})  # fmt: skip
    for c in configs:
        distribution.append({"@type": "cr:FileSet", "@id": f"files-{c.name}", "name": f"files-{c.name}",
                             "description": f"The Parquet files of config `{c.name}`.",
                             "encodingFormat": PARQUET, "includes": f"data/{c.name}/*.parquet"})  # fmt: skip
    splits = {
        "@type": "cr:RecordSet", "@id": "splits", "name": "splits", "dataType": "cr:Split",
        "description": "The fixed, group-aware splits.", "key": {"@id": "splits/name"},
        "field": [{"@type": "cr:Field", "@id": "splits/name", "name": "name", "dataType": "sc:Text"},
                  {"@type": "cr:Field", "@id": "splits/url", "name": "url", "dataType": "sc:URL"}],
        "data": [{"splits/name": s, "splits/url": f"cr:{k}"} for s, k in
                 zip(SPLITS, ("TrainingSplit", "ValidationSplit", "TestSplit"))],
    }  # fmt: skip
    record_sets = [splits, *(_vocab_record_set(n, cl) for n, cl in _vocabularies().items()),
                   *(_config_record_set(c) for c in configs)]  # fmt: skip
    h = card.hashes
    description = (f"{p.DESCRIPTION} Dataset version {card.version}; gold sha256 {h.gold}; "
                   f"all passes sha256 {h.annotations}; corpus sha256 {h.corpus}.")  # fmt: skip
    return {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": CONFORMS_TO,
        "name": p.NAME,
        "alternateName": p.TITLE,
        "description": description,
        "version": card.version,
        "datePublished": RELEASE_DATE,
        "license": {"@type": "sc:CreativeWork", "name": p.LICENSE, "url": p.LICENSE_URL},
        "creator": {"@type": "sc:Organization", "name": p.CREATOR},
        "citeAs": p.CITATION,
        "keywords": list(p.KEYWORDS),
        "inLanguage": ["en"],
        "isLiveDataset": False,
        "rai:dataCollection": p.DATA_COLLECTION,
        "rai:dataCollectionType": list(p.DATA_COLLECTION_TYPE),
        "rai:dataPreprocessingProtocol": list(p.DATA_PREPROCESSING),
        "rai:dataAnnotationProtocol": list(p.ANNOTATION_PROTOCOL),
        "rai:dataAnnotationPlatform": list(p.ANNOTATION_PLATFORM),
        "rai:annotationsPerItem": p.ANNOTATIONS_PER_ITEM,
        "rai:annotatorDemographics": list(p.ANNOTATOR_DEMOGRAPHICS),
        "rai:machineAnnotationTools": list(p.MACHINE_ANNOTATION_TOOLS),
        "rai:dataLimitations": list(p.DATA_LIMITATIONS),
        "rai:dataBiases": list(p.DATA_BIASES),
        "rai:personalSensitiveInformation": list(p.PERSONAL_SENSITIVE_INFORMATION),
        "rai:dataUseCases": list(p.DATA_USE_CASES),
        "rai:dataSocialImpact": p.DATA_SOCIAL_IMPACT,
        "rai:dataReleaseMaintenancePlan": p.MAINTENANCE,
        "distribution": distribution,
        "recordSet": record_sets,
    }


def dumps(obj: dict[str, object]) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2) + "\n"
