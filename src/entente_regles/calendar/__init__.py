"""Counting delays: the legal calendar (working days, holidays, the roll to the next working
day), month arithmetic with an explicit end-of-month choice, and the ``Policy`` that an
agreement may add (closure days, deadlines for vague standards).

- ``legal``: ``LegalCalendar``, deadlines and their explanation;
- ``holidays``: the holidays and the citations the calendar gives;
- ``policy``: ``Policy`` and its validation.

Imports: ``core``, ``words``.
"""
