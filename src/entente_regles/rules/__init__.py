"""Rule files and agreement files: reading TOML (never executing it), validating every key
with its path, and the values they become.

- ``toml_tables``: ``TomlSource`` and ``TomlTable``, the one validation layer for TOML;
- ``vocabulary``: the event types, their fields and who may act, and the agreement's parties,
  vague standards and fiscal year as the rule book declares them (``vocabulary_reader``);
- ``metadata``: what a rule file declares besides its rules (parameters, examples, precedence);
- ``norms``: the rule book's frozen values (``Norm``, ``Power``, …); ``rulebook``: ``RuleBook``;
- ``reader`` (``RuleReader``: what every table needs), ``norm_reader``, ``provision_reader``,
  ``example_reader``: one table into one value; ``files``: one file's tables;
  ``references``: checks across files;
- ``agreement_file``: an agreement file's keys into ``Agreement`` arguments;
- ``resources``: the files shipped in the package (the bundled rules, the example).

Imports: ``core``, ``words``, ``calendar``.
"""
