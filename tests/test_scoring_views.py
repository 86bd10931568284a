"""--errors and --html: every error listed once, sorted; the page is well-formed, self-contained,
links resolve, texts are intact, and (where Chromium exists) it renders."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from views_support import TEXT, outcomes

from sgie.scoring.views.errors import error_lines, format_errors
from sgie.scoring.views.html import DocumentPage, Headline, Page, confusion, render_html

VOID = {"meta", "br", "img", "link", "input", "hr"}


def test_error_lines_cover_every_error_sorted():
    """Missed, spurious, boundary, type, attribute and role differences each give one line, in
    document, layer and position order; correct pairs without differences give none."""
    lines = error_lines([outcomes(doc_id="001"), outcomes(doc_id="000")])
    assert [x.doc_id for x in lines] == sorted(x.doc_id for x in lines)
    first = [x for x in lines if x.doc_id == "000"]
    assert [(x.layer, x.kind) for x in first] == [
        ("entities", "spurious"),  # ungrounded: no position, first
        ("entities", "type"), ("entities", "spurious"), ("entities", "boundary"), ("entities", "missed"),
        ("proposals", "boundary+status"), ("proposals", "missed"),
        ("proposals", "missed"),  # the argument
        ("attributions", "missed"), ("attributions", "quote_type"),
    ]  # fmt: skip
    text = format_errors(first)
    assert "Errors (10)" in text and "document 000" in text
    assert 'missed     gold e4 MEDIA [' in text and '"AFP"' in text
    assert 'gold e3 PERSON' in text and '->  predicted p3 PERSON' in text
    assert "p5 ORG (ungrounded)" in text
    assert "g2.arg0 proposer" in text


class _Checker(HTMLParser):
    """Collects ids, links, resources and open-tag balance; text of .text divs by side."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.resources: list[str] = []
        self.texts: list[str] = []
        self._text_depth: int | None = None
        self._in_tag = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag not in VOID:
            self.stack.append(tag)
        if "id" in a:
            assert a["id"] not in self.ids, a["id"]
            self.ids.add(a["id"])
        if tag == "a":
            self.links.append(a.get("href", ""))
        for key in ("src", "srcset"):
            if key in a:
                self.resources.append(a[key])
        if tag == "link" or (tag == "script"):
            self.resources.append(tag)
        if tag == "div" and a.get("class") == "text":
            self._text_depth = len(self.stack)
            self.texts.append("")
        if tag == "span" and a.get("class") == "tag":
            self._in_tag += 1

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, (tag, self.stack[-3:])
        if tag == "span" and self._in_tag and self.stack.count("span") == self._in_tag:
            self._in_tag -= 1
        if self._text_depth is not None and len(self.stack) == self._text_depth:
            self._text_depth = None
        self.stack.pop()

    def handle_data(self, data):
        if self._text_depth is not None and not self._in_tag:
            self.texts[-1] += data


def _page(docs=("000", "004")) -> str:
    rows = [Headline("entities", "strict micro-F1", 0.5, 0.25, 1 / 3, True),
            Headline("proposals", "span overlap F1", None, None, None, False)]
    return render_html(Page("SGIE evaluation: p.jsonl against gold", rows, "the table",
                            [DocumentPage(d, TEXT, outcomes(doc_id=d)) for d in docs]))  # fmt: skip


def test_html_is_well_formed_self_contained_and_linked():
    """Balanced tags, unique ids, every link is an in-page anchor that exists, no external
    resource, and each side of each layer shows the document text exactly."""
    page = _page()
    checker = _Checker()
    checker.feed(page)
    checker.close()
    assert checker.stack == []
    assert checker.resources == []
    assert not re.search(r"https?://", page)
    assert all(link.startswith("#") and link[1:] in checker.ids for link in checker.links)
    assert {"scores", "confusion", "doc-000", "doc-004-attributions"} <= checker.ids
    assert len(checker.texts) == 2 * 3 * 2 and all(t == TEXT for t in checker.texts)


def test_html_shows_roles_arguments_and_outcome_colours():
    """Attribution roles and arguments are tagged; spans carry their outcome class."""
    page = _page(("000",))
    for tag in ("cue a1", "source a1", "content a1", "cue a2", "executor of g1", "proposer of g2",
                "g1 pledge", "MEDIA"):  # fmt: skip
        assert f">{tag}</span>" in page, tag
    for css in ("correct", "boundary", "label", "missed", "spurious"):
        assert f'class="m {css}"' in page, css


def test_confusion_matrix_counts_partial_pairs():
    """Rows gold types, columns predicted types, from the partial scheme's pairs."""
    counts = confusion([DocumentPage("000", TEXT, outcomes())])
    assert counts[("GPE", "GPE")] == 1 and counts[("GPE", "NORP")] == 1
    assert counts[("MEDIA", "missed")] == 1 and counts[("spurious", "GPE")] == 1
    assert "<th>gold \\ predicted</th>" in _page()


CHROMIUM = shutil.which("chromium") or next((p for p in ("/usr/bin/chromium",) if Path(p).exists()), None)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (Debian package chromium)")
def test_html_renders_in_headless_chromium(tmp_path, root, monkeypatch, capsys):
    """A real headless Chromium renders the page of the rules baseline on the two test
    documents (about 7,000 characters each) to a non-blank screenshot (no network used)."""
    from sgie.cli import main

    monkeypatch.chdir(root)
    page = tmp_path / "errors.html"
    assert main(["evaluate", "--predictions", "eval/submissions/rules/predictions.jsonl",
                 "--html", str(page)]) == 0  # fmt: skip
    shot = tmp_path / "shot.png"
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--no-first-run",
                    f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1400,1800",
                    f"--screenshot={shot}", page.as_uri()],
                   check=True, capture_output=True, timeout=120)  # fmt: skip
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 20_000  # a blank page compresses to far less
