"""What people and programs read: text tables, JSON, CSV, .ics and the HTML report page.

- ``text``: the owed table, diagnostics and the JSON report;
- ``csv``: CSV text from typed records;
- ``ics``: the agenda as an iCalendar file;
- ``html``: the self-contained report page (Jinja2 templates in ``templates/``);
- ``provenance``: the reproduction block of a report (versions, fingerprints).

Imports: every layer below, and the ``agreement`` façade.
"""
