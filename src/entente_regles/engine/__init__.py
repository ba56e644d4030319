"""The compiled form of a rule book and the replay of events through it.

- ``compiled``: ``CompiledRules``, norms turned into match rules and handlers, parameters
  resolved (the only input of the replay, the amendments and the agenda: nothing but
  ``compile_rules`` reads the rule book);
- ``amendments``: the dated parameters of the amendments in a log;
- ``matching``: the backend protocol and the indexed (default) and reference sessions;
- ``durable``: the durable_rules adapter (``durable.backend`` is the only module that
  imports ``durable``);
- ``replay``: the walk over events and the agenda, into dated records.

Imports: ``core``, ``words``, ``calendar``, ``rules`` (the types of the rule book's values).
"""
