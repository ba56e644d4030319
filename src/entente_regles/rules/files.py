"""One rule file read into a :class:`~entente_regles.rules.norms.RuleFile`: each of its
tables handed to its reader (``provision_reader``, ``example_reader``), every problem
collected on its ``TomlSource``."""

from __future__ import annotations

from entente_regles.rules.example_reader import ExampleReader
from entente_regles.rules.norms import RuleFile
from entente_regles.rules.provision_reader import ProvisionReader
from entente_regles.rules.reader import RuleFileDraft
from entente_regles.rules.toml_tables import TomlSource
from entente_regles.rules.vocabulary import Vocabulary


def parse_rule_file(vocabulary: Vocabulary, source: TomlSource) -> RuleFile:
    """The rule file ``source``, read against ``vocabulary``."""
    root = source.root()
    draft = RuleFileDraft(source.name, root.text("article"))
    read = ProvisionReader(vocabulary, draft)
    examples = ExampleReader(vocabulary, draft)
    precedence = read.precedence(root)
    rule_file = RuleFile(
        governs_entry_into_force=root.boolean("regit_entree_en_vigueur"),
        precedence=precedence,
        path=draft.path,
        article=draft.article,
        title=root.text("titre"),
        text=root.text("texte"),
        norms=read.many(root, "obligation", lambda t: read.norm(t, "obligation"))
        + read.many(root, "obligation_continue", lambda t: read.norm(t, "continue"))
        + read.many(root, "faculte", lambda t: read.norm(t, "faculte")),
        powers=read.many(root, "pouvoir", read.power),
        effects=read.many(root, "effet", read.effect),
        controls=read.many(root, "controle", read.control),
        demands=read.many(root, "demeure", read.demand),
        permissions=read.many(root, "permission", read.permission),
        parameters=read.many(root, "parametre", read.parameter),
        unencoded=read.many(root, "non_encode", read.unencoded),
        cross_references=read.many(root, "renvoi", read.cross_reference),
        examples=examples.many(root, "exemple", examples.example),
    )
    root.done()
    return rule_file
