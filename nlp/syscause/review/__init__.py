"""Reviewer audit loop: walk model results, record accept / reject / relabel decisions in an
append-only SQLite store, and turn them into training data and agreement statistics.

Modules, bottom to top: ``records`` (reading result files and joining narratives),
``store`` (the SQLite decision log), ``state`` (decisions reduced to one review per item and
reviewer), ``queue`` (review order), ``highlight`` (narrative markup), ``session`` (the
review loop's logic, without a UI), ``export`` and ``stats`` (what the decisions add up to)
and ``app`` (the Textual UI, imported only by the ``syscause review`` command so that
``import syscause`` stays light).
"""
