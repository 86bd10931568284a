"""--errors and --html show where each text-only span of the predictions landed and how (exact
or normalised), and the ungrounded ones, in one place; files with offsets only are unchanged."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sgie.cli import main

TEXT = "Kyiv\u2019s allies met in Paris. Macron said Kyiv would get aid."
assert TEXT[21:26] == "Paris"  # the offsets the expected lines show


def _entity(i: int, what: str, label: str) -> dict:
    start = TEXT.index(what)
    return {"id": f"e{i}", "start": start, "end": start + len(what), "text": what, "label": label}


def _write(tmp_path: Path, predicted: list[dict]) -> tuple[Path, Path]:
    gold = tmp_path / "gold.jsonl"
    entities = [_entity(1, "Kyiv\u2019s allies", "ORG"), _entity(2, "Paris", "GPE"),
                _entity(3, "Macron", "PERSON")]  # fmt: skip
    gold.write_text(json.dumps({"id": "d1", "text": TEXT, "entities": entities}) + "\n")
    pred = tmp_path / "pred.jsonl"
    pred.write_text(json.dumps({"id": "d1", "entities": predicted}) + "\n")
    return gold, pred


TEXT_ONLY = [{"text": "Kyiv's allies", "label": "ORG"},  # straight apostrophe: normalised
             {"id": "x2", "text": "Paris", "label": "GPE"},
             {"text": "Ankara", "label": "GPE"}]  # fmt: skip


def _run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> str:
    assert main(["evaluate", *map(str, args)]) == 0
    return capsys.readouterr().out


def test_errors_list_placements_by_position_and_ungrounded_once(tmp_path, capsys):
    """Each text-only span is listed under its document with offsets and how; the ungrounded
    one is listed there and only counted in the table."""
    gold, pred = _write(tmp_path, TEXT_ONLY)
    out = _run(capsys, "--gold", gold, "--predictions", pred, "--errors")
    section = out.split("\nText-only spans (3: 1 exact, 1 normalised, 1 ungrounded)", 1)[1]
    assert section.splitlines()[2:] == [
        "document d1",
        '  ungrounded entities[2].text "Ankara" (not found in the text)',
        "  normalised entities[0].text [0:13) \"Kyiv's allies\"",
        '  exact      x2 entities[1].text [21:26) "Paris"',
    ]
    assert out.count("Ankara") == 1  # the table names the count, the section the span
    assert "ungrounded text-only spans: 1 (counted as false positives; listed under" in out


def test_errors_unchanged_without_text_only_spans(tmp_path, capsys):
    """Predictions with offsets: no placements section, the table lists nothing extra."""
    gold, pred = _write(tmp_path, [_entity(1, "Paris", "GPE")])
    out = _run(capsys, "--gold", gold, "--predictions", pred, "--errors")
    assert "Text-only spans" not in out and "placed" not in out
    assert "ungrounded text-only spans: 0 (counted as false positives)\n" in out


class _Placed(HTMLParser):
    """The predicted-side spans marked as placed (class and title) and the placements list."""

    def __init__(self) -> None:
        super().__init__()
        self.marked: list[tuple[str, str]] = []  # (class, title) of placed spans
        self.side = ""
        self.listed: list[str] = []
        self._list = False
        self._text: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section" and (a.get("id") or "").endswith("-placements"):
            self._list = True
        if tag == "li" and self._list:
            self._text = []
        classes = (a.get("class") or "").split()
        if tag == "span" and "placed" in classes and "m" in classes:
            self.marked.append((a["class"] or "", a.get("title") or ""))
            self._text = []

    def handle_endtag(self, tag):
        if tag == "section":
            self._list = False
        if tag == "li" and self._text is not None:
            self.listed.append("".join(self._text))
            self._text = None
        if tag == "span" and self._text is not None and not self._list:
            self.marked[-1] = (*self.marked[-1][:1], self.marked[-1][1] + " | " + "".join(self._text))
            self._text = None

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)


def test_html_marks_placed_spans_and_lists_placements(tmp_path, capsys):
    """The predicted view underlines each placed span with a title saying how and where; the
    document ends with the list of placements and the ungrounded span."""
    gold, pred = _write(tmp_path, TEXT_ONLY)
    page = tmp_path / "p.html"
    _run(capsys, "--gold", gold, "--predictions", pred, "--html", page)
    parser = _Placed()
    parser.feed(page.read_text())
    parser.close()
    marked = [(cls.split(), title) for cls, title in parser.marked]
    assert len(marked) == 2
    (norm_cls, norm), (exact_cls, exact) = marked
    assert "norm" in norm_cls and "placed by text (normalised) at 0\u201313" in norm
    assert norm.endswith(" | Kyiv\u2019s allies")  # the document's own text is shown
    assert "norm" not in exact_cls and "placed by text (exact) at 21\u201326" in exact
    assert parser.listed == ['ungrounded entities[2].text "Ankara" (not found in the text)',
                             "normalised entities[0].text [0:13) \"Kyiv's allies\"",
                             'exact      x2 entities[1].text [21:26) "Paris"']  # fmt: skip
    assert "http" not in page.read_text()


def test_html_without_text_only_spans_has_no_placements(tmp_path, capsys):
    """Offsets only: nothing is marked as placed and there is no placements list."""
    gold, pred = _write(tmp_path, [_entity(1, "Paris", "GPE")])
    page = tmp_path / "p.html"
    _run(capsys, "--gold", gold, "--predictions", pred, "--html", page)
    text = page.read_text()
    assert "placements" not in text and 'class="m correct placed' not in text
