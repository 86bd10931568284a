"""Regenerate the example inputs of eval/examples/ (README and eval/README.md "Ways in").

Each file is a system output over all five corpus documents (so scoring one split skips and
reports the others), in the shape a typical system produces it:

* ``spacy_ontonotes.jsonl``: the raw entities of spaCy ``en_core_web_sm`` 3.8.0
  (``doc.ents``) as ``{"start", "end", "label"}`` with OntoNotes labels, nothing else: no item
  ids, no span text (score with ``--label-map ontonotes``);
* ``spacy_bio.jsonl``: the same entities, mapped to SGIE types with
  ``sgie.schema.ONTONOTES_TO_SGIE`` and written as BIO tags over the ``ner`` config's rows
  (``--format bio``); entities that do not start and end on a token boundary of
  the ``ner`` tokenizer are left out;
* ``text_only.jsonl``: the SGIE-mapped entities as ``{"text", "label"}`` only (no offsets, no ids),
  placed by the grounding rule.

Run ``python eval/examples/make_examples.py`` (needs the ``spacy`` and ``spacy-model`` extras);
the files are written only if all can be made.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from sgie import schema
from sgie.baselines.spacy_ner import load_model
from sgie.corpus.manifest import default_corpus_dir, load_corpus
from sgie.dataset.ner import TaggedSpan, encode
from sgie.scoring.formats.bio import ner_rows

HERE = Path(__file__).resolve().parent


def main() -> int:
    nlp = load_model()
    corpus = load_corpus(default_corpus_dir())
    onto, bio, text_only = [], [], []
    for doc in corpus.documents:
        record, text = {"id": doc.id}, doc.text
        ents = [(e.start_char, e.end_char, e.label_) for e in nlp(text).ents]
        onto.append({"id": record["id"],
                     "entities": [{"start": s, "end": t, "label": lab} for s, t, lab in ents]})
        mapped = [(s, t, schema.ONTONOTES_TO_SGIE[lab]) for s, t, lab in ents
                  if lab in schema.ONTONOTES_TO_SGIE]
        text_only.append({"id": record["id"],
                          "entities": [{"text": text[s:t], "label": lab} for s, t, lab in mapped]})
        for row in ner_rows(record["id"], text):
            starts, ends = {tok.start for tok in row.tokens}, {tok.end for tok in row.tokens}
            spans = [TaggedSpan(s, t, lab) for s, t, lab in mapped if s in starts and t in ends]
            bio.append({"id": row.id, "ner_tags": list(encode(row.tokens, spans))})
    outputs = {"spacy_ontonotes.jsonl": onto, "spacy_bio.jsonl": bio, "text_only.jsonl": text_only}
    for name, records in outputs.items():
        lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        (HERE / name).write_text(lines, encoding="utf-8")
        print(f"wrote {HERE / name}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
