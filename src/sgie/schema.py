"""The SGIE annotation schema: the single source of truth for every label, attribute and relation.

What it does
    Defines, as immutable data, the three annotation layers of SGIE --
    entities, proposals and attributions -- with every span label, every per-region attribute
    and its allowed values, and every relation label (argument roles and attribution links).
    Everything else is derived from or tested against this module:

    * ``annotations/labeling_config.xml`` (the Label Studio interface) is generated from it
      (``sgie.annotations.config``) and a test checks the committed file is up to date;
    * ``annotations/GUIDELINES.md`` is tested to define and exemplify every label and value here;
    * the dataset features (ClassLabel names) and the scorer's accepted values come from here;
    * the published mapping of SGIE entity types to OntoNotes 5.0 (18 types) and CoNLL-2003
      (4 types) lives here, so off-the-shelf NER systems can be scored.

What it does not do
    No I/O, no validation of documents (see ``sgie.records``), no Label Studio calls.

Inputs / outputs
    None; import the constants.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import msgspec

SCHEMA_VERSION = "1.0.0"


class Value(msgspec.Struct, frozen=True):
    """One allowed value of a label set or attribute, with a one-line definition."""

    name: str
    definition: str


class EntityType(msgspec.Struct, frozen=True):
    """An entity type with its mappings to the OntoNotes 5.0 and CoNLL-2003 type sets.

    ``ontonotes`` and ``conll`` name the closest type in those inventories (``None``: no
    counterpart; such gold mentions are out of reach for that system family).
    """

    name: str
    definition: str
    ontonotes: str | None
    conll: str | None


class Attribute(msgspec.Struct, frozen=True):
    """A per-region attribute (a Label Studio ``Choices`` with ``perRegion``)."""

    name: str
    applies_to: str  # the span label whose regions carry it
    values: tuple[Value, ...]
    definition: str

    @property
    def value_names(self) -> tuple[str, ...]:
        return tuple(v.name for v in self.values)


class RelationLabel(msgspec.Struct, frozen=True):
    """A labelled, directed Label Studio relation between two regions."""

    name: str
    from_labels: tuple[str, ...]
    to_labels: tuple[str, ...]
    definition: str


# --------------------------------------------------------------------------------------------
# Layer 1: entities
# --------------------------------------------------------------------------------------------
ENTITY_TYPES: tuple[EntityType, ...] = (
    EntityType("PERSON", "A named individual person (also a surname alone).", "PERSON", "PER"),
    EntityType(
        "ORG",
        "A named organisation that is not a media outlet or an armed force: governments' "
        "bodies, ministries, alliances, international organisations, companies.",
        "ORG",
        "ORG",
    ),
    EntityType(
        "MEDIA",
        "A named news outlet, news agency, or publisher (Financial Times, Reuters, Censor.NET).",
        "ORG",
        "ORG",
    ),
    EntityType(
        "MILITARY",
        "A named or uniquely identified armed force or military unit (the Ukrainian army, "
        "the Royal Navy, the Air Force).",
        "ORG",
        "ORG",
    ),
    EntityType(
        "GPE",
        "A geopolitical entity: country, city, state, or union of states acting as a "
        "polity, including metonymic uses (Washington, Kyiv, Moscow, the EU as a bloc of states).",
        "GPE",
        "LOC",
    ),
    EntityType(
        "LOC",
        "A named non-political location or facility: seas, regions, provinces named as "
        "geography, buildings (the Black Sea, the Alps, the Oval Office).",
        "LOC",
        "LOC",
    ),
    EntityType(
        "NORP",
        "A nationality, religious or political group named as such (Europeans, Ukrainian, "
        "French, Western as in Western forces).",
        "NORP",
        "MISC",
    ),
    EntityType(
        "LAW",
        "A named treaty, legal instrument or provision (Article 5, the Geneva Conventions, "
        "the Monroe Doctrine as a doctrine).",
        "LAW",
        "MISC",
    ),
    EntityType(
        "EVENT",
        "A named or uniquely referenced event (the Korean War, the Cuban Missile Crisis, "
        "the Munich Security Conference).",
        "EVENT",
        "MISC",
    ),
    EntityType(
        "EQUIPMENT",
        "Named military equipment, weapon systems, vessels, aircraft models (Patriot, the "
        "Moskva, HIMARS, F-16).",
        "PRODUCT",
        "MISC",
    ),
    EntityType(
        "QUANTITY",
        "A counted quantity of troops, people, forces or materiel: the number expression "
        "with its counted noun (tens of thousands of troops, 3,000-5,000 troops).",
        "CARDINAL",
        None,
    ),
)

ENTITY_LABELS: tuple[str, ...] = tuple(t.name for t in ENTITY_TYPES)

#: OntoNotes 5.0 type -> SGIE type, used to score off-the-shelf OntoNotes-style NER.
#: Where several SGIE types map to one OntoNotes type (ORG), the most general SGIE type is
#: chosen. FAC has no SGIE type of its own and maps to LOC. Types absent here are dropped.
ONTONOTES_TO_SGIE: Mapping[str, str] = MappingProxyType(
    {
        "PERSON": "PERSON",
        "ORG": "ORG",
        "GPE": "GPE",
        "LOC": "LOC",
        "FAC": "LOC",
        "NORP": "NORP",
        "LAW": "LAW",
        "EVENT": "EVENT",
        "PRODUCT": "EQUIPMENT",
        "CARDINAL": "QUANTITY",
    }
)

#: The 18 OntoNotes 5.0 named-entity types (for validation of the mapping).
ONTONOTES_TYPES: tuple[str, ...] = (
    "PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW",
    "LANGUAGE", "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL",
)  # fmt: skip

#: The 4 CoNLL-2003 types.
CONLL_TYPES: tuple[str, ...] = ("PER", "ORG", "LOC", "MISC")

#: CoNLL-2003 type -> SGIE type, used to score off-the-shelf CoNLL-style NER. Each CoNLL type
#: covers several SGIE types; the one chosen is the most general (ORG) or the most frequent in
#: news of this kind (LOC: countries and cities, i.e. GPE; MISC: nationalities, i.e. NORP), so
#: that mapping back with ``EntityType.conll`` gives the CoNLL type again.
CONLL_TO_SGIE: Mapping[str, str] = MappingProxyType(
    {"PER": "PERSON", "ORG": "ORG", "LOC": "GPE", "MISC": "NORP"}
)

# --------------------------------------------------------------------------------------------
# Layer 2: proposals
# --------------------------------------------------------------------------------------------
PROPOSAL = "PROPOSAL"
CONDITION = "CONDITION"
PARTICIPANT = "PARTICIPANT"

PROPOSAL_LABELS: tuple[Value, ...] = (
    Value(
        PROPOSAL,
        "A plan, offer, pledge, commitment, demand or request, option put forward, or "
        "explicit refusal concerning future action.",
    ),
    Value(CONDITION, "A stated condition on which a proposal depends."),
    Value(
        PARTICIPANT,
        "A mention that fills a proposal argument role and is not itself an entity mention "
        "(European nations, NATO members, neutral peacekeepers).",
    ),
)

PROPOSAL_TYPE = Attribute(
    "proposal_type",
    PROPOSAL,
    (
        Value("plan", "A course of action being prepared or intended by its executor."),
        Value("offer", "Readiness to act put to another party, which may accept it."),
        Value("pledge", "A declared promise to act, made without a stated counterparty."),
        Value("commitment", "An undertaking presented as binding or formally entered."),
        Value("demand", "A demand, request or call on another party to act."),
        Value(
            "option",
            "An action put forward as a possibility, not as a plan or offer (could, may, "
            "might; options).",
        ),
        Value("refusal", "An explicit refusal or ruling-out of a future action."),
    ),
    "What kind of speech act or plan the proposal is.",
)

PROPOSAL_STATUS = Attribute(
    "proposal_status",
    PROPOSAL,
    (
        Value("draft", "Contained in a draft or described as pre-decisional."),
        Value(
            "under_discussion",
            "Reported as being discussed, considered, drawn up or negotiated.",
        ),
        Value(
            "offered",
            "Put forward (planned, offered, pledged, demanded or floated as an option) with no "
            "report of discussion, acceptance, rejection or withdrawal; the default.",
        ),
        Value("agreed", "Accepted, backed or agreed by the parties concerned."),
        Value("rejected", "Rejected or ruled out."),
        Value("withdrawable", "Offered but explicitly said to be open to withdrawal."),
        Value("superseded", "Reported as abandoned, dropped or replaced by a later stance."),
    ),
    "Where the proposal stands at the time of the report.",
)

PROPOSAL_POLARITY = Attribute(
    "proposal_polarity",
    PROPOSAL,
    (
        Value("positive", "The proposal is that the action be taken."),
        Value("negative", "The proposal is that the action not be taken."),
    ),
    "Whether the proposed action is to happen or not to happen.",
)

ARGUMENT_ROLES: tuple[Value, ...] = (
    Value("proposer", "Who puts the proposal forward."),
    Value("executor", "Who would carry out the proposed action."),
    Value("beneficiary", "Who the action is for or aimed at."),
    Value("condition", "The condition the proposal depends on (a CONDITION span)."),
)

# --------------------------------------------------------------------------------------------
# Layer 3: attributions
# --------------------------------------------------------------------------------------------
SOURCE = "SOURCE"
CUE = "CUE"
CONTENT = "CONTENT"

ATTRIBUTION_LABELS: tuple[Value, ...] = (
    Value(CUE, "The word(s) that signal an attribution (said, told, according to, citing)."),
    Value(SOURCE, "Who or what the content is attributed to."),
    Value(CONTENT, "What is attributed: the reported speech, thought or information."),
)

QUOTE_TYPE = Attribute(
    "quote_type",
    CUE,
    (
        Value("direct", "The content is entirely a verbatim quotation in quotation marks."),
        Value("indirect", "The content is paraphrased, with no quotation marks."),
        Value("mixed", "The content is partly quoted and partly paraphrased."),
    ),
    "How the content is reported.",
)

SOURCE_TYPE = Attribute(
    "source_type",
    CUE,
    (
        Value("named_person", "A person identified by name."),
        Value("named_organisation", "An organisation or state named as the source."),
        Value("anonymous", "Unnamed official(s) or sources (four officials, a Western official)."),
        Value("group", "A collective of states or people named as a group (Western governments)."),
        Value("document", "A document (a statement, a draft communique, a report)."),
        Value("media_outlet", "A news outlet (the Financial Times, Censor.NET)."),
        Value("pronoun", "A pronoun (he, she, it, they)."),
        Value("none", "The attribution has no source span."),
    ),
    "What kind of source the attribution has.",
)

# --------------------------------------------------------------------------------------------
# Relations (all in one Label Studio <Relations> block)
# --------------------------------------------------------------------------------------------
ARGUMENT_TARGET_LABELS: tuple[str, ...] = (*ENTITY_LABELS, PARTICIPANT)

RELATIONS: tuple[RelationLabel, ...] = (
    RelationLabel("proposer", (PROPOSAL,), ARGUMENT_TARGET_LABELS, ARGUMENT_ROLES[0].definition),
    RelationLabel("executor", (PROPOSAL,), ARGUMENT_TARGET_LABELS, ARGUMENT_ROLES[1].definition),
    RelationLabel(
        "beneficiary", (PROPOSAL,), ARGUMENT_TARGET_LABELS, ARGUMENT_ROLES[2].definition
    ),
    RelationLabel("condition", (PROPOSAL,), (CONDITION,), ARGUMENT_ROLES[3].definition),
    RelationLabel("source", (CUE,), (SOURCE,), "Links an attribution's cue to its source span."),
    RelationLabel(
        "content", (CUE,), (CONTENT,), "Links a cue to (one part of) its content span."
    ),
    RelationLabel(
        "cue", (CUE,), (CUE,), "Links an attribution's first cue region to a further cue part."
    ),
    RelationLabel(
        "nested_in",
        (CUE,),
        (CUE,),
        "Links a nested attribution's cue to the cue of the attribution it is nested in.",
    ),
)

RELATION_LABELS: tuple[str, ...] = tuple(r.name for r in RELATIONS)
ROLE_NAMES: tuple[str, ...] = tuple(r.name for r in ARGUMENT_ROLES)

ATTRIBUTES: tuple[Attribute, ...] = (
    PROPOSAL_TYPE,
    PROPOSAL_STATUS,
    PROPOSAL_POLARITY,
    QUOTE_TYPE,
    SOURCE_TYPE,
)


class Layer(msgspec.Struct, frozen=True):
    """One annotation layer: the Label Studio control name and its span labels."""

    name: str  # also the Label Studio <Labels> control name
    labels: tuple[str, ...]


LAYERS: tuple[Layer, ...] = (
    Layer("entity", ENTITY_LABELS),
    Layer("proposal", tuple(v.name for v in PROPOSAL_LABELS)),
    Layer("attribution", tuple(v.name for v in ATTRIBUTION_LABELS)),
)

#: Span label -> the layer (Label Studio control) it belongs to.
LABEL_LAYER: Mapping[str, str] = MappingProxyType(
    {label: layer.name for layer in LAYERS for label in layer.labels}
)

#: Every value name per attribute.
ATTRIBUTE_VALUES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {a.name: a.value_names for a in ATTRIBUTES}
)

#: Label Studio object (the text) name.
TEXT_NAME = "text"


def entity_type(name: str) -> EntityType:
    """The entity type called ``name`` (KeyError if there is none)."""
    for t in ENTITY_TYPES:
        if t.name == name:
            return t
    raise KeyError(name)


def relation(name: str) -> RelationLabel:
    """The relation label called ``name`` (KeyError if there is none)."""
    for r in RELATIONS:
        if r.name == name:
            return r
    raise KeyError(name)
