"""The archive report: summary tables of ``syscause analyze`` results as HTML and CSV.

:func:`build_report` streams a results file once (constant memory in the number of rows),
accumulates counters and a few example ids per cell, and writes one self-contained HTML file
and the same tables as CSV files. Only ids and short evidence phrases reach the report,
never whole narratives.
"""

from __future__ import annotations

from syscause.report.build import ReportOptions, ReportSummary, build_report

__all__ = ["ReportOptions", "ReportSummary", "build_report"]
