"""``sgie evaluate``: score predictions (a file or any extractor) against gold annotations.

Parses arguments and calls ``sgie.scoring``; the task, formats and metrics are documented in
``sgie.scoring.official``. Files are scored as a stream (``sgie.scoring.sources``), one
document in memory at a time. Bad input raises ``InputError`` (one line, exit status 2, nothing
written).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from sgie.annotations.gold import load_gold
from sgie.atomic import write_text_atomic
from sgie.corpus.manifest import SPLITS
from sgie.errors import InputError
from sgie.scoring.extractors import load_extractor, run_extractor
from sgie.scoring.official import evaluate_sources
from sgie.scoring.report import PerDocumentWriter, format_table, write_result_json
from sgie.scoring.sources import (
    GoldFile,
    GoldMemory,
    GoldSource,
    PredictionFile,
    PredictionMemory,
    PredictionSource,
)

DEFAULT_SPLIT = "test"


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "evaluate",
        help="score predictions against gold annotations",
        description="Score predictions (a JSON Lines file, or the output of any extractor) "
        "against the gold annotations of a split or of a documents-format file. Formats and "
        "metrics: the docstring of sgie.scoring.official.",
    )
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--predictions", type=Path, metavar="P.jsonl",
                        help="predictions file (JSON Lines, one record per document)")
    source.add_argument("--extractor", metavar="MODULE:CALLABLE",
                        help="run callable(doc_id, text) -> prediction record over the "
                        "documents, save the predictions and score them")  # fmt: skip
    gold = p.add_mutually_exclusive_group()
    gold.add_argument("--split", choices=SPLITS, default=None,
                      help=f"score against the committed gold of this split "
                      f"(default: {DEFAULT_SPLIT})")  # fmt: skip
    gold.add_argument("--gold", type=Path, metavar="G.jsonl",
                      help="score against this documents-format file instead")  # fmt: skip
    p.add_argument("--output", type=Path, default=None, metavar="PATH",
                   help="with --extractor: where to save the predictions "
                   "(default: predictions.<split, or the --gold file's stem>.jsonl in the "
                   "working directory)")  # fmt: skip
    p.add_argument("--corpus", type=Path, default=None, help="corpus folder (for --split)")
    p.add_argument("--strict", action="store_true",
                   help="missing documents in the predictions are an error")  # fmt: skip
    p.add_argument("--json", action="store_true", help="print the full result object as JSON")
    p.add_argument("--per-document", action="store_true",
                   help="with --json: include every document's counts (per_document; about 8 KB "
                   "of JSON per document, and files are then scored one document at a time)")  # fmt: skip
    p.set_defaults(func=cmd_evaluate)


def _gold(args: argparse.Namespace) -> tuple[GoldSource, str]:
    if args.gold is not None:
        return GoldFile(args.gold), args.gold.stem
    split = args.split or DEFAULT_SPLIT
    return GoldMemory.of(load_gold(split, args.corpus)), split


def _predictions(args: argparse.Namespace, gold: GoldSource, name: str) -> PredictionSource:
    if args.extractor is None:
        return PredictionFile(args.predictions, gold)
    extractor = load_extractor(args.extractor)
    texts = {doc_id: gold.text(doc_id) for doc_id in gold.ids()}
    jsonl, predictions = run_extractor(extractor, args.extractor, texts)
    output = args.output or Path(f"predictions.{name}.jsonl")
    write_text_atomic(output, jsonl)
    print(f"wrote {len(predictions.docs)} prediction records to {output}", file=sys.stderr)
    return PredictionMemory.of(predictions)


def cmd_evaluate(args: argparse.Namespace) -> int:
    if args.output is not None and args.extractor is None:
        raise InputError(f"'--output' is only used with --extractor (got {str(args.output)!r})")
    if args.per_document and not args.json:
        raise InputError("'--per-document' is only used with --json (got --per-document alone)")
    gold, name = _gold(args)
    predictions = _predictions(args, gold, name)
    # per-document counts go to a temporary file, so that memory holds one document at a time
    # and nothing is printed unless every document was read and scored
    with tempfile.TemporaryFile() as spool:
        writer = PerDocumentWriter(spool) if args.per_document else None
        result = evaluate_sources(gold, predictions, keep_per_document=False,
                                  per_document=writer.add if writer else None)  # fmt: skip
        gold.close()
        predictions.close()
        if result.missing_documents and args.strict:
            raise InputError(
                f"predictions must cover every gold document with --strict (missing: "
                f"{list(result.missing_documents)})",
                file=predictions.source,
            )  # fmt: skip
        if args.json:
            write_result_json(sys.stdout.buffer, result, spool if writer else None)
            sys.stdout.buffer.flush()
        else:
            print(format_table(result))
    return 0
