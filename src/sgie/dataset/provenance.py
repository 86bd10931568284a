"""Provenance and Responsible-AI statements about SGIE, in one place.

What it does
    Holds, as constants, the truthful, concise texts that describe how the data was collected
    and annotated, what it may and may not be used for, and who owns the source texts. They are
    written into ``croissant.json`` (the Croissant RAI 1.0 fields) and the dataset card by
    ``sgie build``; DATASHEET.md is tested against them, so the statements exist once.

    Facts stated here: the corpus is five English-language news texts supplied to the project
    as seed files and committed byte-for-byte; every annotation was produced by AI model
    sessions -- two independent annotator sessions (``a``, ``b``) given only the guidelines,
    the schema and the texts, and an adjudication session that produced the gold -- in Label
    Studio format and round-tripped through a real Label Studio server; there were no human
    annotators; the texts are copyrighted news (AFP wire copy republished by Space Media
    Network sites, and others as printed).

What it does not do
    No I/O; no per-document facts (those come from the manifest into the data itself).
"""

from __future__ import annotations

from sgie import schema

NAME = "SGIE"
TITLE = "SGIE: Security Guarantees Information Extraction"
DESCRIPTION = (
    "A small news information-extraction dataset about security guarantees (Ukraine "
    "2025-2026, and the EU's mutual-assistance clause, Article 42.7, in 2015): five English "
    "news documents annotated for entities, proposals (with proposer, executor, beneficiary "
    "and condition arguments) and attributions (cue, source and content spans, quote and "
    "source types, nesting). Offsets are half-open Python code-point offsets into the "
    "document text."
)
CREATOR = "SGIE contributors"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENSE = (
    "Annotations: CC BY 4.0. Source texts: copyright of their owners, not licensed by the "
    "project (see DATASHEET.md). Code: MIT."
)
CITATION = (
    "@misc{sgie, title = {SGIE: Security Guarantees Information Extraction}, "
    "author = {{SGIE contributors}}, note = {Dataset version as in the dataset card}}"
)
KEYWORDS: tuple[str, ...] = (
    "information extraction", "named entity recognition", "attribution extraction",
    "quotation extraction", "proposal extraction", "news", "security guarantees",
)  # fmt: skip

SOURCE_TEXTS = (
    "The texts are copyrighted news reporting and are not licensed by the project. "
    "Documents 000 and 004 are AFP wire stories as republished by Space Media Network sites "
    "(Military Space News and SpaceDaily), which print 'Copyright 1995-2024 - Space Media "
    "Network' and state that AFP, UPI and IANS news wire stories are copyright Agence "
    "France-Presse, United Press International and Indo-Asia News Service. Document 001 lists "
    "its sources as ANSA.it, Financial Times and Reuters; document 002 reports a Financial "
    "Times story according to Censor.NET; document 003 is a machine translation whose outlet "
    "is not printed. Copyright stays with the owners as printed."
)

DATA_COLLECTION = (
    "Five plain-text copies of English-language web news pages were supplied to the project "
    "as seed files and committed byte-for-byte (sha256-pinned) under corpus/raw/; how the "
    "page text was captured is not recorded. The project did not edit, correct or translate "
    "any text. Each dataset document is a page's editorial slice (from the first headline to "
    "the end of the last story body); page furniture (navigation, related links, reader "
    "appeals, copyright notices) is recorded as boilerplate with a reason and left out."
)
DATA_COLLECTION_TYPE: tuple[str, ...] = ("Secondary data: published news articles",)
DATA_PREPROCESSING = (
    "No normalisation: documents are exact code-point slices of the raw files, and the manifest "
    "maps every document offset back to its raw file (raw_start).",
)
ANNOTATION_PROTOCOL = (
    "Three layers defined by the project schema (sgie.schema) and guidelines "
    f"(annotations/GUIDELINES.md): entities ({len(schema.ENTITY_LABELS)} types), "
    "proposals with arguments, and "
    "attributions with cue, source and content spans. Two independent passes, a and b, were "
    "each made by two AI model sessions (one for documents 000-002, one for 003-004), each "
    "given only the guidelines, the schema and the document texts; a fifth session "
    "adjudicated them into the gold layer. All three passes are released (config annotators).",
)
ANNOTATION_PLATFORM = (
    "Label Studio: every pass is stored in Label Studio's JSON export format "
    "(annotations/export.json, validated by the project because the server validates nothing) "
    "and round-tripped through a real, locally run Label Studio server.",
)
ANNOTATIONS_PER_ITEM = (
    "Each document is annotated in two independent passes (a and b) and one adjudicated gold "
    "pass, each covering all three layers; the dataset card states which passes the current "
    "version holds for which documents."
)
ANNOTATOR_DEMOGRAPHICS = ("Not applicable: there were no human annotators.",)
MACHINE_ANNOTATION_TOOLS = (
    "All annotations were produced by AI model sessions (one language model): four annotator "
    "sessions (two per pass, a and b) and one adjudication session. No human annotators: "
    "no human annotated, adjudicated or checked them.",
)
DATA_LIMITATIONS = (
    "Five short documents: useful for evaluation and few-shot study, not for training; "
    "test scores have wide confidence intervals.",
    "English only, one topic and two periods; one document (003) is a noisy machine "
    "translation.",
    "Annotations are AI-generated and AI-adjudicated, not checked by human experts; the "
    "sessions may share systematic errors.",
)
DATA_BIASES = (
    "The texts come from Western, English-language outlets and wire services; other "
    "parties' positions appear only as these outlets report them.",
    "The labels reflect the guidelines' choices and the reading of AI model sessions, which "
    "may share the biases of the underlying model.",
)
PERSONAL_SENSITIVE_INFORMATION = (
    "Names and reported statements of public figures (heads of state and government, "
    "ministers, officials, spokespeople) and the names of journalists and editors printed in "
    "bylines; statements carry political opinions as attributed in the news. No data about "
    "private individuals beyond what the published articles print.",
)
DATA_USE_CASES = (
    "Evaluating information extraction on news: entity recognition, proposal and argument "
    "extraction, attribution (quotation) extraction with nested and discontinuous spans.",
    "Studying annotator disagreement: the independent passes a and b are released beside "
    "the gold.",
    "Not intended for training production systems or for drawing conclusions about the "
    "events reported.",
)
DATA_SOCIAL_IMPACT = (
    "Low: a small research benchmark of already-published news; models evaluated on it may "
    "be used to analyse political reporting, where extraction errors can misattribute "
    "statements."
)
#: What a fair test-split evaluation may and may not show a system, and which files hold
#: test-split text or annotations (the card and DATASHEET.md state it; a test checks both).
FAIR_EVALUATION = (
    "A system evaluated on the test split (documents 000 and 004) may be given each test "
    "document's text as its input, the schema, annotations/GUIDELINES.md (a corpus-independent "
    "reference whose examples are invented or come from train and validation documents), the "
    "prompts in eval/prompts/ (generated from them) and the train and validation data. It must "
    "not be shown, in a prompt, training data, retrieval index or development loop, any test-"
    "split annotation or any file that quotes or annotates the test documents beyond that input."
)
CONTAMINATED_FILES: tuple[str, ...] = (
    "annotations/CASEBOOK.md (hard cases and decision log, quoting every document)",
    "annotations/ADJUDICATION.md (the adjudication log)",
    "annotations/AGREEMENT.md and annotations/agreement.json (the agreement report)",
    "annotations/export.json (every pass, gold included)",
    "data/ (the test split of every config, and the folds config)",
    "eval/sample_gold.jsonl and eval/sample_predictions.jsonl",
    "eval/submissions/*/predictions.jsonl and eval/results/ (test-split predictions and scores)",
    "corpus/ (the raw pages and the manifest's notes on them), DATASHEET.md and this card "
    "(headlines and notes)",
)
CONTAMINATION = (
    FAIR_EVALUATION + " Files that contain test-split text or annotations: "
    + "; ".join(CONTAMINATED_FILES) + ". A test (tests/test_prompts.py) checks that "
    "annotations/GUIDELINES.md and eval/prompts/ share no eight-word sequence with a "
    "test-split page."
)
MAINTENANCE = (
    "Maintained in the project repository. Every change to the gold or the corpus is a new "
    "semantic version with a CHANGELOG.md entry naming the gold and corpus sha256 that the "
    "dataset card and croissant.json record; `sgie build` regenerates every file and CI "
    "checks that the committed files equal a fresh build."
)
