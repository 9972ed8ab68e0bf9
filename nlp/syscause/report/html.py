"""Rendering :class:`~syscause.report.tables.ReportTables` as one self-contained HTML page.

No network: no scripts, fonts, stylesheets or images from anywhere (a Content-Security-Policy
says so to the browser too); the charts are inline SVG. Every figure mark and table cell
links to an entry of the examples section that lists report ids. Only ids, labels, group
names and short evidence phrases come from the data, and every one is escaped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

from syscause.report.csv_tables import share
from syscause.report.load import FRAMINGS
from syscause.report.svg import (
    BLUE,
    GREY,
    REDDISH_PURPLE,
    VERMILLION,
    Bar,
    Cell,
    Series,
    bar_chart,
    esc,
    heatmap,
    ink_on,
    line_chart,
    nice_max,
    ramp,
)
from syscause.report.tables import CellCounter, ReportTables

PHRASES_SHOWN = 10
GROUPS_SHOWN = 40
FRAMING_STYLE = {  # colour, dash, marker: distinct in colour, in grey and in print
    "individual": (VERMILLION, "", "circle"),
    "system": (BLUE, "6 3", "square"),
    "mixed": (REDDISH_PURPLE, "2 3", "triangle"),
    "neutral": (GREY, "8 3 2 3", "diamond"),
}
_CSS = """
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  color: #1a1a1a; background: #fff; margin: 0 auto; max-width: 1100px; padding: 0 20px 40px; }
h1 { font-size: 1.6em; margin: 24px 0 4px; } h2 { font-size: 1.3em; margin-top: 36px;
  border-bottom: 2px solid #0072B2; padding-bottom: 3px; } h3 { font-size: 1.05em; }
a { color: #005a8c; } a:focus { outline: 2px solid #E69F00; }
svg.chart { max-width: 100%; height: auto; display: block; }
svg.chart a:hover rect, svg.chart a:hover circle, svg.chart a:hover polygon { opacity: .75; }
.note { color: #4a4a4a; font-size: .92em; }
dl.summary { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; }
dl.summary dt { font-weight: 600; } dl.summary dd { margin: 0; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: .92em; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border: 1px solid #d0d0d0; padding: 3px 7px; text-align: right; }
thead th { white-space: nowrap; }
th[scope=row], td.text { text-align: left; }
thead th { background: #f2f2f2; } thead th.text { text-align: left; }
th.vertical { writing-mode: vertical-rl; transform: rotate(180deg); text-align: left;
  white-space: nowrap; padding: 6px 3px; font-weight: 500; }
.multiples { display: grid; grid-template-columns: repeat(auto-fill, minmax(250px, 1fr));
  gap: 8px 16px; }
.multiples figure, .phrases figure { margin: 0; }
figcaption { font-weight: 600; font-size: .95em; }
.phrases { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr));
  gap: 4px 20px; }
ol.examples { list-style: none; padding: 0; columns: 2 420px; }
ol.examples li { break-inside: avoid; margin: 0 0 6px; padding: 3px 6px; }
ol.examples li:target { background: #fff3c4; outline: 2px solid #E69F00; }
ol.examples code { font-size: .9em; }
@media print {
  nav.toc { display: none; } a { color: inherit; text-decoration: none; }
  .scroll { overflow: visible; } figure, table, svg.chart { break-inside: avoid; }
  h2, h3, caption { break-after: avoid; } body { max-width: none; }
  td, th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""
# A browser that honours this fetches nothing: only inline styles and data: icons load.
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


@dataclass
class ExampleIndex:
    """The examples section: one anchored entry per linked cell, added as cells render."""

    entries: list[tuple[str, str, int, list[str]]] = field(default_factory=list)
    _anchors: dict[tuple[Hashable, Hashable], str] = field(default_factory=dict)

    def link(self, kind: Hashable, key: Hashable, heading: str, counter: CellCounter) -> str | None:
        """The ``#anchor`` of ``counter``'s cell ``key`` (``None`` for an empty cell).

        ``kind`` tells apart cells of different tables that share a key.
        """
        count = counter.count(key)
        if not count:
            return None
        anchor = self._anchors.get((kind, key))
        if anchor is None:
            anchor = f"ex-{len(self.entries) + 1}"
            self._anchors[(kind, key)] = anchor
            self.entries.append((anchor, heading, count, counter.ids(key)))
        return "#" + anchor

    def render(self) -> str:
        """The entries as an ordered list of ids."""
        items = []
        for anchor, heading, count, ids in self.entries:
            shown = ", ".join(f"<code>{esc(i)}</code>" for i in ids)
            more = f" (first {len(ids)} of {count})" if count > len(ids) else ""
            items.append(
                f'<li id="{anchor}"><strong>{esc(heading)}</strong>: {count} '
                f"report{'s' if count != 1 else ''}{more}: {shown}</li>"
            )
        return '<ol class="examples">' + "".join(items) + "</ol>"


def _count_link(count: int, href: str | None, tooltip: str, colour: str | None = None) -> str:
    if href is None:
        return str(count)
    style = f' style="color:{colour}"' if colour else ""
    return f'<a href="{esc(href)}" title="{esc(tooltip)}"{style}>{count}</a>'


def _pct(count: int, total: int) -> str:
    return f"{100 * share(count, total):.1f}%"


class _Page:
    """Builds the sections of one report; ``ex`` collects the example entries."""

    def __init__(self, t: ReportTables, names: dict[str, str]) -> None:
        self.t = t
        self.names = names
        self.ex = ExampleIndex()

    def name(self, label: str) -> str:
        return self.names.get(label, label)

    def prevalence(self) -> str:
        t = self.t
        bars, rows = [], []
        for label in t.labels:
            n = t.prevalence.count(label)
            heading = f"{label}: reports with this factor"
            href = self.ex.link("prev", label, heading, t.prevalence)
            tip = f"{self.name(label)}: {n} of {t.total} reports ({_pct(n, t.total)})"
            bars.append(Bar(label, n, f"{n} ({_pct(n, t.total)})", tip, href))
            rows.append(
                f'<tr><th scope="row">{esc(label)}</th><td class="text">{esc(self.name(label))}'
                f"</td><td>{_count_link(n, href, tip)}</td><td>{_pct(n, t.total)}</td></tr>"
            )
        chart = bar_chart(
            "chart-prevalence",
            bars,
            title="Factor prevalence",
            desc=f"Number of reports tagged with each contributing factor, of {t.total} reports.",
        )
        table = (
            '<div class="scroll"><table><caption>Factor prevalence</caption><thead><tr>'
            '<th scope="col" class="text">factor</th><th scope="col" class="text">name</th>'
            '<th scope="col">reports</th>'
            '<th scope="col">share of reports</th></tr></thead><tbody>'
            + "".join(rows)
            + "</tbody></table></div>"
        )
        return (
            '<section id="prevalence"><h2>Factor prevalence</h2>'
            '<p class="note">Reports in which each factor was asserted (a report can have several '
            "factors). Select a bar or a count for example report ids.</p>"
            f"<figure>{chart}</figure>{table}</section>"
        )

    def trends(self) -> str:
        t = self.t
        head = '<section id="trends"><h2>Factor trends over time</h2>'
        if not t.date_column:
            return head + (
                '<p class="note">No date column was given: run <code>syscause report RESULTS '
                "--date-column date</code> on results analysed with <code>--keep-columns date"
                "</code> to see trends.</p></section>"
            )
        if not t.periods:
            return head + '<p class="note">No report had a usable date.</p></section>'
        names = [t.period_name(p) for p in t.periods]
        figures = []
        for li, label in enumerate(t.labels):
            values, tips, hrefs = [], [], []
            for p, pname in zip(t.periods, names, strict=True):
                n, total = t.trend.count((p, label)), t.period_totals.count(p)
                values.append(100 * share(n, total))
                tips.append(f"{label}, {pname}: {n} of {total} reports ({_pct(n, total)})")
                hrefs.append(self.ex.link("trend", (p, label), f"{label}, {pname}", t.trend))
            top = nice_max(max(values, default=0.0))
            chart = line_chart(
                f"chart-trend-{li}",
                names,
                [Series(label, values, tips, hrefs)],
                title=f"{label}: share of reports per {t.period}",
                desc=f"Percentage of reports each {t.period} tagged with {label}.",
                y_max=top,
                width=260,
                height=130,
                legend=False,
            )
            figures.append(f"<figure><figcaption>{esc(label)}</figcaption>{chart}</figure>")
        header = "".join(f'<th scope="col">{esc(n)}</th>' for n in names)
        rows = []
        for label in t.labels:
            cells = []
            for p, pname in zip(t.periods, names, strict=True):
                n = t.trend.count((p, label))
                href = self.ex.link("trend", (p, label), f"{label}, {pname}", t.trend)
                cells.append(f"<td>{_count_link(n, href, f'{label}, {pname}: {n} reports')}</td>")
            rows.append(f'<tr><th scope="row">{esc(label)}</th>{"".join(cells)}</tr>')
        totals = []
        for p, pname in zip(t.periods, names, strict=True):
            n = t.period_totals.count(p)
            href = self.ex.link("period", p, f"all reports, {pname}", t.period_totals)
            totals.append(f"<td>{_count_link(n, href, f'{pname}: {n} reports')}</td>")
        rows.append(f'<tr><th scope="row">all reports</th>{"".join(totals)}</tr>')
        table = (
            f'<div class="scroll"><table><caption>Reports per factor and {esc(t.period)}'
            '</caption><thead><tr><th scope="col" class="text">factor</th>'
            f"{header}</tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>"
        )
        return (
            head
            + f'<p class="note">Share of each {esc(t.period)}\'s reports tagged with the factor '
            f"(each panel has its own scale; see the prevalence chart to compare factors). Dates "
            f"from column <code>{esc(t.date_column)}</code>."
            + (f" {t.undated} reports without a usable date are left out." if t.undated else "")
            + f'</p><div class="multiples">{"".join(figures)}</div>{table}</section>'
        )

    def framing(self) -> str:
        t = self.t
        bars, rows = [], []
        for f in FRAMINGS:
            n = t.framing.count(f)
            href = self.ex.link("framing", f, f"framing: {f}", t.framing)
            tip = f"{f} framing: {n} of {t.total} reports ({_pct(n, t.total)})"
            bars.append(Bar(f, n, f"{n} ({_pct(n, t.total)})", tip, href, FRAMING_STYLE[f][0]))
            rows.append(
                f'<tr><th scope="row">{f}</th><td>{_count_link(n, href, tip)}</td>'
                f"<td>{_pct(n, t.total)}</td></tr>"
            )
        chart = bar_chart(
            "chart-framing",
            bars,
            title="Framing of the narratives",
            desc="Number of reports by how the narrative frames the event: individual, "
            "system, mixed or neutral.",
            row_height=26,
        )
        table = (
            '<table><caption>Framing distribution</caption><thead><tr><th scope="col">framing'
            '</th><th scope="col">reports</th><th scope="col">share</th></tr></thead><tbody>'
            + "".join(rows)
            + "</tbody></table>"
        )
        return (
            '<section id="framing"><h2>Framing</h2><p class="note">How each narrative frames '
            "the event: as an individual's failing, as system conditions, both (mixed) or "
            "neither (neutral). Framing describes the text, never a person: do not use it to "
            f"judge, rank or discipline staff.</p><figure>{chart}</figure>{table}"
            + self._framing_trend()
            + "</section>"
        )

    def _framing_trend(self) -> str:
        t = self.t
        if not t.date_column or not t.periods:
            return ""
        names = [t.period_name(p) for p in t.periods]
        series, rows = [], []
        for f in FRAMINGS:
            values, tips, hrefs, cells = [], [], [], []
            for p, pname in zip(t.periods, names, strict=True):
                n, total = t.framing_trend.count((p, f)), t.period_totals.count(p)
                values.append(100 * share(n, total))
                tip = f"{f}, {pname}: {n} of {total} reports ({_pct(n, total)})"
                tips.append(tip)
                href = self.ex.link("ftrend", (p, f), f"framing {f}, {pname}", t.framing_trend)
                hrefs.append(href)
                cells.append(f"<td>{_count_link(n, href, tip)}</td>")
            colour, dash, marker = FRAMING_STYLE[f]
            series.append(Series(f, values, tips, hrefs, colour, dash, marker))
            rows.append(f'<tr><th scope="row">{f}</th>{"".join(cells)}</tr>')
        chart = line_chart(
            "chart-framing-trend",
            names,
            series,
            title=f"Framing per {t.period}",
            desc=f"Percentage of each {t.period}'s reports with each framing.",
            y_max=nice_max(max((v for s in series for v in s.values), default=0.0)),
        )
        header = "".join(f'<th scope="col">{esc(n)}</th>' for n in names)
        return (
            f"<h3>Framing per {esc(t.period)}</h3><figure>{chart}</figure>"
            f'<div class="scroll"><table><caption>Reports per framing and {esc(t.period)}'
            '</caption><thead><tr><th scope="col" class="text">framing</th>'
            f"{header}</tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>"
        )

    def cooccurrence(self) -> str:
        t = self.t
        grid = []
        for a in t.labels:
            row = []
            for b in t.labels:
                key = t.pair(a, b)
                n = t.cooccurrence.count(key)
                heading = a if a == b else f"{key[0]} with {key[1]}"
                href = self.ex.link("cooc", key, heading, t.cooccurrence)
                tip = (
                    f"{a}: {n} reports" if a == b else f"{a} and {b} together: {n} reports"
                )  # fmt: skip
                row.append(Cell(n, tip, href))
            grid.append(row)
        chart = heatmap(
            "chart-cooccurrence",
            t.labels,
            grid,
            title="Factor co-occurrence",
            desc="Number of reports tagged with both factors of each pair; the outlined "
            "diagonal is the number of reports with the factor at all. Darker is more.",
        )
        return (
            '<section id="cooccurrence"><h2>Factor co-occurrence</h2><p class="note">Reports '
            "tagged with both factors (darker cells: more reports; the outlined diagonal counts "
            "reports with the factor). Select a cell for example report ids.</p>"
            f'<figure class="scroll">{chart}</figure></section>'
        )

    def by_group(self) -> str:
        t = self.t
        if not t.group_column:
            return ""
        column = esc(t.group_column)
        shown = t.groups[:GROUPS_SHOWN]
        header = "".join(
            f'<th scope="col" class="vertical" title="{esc(self.name(label))}">{esc(label)}</th>'
            for label in t.labels
        )
        rows = []
        for g in shown:
            total = t.group_totals.count(g)
            href = self.ex.link("gtotal", g, f"{t.group_column} {g}", t.group_totals)
            cells = [f"<td>{_count_link(total, href, f'{g}: {total} reports')}</td>"]
            for label in t.labels:
                n = t.by_group.count((g, label))
                frac = share(n, total)
                tip = f"{g}, {label}: {n} of {total} reports ({_pct(n, total)})"
                href = self.ex.link("group", (g, label), f"{g}, {label}", t.by_group)
                style = f' style="background:{ramp(frac)};color:{ink_on(frac)}"' if n else ""
                cells.append(f"<td{style}>{_count_link(n, href, tip, ink_on(frac))}</td>")
            rows.append(f'<tr><th scope="row">{esc(g)}</th>{"".join(cells)}</tr>')
        more = (
            f" Showing the {GROUPS_SHOWN} largest of {len(t.groups)} groups; "
            "<code>by_group.csv</code> has them all."
            if len(t.groups) > GROUPS_SHOWN
            else ""
        )
        return (
            f'<section id="by-group"><h2>Factors by {column}</h2><p class="note">Reports per '
            f"<code>{column}</code> and factor; shading is the share of that {column}'s reports "
            f"(darker: larger share).{more}</p>"
            f'<div class="scroll"><table><caption>Factor by {column}</caption><thead><tr>'
            f'<th scope="col" class="text">{column}</th><th scope="col">reports</th>{header}'
            "</tr></thead>"
            "<tbody>" + "".join(rows) + "</tbody></table></div></section>"
        )

    def phrases(self) -> str:
        t = self.t
        figures = []
        for label in t.labels:
            top = t.top_phrases(label, PHRASES_SHOWN)
            if not top:
                continue
            counter = t.phrases[label]
            rows = []
            for phrase, n in top:
                heading = f"{label}: \u201c{phrase}\u201d"
                href = self.ex.link(("phrase", label), phrase, heading, counter)
                rows.append(
                    f'<tr><td class="text">{esc(phrase)}</td>'
                    f"<td>{_count_link(n, href, f'{phrase}: {n} reports')}</td></tr>"
                )
            figures.append(
                f"<figure><table><caption>{esc(label)}</caption><thead><tr>"
                '<th scope="col" class="text">evidence phrase</th><th scope="col">reports</th>'
                "</tr></thead>"
                "<tbody>" + "".join(rows) + "</tbody></table></figure>"
            )
        body = "".join(figures) or '<p class="note">No evidence phrases in these results.</p>'
        return (
            '<section id="phrases"><h2>Top evidence phrases per factor</h2><p class="note">'
            "The short text spans most often given as evidence for each factor (lower-cased; "
            f'counted once per report).</p><div class="phrases">{body}</div></section>'
        )


def render_html(
    tables: ReportTables,
    *,
    title: str = "syscause archive report",
    source: str = "",
    problems: int = 0,
    label_names: dict[str, str] | None = None,
    generated: dt.datetime | None = None,
) -> str:
    """The whole report as one HTML document (a string)."""
    t = tables
    page = _Page(t, label_names or {})
    sections = [
        page.prevalence(),
        page.trends(),
        page.framing(),
        page.cooccurrence(),
        page.by_group(),
        page.phrases(),
    ]
    when = (generated or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%d %H:%M UTC")
    summary = [
        ("Source", f"<code>{esc(source)}</code>" if source else "-"),
        ("Reports", f"{t.total}"),
        ("With at least one factor", f"{t.with_factor} ({_pct(t.with_factor, t.total)})"),
    ]
    if t.date_column:
        span = (
            f"{t.period_name(t.periods[0])} to {t.period_name(t.periods[-1])}"
            if t.periods
            else "none"
        )
        summary.append(("Period", f"{span} (by {esc(t.period)})"))
        if t.undated:
            summary.append(("Without a usable date", str(t.undated)))
    if t.group_column:
        summary.append((f"Groups ({esc(t.group_column)})", str(len(t.groups))))
    if problems:
        summary.append(("Result rows left out (unreadable)", str(problems)))
    if t.models:
        summary.append(("Model", ", ".join(esc(m) for m in t.models)))
    summary.append(("Generated", when))
    toc = [("prevalence", "Factor prevalence"), ("trends", "Trends over time"),
           ("framing", "Framing"), ("cooccurrence", "Co-occurrence")]  # fmt: skip
    if t.group_column:
        toc.append(("by-group", f"Factors by {esc(t.group_column)}"))
    toc += [("phrases", "Evidence phrases"), ("examples", "Example report ids")]
    dl = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in summary)
    nav = "".join(f'<li><a href="#{a}">{n}</a></li>' for a, n in toc)
    examples = (
        '<section id="examples"><h2>Example report ids</h2><p class="note">The first report '
        "ids (in results order) behind each linked figure mark and table cell. Look the "
        "reports up by id in the results or the archive.</p>" + page.ex.render() + "</section>"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" href="data:,">'
        f"<title>{esc(title)}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>{esc(title)}</h1>"
        '<p class="note">Contributing factors and narrative framing across the archive, from '
        "<code>syscause analyze</code> results. Factors are tagged only where a narrative "
        "states or clearly implies them. Only report ids and short evidence phrases are shown, "
        f'never whole narratives.</p><dl class="summary">{dl}</dl></header>'
        f'<nav class="toc" aria-label="Contents"><ul>{nav}</ul></nav><main>'
        + "".join(sections)
        + examples
        + "</main></body></html>\n"
    )


__all__: Sequence[str] = ("ExampleIndex", "render_html")
