"""The engine's own sentences, in French and English, in keyed message tables.

Each module is one table (a mapping from a key to a French and an English template) and a
way to say one entry in a language. Domain words (rule titles, party names, vague standards)
are not here: they come from the rule book.

Imports: ``core`` only.
"""
