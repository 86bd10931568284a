"""The committed Label Studio config is the generated one and agrees with the schema.

Parsed with the SDK's ``LabelInterface`` (what the server-side tooling reads): every span label,
attribute value and relation label must exist in both the schema and the config, and nothing
else may. (The real server accepting the config is checked by the push tests.)
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from label_studio_sdk.label_interface import LabelInterface

from sgie import schema
from sgie.annotations.config import default_config_path, labeling_config
from sgie.cli import main


def test_committed_config_is_the_generated_one() -> None:
    assert default_config_path().read_text(encoding="utf-8") == labeling_config()


def test_config_check_command(capsys, tmp_path) -> None:
    assert main(["studio", "config", "--check"]) == 0
    stale = tmp_path / "labeling_config.xml"
    stale.write_text("<View/>\n", encoding="utf-8")
    assert main(["studio", "config", "--check", "--output", str(stale)]) == 2
    assert "sgie studio config" in capsys.readouterr().err
    assert main(["studio", "config", "--output", str(stale)]) == 0
    assert stale.read_text(encoding="utf-8") == labeling_config()


def test_labels_choices_and_relations_equal_the_schema() -> None:
    text = default_config_path().read_text(encoding="utf-8")
    interface = LabelInterface(text)
    controls = {c.name: c for c in interface.controls}
    layers = {layer.name: layer for layer in schema.LAYERS}
    attributes = {a.name: a for a in schema.ATTRIBUTES}
    assert set(controls) == set(layers) | set(attributes)
    for name, layer in layers.items():
        assert controls[name].tag == "Labels"
        assert controls[name].to_name == [schema.TEXT_NAME]
        assert list(controls[name].labels) == list(layer.labels)
    for name, attr in attributes.items():
        control = controls[name]
        assert control.tag == "Choices"
        assert control.to_name == [schema.TEXT_NAME]
        assert control.attr.get("perRegion") == "true" and control.attr.get("choice") == "single"
        assert list(control.labels) == list(attr.value_names)
    # every label value the SDK found, by its control, and nothing more
    found: dict[str, set[str]] = {}
    for by_value in interface.labels:
        for value, tag in by_value.items():
            found.setdefault(tag.parent_name, set()).add(value)
    assert found == {**{n: set(layer.labels) for n, layer in layers.items()},
                     **{n: set(a.value_names) for n, a in attributes.items()}}  # fmt: skip
    assert [o.name for o in interface.objects] == [schema.TEXT_NAME]
    # <Relation> values have no named parent control, so LabelInterface does not list them
    tree = ET.fromstring(text)
    assert [r.get("value") for r in tree.iter("Relation")] == list(schema.RELATION_LABELS)
    # each attribute is shown for regions of the label it applies to
    for view in tree.iter("View"):
        choices = view.find("Choices")
        if choices is not None:
            attr = attributes[choices.get("name")]
            assert view.get("whenLabelValue") == attr.applies_to
            assert view.get("whenTagName") == schema.LABEL_LAYER[attr.applies_to]


def test_corpus_offsets_mean_the_same_in_the_ui(corpus) -> None:
    """The labeling UI counts offsets in UTF-16 units, Python in code points: they agree only
    while no text has a character outside the Basic Multilingual Plane (e.g. an emoji)."""
    astral = {d.id: sorted({c for c in d.text if ord(c) > 0xFFFF}) for d in corpus.documents}
    assert {k: v for k, v in astral.items() if v} == {}
