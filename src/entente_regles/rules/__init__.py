"""Rule files and agreement files: reading TOML (never executing it), validating every key
with its path, and the values they become.

- ``toml_tables``: ``TomlSource`` and ``TomlTable``, the one validation layer for TOML;
- ``vocabulary``: the event types, their fields and who may act;
- ``metadata``: what a rule file declares besides its rules (parameters, examples, precedence);
- ``rulebook``: the rule book's frozen values (``Norm``, ``Power``, … ``RuleBook``);
- ``reader``, ``files``, ``references``: one table, one file, and checks across files;
- ``agreement_file``: an agreement file's keys into ``Agreement`` arguments;
- ``resources``: the files shipped in the package (the bundled rules, the example).

Imports: ``core``, ``words``, ``calendar``.
"""
