"""What people and programs read: text tables, JSON, CSV, .ics and the HTML report page.

- ``text``: the owed table, diagnostics and the JSON report;
- ``csv``: CSV text from typed records;
- ``ics``: the agenda as an iCalendar file;
- ``html``: the self-contained report page (Jinja2 templates in ``templates/``);
- ``portfolio_html``: the portfolio page, one sortable row per agreement (issue 21);
- ``provenance``: the reproduction block of a report (versions, fingerprints).

Imports: every layer below (``portfolio`` included), and the ``agreement`` façade.
"""
