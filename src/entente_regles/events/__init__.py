"""Event logs: JSON Lines records and Python objects validated against a vocabulary.

- ``json_lines``: one record parsed within the format's limits;
- ``fields``: one field's value read into its declared type (dates, amounts, lists);
- ``log``: ``read_events``, ``events_from_text`` and ``validate_events``.

Imports: ``core``, ``words``, ``calendar``, ``rules``.
"""
