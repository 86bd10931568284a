"""``sgie evaluate``: score predictions (a file or any extractor) against gold annotations.

Parses arguments and calls ``sgie.scoring``; the task, formats and metrics are documented in
``sgie.scoring.official``. Other input shapes (``--format``, ``--label-map``,
``--label-space``, records of other splits) are converted by ``sgie.scoring.formats`` and then
scored from memory; ``--errors`` / ``--html`` / ``--outcomes`` render the per-item outcomes
(``sgie.scoring.views``). Files are scored as a stream (``sgie.scoring.sources``), one
document in memory at a time. Bad input raises ``InputError`` (one line, exit status 2, nothing
written).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from sgie.atomic import write_text_atomic
from sgie.corpus import SPLITS
from sgie.errors import InputError, quote
from sgie.records import JSONObject
from sgie.safeio import check_not_inputs
from sgie.scoring.formats.inputs import FORMATS, Setaside, gold_in_space, in_space, read_converted
from sgie.scoring.formats.labels import LABEL_SPACES, LabelSpace, label_map, label_space
from sgie.scoring.official import evaluate_sources, one_pass_files
from sgie.scoring.report import PerDocumentWriter, format_table, write_result_json
from sgie.scoring.sources import (
    GoldFile,
    GoldMemory,
    GoldSource,
    PredictionFile,
    PredictionMemory,
    PredictionSource,
)

if TYPE_CHECKING:
    from sgie.scoring.views.errors import PlacementLine

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
                        "documents, save the predictions and score them; MODULE must be "
                        "importable from the working directory or from PYTHONPATH")  # fmt: skip
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
    p.add_argument("--format", choices=FORMATS, default="jsonl",
                   help="shape of --predictions: jsonl (the prediction format, default) or bio "
                   "(JSON Lines of {\"id\": <ner row id>, \"ner_tags\": [...]}, decoded IOB2)")  # fmt: skip
    p.add_argument("--label-map", default=None, metavar="ontonotes|conll|FILE",
                   help="map foreign entity labels into SGIE types with the published mapping "
                   "(or a JSON file {FOREIGN: SGIE or null}); labels without a counterpart are "
                   "dropped and counted")  # fmt: skip
    p.add_argument("--label-space", choices=LABEL_SPACES, default="sgie",
                   help="score entities in the coarser OntoNotes or CoNLL space (gold mapped "
                   "there too), as an off-the-shelf model was trained; default: sgie")  # fmt: skip
    p.add_argument("--errors", action="store_true",
                   help="after the table, list every error per document and layer (gold -> predicted)")
    p.add_argument("--html", type=Path, default=None, metavar="PATH",
                   help="write one self-contained HTML page: scores, entity confusion matrix, and "
                   "every document with gold and predicted annotations coloured by outcome")  # fmt: skip
    p.add_argument("--outcomes", action="store_true",
                   help="with --json: include every item's outcome per document, layer and scheme")
    p.add_argument("--per-document", action="store_true",
                   help="with --json: include every document's counts (per_document; about 8 KB "
                   "of JSON per document, and files are then scored one document at a time)")  # fmt: skip
    p.set_defaults(func=cmd_evaluate)


def _gold(args: argparse.Namespace) -> tuple[GoldSource, str, frozenset[str]]:
    """The gold source, its name, and the corpus documents outside it (for a split)."""
    if args.gold is not None:
        return GoldFile(args.gold), args.gold.stem, frozenset()
    from sgie.annotations.gold import load_gold  # only for --split
    from sgie.corpus.manifest import default_corpus_dir, load_corpus

    split = args.split or DEFAULT_SPLIT
    gold = load_gold(split, args.corpus)
    corpus = load_corpus(args.corpus or default_corpus_dir())
    return GoldMemory.of(gold), split, frozenset(d.id for d in corpus.documents) - frozenset(gold.docs)


def _inputs(args: argparse.Namespace) -> list[Path]:
    """The files the gold is read from (an output must not replace one of them)."""
    if args.gold is not None:
        return [args.gold]
    from sgie.annotations.store import EXPORT_FILE, default_annotations_dir  # only for --split
    from sgie.corpus.manifest import default_corpus_dir

    corpus = args.corpus or default_corpus_dir()
    return [*corpus.rglob("*"), default_annotations_dir() / EXPORT_FILE]


def _predictions(
    args: argparse.Namespace, gold: GoldSource, name: str, others: frozenset[str], space: LabelSpace | None
) -> tuple[PredictionSource, Setaside]:
    """The predictions source (a streamed file when nothing has to be converted) and what the
    conversion set aside."""
    setaside = Setaside()
    if args.extractor is None and args.format == "jsonl" and args.label_map is None and not others \
            and space is None:  # fmt: skip
        return PredictionFile(args.predictions, gold), setaside  # streamed: no text read here
    texts = {doc_id: gold.text(doc_id) for doc_id in gold.ids()}
    if args.extractor is not None:
        output = args.output or Path(f"predictions.{name}.jsonl")
        check_not_inputs([("--output", output)], _inputs(args))
        from sgie.scoring.extractors import load_extractor, run_extractor  # tqdm: only for --extractor

        extractor = load_extractor(args.extractor)
        jsonl, predictions = run_extractor(extractor, args.extractor, texts)
        write_text_atomic(output, jsonl)
        print(f"wrote {len(predictions.docs)} prediction records to {output}", file=sys.stderr)
    else:
        lmap = label_map(args.label_map) if args.label_map is not None else None
        predictions, setaside = read_converted(args.predictions, texts, format=args.format,
                                               label_map=lmap, other_documents=others)  # fmt: skip
    return PredictionMemory.of(in_space(predictions, space)), setaside


def cmd_evaluate(args: argparse.Namespace) -> int:
    if args.output is not None and args.extractor is None:
        raise InputError(f"'--output' is only used with --extractor (got {quote(str(args.output))})")
    if args.extractor is not None and (args.format != "jsonl" or args.label_map is not None):
        raise InputError("'--format' and '--label-map' apply to --predictions files only")
    if args.outcomes and not args.json:
        raise InputError("'--outcomes' is only used with --json (use --errors or --html for a report)")
    if args.errors and args.json:
        raise InputError("'--errors' prints text after the table; with --json use --outcomes")
    inputs = [p for p in (args.predictions, args.gold, args.output) if p is not None]
    if args.html is not None and any(args.html.resolve() == p.resolve() for p in inputs):
        raise InputError(f"'--html' must not be an input or output file (got {quote(str(args.html))})")
    gold, name, others = _gold(args)
    space = label_space(args.label_space)
    gold, gold_dropped = gold_in_space(gold, space)
    predictions, setaside = _predictions(args, gold, name, others, space)
    setaside = setaside.in_space(space, gold_dropped)
    if setaside.skipped and args.strict:
        raise InputError(f"predictions must be for documents of the scored set with --strict (got "
                         f"{len(setaside.skipped)} of other splits: {list(setaside.skipped)[:10]})",
                         file=predictions.source)  # fmt: skip
    if args.per_document and not args.json:
        raise InputError("'--per-document' is only used with --json (got --per-document alone)")
    outcomes = args.errors or args.outcomes or args.html is not None
    # per-document counts go to a temporary file, so that memory holds one document at a time
    # and nothing is printed unless every document was read and scored
    with tempfile.TemporaryFile() as spool:
        writer = PerDocumentWriter(spool) if args.per_document else None
        sink, restart = (writer.add, writer.restart) if writer else (None, None)
        if one_pass_files(gold, predictions, outcomes=outcomes, per_document=sink, restart=restart):
            import gc

            from sgie.scoring.onepass import keep_freed_memory  # process-wide: the command's to set

            keep_freed_memory()
            # what start-up made (modules, numpy's and msgspec's tables) is never garbage: the
            # collector's last walks, at exit, skip it (in a cache simulation of 10^5 spans at 20
            # per document, a ninth of the process's last-level misses were those walks)
            gc.freeze()
        result = evaluate_sources(gold, predictions, keep_per_document=False, per_document=sink,
                                  restart=restart, outcomes=outcomes)  # fmt: skip
        placements: list[PlacementLine] = []
        if result.placed or result.ungrounded:  # text-only spans (never in the one pass)
            from sgie.scoring.views.errors import placement_lines

            placements = placement_lines(result.placed, result.ungrounded)
        html = None
        if args.html is not None:
            from sgie.scoring.views.html import DocumentPage, Page, headlines, render_html

            pages = [DocumentPage(d, gold.text(d), o, [p for p in placements if p.doc_id == d])
                     for d, o in sorted(result.outcomes.items())]  # fmt: skip
            table = format_table(result, "under each document's text-only spans")
            page = Page(f"SGIE evaluation: {result.predictions_source} against {result.gold_source}",
                        headlines(result), "\n".join([table, *setaside.lines()]), pages)  # fmt: skip
            html = render_html(page)
        gold.close()
        predictions.close()
        if result.missing_documents and args.strict:
            raise InputError(
                f"predictions must cover every gold document with --strict (missing: "
                f"{quote(list(result.missing_documents))})",
                file=predictions.source,
            )  # fmt: skip
        if html is not None:  # written only once nothing more can be refused
            write_text_atomic(args.html, html)
        if args.json:
            extra: JSONObject = {"inputs": setaside.to_json()} if setaside.used else {}
            if args.outcomes:
                extra["outcomes"] = {d: o.to_json() for d, o in sorted(result.outcomes.items())}
            write_result_json(sys.stdout.buffer, result, spool if writer else None, extra)
            sys.stdout.buffer.flush()
        else:
            print(format_table(result, "under the text-only spans below" if args.errors else None))
            for line in setaside.lines():
                print(line)
            if args.errors:
                from sgie.scoring.views.errors import error_lines, format_errors, format_placements

                print()
                print(format_errors(error_lines(result.outcomes.values())))
                if placements:
                    print()
                    print(format_placements(placements))
    if args.html is not None:
        print(f"wrote {args.html} (open it in a browser)", file=sys.stderr)
    return 0
