"""The engine's own sentences, in French and English, in keyed message tables.

Each module holds the tables of one layer's sentences: a :class:`~.templates.Messages`
maps a key to a French and an English ``str.format`` template and says one entry in a
language (``say``) or in both (``text``). Domain words (rule titles, party names, vague standards)
are not here: they come from the rule book.

Imports: ``core`` only.
"""
