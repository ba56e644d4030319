"""Counting delays: the legal calendar (working days, holidays, the roll to the next working
day), month arithmetic with an explicit end-of-month choice, and the ``Policy`` that an
agreement may add (closure days, deadlines for vague standards).

- ``legal``: ``LegalCalendar``, deadlines and their explanation;
- ``days``: the ``DayCalendar`` protocol a calendar of days follows, and plain days;
- ``declared``: a calendar declared as data by a rule book (``calendriers/*.toml``);
- ``library``: a calendar read from the ``holidays`` library (a country, a subdivision);
- ``policy``: ``Policy`` and its validation.

Imports: ``core``, ``words``.
"""
