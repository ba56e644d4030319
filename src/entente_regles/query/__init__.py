"""Answers from a replay's records: what exists, is owed or late, on a date, as known on a
date, and why.

- ``index``: the query index of a replay's instances;
- ``as_known``: which replay answers "on X, as known on K";
- ``status``: the one status of an instance on a date (the lateness rule);
- ``obligations``: the frozen views (``Obligation``, ``Option``, …) and their lazy sequence;
- ``explanation``: which messages explain an instance on a date;
- ``serialization``: the keys of ``to_dict()`` and ``to_record()``;
- ``frames``: pandas frames (an optional extra);
- ``snapshot``: ``Snapshot``, what exists on one date;
- ``resumable``: one log's replay kept up to date (continued, extended, indexed);
- ``evaluation``: ``Evaluation``, the questions asked of it (``Snapshot`` re-exported);
- ``agenda``, ``aging``: dated items over a window, unpaid balances by age;
- ``changes``: what changed between two dates (the weekly digest).

Imports: ``core``, ``words``, ``calendar``, ``rules``, ``events``, ``engine``.
"""
