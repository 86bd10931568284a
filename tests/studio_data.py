"""Hand-made annotations on real corpus texts, for the Label Studio tests (not a test module).

``synthetic_tasks(corpus)`` is a normalized store (as ``annotations/export.json`` holds it)
with annotators a, b and gold on several documents, every layer, a proposal with entity,
participant and condition arguments, attributions with a multi-part cue, a nested attribution,
non-ASCII spans, and one committed prediction -- so a round trip through a real server is
meaningful whether or not the committed export exists yet.
"""

from __future__ import annotations

from sgie.annotations.convert import doc_to_results
from sgie.annotations.store import ingest_documents, normalize_result
from sgie.corpus.manifest import Corpus
from sgie.records import Argument, Attribution, DocAnnotations, Entity, JSONObject, Proposal
from sgie.spans import Span


def find(text: str, needle: str, after: str = "") -> Span:
    """The span of ``needle`` (its first occurrence after ``after``, if given)."""
    base = text.index(after) if after else 0
    start = text.index(needle, base)
    return Span(start, start + len(needle), needle)


def doc000(text: str, variant: str) -> DocAnnotations:
    us = find(text, "United States", "The United States would lead")
    entities = [
        Entity.at("e-us", us, "GPE"),
        Entity.at("e-afp", find(text, "AFP", "seen by"), "MEDIA"),
        Entity.at("e-paris", find(text, "Paris", "ahead of"), "GPE"),
        Entity.at("e-war", find(text, "Russia-Ukraine war"), "EVENT"),
        Entity.at("e-macron", find(text, "Emmanuel Macron"), "PERSON"),
    ]
    if variant == "b":
        entities[3] = Entity.at("e-war", find(text, "Russia-Ukraine"), "EVENT")
        entities.append(Entity.at("e-zel", find(text, "Volodymyr Zelensky"), "PERSON"))
    allies = find(text, "Kyiv's allies")
    proposal = Proposal.at(
        "p1", find(text, 'would lead a "ceasefire monitoring and verification mechanism"'),
        "plan", "draft" if variant != "a" else "under_discussion", "positive",
        (
            Argument.at("proposer", allies, None),
            Argument.at("executor", us, "e-us"),
            Argument.at("condition", find(text, "if a peace deal is agreed in the Russia-Ukraine war"), None),
            *([Argument.at("beneficiary", us, "e-us")] if variant == "gold" else []),  # two roles: one
        ),                                                                     # multi-label relation
    )  # fmt: skip
    said = find(text, "said", "Kyiv's allies")
    content = find(text, text[us.start - 4 : text.index(", Kyiv's allies said")])
    a1 = Attribution("att1", (said, find(text, "seen by")), (allies,), (content,), "mixed", "group", None)
    a2 = Attribution(
        "att2", (find(text, "added", "new attack by Russia"),), (find(text, "it", "new attack by Russia"),),
        (find(text, 'Washington would also commit to "support" a European-led multinational force'),),
        "mixed", "pronoun", "att1" if variant == "gold" else None,
    )  # fmt: skip
    attributions = (a1, a2) if variant != "a" else (a1,)
    return DocAnnotations("000", tuple(entities), (proposal,), attributions)


def doc002(text: str) -> DocAnnotations:
    """Non-ASCII spans (en dash, right single quotation mark)."""
    return DocAnnotations(
        "002",
        (
            Entity.at("ft", find(text, "FT", "Ukraine –"), "MEDIA"),
            Entity.at("eu", find(text, "European countries’", "American proposal"), "NORP"),
            Entity.at("trump", find(text, "Donald Trump"), "PERSON"),
        ),
        (),
        (),
    )


def synthetic_docs(corpus: Corpus) -> dict[str, dict[str, DocAnnotations]]:
    """Annotator -> doc id -> records."""
    texts = corpus.texts()
    empty001 = DocAnnotations("001", (Entity.at("vance", find(texts["001"], "JD Vance"), "PERSON"),), (), ())
    return {
        "a": {"000": doc000(texts["000"], "a"), "002": doc002(texts["002"])},
        "b": {"000": doc000(texts["000"], "b")},
        "gold": {"000": doc000(texts["000"], "gold"), "001": empty001},
    }


def prediction_docs(corpus: Corpus) -> dict[str, DocAnnotations]:
    """Model output: entities and proposals (002: none found); attributions not attempted."""
    texts = corpus.texts()
    gold = doc000(texts["000"], "gold")
    return {"000": DocAnnotations("000", gold.entities, gold.proposals, None),
            "002": DocAnnotations("002", doc002(texts["002"]).entities, (), None)}  # fmt: skip


def synthetic_tasks(corpus: Corpus) -> list[JSONObject]:
    tasks: list[JSONObject] = []
    for name, docs in synthetic_docs(corpus).items():
        tasks = ingest_documents(tasks, corpus, name, docs)
    for task in tasks:
        if task["data"]["doc_id"] == "001":  # type: ignore[index]
            nato = find(corpus.texts()["001"], "NATO")
            pred = DocAnnotations("001", (Entity.at("m1", nato, "ORG"),), None, None)
            task["predictions"] = [{"model_version": "committed-model",
                                    "result": normalize_result(doc_to_results(pred))}]  # type: ignore[arg-type]  # fmt: skip
    return tasks
