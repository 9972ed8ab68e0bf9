"""The HTML report: well-formed, self-contained, escaped, linked, and free of narrative text."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest

from syscause.report import ReportOptions, build_report
from syscause.report.html import render_html
from syscause.report.tables import ReportAccumulator

from .conftest import RECORDS, SECRET, record, write_jsonl

VOID = {"meta", "link", "br", "img", "input", "hr", "wbr", "source", "col", "area", "base"}
HOSTILE_PHRASE = "<script>alert('phrase')</script>"
HOSTILE_UNIT = '<img src=x onerror="alert(1)">'
HOSTILE_ID = '"><b id="x">'


class Page(HTMLParser):
    """Checks nesting as it parses and collects tags, ids and link targets."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: list[str] = []
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.srcs: list[str] = []
        self.text: list[str] = []

    def _attrs(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name == "id" and value:
                self.ids.append(value)
            if name in ("href", "xlink:href") and value is not None:
                self.hrefs.append(value)
            if name == "src" and value is not None:
                self.srcs.append(value)

    def handle_starttag(self, tag, attrs):
        self._attrs(tag, attrs)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self._attrs(tag, attrs)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


@pytest.fixture
def hostile(tmp_path):
    recs = [
        *RECORDS,
        record(HOSTILE_ID, {"fatigue": [HOSTILE_PHRASE]}, unit=HOSTILE_UNIT),
        record("r9", {"bed_flow": ["https://evil.example/x.js"]}, unit=HOSTILE_UNIT),
    ]
    path = write_jsonl(tmp_path / "results.jsonl", recs)
    out = tmp_path / "report.html"
    build_report(str(path), out, ReportOptions(date_column="date", group_column="unit"))
    return out.read_text(encoding="utf-8")


@pytest.fixture
def html(results, tmp_path):
    out = tmp_path / "report.html"
    build_report(str(results), out, ReportOptions(date_column="date", group_column="unit"))
    return out.read_text(encoding="utf-8")


def test_the_page_is_well_formed(html):
    page = parse(html)
    assert page.errors == [] and page.stack == []
    assert html.startswith("<!DOCTYPE html>")
    assert len(page.ids) == len(set(page.ids)), "duplicate ids"


def test_no_outside_resources(html):
    page = parse(html)
    assert page.srcs == []
    assert not {"script", "img", "iframe", "object", "embed"} & set(page.tags)
    assert all(h.startswith(("#", "data:")) for h in page.hrefs)
    assert "http://" not in html and "https://" not in html
    assert "default-src 'none'" in html  # the browser is told to fetch nothing


def test_every_link_has_a_target_listing_report_ids(html):
    page = parse(html)
    targets = {h[1:] for h in page.hrefs if h.startswith("#")}
    assert targets <= set(page.ids)
    entry = re.search(r'<li id="(ex-\d+)"><strong>understaffing: [^<]*</strong>: 4 reports', html)
    assert entry is not None
    assert f'href="#{entry.group(1)}"' in html
    assert "<code>r1</code>, <code>r2</code>, <code>r4</code>, <code>r6</code>" in html


def test_each_section_is_there(html):
    for section in ("prevalence", "trends", "framing", "cooccurrence", "by-group", "phrases"):
        assert f'<section id="{section}">' in html
    assert html.count('class="chart"') == 1 + 4 + 1 + 1 + 1  # bars, trends, framing x2, heatmap


def test_charts_carry_titles_for_screen_readers(html):
    for svg in re.findall(r"<svg [^>]*>", html):
        assert 'role="img"' in svg and "aria-labelledby" in svg


def test_data_is_escaped(hostile):
    page = parse(hostile)
    assert page.errors == [] and page.stack == []
    assert "script" not in page.tags and "img" not in page.tags and "b" not in page.tags
    assert HOSTILE_PHRASE.lower() not in hostile and HOSTILE_UNIT not in hostile
    assert HOSTILE_ID not in hostile
    assert "&lt;script&gt;alert(&#x27;phrase&#x27;)&lt;/script&gt;" in hostile
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in hostile
    assert "https://evil.example/x.js" in "".join(page.text)  # shown as text...
    assert all(h.startswith(("#", "data:")) for h in page.hrefs)  # ...never as a link


def test_no_narrative_text_reaches_the_page(html):
    assert SECRET not in html  # blame cues and reframes hold it; the report shows neither


def test_report_without_date_or_group_column(results, tmp_path):
    out = tmp_path / "plain.html"
    build_report(str(results), out)
    html = out.read_text(encoding="utf-8")
    page = parse(html)
    assert page.errors == [] and page.stack == []
    assert "No date column was given" in html
    assert 'id="by-group"' not in html


def test_an_empty_results_file_still_renders(tmp_path):
    t = ReportAccumulator([], date_column="date", group_column="unit").finish()
    html = render_html(t, generated=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    page = parse(html)
    assert page.errors == [] and page.stack == []
    assert "No report had a usable date" in html
